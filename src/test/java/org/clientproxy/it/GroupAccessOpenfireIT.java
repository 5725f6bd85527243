package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code allow} naming a real Openfire group, whose members change while the proxy runs. */
class GroupAccessOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("allow=group:ops serves its members; a user added to the group is served, one removed is refused forbidden")
    void groupMembersChangeWhileRunning() throws Exception {
        String service = "ops." + OpenfireServer.DOMAIN;
        console.createGroup("ops");
        console.addToGroup("ops", "carol");
        try (SmackClient impl = SmackClient.login(server, "impl", "ops");
             SmackClient carol = SmackClient.login(server, "carol", "ops");
             SmackClient dave = SmackClient.login(server, "dave", "ops")) {
            impl.serve(Serving.ANSWER);
            pages.add("ops", "impl@" + OpenfireServer.DOMAIN, Map.of("allow", "group:ops"));
            try {
                assertEquals(IQ.Type.result, carol.ask(service).getType());
                assertEquals(StanzaError.Condition.forbidden, SmackClient.condition(dave.ask(service)));

                console.addToGroup("ops", "dave");
                awaitAnswer(dave, service, null);
                console.removeFromGroup("ops", "carol");
                awaitAnswer(carol, service, StanzaError.Condition.forbidden);
                assertEquals(IQ.Type.result, dave.ask(service).getType());
            } finally {
                pages.remove("ops");
            }
        }
    }

    /** Asks until the answer has {@code condition} ({@code null}: a result): group events reach the plugin on its own thread. */
    private static void awaitAnswer(SmackClient client, String service, StanzaError.Condition condition)
            throws InterruptedException {
        StanzaError.Condition[] last = new StanzaError.Condition[1];
        Waits.until(SmackClient.WAIT, () -> client.jid() + " to get " + (condition == null ? "a result" : condition)
                + " (last: " + last[0] + ")", () -> {
            try {
                last[0] = SmackClient.condition(client.ask(service));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return last[0] == condition;
        });
    }
}
