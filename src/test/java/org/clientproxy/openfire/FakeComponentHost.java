package org.clientproxy.openfire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;

/**
 * The plugin's {@link OpenfireComponentHost} over Openfire 5.1.1's component manager
 * ({@link FakeInternalComponentManager}): registering initializes the component, Openfire
 * initializes and starts it again and sends it its disco#info and version queries; unregistering
 * a subdomain that has no component throws Openfire's NullPointerException. Every stanza a
 * component sends is recorded in {@link #sent}. The cluster side (role, which member runs a
 * proxy, stale routes, journals) is the test's to set. Safe to use from the plugin's worker
 * thread and the test thread at once.
 */
final class FakeComponentHost implements ComponentHost {
    static final String DOMAIN = "example.org";

    /** Addresses taken by Openfire's own services or other members (routes without a component here). */
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Subdomains whose check for a taken address fails unexpectedly. */
    final Set<String> broken = ConcurrentHashMap.newKeySet();
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    final Queue<Packet> sent = new ConcurrentLinkedQueue<>();
    /** Openfire's component manager on this member. */
    final FakeInternalComponentManager openfire = new FakeInternalComponentManager(DOMAIN, packet -> sent.add(packet.createCopy()));
    private final OpenfireComponentHost adapter = new OpenfireComponentHost(() -> openfire.manager, System::nanoTime);

    /** The component registered at each subdomain; fails if two share one (Openfire allows it, the plugin must not cause it). */
    Map<String, Component> registered() {
        Map<String, Component> one = new HashMap<>();
        openfire.registered().forEach((subdomain, components) -> {
            if (components.size() != 1) {
                throw new AssertionError(subdomain + " is shared by " + components);
            }
            one.put(subdomain, components.get(0));
        });
        return one;
    }

    @Override
    public String domain() {
        return adapter.domain();
    }

    volatile ClusterRole clusterRole = ClusterRole.ALONE;
    /** Taken subdomains whose registration is stale: {@link #clearStaleRegistration} frees them. */
    final Set<String> stale = ConcurrentHashMap.newKeySet();

    @Override
    public ClusterRole clusterRole() {
        return clusterRole;
    }

    @Override
    public List<String> runners(String subdomain) {
        return openfire.components(subdomain).isEmpty() ? List.of() : List.of("this member");
    }

    @Override
    public boolean clearStaleRegistration(String subdomain) {
        if (!stale.remove(subdomain)) {
            return false;
        }
        events.add("clear " + subdomain);
        taken.remove(subdomain);
        return true;
    }

    @Override
    public boolean isTaken(String subdomain) {
        if (broken.contains(subdomain)) {
            throw new IllegalStateException("broken by the test");
        }
        return taken.contains(subdomain) || adapter.isTaken(subdomain);
    }

    @Override
    public void register(String subdomain, Component component) throws ComponentException {
        if (refused.contains(subdomain)) {
            throw new ComponentException("refused by the test");
        }
        events.add("register " + subdomain);
        adapter.register(subdomain, component);
    }

    /** Journals attached and detached, and whether the proxy was registered at the time. */
    final List<String> journals = new CopyOnWriteArrayList<>();
    /**
     * The cluster's shared map, when the test gives one: a senior then journals each proxy's
     * requests there as {@link OpenfireComponentHost#attachJournal} does (a
     * {@link ClusteredRequestJournal} writing on a thread of its own).
     */
    volatile Map<String, Object> cluster;
    private final Map<String, ClusteredRequestJournal> clusterJournals = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> journalWriters = new ConcurrentHashMap<>();

    @Override
    public void attachJournal(String subdomain, ClientProxy proxy) {
        journals.add("attach " + subdomain + (openfire.components(subdomain).isEmpty() ? " unregistered" : " registered"));
        Map<String, Object> shared = cluster;
        if (shared == null || clusterRole != ClusterRole.SENIOR) {
            return;
        }
        ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "test-journal-" + subdomain);
            thread.setDaemon(true);
            return thread;
        });
        ClusteredRequestJournal journal = new ClusteredRequestJournal(subdomain, shared, System::currentTimeMillis, writer,
                requester -> false);
        proxy.setJournal(journal);
        clusterJournals.put(subdomain, journal);
        journalWriters.put(subdomain, writer);
    }

    @Override
    public void sweepJournals() {
        clusterJournals.values().forEach(ClusteredRequestJournal::sendWhatWaitsTooLong);
    }

    @Override
    public void detachJournal(String subdomain) {
        journals.add("detach " + subdomain + (openfire.components(subdomain).isEmpty() ? " unregistered" : " registered"));
        clusterJournals.remove(subdomain);
        ExecutorService writer = journalWriters.remove(subdomain);
        if (writer != null) {
            writer.shutdownNow();
        }
    }

    /** As {@link OpenfireComponentHost#drainJournal}: the writes queued run, then what still waits is sent. */
    @Override
    public void drainJournal(String subdomain) {
        journals.add("drain " + subdomain + (openfire.components(subdomain).isEmpty() ? " unregistered" : " registered"));
        ClusteredRequestJournal journal = clusterJournals.remove(subdomain);
        ExecutorService writer = journalWriters.remove(subdomain);
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(2 * ClusteredRequestJournal.WRITE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                journal.sendWhatWaitsTooLong();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void unregister(String subdomain, Component component) {
        events.add("unregister " + subdomain);
        adapter.unregister(subdomain, component);
    }

    @Override
    public void handOverAddress(String subdomain, Component component) {
        events.add("hand over " + subdomain);
        adapter.handOverAddress(subdomain, component);
    }

    /** The components at a subdomain, in the order Openfire hands them stanzas. */
    List<Component> componentsAt(String subdomain) {
        return openfire.components(subdomain);
    }

    /** Delivers a stanza to the proxy's address as Openfire's routing does ({@link FakeInternalComponentManager#route}). */
    void route(String subdomain, Packet packet) {
        openfire.route(subdomain, packet);
    }

    /** The IQ errors sent to this address so far. */
    List<IQ> errorsTo(String address) {
        List<IQ> errors = new ArrayList<>();
        for (Packet packet : sent) {
            if (packet instanceof IQ iq && iq.getType() == IQ.Type.error && address.equals(String.valueOf(iq.getTo()))) {
                errors.add(iq);
            }
        }
        return errors;
    }

    /** The IQ requests sent to this address so far. */
    List<IQ> requestsTo(String address) {
        List<IQ> requests = new ArrayList<>();
        for (Packet packet : sent) {
            if (packet instanceof IQ iq && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)
                    && address.equals(String.valueOf(iq.getTo()))) {
                requests.add(iq);
            }
        }
        return requests;
    }
}
