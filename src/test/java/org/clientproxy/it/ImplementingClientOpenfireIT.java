package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An implementing client as Jitsi's Jicofo is one: a Smack client that refuses every presence
 * subscription request, on an account of this Openfire. It is served with nothing to do: the
 * plugin writes the roster item that gives the proxy its presence, on the server side.
 */
class ImplementingClientOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("A client that refuses every subscription is served with zero steps; two resources share the load;"
            + " the roster item appears, and removing the proxy takes it back")
    void jicofoIsServed() throws Exception {
        String service = "jicofo." + OpenfireServer.DOMAIN;
        try (SmackClient one = SmackClient.login(server, "impl", "one");
             SmackClient two = SmackClient.login(server, "impl", "two");
             SmackClient alice = SmackClient.login(server, "alice", "laptop")) {
            one.serve(Serving.ANSWER);
            two.serve(Serving.ANSWER);
            pages.add("jicofo", "impl@" + OpenfireServer.DOMAIN, Map.of("strategy", "round-robin"));
            try {
                awaitRosterItem(one, service, RosterPacket.ItemType.from);
                Set<String> servedBy = new TreeSet<>();
                for (int i = 0; i < 10; i++) {
                    IQ response = alice.ask(service);
                    assertEquals(IQ.Type.result, response.getType(), () -> "response: " + response.toXML());
                    servedBy.add(SmackClient.payload(response));
                }
                assertEquals(Set.of("<served-by>one</served-by>", "<served-by>two</served-by>"), servedBy);
            } finally {
                pages.remove("jicofo");
            }
            Waits.until(SmackClient.WAIT, () -> "the roster item of " + service + " to be taken back",
                    () -> rosterEntry(one, service) == null);
        }
    }

    @Test
    @DisplayName("The implementing client sees the request's id and payload from service/requester, and its reply"
            + " reaches the requester from the service's address")
    void addressTranslation() throws Exception {
        String service = "translate." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "worker");
             SmackClient alice = SmackClient.login(server, "alice", "phone")) {
            pages.add("translate", "impl@" + OpenfireServer.DOMAIN, Map.of());
            try {
                awaitRosterItem(impl, service, RosterPacket.ItemType.from);
                String id = alice.send(service, IQ.Type.set, "<question>42?</question>");
                IQ forwarded = impl.nextRequest();
                assertEquals(id, forwarded.getStanzaId());
                assertEquals(service + "/" + alice.jid(), forwarded.getFrom().toString());
                assertEquals("<question>42?</question>", SmackClient.payload(forwarded));
                impl.answer(forwarded, "<answer>yes</answer>");
                IQ reply = alice.response(id);
                assertEquals(IQ.Type.result, reply.getType());
                assertEquals(service, reply.getFrom().toString());
                assertEquals("<answer>yes</answer>", SmackClient.payload(reply));
                assertEquals(1, alice.responses(id).size());
            } finally {
                pages.remove("translate");
            }
        }
    }

    static void awaitRosterItem(SmackClient client, String jid, RosterPacket.ItemType type) throws InterruptedException {
        Waits.until(SmackClient.WAIT, () -> jid + " in the roster of " + client.jid() + " with subscription " + type, () -> {
            RosterEntry entry = rosterEntry(client, jid);
            return entry != null && entry.getType() == type;
        });
    }

    static RosterEntry rosterEntry(SmackClient client, String jid) {
        try {
            return client.rosterEntry(jid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
