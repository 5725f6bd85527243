package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.testing.StubComponentManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/** Openfire's session events, as mocked sessions, against real proxies. */
class RequesterSessionsTest {
    private static final String ALICE = "alice@example.org/phone";

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ProxyClock clock = new ProxyClock() {
        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }
    };
    /** Who holds each full JID's route, as Openfire's routing table would say. */
    private final Map<JID, ClientSession> routes = new ConcurrentHashMap<>();
    private final List<Packet> sent = new ArrayList<>();
    private final List<ClientProxy> proxies = new ArrayList<>();
    private RequesterSessions sessions;

    @BeforeEach
    void start() throws InvalidSettingsException {
        for (String subdomain : List.of("svc", "other")) {
            ClientProxy proxy = new ClientProxy(ProxySettings.parse(subdomain,
                    key -> key.equals(ProxySettings.TARGET) ? "impl@example.org" : null), clock);
            proxy.initialize(new JID(subdomain + ".example.org"), new StubComponentManager("example.org", sent::add));
            proxy.start();
            Stanzas.online(proxy, subdomain + ".example.org", "impl@example.org/a");
            proxies.add(proxy);
        }
        sessions = new RequesterSessions(() -> List.copyOf(proxies), routes::get);
    }

    private static ClientSession session(String address, String stream) {
        ClientSession session = mock(ClientSession.class);
        StreamID id = mock(StreamID.class);
        when(id.getID()).thenReturn(stream);
        when(session.getStreamID()).thenReturn(id);
        when(session.getAddress()).thenReturn(address == null ? null : new JID(address));
        return session;
    }

    private void request(String requester, String id) {
        for (ClientProxy proxy : proxies) {
            Stanzas.request(proxy, proxy.settings().subdomain() + ".example.org", requester, id);
        }
    }

    private List<Long> outstanding() {
        return proxies.stream().map(proxy -> (long) proxy.status().outstanding()).toList();
    }

    private List<Long> gone() {
        return proxies.stream().map(proxy -> proxy.status().counters().requesterGone()).toList();
    }

    @Test
    void aSessionThatEndsDropsItsRequestsInEveryProxy() {
        request(ALICE, "q1");
        request(ALICE, "q2");
        request("bob@example.org/laptop", "b1");
        sent.clear();

        sessions.sessionDestroyed(session(ALICE, "s1"));

        assertEquals(List.of(1L, 1L), outstanding(), "bob's stay");
        assertEquals(List.of(2L, 2L), gone());
        assertEquals(List.of(), sent, "nobody is answered");
    }

    @Test
    void anAnonymousSessionThatEndsDropsItsRequestsToo() {
        request("x1y2@example.org/anon", "q1");

        sessions.anonymousSessionDestroyed(session("x1y2@example.org/anon", "s1"));

        assertEquals(List.of(0L, 0L), outstanding());
    }

    @Test
    void theEndOfASessionReplacedByANewOneDropsNothing() {
        ClientSession replacement = session(ALICE, "s2");
        routes.put(new JID(ALICE), replacement);
        request(ALICE, "new-1"); // the replacement's

        sessions.sessionDestroyed(session(ALICE, "s1"));

        assertEquals(List.of(1L, 1L), outstanding());
        assertEquals(List.of(0L, 0L), gone());
    }

    @Test
    void theEndOfTheSessionThatStillHoldsTheRouteDropsItsRequests() {
        ClientSession current = session(ALICE, "s1");
        routes.put(new JID(ALICE), current);
        request(ALICE, "q1");

        sessions.sessionDestroyed(session(ALICE, "s1"));

        assertEquals(List.of(0L, 0L), outstanding());
    }

    @Test
    void aNewSessionDropsTheRequestsOfTheSessionItReplaces() {
        request(ALICE, "old-1");

        sessions.sessionCreated(session(ALICE, "s2"));

        assertEquals(List.of(0L, 0L), outstanding());
        assertEquals(List.of(1L, 1L), gone());
    }

    @Test
    void requestsAdmittedAfterTheEndWasNoticedAreKept() {
        request(ALICE, "old-1");
        // While the listener checks the routes, a newer session of the address sends a request.
        sessions = new RequesterSessions(() -> List.copyOf(proxies), address -> {
            nanos.addAndGet(10);
            request(ALICE, "new-1");
            return null;
        });

        sessions.sessionDestroyed(session(ALICE, "s1"));

        assertEquals(List.of(1L, 1L), outstanding());
        sent.clear();
        for (ClientProxy proxy : proxies) {
            IQ reply = new IQ(IQ.Type.result, "new-1");
            reply.setFrom(new JID("impl@example.org/a"));
            reply.setTo(new JID(proxy.settings().subdomain() + ".example.org/" + ALICE));
            proxy.processPacket(reply);
        }
        assertEquals(2, sent.size(), "the newer session's requests are answered");
    }

    @Test
    void aSessionWithoutAFullJidIsIgnored() {
        request(ALICE, "q1");

        sessions.sessionDestroyed(session(null, "s0"));
        sessions.sessionDestroyed(session("example.org", "s0"));
        sessions.sessionCreated(session("alice@example.org", "s0"));
        sessions.resourceBound(session(ALICE, "s0"));

        assertEquals(List.of(1L, 1L), outstanding());
    }
}
