package org.clientproxy.openfire;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import org.jivesoftware.openfire.roster.RosterItem;
import org.xmpp.packet.JID;

/**
 * What a proxy changed in its target's roster, remembered so that it can be taken back exactly
 * (after a reload or restart too), and whether the account revoked it since.
 *
 * @param target    the account whose roster holds the proxy's item (a bare JID)
 * @param before    the item's subscription before the proxy first wrote it
 * @param revokedAt when the account removed the item or cancelled the subscription; {@code null} if it did not
 */
record RosterRecord(JID target, Before before, Instant revokedAt) {

    /** The subscription of the proxy's item in the target's roster before the proxy wrote it. */
    enum Before {
        /** No item: the proxy created it, and removes it when it goes. */
        ABSENT,
        NONE,
        TO,
        /** The item already gave the proxy its presence: the proxy leaves it as it is. */
        FROM,
        BOTH;

        static Before of(RosterItem item) {
            if (item == null) {
                return ABSENT;
            }
            RosterItem.SubType sub = item.getSubStatus();
            if (sub == RosterItem.SUB_FROM) {
                return FROM;
            }
            if (sub == RosterItem.SUB_BOTH) {
                return BOTH;
            }
            return sub == RosterItem.SUB_TO ? TO : NONE;
        }

        /** Whether an item with this subscription sends the target's presence to the proxy. */
        boolean grants() {
            return this == FROM || this == BOTH;
        }
    }

    RosterRecord {
        Objects.requireNonNull(target);
        Objects.requireNonNull(before);
    }

    RosterRecord revoked(Instant at) {
        return new RosterRecord(target, before, at);
    }

    RosterRecord granted() {
        return revokedAt == null ? this : new RosterRecord(target, before, null);
    }

    /** As stored: {@code target=impl@example.org before=none [revoked=2026-11-27T03:00:00Z]}. */
    String format() {
        return "target=" + target.toBareJID() + " before=" + before.name().toLowerCase(Locale.ROOT)
                + (revokedAt == null ? "" : " revoked=" + revokedAt);
    }

    /** The record {@link #format()} wrote, or {@code null} when {@code text} is not one. */
    static RosterRecord parse(String text) {
        if (text == null) {
            return null;
        }
        String target = null;
        String before = null;
        String revoked = null;
        for (String part : text.trim().split("\\s+")) {
            int equals = part.indexOf('=');
            String key = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            switch (key) {
                case "target" -> target = value;
                case "before" -> before = value;
                case "revoked" -> revoked = value;
                default -> { }
            }
        }
        try {
            return new RosterRecord(new JID(target).asBareJID(), Before.valueOf(before.toUpperCase(Locale.ROOT)),
                    revoked == null ? null : Instant.parse(revoked));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
