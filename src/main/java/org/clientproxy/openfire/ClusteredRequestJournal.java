package org.clientproxy.openfire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

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
 * that the next member does not know. Not journaled: the requests of a requester connected to
 * this member ({@code diesWithThisMember}), whose session ends with this member, so that nobody
 * is left to answer.
 *
 * <p>The proxy's threads never wait for the cluster: the writes run on this journal's own thread
 * ({@code writer}). Each write is one entry holding every request that came in since the last
 * one ({@link RequestRecord}; up to {@link #MAX_PER_ENTRY}): one cluster operation for all. Then
 * the requests are sent, and the entries whose requests were answered meanwhile are written
 * again without them, or removed once all are answered: again one operation per entry. If the
 * cluster does not take a write within {@link #WRITE_PATIENCE}, the request is sent anyway
 * ({@link #sendWhatWaitsTooLong()}): a sick cluster must not stop the service.
 */
final class ClusteredRequestJournal implements RequestJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredRequestJournal.class);
    private static final char SEPARATOR = '\n';
    /** How long a request waits for the cluster to take its write before it is sent without. */
    static final Duration WRITE_PATIENCE = Duration.ofMillis(500);
    /** How often at most a failed or late write is logged: a cluster's hiccup must not flood the log. */
    static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    /**
     * The most requests one entry holds. An entry is written again whenever some of its requests
     * are answered (until its last is), so a burst is split: what one answer costs stays small
     * (a rewrite of at most this many records), and never more operations than one per request.
     */
    static final int MAX_PER_ENTRY = 16;

    /** Every key of this proxy starts with it. */
    private final String prefix;
    /** The keys of this instance's entries: unique in the cluster, whoever wrote before. */
    private final String entryPrefix;
    private final Map<String, Object> shared;
    private final LongSupplier wallClock;
    private final Executor writer;
    private final Predicate<String> diesWithThisMember;
    /** A task that writes is queued on {@link #writer} and has not begun. */
    private final AtomicBoolean writeQueued = new AtomicBoolean();
    /** Forwarded and not yet written, oldest first; left by the writer only once written (or sent without). */
    private final ConcurrentLinkedQueue<Request> toWrite = new ConcurrentLinkedQueue<>();
    /** Answered (or re-sent, for their earlier copy) since the writer last looked. */
    private final ConcurrentLinkedQueue<Request> toSettle = new ConcurrentLinkedQueue<>();
    /** The journaled requests not settled yet, by requester and id. */
    private final Map<String, Request> journaled = new ConcurrentHashMap<>();
    /** Entries whose answered requests the cluster still holds (only the writer uses it). */
    private final Set<Entry> changed = new LinkedHashSet<>();
    /** The number of this instance's next entry (only the writer uses it). */
    private long nextEntry;
    /** When a failed or late write was last logged (wall clock). */
    private volatile long warnedAt = Long.MIN_VALUE / 2;

    /**
     * @param subdomain          the proxy's subdomain: its entries' keys start with it
     * @param shared             the map the members share (keys are text, values {@link RequestRecord#encode} of a batch)
     * @param wallClock          epoch milliseconds (deadlines must mean the same on every member)
     * @param writer             runs the journal's writes one after another, never on the proxy's threads
     * @param diesWithThisMember whether a requester (full JID) is connected to this member: its requests are not journaled
     */
    ClusteredRequestJournal(String subdomain, Map<String, Object> shared, LongSupplier wallClock, Executor writer,
                            Predicate<String> diesWithThisMember) {
        this.prefix = subdomain + SEPARATOR;
        this.entryPrefix = prefix + UUID.randomUUID() + SEPARATOR;
        this.shared = shared;
        this.wallClock = wallClock;
        this.writer = writer;
        this.diesWithThisMember = diesWithThisMember;
    }

    @Override
    public void forwarded(String requester, String id, JID service, JID resource, Duration remaining, Forward forward) {
        if (diesWithThisMember.test(requester)) {
            forward.send();
            return;
        }
        long now = wallClock.getAsLong();
        Request request = new Request(new RequestRecord(requester, id, service, resource, now + remaining.toMillis()),
                forward, now);
        Request earlier = journaled.put(request.key(), request);
        if (earlier != null) {
            toSettle.add(earlier); // a get re-sent to another resource: its first copy is over
        }
        toWrite.add(request);
        queueWrite();
    }

    @Override
    public void settled(String requester, String id) {
        Request request = journaled.remove(key(requester, id));
        if (request != null) {
            toSettle.add(request);
            queueWrite();
        }
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
     * On the writer: writes what was forwarded since the last call as one entry and sends it,
     * then writes again the entries whose requests were answered. A request answered before its
     * write is neither written nor sent; one answered after it leaves its entry on this call or
     * the next.
     */
    private void write() {
        // Cleared first: anything noted from here on queues a task of its own.
        writeQueued.set(false);
        writeAndSend();
        writeSettled();
    }

    private void writeAndSend() {
        List<Request> taken = new ArrayList<>();
        List<Request> outstanding = new ArrayList<>();
        for (Request request : toWrite) {
            taken.add(request);
            if (request.forward.outstanding()) {
                outstanding.add(request);
            } else {
                request.drop(); // answered before its write: neither written nor sent
                journaled.remove(request.key(), request);
            }
        }
        for (int from = 0; from < outstanding.size(); from += MAX_PER_ENTRY) {
            List<Request> requests = List.copyOf(outstanding.subList(from, Math.min(outstanding.size(), from + MAX_PER_ENTRY)));
            Entry entry = new Entry(entryPrefix + nextEntry++, requests);
            try {
                shared.put(entry.key, entry.value());
                for (Request request : requests) {
                    request.entry = entry;
                }
            } catch (RuntimeException e) {
                failed("Could not share " + requests.size() + " requests of client proxy " + subdomain()
                        + " with the cluster; forwarding them without", e);
            }
        }
        for (Request request : taken) {
            toWrite.poll(); // the oldest is this one: only the writer takes from the queue
            try {
                request.sendOnce();
            } catch (RuntimeException e) {
                LOG.warn("Could not forward a request of client proxy {}", subdomain(), e);
            }
        }
    }

    private void writeSettled() {
        for (Request request; (request = toSettle.poll()) != null; ) {
            Entry entry = request.entry;
            if (entry != null && entry.settle(request)) {
                changed.add(entry);
            }
        }
        // An id reused at once after its answer is settled with the old request: the next member
        // then does not know the new one (no protection for it, never a second answer).
        for (Iterator<Entry> entries = changed.iterator(); entries.hasNext(); ) {
            Entry entry = entries.next();
            entries.remove();
            try {
                if (entry.isSettled()) {
                    shared.remove(entry.key);
                } else {
                    shared.put(entry.key, entry.value());
                }
            } catch (RuntimeException e) {
                failed("Could not remove answered requests of client proxy " + subdomain() + " from the cluster", e);
            }
            if (!toWrite.isEmpty()) {
                break; // new requests wait for this thread, answered ones for nobody: the task already queued goes on
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
        for (Request request : toWrite) {
            if (request.queuedMillis > due) {
                break;
            }
            if (request.sendOnce()) {
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
     * shared map, and answers for their entries from now on. The proxy must already report to
     * this journal, so that settling them removes them. Runs on the writer (the host submits it
     * there), so that no write of this journal interleaves with it.
     *
     * @return how many it took
     */
    int adoptInto(ClientProxy proxy) {
        long now = wallClock.getAsLong();
        int adopted = 0;
        for (Map.Entry<String, Object> stored : List.copyOf(shared.entrySet())) {
            String key = stored.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            List<RequestRecord> requests;
            try {
                requests = RequestRecord.decode(prefix, key, stored.getValue());
            } catch (IllegalArgumentException e) {
                // A shape another version wrote, or a JID or number that does not parse: not ours to answer.
                LOG.warn("Skipped an outstanding request of {} that cannot be read ({}): {}", subdomain(), e.getMessage(),
                        key.replace(SEPARATOR, ' '));
                shared.remove(key);
                continue;
            }
            List<Request> taken = new ArrayList<>();
            for (RequestRecord request : requests) {
                taken.add(new Request(request, null, now));
            }
            Entry entry = new Entry(key, taken);
            for (Request request : taken) {
                request.entry = entry;
                if (journaled.putIfAbsent(request.key(), request) != null) {
                    // Another entry holds the same request (a get re-sent just before the failover): the first one counts.
                    if (entry.settle(request)) {
                        changed.add(entry);
                    }
                    continue;
                }
                if (request.record.adoptInto(proxy, now)) {
                    adopted++;
                } // else the proxy has it already (handed over by this member's previous instance): tracked until answered
            }
        }
        writeSettled();
        return adopted;
    }

    private static String key(String requester, String id) {
        return requester + SEPARATOR + id;
    }

    private String subdomain() {
        return prefix.substring(0, prefix.length() - 1);
    }

    /**
     * A journaled request: its record, its sending, which happens once (by the writer, or without
     * the cluster; never for one taken over from another instance), and the entry that holds it.
     */
    private static final class Request {
        final RequestRecord record;
        /** {@code null} for a request taken over: it was sent by the instance that wrote it. */
        final RequestJournal.Forward forward;
        final long queuedMillis;
        private final AtomicBoolean sent = new AtomicBoolean();
        /** The entry that holds it once written (only the writer uses it). */
        Entry entry;
        /** Answered, and so to leave its entry (only the writer uses it). */
        boolean settled;

        Request(RequestRecord record, RequestJournal.Forward forward, long queuedMillis) {
            this.record = record;
            this.forward = forward;
            this.queuedMillis = queuedMillis;
        }

        String key() {
            return ClusteredRequestJournal.key(record.requester(), record.id());
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

    /** One entry of the shared map and the requests it holds (only the writer uses it). */
    private static final class Entry {
        final String key;
        private final List<Request> requests;
        private int outstanding;

        Entry(String key, List<Request> requests) {
            this.key = key;
            this.requests = requests;
            this.outstanding = requests.size();
        }

        /** Whether that changed the entry (a request leaves it once). */
        boolean settle(Request request) {
            if (request.settled) {
                return false;
            }
            request.settled = true;
            outstanding--;
            return true;
        }

        boolean isSettled() {
            return outstanding == 0;
        }

        /** The entry's value: its requests that are not settled. */
        String[] value() {
            List<RequestRecord> records = new ArrayList<>(outstanding);
            for (Request request : requests) {
                if (!request.settled) {
                    records.add(request.record);
                }
            }
            return RequestRecord.encode(records);
        }
    }
}
