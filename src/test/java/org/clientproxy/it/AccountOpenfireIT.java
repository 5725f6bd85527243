package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The implementing account's side of the roster item: an account created later, and one that revokes the item. */
class AccountOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("A proxy whose account does not exist yet says so, and serves the account as soon as it is created")
    void accountCreatedLater() throws Exception {
        String service = "later." + OpenfireServer.DOMAIN;
        pages.add("later", "henry@" + OpenfireServer.DOMAIN, Map.of());
        try {
            assertTrue(pages.monitorBox("later").contains(PluginTexts.get("clientproxy.presence.awaiting_account")),
                    () -> "the monitor does not say the account is missing");
            console.createUser("henry");
            try (SmackClient henry = SmackClient.login(server, "henry", "bot");
                 SmackClient alice = SmackClient.login(server, "alice", "waiting")) {
                henry.serve(Serving.ANSWER);
                ImplementingClientOpenfireIT.awaitRosterItem(henry, service, RosterPacket.ItemType.from);
                assertEquals(IQ.Type.result, alice.ask(service).getType());
            }
        } finally {
            pages.remove("later");
        }
    }

    @Test
    @DisplayName("An account that removes the item is shown as revoking it and is not served; the re-send writes it again")
    void revokedAndRenewed() throws Exception {
        String service = "revoke." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "revoking");
             SmackClient alice = SmackClient.login(server, "alice", "revoked")) {
            impl.serve(Serving.ANSWER);
            pages.add("revoke", "impl@" + OpenfireServer.DOMAIN, Map.of());
            try {
                ImplementingClientOpenfireIT.awaitRosterItem(impl, service, RosterPacket.ItemType.from);
                assertEquals(IQ.Type.result, alice.ask(service).getType());

                impl.removeRosterEntry(service);
                Waits.until(SmackClient.WAIT, () -> "the monitor to show the revocation", () -> monitorSays("revoke",
                        PluginTexts.get("clientproxy.presence.revoked_by_account")));
                assertEquals(StanzaError.Condition.service_unavailable, SmackClient.condition(alice.ask(service)));
                // A resource that logs in now is online, but the proxy cannot see it: the monitor says so.
                try (SmackClient later = SmackClient.login(server, "impl", "later")) {
                    String box = pages.monitorBox("revoke");
                    assertTrue(box.contains(PluginTexts.get("clientproxy.monitor.resources.hidden.roster", "impl@"
                            + OpenfireServer.DOMAIN)), () -> "the monitor does not say the resources are hidden: " + box);
                    assertFalse(box.contains(PluginTexts.get("clientproxy.monitor.resources.none", "impl@"
                            + OpenfireServer.DOMAIN)), () -> "the monitor says no resource is online: " + box);
                }

                pages.monitorAction("revoke", "resubscribe");
                ImplementingClientOpenfireIT.awaitRosterItem(impl, service, RosterPacket.ItemType.from);
                assertEquals(IQ.Type.result, alice.ask(service).getType());
            } finally {
                pages.remove("revoke");
            }
        }
    }

    private static boolean monitorSays(String subdomain, String text) {
        try {
            return pages.monitorBox(subdomain).contains(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
