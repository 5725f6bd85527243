package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.clientproxy.it.SmackClient.Serving;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the operator reads after traffic: the monitor's counters, and the proxy's rates among
 * Openfire's statistics (what the Monitoring plugin graphs), read with the test probe plugin.
 */
class MonitorOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("The monitor and Openfire's statistics count the results, errors and timeouts the traffic produced")
    void countersAndStatistics() throws Exception {
        String service = "watch." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "counted");
             SmackClient alice = SmackClient.login(server, "alice", "counting")) {
            pages.add("watch", "impl@" + OpenfireServer.DOMAIN, Map.of("timeoutMillis", "500"));
            try {
                impl.serve(Serving.ANSWER);
                for (int i = 0; i < 3; i++) {
                    assertEquals(IQ.Type.result, alice.ask(service).getType());
                }
                impl.serve(Serving.HOLD);
                String failing = alice.send(service, IQ.Type.get, "");
                impl.answerError(impl.nextRequest(), StanzaError.Condition.item_not_found);
                assertEquals(StanzaError.Condition.item_not_found, SmackClient.condition(alice.response(failing)));
                assertEquals(StanzaError.Condition.remote_server_timeout, SmackClient.condition(alice.ask(service)));

                assertEquals(5, pages.counter("watch", "forwarded"));
                assertEquals(3, pages.counter("watch", "results-relayed"));
                assertEquals(1, pages.counter("watch", "errors-relayed"));
                assertEquals(1, pages.counter("watch", "timeouts"));
                assertEquals(Map.of("clientproxy_watch_forwarded", 5.0, "clientproxy_watch_errors", 1.0,
                        "clientproxy_watch_timeouts", 1.0), Probe.statistics(console, "clientproxy_watch_forwarded",
                        "clientproxy_watch_errors", "clientproxy_watch_timeouts"));
            } finally {
                pages.remove("watch");
            }
            assertEquals(Map.of("clientproxy_watch_forwarded", Double.NaN), Probe.statistics(console, "clientproxy_watch_forwarded"),
                    "a removed proxy's statistics stay registered");
        }
    }
}
