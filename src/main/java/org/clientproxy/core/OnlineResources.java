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
 * for a request reads an immutable array and takes none. A resource marked unresponsive (see
 * {@link ClientProxy}) is not chosen while another one is responsive.
 */
final class OnlineResources {

    /** One online resource, the requests it holds right now, and whether it still answers. */
    static final class Resource {
        final JID address;
        final String addressString;
        final Instant onlineSince;
        final AtomicInteger outstanding = new AtomicInteger();
        /** When the last stanza from it arrived (clock nanoseconds). */
        volatile long heardNanos;
        /** When the proxy last pinged it; the ping is unanswered while {@link #pinging}. Kept by the sweep. */
        volatile long pingNanos;
        volatile boolean pinging;
        /** Since when it is unresponsive, {@code null} while responsive; changed under the lock. */
        volatile Instant unresponsiveSince;
        /** The resource's part of every {@link Strategy#STICKY} weight. */
        final long rendezvousHash;

        Resource(JID address, Instant onlineSince) {
            this.address = address;
            this.addressString = address.toString();
            this.onlineSince = onlineSince;
            this.rendezvousHash = hash(addressString, addressString.length());
        }
    }

    private static final Resource[] NONE = new Resource[0];

    private final JID target;
    private final String targetString;
    private volatile Resource[] online = NONE;
    /** The online resources not marked unresponsive, in the same order; changed with {@link #online}. */
    private volatile Resource[] responsive = NONE;
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
        if (find(address.toString()) != null) {
            return false;
        }
        Resource[] next = Arrays.copyOf(online, online.length + 1);
        next[online.length] = new Resource(address, since);
        online = next;
        responsive = responsiveOf(next);
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
                responsive = responsiveOf(next);
                return current[i];
            }
        }
        return null;
    }

    /** Forgets every resource; returns those that were online. */
    synchronized List<Resource> clear() {
        List<Resource> gone = List.of(online);
        online = NONE;
        responsive = NONE;
        return gone;
    }

    /** The online resource at {@code address} (a full JID as written in a stanza), or {@code null}. */
    Resource find(String address) {
        for (Resource resource : online) {
            if (resource.addressString.equals(address)) {
                return resource;
            }
        }
        return null;
    }

    /**
     * Marks {@code resource} unresponsive unless it is gone, already marked, or was heard from
     * after {@code heardNanos} (the last stanza the caller saw): the check comes after the mark,
     * so that a stanza arriving meanwhile either sees the mark and lifts it or is seen here.
     * Returns whether it is marked now.
     */
    synchronized boolean markUnresponsive(Resource resource, Instant since, long heardNanos) {
        if (resource.unresponsiveSince != null || !isOnline(resource)) {
            return false;
        }
        resource.unresponsiveSince = since;
        if (resource.heardNanos != heardNanos) {
            resource.unresponsiveSince = null;
            return false;
        }
        responsive = responsiveOf(online);
        return true;
    }

    /** Lifts the mark of {@code resource}; returns whether it was marked. */
    synchronized boolean markResponsive(Resource resource) {
        if (resource.unresponsiveSince == null) {
            return false;
        }
        resource.unresponsiveSince = null;
        responsive = responsiveOf(online);
        return true;
    }

    /** Whether some online resource is responsive. */
    boolean anyResponsive() {
        return responsive.length > 0;
    }

    private static Resource[] responsiveOf(Resource[] resources) {
        int count = 0;
        for (Resource resource : resources) {
            if (resource.unresponsiveSince == null) {
                count++;
            }
        }
        if (count == resources.length) {
            return resources;
        }
        Resource[] responsive = new Resource[count];
        int i = 0;
        for (Resource resource : resources) {
            if (resource.unresponsiveSince == null) {
                responsive[i++] = resource;
            }
        }
        return responsive;
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

    /**
     * The resource that gets the next request, or {@code null} when none is online: a responsive
     * one while there is one (requests go on to unresponsive ones rather than fail).
     *
     * @param requester the requester's JID as a string (only {@link Strategy#STICKY} reads it: its bare JID)
     */
    Resource choose(Strategy strategy, String requester) {
        Resource[] candidates = responsive;
        return pick(candidates.length == 0 ? online : candidates, strategy, requester);
    }

    /** A responsive resource for the next request, or {@code null} when none is. */
    Resource chooseResponsive(Strategy strategy, String requester) {
        return pick(responsive, strategy, requester);
    }

    private Resource pick(Resource[] candidates, Strategy strategy, String requester) {
        int count = candidates.length;
        if (count <= 1) {
            return count == 0 ? null : candidates[0];
        }
        return switch (strategy) {
            case RANDOM -> candidates[ThreadLocalRandom.current().nextInt(count)];
            case ROUND_ROBIN -> candidates[Math.floorMod(turn.getAndIncrement(), count)];
            case LEAST_OUTSTANDING -> leastOutstanding(candidates);
            case STICKY -> rendezvous(candidates, requester);
        };
    }

    /**
     * Rendezvous (highest random weight) hashing: every resource gets a weight from the pair
     * (requester's bare JID, resource) and the heaviest wins. The weights do not depend on which
     * other resources are online, so a resource that leaves moves only the requesters it had, and
     * one that comes takes from each of the others the requesters it now outweighs for.
     */
    private static Resource rendezvous(Resource[] candidates, String requester) {
        int slash = requester.indexOf('/');
        long account = hash(requester, slash < 0 ? requester.length() : slash);
        Resource best = null;
        long heaviest = 0;
        for (Resource candidate : candidates) {
            long weight = mix(account ^ candidate.rendezvousHash);
            if (best == null || Long.compareUnsigned(weight, heaviest) > 0) {
                best = candidate;
                heaviest = weight;
            }
        }
        return best;
    }

    /** 64-bit FNV-1a of {@code text}'s first {@code length} characters, mixed: the same in every JVM. */
    static long hash(String text, int length) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return mix(hash);
    }

    /** MurmurHash3's 64-bit finalizer: every bit of the input flips each bit of the output about half the time. */
    private static long mix(long value) {
        long k = value;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
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
