package org.clientproxy.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.xmpp.packet.JID;

/**
 * The implementing client's online resources, as its presence tells, and the state of the
 * subscription to that presence. Presence changes are rare and take a lock; choosing a resource
 * for a request reads an immutable array and takes none.
 */
final class OnlineResources {

    /** One online resource and the requests it holds right now. */
    static final class Resource {
        final JID address;
        final String addressString;
        final Instant onlineSince;
        final AtomicInteger outstanding = new AtomicInteger();

        Resource(JID address, Instant onlineSince) {
            this.address = address;
            this.addressString = address.toString();
            this.onlineSince = onlineSince;
        }
    }

    private static final Resource[] NONE = new Resource[0];

    private final JID target;
    private final String targetString;
    private volatile Resource[] online = NONE;
    private final AtomicReference<Subscription> subscription =
            new AtomicReference<>(new Subscription(SubscriptionState.NONE, null));
    private final AtomicInteger turn = new AtomicInteger();

    OnlineResources(JID target) {
        this.target = target;
        this.targetString = target.toBareJID();
    }

    JID target() {
        return target;
    }

    /** Whether {@code address} (a JID as written in a stanza) is the target or one of its resources. */
    boolean isTarget(String address) {
        return address.startsWith(targetString)
                && (address.length() == targetString.length() || address.charAt(targetString.length()) == '/');
    }

    /** The subscription's state and since when it holds, read together. */
    record Subscription(SubscriptionState state, Instant since) {
    }

    SubscriptionState subscription() {
        return subscription.get().state();
    }

    Subscription subscriptionStatus() {
        return subscription.get();
    }

    /**
     * Moves the subscription to {@code state}; its time changes only when the state does.
     *
     * @return whether the state changed (exactly one of concurrent callers sees the change)
     */
    boolean subscription(SubscriptionState state, Instant since) {
        Subscription next = new Subscription(state, since);
        while (true) {
            Subscription current = subscription.get();
            if (current.state() == state) {
                return false;
            }
            if (subscription.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** Records {@code address} as online; returns whether it was not already. */
    synchronized boolean add(JID address, Instant since) {
        String key = address.toString();
        for (Resource resource : online) {
            if (resource.addressString.equals(key)) {
                return false;
            }
        }
        Resource[] next = Arrays.copyOf(online, online.length + 1);
        next[online.length] = new Resource(address, since);
        online = next;
        return true;
    }

    /** Removes {@code address}; returns the resource it was, or {@code null} if it was not online. */
    synchronized Resource remove(String address) {
        Resource[] current = online;
        for (int i = 0; i < current.length; i++) {
            if (current[i].addressString.equals(address)) {
                Resource[] next = new Resource[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                online = next;
                return current[i];
            }
        }
        return null;
    }

    /** Forgets every resource; returns those that were online. */
    synchronized List<Resource> clear() {
        List<Resource> gone = List.of(online);
        online = NONE;
        return gone;
    }

    /** Whether {@code resource} is still online (the very same session, not a later one of that name). */
    boolean isOnline(Resource resource) {
        for (Resource candidate : online) {
            if (candidate == resource) {
                return true;
            }
        }
        return false;
    }

    List<Resource> snapshot() {
        return new ArrayList<>(List.of(online));
    }

    /** The resource that gets the next request, or {@code null} when none is online. */
    Resource choose(Strategy strategy) {
        Resource[] candidates = online;
        int count = candidates.length;
        if (count <= 1) {
            return count == 0 ? null : candidates[0];
        }
        return switch (strategy) {
            case RANDOM -> candidates[ThreadLocalRandom.current().nextInt(count)];
            case ROUND_ROBIN -> candidates[Math.floorMod(turn.getAndIncrement(), count)];
            case LEAST_OUTSTANDING -> leastOutstanding(candidates);
        };
    }

    private static Resource leastOutstanding(Resource[] candidates) {
        // Start at a random place so that ties do not all go to the first resource.
        int start = ThreadLocalRandom.current().nextInt(candidates.length);
        Resource best = null;
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < candidates.length; i++) {
            Resource candidate = candidates[(start + i) % candidates.length];
            int outstanding = candidate.outstanding.get();
            if (outstanding < fewest) {
                best = candidate;
                fewest = outstanding;
            }
        }
        return best;
    }
}
