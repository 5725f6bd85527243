package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.clientproxy.it.SmackClient.Serving;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A requester whose session ends while the implementing client holds its requests. */
class RequesterSessionOpenfireIT extends SharedOpenfireTest {
    @Test
    @DisplayName("A requester's ended session drops its held requests; a new session with the same full JID is served"
            + " at once and never gets the old answers")
    void newSessionStartsClean() throws Exception {
        String service = "gone." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "holding")) {
            pages.add("gone", "impl@" + OpenfireServer.DOMAIN, Map.of());
            try {
                SmackClient old = SmackClient.login(server, "bob", "tablet");
                old.send(service, IQ.Type.get, "<n>1</n>");
                old.send(service, IQ.Type.get, "<n>2</n>");
                IQ held1 = impl.nextRequest();
                IQ held2 = impl.nextRequest();
                old.close(); // a crash would leave Openfire a resumable session (XEP-0198), which has not ended
                // The plugin counts the dropped requests once Openfire has ended the session.
                pages.awaitCounter("gone", "requester-gone", 2);

                try (SmackClient renewed = SmackClient.login(server, "bob", "tablet")) {
                    assertEquals(old.jid(), renewed.jid());
                    String fresh = renewed.send(service, IQ.Type.get, "<n>3</n>");
                    IQ forwarded = impl.nextRequest();
                    impl.answer(held1, "<old>1</old>");
                    impl.answer(held2, "<old>2</old>");
                    impl.answer(forwarded, "<new>3</new>");
                    // The old answers went to the implementing client's connection before the new one:
                    // had the proxy relayed them, they would have arrived before it.
                    assertEquals("<new>3</new>", SmackClient.payload(renewed.response(fresh)));
                    assertTrue(renewed.responsesToOthers().isEmpty(), () -> "the new session got old answers: "
                            + renewed.responsesToOthers());
                }
                assertEquals(2, pages.counter("gone", "dropped-replies"));
            } finally {
                pages.remove("gone");
            }
        }
    }

    @Test
    @DisplayName("A requester that loses its connection and resumes its stream (XEP-0198) gets the answer it waited for")
    void resumedSessionGetsItsAnswer() throws Exception {
        String service = "resume." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "resuming");
             SmackClient carol = SmackClient.login(server, "carol", "mobile")) {
            pages.add("resume", "impl@" + OpenfireServer.DOMAIN, Map.of());
            try {
                assertTrue(carol.isResumable(), "Openfire offered no resumable stream");
                String id = carol.send(service, IQ.Type.get, "");
                IQ held = impl.nextRequest();
                carol.crash();
                impl.answer(held, "<late/>");
                carol.resume();
                assertEquals("<late/>", SmackClient.payload(carol.response(id)));
                assertEquals(0, pages.counter("resume", "requester-gone"));
            } finally {
                pages.remove("resume");
            }
        }
    }
}
