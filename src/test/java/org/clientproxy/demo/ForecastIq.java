package org.clientproxy.demo;

import java.io.IOException;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.parsing.SmackParsingException;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/** The demo's service payload: {@code <forecast xmlns='urn:example:weather'><city/><sky/></forecast>}. */
final class ForecastIq extends IQ {
    static final String ELEMENT = "forecast";
    static final String NAMESPACE = "urn:example:weather";

    final String city;
    final String sky;

    ForecastIq(String city, String sky) {
        super(ELEMENT, NAMESPACE);
        this.city = city;
        this.sky = sky;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.rightAngleBracket();
        xml.optElement("city", city);
        xml.optElement("sky", sky);
        return xml;
    }

    /** Reads the payload back, so both sample clients work with {@link ForecastIq}. */
    static final class Provider extends IQProvider<ForecastIq> {
        @Override
        public ForecastIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
                throws XmlPullParserException, IOException, SmackParsingException {
            String city = null;
            String sky = null;
            while (true) {
                XmlPullParser.Event event = parser.next();
                if (event == XmlPullParser.Event.START_ELEMENT) {
                    switch (parser.getName()) {
                        case "city" -> city = parser.nextText();
                        case "sky" -> sky = parser.nextText();
                        default -> { }
                    }
                } else if (event == XmlPullParser.Event.END_ELEMENT && parser.getDepth() == initialDepth) {
                    return new ForecastIq(city, sky);
                }
            }
        }
    }
}
