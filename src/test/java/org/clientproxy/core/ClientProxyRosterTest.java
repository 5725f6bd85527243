package org.clientproxy.core;

import static org.clientproxy.core.ClientProxyTest.ALICE;
import static org.clientproxy.core.ClientProxyTest.IMPL_A;
import static org.clientproxy.core.ClientProxyTest.IMPL_B;
import static org.clientproxy.core.ClientProxyTest.SERVICE;
import static org.clientproxy.core.ClientProxyTest.TARGET;
import static org.clientproxy.core.ClientProxyTest.assertError;
import static org.clientproxy.core.ClientProxyTest.get;
import static org.clientproxy.core.ClientProxyTest.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/** A target whose roster the host writes: no subscription request, and the host's reports. */
class ClientProxyRosterTest {
    static final JID REMOTE = new JID("impl@example.net");

    /** Writes the rosters of example.org's accounts; records what the proxy tells it. */
    static final class RecordingRosterHost implements RosterHost {
        final List<ClientProxy> renewed = new CopyOnWriteArrayList<>();
        final List<String> revoked = new CopyOnWriteArrayList<>();

        @Override
        public boolean writesRosterOf(JID target) {
            return target.getNode() != null && target.getDomain().equals(RecordingComponentManager.SERVER);
        }

        @Override
        public void renew(ClientProxy proxy) {
            renewed.add(proxy);
        }

        @Override
        public void revoked(ClientProxy proxy, JID target, Instant at) {
            revoked.add(target + " at " + at);
        }
    }

    final ManualClock clock = new ManualClock();
    final RecordingComponentManager server = new RecordingComponentManager();
    final RecordingRosterHost host = new RecordingRosterHost();
    ClientProxy proxy;

    @BeforeEach
    void start() {
        proxy = new ClientProxy(settings(Map.of()), clock, host, GroupMembership.NONE);
        proxy.initialize(SERVICE, server);
        proxy.start();
    }

    void presence(Presence.Type type, JID from) {
        Presence presence = new Presence(type);
        presence.setFrom(from);
        presence.setTo(SERVICE);
        proxy.processPacket(presence);
    }

    List<JID> online() {
        return proxy.status().resources().stream().map(ProxySnapshot.Resource::address).toList();
    }

    @Test
    void aLocalTargetIsAskedNothingAndTheHostsSessionsAreOnlineAtOnce() {
        assertEquals(List.of(), server.takeAll(), "no subscription request, no probe");
        assertEquals(SubscriptionState.NONE, proxy.status().subscription());

        proxy.rosterGranted(TARGET, true, List.of(IMPL_A, IMPL_B, TARGET, new JID("other@example.org/x")));

        assertEquals(List.of(IMPL_A, IMPL_B), online(), "only the target's full JIDs");
        assertEquals(SubscriptionState.ROSTER_WRITTEN, proxy.status().subscription());
        assertEquals(clock.now(), proxy.status().subscriptionSince());
        IQ forwarded = (IQ) forward(get(ALICE, "q1"));
        assertEquals(SERVICE.getDomain() + "/" + ALICE, forwarded.getFrom().toString());
    }

    @Test
    void theHostsSessionsAreOnlineSinceTheirLoginNotSinceTheItemWasWritten() {
        Instant loggedIn = clock.now().minus(Duration.ofHours(3));
        clock.advance(Duration.ofMinutes(5));

        proxy.rosterGranted(TARGET, true, Map.of(IMPL_A, loggedIn));

        assertEquals(loggedIn, proxy.status().resources().get(0).onlineSince());
        assertEquals(clock.now(), proxy.status().subscriptionSince());
    }

    Packet forward(IQ request) {
        proxy.processPacket(request);
        List<Packet> sent = server.takeAll();
        assertEquals(1, sent.size(), sent::toString);
        return sent.get(0);
    }

    @Test
    void anItemFoundThereIsSaidSoAndPresenceFollowsFromThen() {
        proxy.rosterGranted(TARGET, false, List.of());
        assertEquals(SubscriptionState.ROSTER_FOUND, proxy.status().subscription());

        presence(null, IMPL_B);
        presence(null, IMPL_A);
        presence(Presence.Type.unavailable, IMPL_B);

        assertEquals(List.of(IMPL_A), online());
        assertEquals(SubscriptionState.ROSTER_FOUND, proxy.status().subscription(), "presence does not change how");
    }

