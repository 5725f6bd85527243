package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

/** The text an instance of a proxy leaves for the next: in the cluster's journal, and at a plugin upgrade. */
class RequestRecordTest {
    private static final JID SERVICE = new JID("focus.example.org");
    private static final JID RESOURCE = new JID("impl@example.org/a");

    @Test
    void whatIsWrittenReadsBackTheSame() {
        RequestRecord record = new RequestRecord("alice@example.org/phone", "r 1", SERVICE, RESOURCE, 1_700_000_000_123L);

        String key = record.key("focus");
        assertEquals("focus\nalice@example.org/phone\nr 1", key, "the journal's keys as they were");
        assertEquals("focus.example.org\nimpl@example.org/a\n1700000000123", record.value());
        assertEquals(record, RequestRecord.read(RequestRecord.prefix("focus"), key, record.value()));
        assertEquals("focus alice@example.org/phone r 1", RequestRecord.printable(key));
    }

    @Test
    void anotherShapeIsRefusedAsUnreadable() {
        String prefix = RequestRecord.prefix("focus");
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.read(prefix, "focus\nno-id", "a\nb\n1"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.read(prefix, "focus\nu@x/r\n1", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.read(prefix, "focus\nu@x/r\n1", "a\nb\nsoon"));
        assertThrows(IllegalArgumentException.class, () -> RequestRecord.read(prefix, "other\nu@x/r\n1", "a\nb\n1"));
    }
}
