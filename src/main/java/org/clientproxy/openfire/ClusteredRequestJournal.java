package org.clientproxy.openfire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.RequestJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

/**
 * A proxy's outstanding requests in a map the members of the cluster share (Openfire's clustered
 * cache), so that the member that takes over after a failover answers them: the reply when the
 * implementing client sends it late, or the timeout ({@link ClientProxy#adopt}).
 *
 * <p>The proxy's threads only note changes here; the plugin's worker writes new requests every
 * {@link ClientProxy#SWEEP_INTERVAL}, and removes a written one as soon as it can after it is
 * answered (so that the next member does not time out a request that got its answer). A request
 * answered before the next write costs the cluster nothing; a slower one one write and one
 * removal. The price: a request forwarded in the last sweep interval before the member dies is not
 * known to the next one, which drops its reply.
 */
final class ClusteredRequestJournal implements RequestJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRequestJournal.class);
    private static final char SEPARATOR = '\n';

    private final String prefix;
    private final Map<String, String> shared;
    private final LongSupplier wallClock;
    private final Executor worker;
    /** A task that writes the pending removals is queued on the worker and has not begun. */
    private final AtomicBoolean removalQueued = new AtomicBoolean();
    /** Forwarded, not yet written. */
    private final ConcurrentHashMap<String, String> toWrite = new ConcurrentHashMap<>();
    /** Settled after being written (or adopted). */
    private final ConcurrentLinkedQueue<String> toRemove = new ConcurrentLinkedQueue<>();

    /**
     * @param subdomain the proxy's subdomain: its entries' keys start with it
     * @param shared    the map the members share (entries: key and value are text)
     * @param wallClock epoch milliseconds (deadlines must mean the same on every member)
     * @param worker    runs a task on the plugin's worker thread: never a Hazelcast call on the proxy's threads
     */
    ClusteredRequestJournal(String subdomain, Map<String, String> shared, LongSupplier wallClock, Executor worker) {
        this.prefix = subdomain + SEPARATOR;
        this.shared = shared;
        this.wallClock = wallClock;
        this.worker = worker;
    }

    @Override
    public void forwarded(String requester, String id, JID service, JID resource, Duration remaining) {
        toWrite.put(key(requester, id), service + "\n" + resource + "\n" + (wallClock.getAsLong() + remaining.toMillis()));
    }

    @Override
    public void settled(String requester, String id) {
        String key = key(requester, id);
        if (toWrite.remove(key) == null) {
            toRemove.add(key);
            if (removalQueued.compareAndSet(false, true)) {
                worker.execute(this::writeRemovals);
            }
        }
    }

    /** Writes what changed since the last call; on the plugin's worker thread. */
    void flush() {
        List<String> removals = takeRemovals();
        for (String key : toWrite.keySet()) {
            String value = toWrite.remove(key);
            if (value != null) {
                shared.put(key, value);
            }
        }
        removals.forEach(shared::remove);
    }

    /** Removes the answered requests from the shared map; on the plugin's worker thread. */
    private void writeRemovals() {
        takeRemovals().forEach(shared::remove);
    }

    private List<String> takeRemovals() {
        // Cleared first: a removal noted from here on queues a task of its own.
        removalQueued.set(false);
        List<String> removals = new ArrayList<>();
        for (String key; (key = toRemove.poll()) != null; ) {
            removals.add(key);
        }
        return removals;
    }

    /**
     * Hands {@code proxy} every request of this subdomain that another instance left in the
     * shared map; the proxy must already report to this journal, so that settling them removes them.
     *
     * @return how many it took
     */
    int adoptInto(ClientProxy proxy) {
        long now = wallClock.getAsLong();
        int adopted = 0;
        for (Map.Entry<String, String> entry : List.copyOf(shared.entrySet())) {
            String key = entry.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            String[] request = key.substring(prefix.length()).split("\n", 2);
            String[] value = entry.getValue().split("\n", 3);
            try {
                if (request.length != 2 || value.length != 3) {
                    throw new IllegalArgumentException("not a requester, id, service, resource and deadline");
                }
                Duration remaining = Duration.ofMillis(Math.max(0, Long.parseLong(value[2]) - now));
                if (proxy.adopt(request[0], request[1], new JID(value[0]), new JID(value[1]), remaining)) {
                    adopted++;
                }
            } catch (IllegalArgumentException e) {
                // A JID or number that does not parse, or a shape another version wrote: not ours to answer.
                LOG.warn("Skipped an outstanding request of {} that cannot be read ({}): {}", prefix.trim(), e.getMessage(),
                        key.replace(SEPARATOR, ' '));
                shared.remove(key);
            }
        }
        return adopted;
    }

    private String key(String requester, String id) {
        return prefix + requester + SEPARATOR + id;
    }
}
