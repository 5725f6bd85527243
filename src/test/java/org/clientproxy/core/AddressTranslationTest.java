package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;

class AddressTranslationTest {
    private final AddressTranslation translation = new AddressTranslation("svc.example.org");

    @Test
    void theRequesterBecomesTheResourceOfTheServiceAddress() {
        JID encoded = translation.encode("u@example.org/abc");

        assertEquals("svc.example.org/u@example.org/abc", encoded.toString());
        assertNull(encoded.getNode());
        assertEquals("svc.example.org", encoded.getDomain());
        assertEquals("u@example.org/abc", encoded.getResource());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u@example.org/abc", "u@example.org/a/b/c", "u@example.org/with space", "example.org",
            "u@example.org", "component.example.org/x", "\u00fc@b\u00fccher.example/caf\u00e9", "u@example.org/a/b@c"})
    void requesterOfGivesBackWhatEncodeWasGiven(String requester) {
        JID encoded = translation.encode(requester);
        assertNotNull(encoded, requester);
        assertEquals(requester, AddressTranslation.requesterOf(encoded.toString()));
        // The address survives the wire: the reply names it as a string.
        assertEquals(requester, AddressTranslation.requesterOf(new JID(encoded.toString()).toString()));
    }

    @Test
    void requesterOfAnAddressWithoutResourceIsNull() {
        assertNull(AddressTranslation.requesterOf("svc.example.org"));
        assertNull(AddressTranslation.requesterOf("svc.example.org/"));
        assertNull(AddressTranslation.requesterOf(null));
    }

    @Test
    void aRequesterThatMakesTheResourceLongerThan1023BytesCannotBeCarried() {
        String prefix = "u@example.org/";
        String fits = prefix + "x".repeat(1023 - prefix.length());
        String tooLong = prefix + "x".repeat(1024 - prefix.length());

        assertNotNull(translation.encode(fits));
        assertEquals(fits, AddressTranslation.requesterOf(translation.encode(fits).toString()));
        assertNull(translation.encode(tooLong));
        assertNotNull(new JID(tooLong), "the requester itself is a valid JID");
    }

    @Test
    void theLimitIsInBytesNotCharacters() {
        String prefix = "u@example.org/";
        String requester = prefix + "\u00e9".repeat(505); // 519 characters, 1024 bytes in UTF-8
        assertEquals(1024, requester.getBytes(StandardCharsets.UTF_8).length);

        assertNull(translation.encode(requester));
        assertNotNull(translation.encode(prefix + "\u00e9".repeat(504)));
    }

    @Test
    void aRequesterFailingResourceprepCannotBeCarried() {
        // Valid on its own (a right-to-left resource), but as one resource it mixes Latin and Hebrew
        // letters, which the stringprep bidi rule forbids.
        String requester = "u@example.org/\u05d0\u05d1";
        assertEquals("\u05d0\u05d1", new JID(requester).getResource());

        assertNull(translation.encode(requester));
        assertNull(translation.encode("u@example.org/a\u05d0b"));
    }

    @Test
    void anotherServiceEncodesOnItsOwnDomain() {
        assertEquals("other.example.org/u@example.org/abc",
                new AddressTranslation("other.example.org").encode("u@example.org/abc").toString());
    }
}
