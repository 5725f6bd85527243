package org.clientproxy.openfire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>A request is written before it is sent, so that nothing reaches the implementing client
 * that the next member does not know. The proxy's threads never wait for the cluster: the writes
 * run on this journal's own thread ({@code writer}), which writes whatever came in meanwhile in
 * one {@code putAll}, sends it, then removes the requests answered since. If the cluster does not
 * take a write within {@link #WRITE_PATIENCE}, the request is sent anyway
 * ({@link #sendWhatWaitsTooLong()}): a sick cluster must not stop the service.
 */
final class ClusteredRequestJournal implements RequestJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRequestJournal.class);
    /** How long a request waits for the cluster to take its write before it is sent without. */
    static final Duration WRITE_PATIENCE = Duration.ofMillis(500);

    private final String prefix;
    private final Map<String, String> shared;
    private final LongSupplier wallClock;
    private final Executor writer;
    /** A task that writes is queued on {@link #writer} and has not begun. */
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    /** Forwarded and not yet written, oldest first; left by the writer only once written (or sent without). */
    private final ConcurrentLinkedQueue<Write> toWrite = new ConcurrentLinkedQueue<>();
    /** Settled: to remove if written. */
    private final ConcurrentLinkedQueue<String> toRemove = new ConcurrentLinkedQueue<>();
    /** Keys in the shared map that this journal wrote or adopted (only the writer and adoption change it). */
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    /** How often at most a failed or late write is logged: a cluster's hiccup must not flood the log. */
    static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    /** When a failed or late write was last logged (wall clock). */
    private volatile long warnedAt = Long.MIN_VALUE / 2;

    /**
     * @param subdomain the proxy's subdomain: its entries' keys start with it
     * @param shared    the map the members share (entries: key and value are text)
     * @param wallClock epoch milliseconds (deadlines must mean the same on every member)
     * @param writer    runs the journal's writes one after another, never on the proxy's threads
     */
    ClusteredRequestJournal(String subdomain, Map<String, String> shared, LongSupplier wallClock, Executor writer) {
        this.prefix = RequestRecord.prefix(subdomain);
        this.shared = shared;
        this.wallClock = wallClock;
        this.writer = writer;
    }

    @Override
    public void forwarded(String requester, String id, JID service, JID resource, Duration remaining, Forward forward) {
        long now = wallClock.getAsLong();
        toWrite.add(new Write(key(requester, id), RequestRecord.value(service, resource, now + remaining.toMillis()),
                forward, now));
        queueWrite();
    }

    @Override
    public void settled(String requester, String id) {
        toRemove.add(key(requester, id));
        queueWrite();
    }

    private void queueWrite() {
        if (writeQueued.compareAndSet(false, true)) {
            try {
                writer.execute(this::write);
            } catch (RejectedExecutionException e) {
                LOG.debug("The journal of client proxy {} is closed", subdomain());
            }
        }
    }

    /**
     * On the writer: writes what was forwarded since the last call in one go and sends it, then
     * removes what was answered. A request answered before its write is neither written nor sent;
     * one answered after it is removed by this call or the next.
     */
    private void write() {
        // Cleared first: anything noted from here on queues a task of its own.
        writeQueued.set(false);
        writeAndSend();
        removeAnswered();
    }

    private void writeAndSend() {
        List<Write> batch = new ArrayList<>();
        Map<String, String> entries = new HashMap<>();
        for (Write write : toWrite) {
            batch.add(write);
            if (write.forward.outstanding()) {
                entries.put(write.key, write.value);
            } else {
                write.drop(); // answered before its write: neither written nor sent
            }
        }
        if (!entries.isEmpty()) {
            try {
                if (entries.size() == 1) {
                    Map.Entry<String, String> entry = entries.entrySet().iterator().next();
                    shared.put(entry.getKey(), entry.getValue()); // Hazelcast's putAll costs more for one entry
                } else {
                    shared.putAll(entries);
                }
                written.addAll(entries.keySet());
            } catch (RuntimeException e) {
                failed("Could not share " + entries.size() + " requests of client proxy " + subdomain()
                        + " with the cluster; forwarding them without", e);
            }
        }
        for (Write write : batch) {
            toWrite.poll(); // the oldest is this one: only the writer takes from the queue
            try {
                write.sendOnce();
            } catch (RuntimeException e) {
                LOG.warn("Could not forward a request of client proxy {}", subdomain(), e);
            }
        }
    }

    private void removeAnswered() {
        // A key is a requester and an id: if a requester reuses an id at once after its answer, the
        // old request's removal may take the new one's entry (the next member then does not know it).
        for (String key; (key = toRemove.poll()) != null; ) {
            if (written.remove(key)) {
                try {
                    shared.remove(key);
                } catch (RuntimeException e) {
                    failed("Could not remove an answered request of client proxy " + subdomain() + " from the cluster", e);
                }
            }
            if (!toWrite.isEmpty()) {
                break; // new requests wait for this thread, removals for nobody: the task already queued goes on
            }
        }
    }

    private void failed(String what, RuntimeException e) {
        if (mayWarn()) {
            LOG.warn(what, e);
        }
    }

    /** Whether a warning may be logged now: at most one per {@link #WARNING_INTERVAL}. */
    private boolean mayWarn() {
        long now = wallClock.getAsLong();
        if (now - warnedAt < WARNING_INTERVAL.toMillis()) {
            return false;
        }
        warnedAt = now;
        return true;
    }

    /**
     * Sends the requests whose write the cluster has not taken within {@link #WRITE_PATIENCE}
     * (a member that is unreachable but not yet declared gone holds Hazelcast's writes up); on
     * the plugin's worker, every sweep. They are written once the cluster takes writes again.
     */
    void sendWhatWaitsTooLong() {
        long due = wallClock.getAsLong() - WRITE_PATIENCE.toMillis();
        int sent = 0;
        for (Write write : toWrite) {
            if (write.queuedMillis > due) {
                break;
            }
            if (write.sendOnce()) {
                sent++;
            }
        }
        if (sent > 0 && mayWarn()) {
            LOG.warn("The cluster has not taken the outstanding requests of client proxy {} for {} ms; forwarded {}"
                    + " without waiting (the member that takes over after a failover will not know them); logged at"
                    + " most once a minute", subdomain(), WRITE_PATIENCE.toMillis(), sent);
        }
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
            try {
                RequestRecord request = RequestRecord.read(prefix, key, entry.getValue());
                written.add(key);
                if (request.adoptInto(proxy, now)) {
                    adopted++;
                }
            } catch (IllegalArgumentException e) {
                // A JID or number that does not parse, or a shape another version wrote: not ours to answer.
                LOG.warn("Skipped an outstanding request of {} that cannot be read ({}): {}", subdomain(), e.getMessage(),
                        RequestRecord.printable(key));
                written.remove(key);
                shared.remove(key);
            }
        }
        return adopted;
    }

    private String key(String requester, String id) {
        return RequestRecord.key(prefix, requester, id);
    }

    private String subdomain() {
        return prefix.substring(0, prefix.length() - 1);
    }

    /** A forwarded request: its entry, and its sending, which happens once (by the writer, or without the cluster). */
    private static final class Write {
        final String key;
        final String value;
        final Forward forward;
        final long queuedMillis;
        private final AtomicBoolean sent = new AtomicBoolean();

        Write(String key, String value, Forward forward, long queuedMillis) {
            this.key = key;
            this.value = value;
            this.forward = forward;
            this.queuedMillis = queuedMillis;
        }

        void drop() {
            sent.set(true);
        }

        boolean sendOnce() {
            if (!sent.compareAndSet(false, true)) {
                return false;
            }
            forward.send();
            return true;
        }
    }
}
