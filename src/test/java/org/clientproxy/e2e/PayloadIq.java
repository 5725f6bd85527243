package org.clientproxy.e2e;

import org.jivesoftware.smack.packet.IQ;

/** A Smack IQ with a test payload {@code <payload xmlns='urn:clientproxy:test'>…</payload>}, its inner XML given as is. */
public final class PayloadIq extends IQ {
    public static final String ELEMENT = "payload";
    public static final String NAMESPACE = "urn:clientproxy:test";

    private final String innerXml;

    public PayloadIq(Type type, String innerXml) {
        super(ELEMENT, NAMESPACE);
        setType(type);
        this.innerXml = innerXml;
    }

    /** The whole child element as sent, to compare with what arrives. */
    public String childXml() {
        return "<" + ELEMENT + " xmlns='" + NAMESPACE + "'>" + innerXml + "</" + ELEMENT + ">";
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        if (innerXml.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(innerXml);
        }
        return xml;
    }
}