    @Test
    void aSessionThatWentOfflineWhileTheHostReadItIsNotTakenForOnline() {
        proxy.rosterGranted(TARGET, false, List.of());
        presence(null, IMPL_B);
        presence(Presence.Type.unavailable, IMPL_B);

        // The server routes the unavailable presence before it forgets the session.
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A, IMPL_B));
        assertEquals(List.of(IMPL_A), online());

        // Back online: its available presence counts, and so does a later list of sessions.
        presence(null, IMPL_B);
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A, IMPL_B));
        assertEquals(List.of(IMPL_A, IMPL_B), online());
    }

    @Test
    void aDepartureIsForgottenAfterAWhile() {
        proxy.rosterGranted(TARGET, false, List.of());
        presence(Presence.Type.unavailable, IMPL_B);
        clock.advance(Duration.ofSeconds(31));
        presence(Presence.Type.unavailable, IMPL_A); // prunes what is older

        proxy.rosterGranted(TARGET, true, List.of(IMPL_B));

        assertEquals(List.of(IMPL_B), online());
    }

    @Test
    void presenceCountsOnlyOnceTheHostGrantedIt() {
        presence(null, IMPL_A);
        assertEquals(List.of(), online(), "a presence directed at the proxy before the item is written");

        proxy.rosterAwaitingAccount(TARGET);
        presence(null, IMPL_A);
        assertEquals(List.of(), online());
        assertEquals(SubscriptionState.AWAITING_ACCOUNT, proxy.status().subscription());
    }

    @Test
    void theAccountRevokingEmptiesTheTableIsReportedOnceAndRequestsGetServiceUnavailable() {
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A));
        IQ outstanding = (IQ) forward(ClientProxyTest.request(ALICE, "s1", IQ.Type.set, SERVICE));
        assertEquals(IMPL_A, outstanding.getTo());
        clock.advance(Duration.ofSeconds(5));
        Instant revokedAt = clock.now();

        presence(Presence.Type.unsubscribed, TARGET);

        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(revokedAt, proxy.status().subscriptionSince());
        assertEquals(List.of(), online());
        assertError(server.takeAll().get(0), Condition.recipient_unavailable, PacketError.Type.wait, SERVICE, ALICE, "s1");
        assertEquals(List.of(TARGET + " at " + revokedAt), host.revoked);

        clock.advance(Duration.ofSeconds(5));
        presence(Presence.Type.unsubscribed, TARGET);
        presence(null, IMPL_A);
        assertEquals(1, host.revoked.size(), "reported once");
        assertEquals(revokedAt, proxy.status().subscriptionSince());
        assertEquals(List.of(), online(), "no presence counts until the host writes the item again");
        assertError(forward(get(ALICE, "q2")), Condition.service_unavailable, PacketError.Type.cancel, SERVICE, ALICE, "q2");
        assertEquals(List.of(), server.takeAll(), "nothing asked of the account");
    }

    @Test
    void theUnavailablePresenceThatFollowsARevocationIsNoDeparture() {
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A, IMPL_B));

        // What Openfire sends when the account removes the item: unsubscribed, then an
        // unavailable presence from each session, which stay online.
        presence(Presence.Type.unsubscribed, TARGET);
        presence(Presence.Type.unavailable, IMPL_A);
        presence(Presence.Type.unavailable, IMPL_B);
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A, IMPL_B)); // the operator's re-send

        assertEquals(List.of(IMPL_A, IMPL_B), online());
    }

    @Test
    void aRevocationTheHostRemembersKeepsItsTime() {
        Instant earlier = Instant.parse("2026-11-20T08:00:00Z");
        proxy.rosterRevoked(TARGET, earlier);

        assertEquals(SubscriptionState.REVOKED_BY_ACCOUNT, proxy.status().subscription());
        assertEquals(earlier, proxy.status().subscriptionSince());
        assertEquals(List.of(), host.revoked, "the host knows already");
    }

    @Test
    void reSendingAsksTheHostToWriteTheItemAgain() {
        proxy.resubscribe();

        assertEquals(List.of(proxy), host.renewed);
        assertEquals(List.of(), server.takeAll());
    }

    @Test
    void reportsAboutAnotherTargetAreIgnored() {
        proxy.rosterGranted(new JID("other@example.org"), true, List.of(new JID("other@example.org/x")));

        assertEquals(SubscriptionState.NONE, proxy.status().subscription());
        assertEquals(List.of(), online());
    }

    @Test
    void aRemoteTargetGetsTheSubscriptionRequestAndTheLocalOneNoUnsubscribe() {
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A));

        proxy.reconfigure(settings(Map.of(ProxySettings.TARGET, REMOTE.toString())));

        List<Presence.Type> sent = server.takeAll().stream().map(packet -> ((Presence) packet).getType()).toList();
        assertEquals(List.of(Presence.Type.unavailable, Presence.Type.subscribe), sent,
                "the host takes back its roster item; an unsubscribe could cancel one the account made");
        assertEquals(SubscriptionState.PENDING, proxy.status().subscription());
        proxy.rosterGranted(REMOTE, true, List.of(new JID("impl@example.net/a")));
        assertEquals(List.of(), online(), "the host does not write a remote roster");

        proxy.reconfigure(settings(Map.of()));

        List<Packet> back = server.takeAll();
        assertEquals(List.of(Presence.Type.unsubscribe, Presence.Type.unavailable),
                back.stream().map(packet -> ((Presence) packet).getType()).toList());
        assertEquals(REMOTE, back.get(0).getTo());
        assertEquals(SubscriptionState.NONE, proxy.status().subscription(), "the host reports next");
        assertNull(proxy.status().subscriptionSince());
    }

    @Test
    void aReconfigurationOfALocalTargetSendsNothing() {
        proxy.rosterGranted(TARGET, true, List.of(IMPL_A));

        proxy.reconfigure(settings(Map.of(ProxySettings.TIMEOUT_MILLIS, "5000")));

        assertEquals(List.of(), server.takeAll());
        assertEquals(List.of(IMPL_A), online());
        assertEquals(List.of(), host.renewed, "the host writes the item after a reconfiguration itself");
    }
}
