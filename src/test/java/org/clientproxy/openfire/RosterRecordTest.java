package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

class RosterRecordTest {

    @Test
    void readsBackWhatItWrites() {
        RosterRecord record = new RosterRecord(new JID("impl@example.org"), RosterRecord.Before.TO, null);
        assertEquals("target=impl@example.org before=to", record.format());
        assertEquals(record, RosterRecord.parse(record.format()));

        RosterRecord revoked = record.revoked(Instant.parse("2026-11-27T03:00:00Z"));
        assertEquals("target=impl@example.org before=to revoked=2026-11-27T03:00:00Z", revoked.format());
        assertEquals(revoked, RosterRecord.parse(revoked.format()));
        assertEquals(record, revoked.granted());
    }

    @Test
    void somethingElseIsNoRecord() {
        assertNull(RosterRecord.parse(null));
        assertNull(RosterRecord.parse("target=impl@example.org"));
        assertNull(RosterRecord.parse("target=impl@example.org before=sometimes"));
        assertNull(RosterRecord.parse("target=impl@example.org before=none revoked=yesterday"));
    }
}
