package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** What an instance of a proxy leaves for the next: in the cluster's journal, and at a plugin upgrade. */
class RequestRecordTest {
    private static final JID SERVICE = new JID("focus.example.org");
    private static final JID RESOURCE = new JID("impl@example.org/a");
    private static final RequestRecord ALICE = new RequestRecord("alice@example.org/phone", "r 1", SERVICE, RESOURCE,
            1_700_000_000_123L);
    private static final RequestRecord BOB = new RequestRecord("bob@example.org/desk", "7", SERVICE, RESOURCE, 42L);

    @Test
    void whatIsWrittenReadsBackTheSame() {
        String[] fields = RequestRecord.encode(List.of(ALICE, BOB));
        assertEquals(List.of("alice@example.org/phone", "r 1", "focus.example.org", "impl@example.org/a",
                "1700000000123", "bob@example.org/desk", "7", "focus.example.org", "impl@example.org/a", "42"),
                List.of(fields), "five plain fields each");
        assertEquals(List.of(ALICE, BOB), RequestRecord.decode(fields));
        assertEquals(List.of(ALICE, BOB), RequestRecord.decode("focus\n", "focus\nany", fields));
        assertEquals(List.of(), RequestRecord.decode(new String[0]), "a hand-over with nothing outstanding");
    }

    @Test
    void anEntryVersion111WroteIsRead() {
        assertEquals(List.of(ALICE), RequestRecord.decode("focus\n", "focus\nalice@example.org/phone\nr 1",
                "focus.example.org\nimpl@example.org/a\n1700000000123"));
    }

    @Test
    void anotherShapeIsRefusedAsUnreadable() {
        String prefix = "focus\n";
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "focus\nno-id", "a\nb\n1"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "focus\nu@x/r\n1", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "focus\nu@x/r\n1", "a\nb\nsoon"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "other\nu@x/r\n1", "a\nb\n1"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "focus\nk", new String[0]));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(prefix, "focus\nk", 42));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(new String[] {"u@x/r", "1", "a", "b"}));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.decode(new String[] {"u@x/r", "1", "a@b@c", "b", "1"}),
                "a JID that does not parse");
    }
}
