package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An implementing resource that freezes (online for the server, answering nothing, not even the
 * proxy's ping) while another one answers.
 */
class UnresponsiveOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("A frozen resource's gets are re-sent to the one that answers, and later requests avoid it")
    void frozenResource() throws Exception {
        String service = "frozen." + OpenfireServer.DOMAIN;
        try (SmackClient frozen = SmackClient.login(server, "impl", "frozen");
             SmackClient alive = SmackClient.login(server, "impl", "alive");
             SmackClient alice = SmackClient.login(server, "alice", "patient")) {
            alive.serve(Serving.ANSWER);
            pages.add("frozen", "impl@" + OpenfireServer.DOMAIN, Map.of("strategy", "round-robin",
                    "unresponsiveMillis", "1000"));
            try {
                // Round-robin: one of the two goes to the frozen resource, and is re-sent.
                String first = alice.send(service, IQ.Type.get, "");
                String second = alice.send(service, IQ.Type.get, "");
                assertEquals("<served-by>alive</served-by>", SmackClient.payload(alice.response(first)));
                assertEquals("<served-by>alive</served-by>", SmackClient.payload(alice.response(second)));
                assertEquals(1, pages.counter("frozen", "marked-unresponsive"));
                assertEquals(1, pages.counter("frozen", "retried-unresponsive"));

                for (int i = 0; i < 4; i++) {
                    assertEquals("<served-by>alive</served-by>", SmackClient.payload(alice.ask(service)));
                }
                // A marker straight to the frozen resource, after the proxy chose a resource for those four:
                // anything the proxy had sent it would have arrived before the marker.
                alice.send(frozen.jid().toString(), IQ.Type.get, "<marker/>");
                Waits.until(SmackClient.WAIT, () -> "the marker at " + frozen.jid(), () -> frozen.received().stream()
                        .anyMatch(iq -> SmackClient.payload(iq).equals("<marker/>")));
                assertEquals(2, frozen.received().size(), () -> "the frozen resource got other requests than the first"
                        + " and the marker: " + frozen.received());
            } finally {
                pages.remove("frozen");
            }
        }
    }
}
