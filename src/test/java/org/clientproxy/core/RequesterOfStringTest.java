package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** The requester read from a stanza's {@code to} attribute is the one read from its JID. */
class RequesterOfStringTest {
    @Test
    void sameAsFromTheJid() {
        AddressTranslation translation = new AddressTranslation("svc.example.org");
        for (String requester : new String[] {"u@example.org/abc", "u@example.org/a/b@c", "example.org/r",
                "u@example.org/caf\u00e9", "u@example.org/with space"}) {
            JID encoded = translation.encode(requester);
            assertEquals(encoded.getResource(), AddressTranslation.requesterOf(encoded.toString()), requester);
            assertEquals(requester, AddressTranslation.requesterOf(encoded.toString()));
        }
    }

    @Test
    void noneWithoutAResource() {
        assertNull(AddressTranslation.requesterOf((String) null));
        assertNull(AddressTranslation.requesterOf("svc.example.org"));
        assertNull(AddressTranslation.requesterOf("svc.example.org/"));
    }
}
