package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Behaviour of the core that these tests think wrong. Each test states what should happen; each
 * is disabled, with the reason, until the core is changed (or the rule is).
 */
class ClientProxyCoreBugsTest {
    private static final String SERVICE = "svc.example.org";
    private static final String TARGET = "impl@example.org";

    private final List<Packet> out = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private ClientProxy proxy;

    @BeforeEach
    void start() {
        proxy = new ClientProxy(settings(TARGET), new ProxyClock() {
            @Override
            public long nanoTime() {
                return nanos;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }
        });
        proxy.initialize(new JID(SERVICE), new Recorder());
        proxy.start();
        available(TARGET + "/r0");
        out.clear();
    }

    private static ProxySettings settings(String target) {
        return new ProxySettings("svc", new JID(target), Strategy.RANDOM, Duration.ofSeconds(30), 10, 100, true);
    }

    private void available(String from) {
        Presence presence = new Presence();
        presence.setFrom(from);
        presence.setTo(SERVICE);
        proxy.processPacket(presence);
    }

    private List<IQ> take() {
        List<IQ> iqs = out.stream().filter(IQ.class::isInstance).map(IQ.class::cast).toList();
        out.clear();
        return iqs;
    }

    /**
     * The outstanding request is filed under the requester's {@code from} exactly as written in
     * the stanza, but the reply is looked up under the resource of the translated address, which
     * Tinder has put through resourceprep. When the two differ (here a fullwidth letter, which
     * resourceprep maps to ASCII by NFKC), the implementing client's reply is dropped as unknown
     * and the requester waits for the timeout instead of getting the answer.
     */
    @Test
    @Disabled("core bug: requests are keyed by the raw 'from' attribute, replies are looked up by"
            + " the resourceprepped resource of the translated address; a requester 'from' not in canonical form never"
            + " gets its reply (dropped as unknown, then remote-server-timeout)")
    void aReplyReachesARequesterWhoseAddressWasNotWrittenInCanonicalForm() {
        IQ request = new IQ(IQ.Type.get, "1");
        // As parsed off the wire: the attribute as the sender wrote it (Packet.setFrom would prep it).
        request.getElement().addAttribute("from", "u@example.org/\uff41bc"); // fullwidth 'a': prepped, "abc"
        request.setTo(SERVICE);
        request.setChildElement("query", "urn:example");
        proxy.processPacket(request);
        IQ forwarded = take().get(0);
        assertEquals("svc.example.org/u@example.org/abc", forwarded.getElement().attributeValue("from"));

        IQ reply = IQ.createResultIQ(forwarded);
        proxy.processPacket(reply);

        List<IQ> answers = take();
        assertEquals(1, answers.size(), "the reply was dropped: " + proxy.status().counters());
        assertEquals(IQ.Type.result, answers.get(0).getType());
        assertEquals("u@example.org/abc", answers.get(0).getTo().toString());
    }

    /**
     * Every forwarded request ends in exactly one of results relayed, errors relayed, timeouts or
     * resource lost, so that forwarded = those four + outstanding, and the admin page's numbers
     * add up. The requests failed by a retarget (and by shutdown) are answered but counted nowhere.
     */
    @Test
    @Disabled("core bug: requests answered by failAll (reconfigure to a new target, shutdown)"
            + " are counted in no counter, so forwarded != results + errors + timeouts + resourceLost + outstanding")
    void requestsFailedByARetargetAreCounted() {
        for (int i = 0; i < 3; i++) {
            IQ request = new IQ(IQ.Type.get, "q" + i);
            request.setFrom("u@example.org/abc");
            request.setTo(SERVICE);
            proxy.processPacket(request);
        }
        assertEquals(3, proxy.status().counters().forwarded());

        proxy.reconfigure(settings("other@example.org"));

        ProxyStatus status = proxy.status();
        assertEquals(0, status.outstanding());
        assertEquals(3, take().stream().filter(iq -> iq.getType() == IQ.Type.error).count(), "all three answered");
        ProxyStatus.Counters counters = status.counters();
        assertEquals(counters.forwarded(), counters.resultsRelayed() + counters.errorsRelayed() + counters.timeouts()
                + counters.resourceLost() + status.outstanding(), counters.toString());
    }

    /** A component manager that keeps what the proxy sends. */
    private final class Recorder implements ComponentManager {
        @Override
        public void sendPacket(Component component, Packet packet) {
            out.add(packet.createCopy());
        }

        @Override
        public String getServerName() {
            return "example.org";
        }

        @Override
        public void addComponent(String subdomain, Component component) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeComponent(String subdomain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IQ query(Component component, IQ packet, long timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void query(Component component, IQ packet, IQResultListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getProperty(String name) {
            return null;
        }

        @Override
        public void setProperty(String name, String value) {
        }

        @Override
        public boolean isExternalMode() {
            return false;
        }
    }
}
