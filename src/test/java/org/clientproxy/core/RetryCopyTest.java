package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/** A pending get keeps only what a retry needs, and the retry is the forwarded stanza again, to another resource. */
class RetryCopyTest {
    private static final JID TRANSLATED = new JID("svc.example.org/alice@example.org/phone");
    private static final JID RESOURCE_B = new JID("impl@example.org/b");

    /** A get as a server's parser gives it: in the client namespace, with xml:lang and a payload with text. */
    private static IQ parsedGet() throws Exception {
        Element stanza = DocumentHelper.parseText("<iq xmlns='jabber:client' type='get' id='q1' xml:lang='de'"
                + " from='alice@example.org/phone' to='svc.example.org'>"
                + "<query xmlns='urn:example:test' node='n'><data>payload</data> tail</query></iq>").getRootElement();
        return new IQ(stanza);
    }

    @Test
    void theRetryIsTheForwardedStanzaToAnotherResource() throws Exception {
        IQ request = parsedGet();
        IQ forwarded = request.createCopy();
        forwarded.setFrom(TRANSLATED);
        forwarded.setTo(new JID("impl@example.org/a"));
        PendingRequest pending = new PendingRequest("alice@example.org/phone", "q1", request.getTo(),
                PendingRequest.forRetry(request),
                new OnlineResources.Resource(new JID("impl@example.org/a"), Instant.EPOCH), 0, 1);

        IQ retry = pending.retryCopy(TRANSLATED, RESOURCE_B);

        forwarded.setTo(RESOURCE_B);
        assertEquals(forwarded.getElement().getQName(), retry.getElement().getQName());
        assertEquals(forwarded.getElement().attributeCount(), retry.getElement().attributeCount());
        for (int i = 0; i < forwarded.getElement().attributeCount(); i++) {
            QName name = forwarded.getElement().attribute(i).getQName();
            assertEquals(forwarded.getElement().attributeValue(name), retry.getElement().attributeValue(name), name.toString());
        }
        assertEquals("de", retry.getElement().attributeValue(QName.get("lang", Namespace.XML_NAMESPACE)));
        assertEquals(forwarded.getChildElement().asXML(), retry.getChildElement().asXML());
        assertEquals(IQ.Type.get, retry.getType());
        assertEquals(TRANSLATED, retry.getFrom());
        assertEquals(RESOURCE_B, retry.getTo());
        assertEquals(retry.getElement(), retry.getElement().getDocument().getRootElement(), "in a document, as createCopy() makes it");
    }

    @Test
    void whatIsKeptSharesNothingWithTheRequest() throws Exception {
        IQ request = parsedGet();
        Element kept = PendingRequest.forRetry(request);

        assertNull(kept.getParent());
        assertNull(kept.getDocument());
        request.getChildElement().element("data").setText("changed");
        assertEquals("payload", kept.element("query").element("data").getText());
        assertNull(kept.attribute("to"));
        assertNull(kept.attribute("from"));
        assertNull(kept.attribute("id"));
        assertNull(kept.attribute("type"));
    }
}
