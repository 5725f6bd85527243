package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;

class OnlineResourcesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The requester, which only the sticky strategy reads. */
    private static final String REQUESTER = "user@example.org/laptop";

    private final OnlineResources resources = new OnlineResources(new JID("svc@example.org"));

    private OnlineResources.Resource online(String resource) {
        String address = "svc@example.org/" + resource;
        resources.add(new JID(address), T0);
        return resources.snapshot().stream().filter(r -> r.addressString.equals(address)).findFirst().orElseThrow();
    }

    private Set<String> onlineAddresses() {
        Set<String> addresses = new HashSet<>();
        resources.snapshot().forEach(resource -> addresses.add(resource.addressString));
        return addresses;
    }

    @Test
    void addRecordsAResourceOnceOnly() {
        assertTrue(resources.add(new JID("svc@example.org/a"), T0));
        OnlineResources.Resource a = resources.snapshot().get(0);

        assertFalse(resources.add(new JID("svc@example.org/a"), T0.plusSeconds(5)), "already online");

        assertEquals(1, resources.snapshot().size());
        assertSame(a, resources.snapshot().get(0), "a repeated presence keeps the session and its counts");
        assertEquals("svc@example.org/a", a.addressString);
        assertEquals(new JID("svc@example.org/a"), a.address);
        assertEquals(T0, a.onlineSince);
        assertEquals(0, a.outstanding.get());
    }

    @Test
    void removeTakesOnlyThatResource() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        OnlineResources.Resource c = online("c");

        assertSame(b, resources.remove("svc@example.org/b"));

        assertEquals(Set.of("svc@example.org/a", "svc@example.org/c"), onlineAddresses());
        assertTrue(resources.isOnline(a));
        assertFalse(resources.isOnline(b));
        assertTrue(resources.isOnline(c));
        assertNull(resources.remove("svc@example.org/b"), "not online any more");
        assertNull(resources.remove("svc@example.org/unknown"));
        assertNull(resources.remove("svc@example.org"), "the bare JID is no resource");
    }

    @Test
    void snapshotIsOldestFirstAndACopy() {
        online("first");
        online("second");
        online("third");

        List<OnlineResources.Resource> snapshot = resources.snapshot();
        assertEquals(List.of("svc@example.org/first", "svc@example.org/second", "svc@example.org/third"),
                snapshot.stream().map(resource -> resource.addressString).toList());

        snapshot.clear();
        assertEquals(3, resources.snapshot().size());
    }

    @Test
    void clearReturnsEveryResourceThatWasOnline() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");

        List<OnlineResources.Resource> gone = resources.clear();

        assertEquals(Set.of(a, b), Set.copyOf(gone));
        assertTrue(resources.snapshot().isEmpty());
        assertFalse(resources.isOnline(a));
        assertFalse(resources.isOnline(b));
        assertTrue(resources.clear().isEmpty(), "nothing left to clear");
    }

    @Test
    void aResourceThatCameBackIsAnotherSession() {
        OnlineResources.Resource before = online("a");
        before.outstanding.set(3);
        assertSame(before, resources.remove("svc@example.org/a"));

        OnlineResources.Resource after = online("a");

        assertNotSame(before, after);
        assertEquals(before.addressString, after.addressString);
        assertFalse(resources.isOnline(before), "the old session is gone even though its address is back");
        assertTrue(resources.isOnline(after));
        assertEquals(0, after.outstanding.get(), "the new session holds nothing yet");
    }

    @Test
    void aResourceOfAnotherTableIsNotOnline() {
        OnlineResources.Resource a = online("a");
        OnlineResources other = new OnlineResources(new JID("svc@example.org"));
        other.add(new JID("svc@example.org/a"), T0);

        assertFalse(other.isOnline(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"svc@example.org", "svc@example.org/a", "svc@example.org/x/y", "svc@example.org/"})
    void theTargetAndItsResourcesAreTheTarget(String address) {
        assertTrue(resources.isTarget(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"svc@example.org.evil/x", "svc@example.org.evil", "svc@example.orgx", "svc@example.orgx/a",
            "svc@example.or", "xsvc@example.org", "xsvc@example.org/a", "vc@example.org/a", "example.org",
            "svc.example.org/svc@example.org", "other@example.org/svc@example.org", "svc@example.net/a", ""})
    void lookAlikesAreNotTheTarget(String address) {
        assertFalse(resources.isTarget(address));
    }

    @Test
    void theTargetIsKeptAndItsSubscriptionStateRecorded() {
        assertEquals(new JID("svc@example.org"), resources.target());
        assertEquals(SubscriptionState.NONE, resources.subscription());
        Instant first = Instant.parse("2026-11-25T09:00:00Z");
        assertTrue(resources.subscription(SubscriptionState.GRANTED, first));
        assertFalse(resources.subscription(SubscriptionState.GRANTED, first.plusSeconds(5)), "no change");
        assertEquals(new OnlineResources.Subscription(SubscriptionState.GRANTED, first), resources.subscriptionStatus());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void nothingOnlineChoosesNothing(Strategy strategy) {
        assertNull(resources.choose(strategy, REQUESTER));
        online("a");
        resources.remove("svc@example.org/a");
        assertNull(resources.choose(strategy, REQUESTER));
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void theOnlyResourceIsAlwaysChosen(Strategy strategy) {
        OnlineResources.Resource only = online("only");
        for (int i = 0; i < 20; i++) {
            assertSame(only, resources.choose(strategy, REQUESTER));
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aResourceThatLeftIsNeverChosen(Strategy strategy) {
        online("a");
        OnlineResources.Resource b = online("b");
        online("c");
        resources.remove("svc@example.org/a");
        resources.remove("svc@example.org/c");

        for (int i = 0; i < 50; i++) {
            assertSame(b, resources.choose(strategy, REQUESTER));
        }
    }

    @Test
    void roundRobinCyclesThroughEveryResource() {
        List<OnlineResources.Resource> all = List.of(online("a"), online("b"), online("c"));

        for (int round = 0; round < 4; round++) {
            Set<OnlineResources.Resource> seen = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                seen.add(resources.choose(Strategy.ROUND_ROBIN, REQUESTER));
            }
            assertEquals(Set.copyOf(all), seen, "each resource once per round");
        }
    }

    @Test
    void roundRobinSpreadsEvenlyWhenResourcesChange() {
        online("a");
        online("b");
        online("c");
        resources.remove("svc@example.org/b");
        online("d");

        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            picks.merge(resources.choose(Strategy.ROUND_ROBIN, REQUESTER).addressString, 1, Integer::sum);
        }
        assertEquals(Map.of("svc@example.org/a", 100, "svc@example.org/c", 100, "svc@example.org/d", 100), picks);
    }

    @Test
    void leastOutstandingPicksTheResourceWithFewestRequests() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        OnlineResources.Resource c = online("c");
        a.outstanding.set(5);
        b.outstanding.set(2);
        c.outstanding.set(7);

        for (int i = 0; i < 50; i++) {
            assertSame(b, resources.choose(Strategy.LEAST_OUTSTANDING, REQUESTER));
        }

        b.outstanding.set(9);
        for (int i = 0; i < 50; i++) {
            assertSame(a, resources.choose(Strategy.LEAST_OUTSTANDING, REQUESTER));
        }
    }

    @Test
    void leastOutstandingSpreadsTies() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        OnlineResources.Resource c = online("c");
        c.outstanding.set(1);

        Set<OnlineResources.Resource> chosen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            OnlineResources.Resource resource = resources.choose(Strategy.LEAST_OUTSTANDING, REQUESTER);
            assertNotSame(c, resource);
            chosen.add(resource);
        }
        // Each of a and b wins a tie with probability 1/2: 500 picks all to one of them is 2^-499.
        assertEquals(Set.of(a, b), chosen);
    }

    @Test
    void leastOutstandingFollowsTheCountsAsRequestsAreAssigned() {
        List<OnlineResources.Resource> all = List.of(online("a"), online("b"), online("c"));
        for (int i = 0; i < 30; i++) {
            OnlineResources.Resource chosen = resources.choose(Strategy.LEAST_OUTSTANDING, REQUESTER);
            assertNotNull(chosen);
            chosen.outstanding.incrementAndGet();
        }
        for (OnlineResources.Resource resource : all) {
            assertEquals(10, resource.outstanding.get(), resource.addressString);
        }
    }

    @Test
    void randomReachesEveryResource() {
        List<OnlineResources.Resource> all = List.of(online("a"), online("b"), online("c"), online("d"));
        Map<OnlineResources.Resource, Integer> picks = new HashMap<>();

        for (int i = 0; i < 4000; i++) {
            picks.merge(resources.choose(Strategy.RANDOM, REQUESTER), 1, Integer::sum);
        }

        assertEquals(Set.copyOf(all), picks.keySet());
        // Expected 1000 each; below 800 has a probability far under 1e-9.
        picks.forEach((resource, count) -> assertTrue(count > 800, resource.addressString + " only " + count));
    }

    // ---- Unresponsive resources ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void anUnresponsiveResourceIsNotChosenWhileAnotherIsResponsive(Strategy strategy) {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        OnlineResources.Resource c = online("c");
        assertTrue(resources.markUnresponsive(b, T0, b.heardNanos));
        b.outstanding.set(-5); // least-outstanding would otherwise love it

        Set<OnlineResources.Resource> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(resources.choose(strategy, "user" + i + "@example.net/x"));
        }

        assertEquals(Set.of(a, c), chosen);
        assertEquals(T0, b.unresponsiveSince);
        assertTrue(resources.anyResponsive());
    }

    @Test
    void withEveryResourceUnresponsiveAnyIsChosenButNoneIsResponsive() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        resources.markUnresponsive(a, T0, a.heardNanos);
        resources.markUnresponsive(b, T0, b.heardNanos);

        Set<OnlineResources.Resource> chosen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            chosen.add(resources.choose(Strategy.ROUND_ROBIN, "user@example.net/x"));
        }

        assertEquals(Set.of(a, b), chosen, "requests go on as before");
        assertNull(resources.chooseResponsive(Strategy.ROUND_ROBIN, "user@example.net/x"));
        assertFalse(resources.anyResponsive());
    }

    @Test
    void markingResponsiveAgainMakesItAChoiceAgain() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        resources.markUnresponsive(a, T0, a.heardNanos);

        assertTrue(resources.markResponsive(a));
        assertFalse(resources.markResponsive(a), "only once");

        Set<OnlineResources.Resource> chosen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            chosen.add(resources.chooseResponsive(Strategy.ROUND_ROBIN, "user@example.net/x"));
        }
        assertEquals(Set.of(a, b), chosen);
        assertNull(a.unresponsiveSince);
    }

    @Test
    void aResourceHeardFromSinceTheCallerLookedIsNotMarked() {
        OnlineResources.Resource a = online("a");
        long seen = a.heardNanos;
        a.heardNanos = seen + 1; // a stanza arrived while the sweep decided

        assertFalse(resources.markUnresponsive(a, T0, seen));

        assertNull(a.unresponsiveSince);
        assertSame(a, resources.chooseResponsive(Strategy.RANDOM, "user@example.net/x"));
    }

    @Test
    void aResourceThatLeftOrIsMarkedAlreadyIsNotMarkedAgain() {
        OnlineResources.Resource a = online("a");
        OnlineResources.Resource b = online("b");
        resources.remove(a.addressString);
        assertTrue(resources.markUnresponsive(b, T0, b.heardNanos));

        assertFalse(resources.markUnresponsive(a, T0, a.heardNanos), "gone");
        assertFalse(resources.markUnresponsive(b, T0.plusSeconds(1), b.heardNanos), "already marked");
        assertEquals(T0, b.unresponsiveSince, "since the first time");
    }

    @Test
    void aResourceComingOnlineOrLeavingKeepsTheOthersMarks() {
        OnlineResources.Resource a = online("a");
        resources.markUnresponsive(a, T0, a.heardNanos);
        OnlineResources.Resource b = online("b");
        assertSame(b, resources.chooseResponsive(Strategy.RANDOM, "user@example.net/x"));

        resources.remove(b.addressString);

        assertNull(resources.chooseResponsive(Strategy.RANDOM, "user@example.net/x"));
        assertSame(a, resources.choose(Strategy.RANDOM, "user@example.net/x"));
        assertSame(a, resources.find(a.addressString));
        assertNull(resources.find(b.addressString));
    }

    // ---- sticky ------------------------------------------------------------------------------

    /** Which resource each of {@code accounts} requester accounts gets, by bare JID. */
    private Map<String, String> stickyChoices(int accounts, String resource) {
        Map<String, String> choices = new HashMap<>();
        for (int i = 0; i < accounts; i++) {
            String account = "user" + i + "@example.net";
            choices.put(account, resources.choose(Strategy.STICKY, account + "/" + resource).addressString);
        }
        return choices;
    }

    @Test
    void stickySendsEveryResourceOfOneAccountToTheSameResourceEveryTime() {
        for (String name : List.of("a", "b", "c", "d")) {
            online(name);
        }
        Map<String, String> fromLaptops = stickyChoices(500, "laptop");
        assertEquals(fromLaptops, stickyChoices(500, "phone"), "another resource of the same account");
        assertEquals(fromLaptops, stickyChoices(500, "laptop"), "the same requester again");
        assertEquals(fromLaptops.get("user7@example.net"),
                resources.choose(Strategy.STICKY, "user7@example.net").addressString, "a bare JID as requester");
    }

    @Test
    void stickySpreadsAccountsEvenlyOverTheResources() {
        for (String name : List.of("a", "b", "c")) {
            online(name);
        }
        Map<String, Integer> perResource = new HashMap<>();
        stickyChoices(3000, "x").values().forEach(address -> perResource.merge(address, 1, Integer::sum));

        assertEquals(3, perResource.size());
        // 1000 expected each; the binomial standard deviation is about 26.
        perResource.forEach((address, count) ->
                assertTrue(count > 850 && count < 1150, () -> address + " got " + count + " of 3000"));
    }

    @Test
    void stickyDependsOnWhichResourcesAreOnlineNotOnTheirOrder() {
        for (String name : List.of("a", "b", "c")) {
            online(name);
        }
        OnlineResources reversed = new OnlineResources(new JID("svc@example.org"));
        for (String name : List.of("c", "b", "a")) {
            reversed.add(new JID("svc@example.org/" + name), T0);
        }
        for (int i = 0; i < 300; i++) {
            String requester = "user" + i + "@example.net/x";
            assertEquals(resources.choose(Strategy.STICKY, requester).addressString,
                    reversed.choose(Strategy.STICKY, requester).addressString, requester);
        }
    }

    @Test
    void whenAResourceLeavesOnlyTheAccountsItHadMove() {
        for (String name : List.of("a", "b", "c", "d")) {
            online(name);
        }
        Map<String, String> before = stickyChoices(2000, "x");
        resources.remove("svc@example.org/c");
        Map<String, String> after = stickyChoices(2000, "x");

        int moved = 0;
        for (Map.Entry<String, String> choice : before.entrySet()) {
            String now = after.get(choice.getKey());
            if (choice.getValue().equals("svc@example.org/c")) {
                assertNotEquals("svc@example.org/c", now);
                moved++;
            } else {
                assertEquals(choice.getValue(), now, () -> choice.getKey() + " moved though its resource stayed");
            }
        }
        assertTrue(moved > 350 && moved < 650, "c had about a quarter: " + moved);
    }

    @Test
    void aResourceThatComesTakesAFairShareAndNothingElseMoves() {
        for (String name : List.of("a", "b", "c", "d")) {
            online(name);
        }
        Map<String, String> before = stickyChoices(2000, "x");
        online("e");
        Map<String, String> after = stickyChoices(2000, "x");

        int taken = 0;
        for (Map.Entry<String, String> choice : before.entrySet()) {
            String now = after.get(choice.getKey());
            if (!now.equals(choice.getValue())) {
                assertEquals("svc@example.org/e", now, () -> choice.getKey() + " moved between old resources");
                taken++;
            }
        }
        assertTrue(taken > 300 && taken < 500, "e should take about a fifth: " + taken);
    }
}
