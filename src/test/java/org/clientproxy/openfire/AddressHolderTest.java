package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.testing.LogCapture;
import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/** The component that holds a proxy's address between two instances of the plugin. */
class AddressHolderTest {
    static final JID SERVICE = new JID("svc.example.org");
    static final JID USER = new JID("user@example.org/x");
    static final JID IMPL = new JID("impl@example.org/a");

    private final ConcurrentLinkedQueue<Packet> sent = new ConcurrentLinkedQueue<>();
    /** The subdomains the holder left. */
    private final List<String> left = new CopyOnWriteArrayList<>();
    private final Hashtable<Object, Object> store = new Hashtable<>();
    private final ProxyHandover handover = new ProxyHandover(store);

    private AddressHolder holder(int capacity, Duration patience) throws Exception {
        AddressHolder holder = new AddressHolder("svc", capacity, patience, (subdomain, component) -> left.add(subdomain));
        holder.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
        holder.start();
        return holder;
    }

    static IQ request(String id) {
        IQ request = new IQ(IQ.Type.get, id);
        request.setFrom(USER);
        request.setTo(SERVICE);
        request.setChildElement("query", "urn:example:service");
        return request;
    }

    static IQ reply(String id) {
        IQ reply = new IQ(IQ.Type.result, id);
        reply.setFrom(IMPL);
        reply.setTo(new JID(null, SERVICE.getDomain(), USER.toString()));
        return reply;
    }

    private static RequestRecord outstanding(String id) {
        return new RequestRecord(USER.toString(), id, SERVICE, IMPL, System.currentTimeMillis() + 30_000);
    }

    @Test
    void theNextInstanceGetsWhatWasQueuedInOrderThenEveryStanzaThatStillComes() throws Exception {
        AddressHolder holder = holder(100, Duration.ofMinutes(1));
        handover.leave("svc", holder, List.of(outstanding("held")), Map.of(IMPL, Instant.EPOCH));
        holder.processPacket(request("r1"));
        holder.processPacket(reply("held"));
        assertEquals(List.of(), List.copyOf(sent), "nothing is answered while it waits");

        ProxyHandover.Parcel parcel = handover.claim("svc").orElseThrow();
        assertFalse(store.containsKey(ProxyHandover.KEY), "nothing left in the system properties");
        List<String> next = new CopyOnWriteArrayList<>();
        parcel.takeOver(packet -> next.add(packet.getID()));
        holder.processPacket(request("r2"));

        assertEquals(List.of("r1", "held", "r2"), next);
        assertEquals(List.of("svc"), left, "it left the address");
        assertEquals(List.of(), List.copyOf(sent));
        assertHolderThreadEnds();
        assertThrows(IllegalStateException.class, () -> parcel.takeOver(packet -> { }), "taken over once");
    }

    @Test
    void nobodyTakingOverInTimeAnswersEverythingAndLeaves() throws Exception {
        AddressHolder holder = holder(100, Duration.ofMillis(200));
        try (LogCapture log = LogCapture.start()) {
            handover.leave("svc", holder, List.of(outstanding("held")), Map.of());
            holder.processPacket(request("waiting"));
            holder.processPacket(reply("other"));
            assertHolderThreadEnds();
            assertTrue(log.text().contains("No instance of the plugin took over client proxy svc within 200 ms;"
                    + " answering its 1 outstanding requests, and the requests among the 2 stanzas that waited for it"),
                    log.text());
        }
        assertEquals(List.of("svc"), left);
        List<IQ> errors = sent.stream().map(IQ.class::cast).toList();
        assertEquals(List.of("held", "waiting"), errors.stream().map(IQ::getID).sorted().toList(), "the reply is dropped");
        for (IQ error : errors) {
            assertEquals(IQ.Type.error, error.getType());
            assertEquals(PacketError.Condition.service_unavailable, error.getError().getCondition());
            assertEquals(PacketError.Type.cancel, error.getError().getType());
            assertEquals(SERVICE, error.getFrom(), "from the address the request went to");
            assertEquals(USER, error.getTo());
        }
        assertTrue(handover.claim("svc").isEmpty(), "the next instance finds nothing");
        assertFalse(store.containsKey(ProxyHandover.KEY));
        sent.clear();
        holder.processPacket(request("late"));
        assertEquals(PacketError.Condition.service_unavailable, ((IQ) sent.poll()).getError().getCondition(),
                "a stanza still on its way to it is answered too");
    }

    @Test
    void aReleasedHolderAnswersAtOnce() throws Exception {
        AddressHolder holder = holder(100, Duration.ofMinutes(1));
        handover.leave("svc", holder, List.of(outstanding("held")), Map.of());
        holder.processPacket(request("waiting"));

        assertEquals(List.of("svc"), handover.releaseUnclaimed());
        assertEquals(List.of("held", "waiting"), sent.stream().map(Packet::getID).sorted().toList());
        assertEquals(List.of("svc"), left);
        assertHolderThreadEnds();
    }

    @Test
    void beyondItsCapacityARequestIsRefusedAtOnce() throws Exception {
        AddressHolder holder = holder(2, Duration.ofMinutes(1));
        handover.leave("svc", holder, List.of(), Map.of());
        holder.processPacket(request("r1"));
        holder.processPacket(request("r2"));
        holder.processPacket(request("r3"));

        IQ refused = (IQ) sent.poll();
        assertEquals("r3", refused.getID());
        assertEquals(PacketError.Condition.resource_constraint, refused.getError().getCondition());
        assertEquals(PacketError.Type.wait, refused.getError().getType());
        List<String> next = new ArrayList<>();
        handover.claim("svc").orElseThrow().takeOver(packet -> next.add(packet.getID()));
        assertEquals(List.of("r1", "r2"), next);
    }

    @Test
    void theParcelGivesTheNextProxyTheRequestsAndResources() throws Exception {
        AddressHolder holder = holder(100, Duration.ofMinutes(1));
        Instant since = Instant.parse("2026-01-02T03:04:05Z");
        handover.leave("svc", holder, List.of(outstanding("held")), Map.of(IMPL, since));
        ClientProxy proxy = new ClientProxy(ProxySettings.parse("svc", Map.of(ProxySettings.TARGET, "impl@example.org")::get));

        assertEquals(1, handover.claim("svc").orElseThrow().adoptInto(proxy, "svc", System.currentTimeMillis()));
        assertEquals(1, proxy.status().outstanding());
        assertEquals(since, proxy.status().resources().get(0).onlineSince());
        assertEquals(1, proxy.status().resources().get(0).outstanding());
    }

    private static void assertHolderThreadEnds() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (holderThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(holderThreadAlive(), "the holder's thread ended");
    }

    static boolean holderThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("clientproxy-holder-") && thread.isAlive());
    }
}
