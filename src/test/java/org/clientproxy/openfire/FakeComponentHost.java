package org.clientproxy.openfire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.testing.StubComponentManager;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * An in-memory component host that behaves as Openfire's does for our purposes: registering
 * initializes and starts the component, several components may share a subdomain (Openfire
 * hands each stanza to the next in turn), unregistering the last one of a subdomain shuts it down
 * (as {@code InternalComponentManager.removeComponent} does), and every stanza a component sends
 * is recorded. Safe to use from the plugin's worker thread and the test thread at once.
 */
final class FakeComponentHost implements ComponentHost {
    static final String DOMAIN = "example.org";

    /** The component registered at each subdomain; while several share one, the one registered last. */
    final Map<String, Component> registered = new ConcurrentHashMap<>();
    /** Every component at each subdomain, in turn as Openfire hands them stanzas. */
    private final Map<String, List<Component>> components = new HashMap<>();
    final Set<String> taken = ConcurrentHashMap.newKeySet();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Subdomains whose check for a taken address fails unexpectedly. */
    final Set<String> broken = ConcurrentHashMap.newKeySet();
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    final Queue<Packet> sent = new ConcurrentLinkedQueue<>();

    private final ComponentManager manager = new StubComponentManager(DOMAIN, packet -> sent.add(packet.createCopy()));

    @Override
    public String domain() {
        return DOMAIN;
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
        return registered.containsKey(subdomain) ? List.of("this member") : List.of();
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
        return taken.contains(subdomain) || registered.containsKey(subdomain);
    }

    @Override
    public void register(String subdomain, Component component) throws ComponentException {
        if (refused.contains(subdomain)) {
            throw new ComponentException("refused by the test");
        }
        synchronized (components) {
            List<Component> shared = components.computeIfAbsent(subdomain, key -> new ArrayList<>());
            if (shared.contains(component)) {
                throw new AssertionError("registered twice: " + subdomain);
            }
            shared.add(component);
            registered.put(subdomain, component);
        }
        events.add("register " + subdomain);
        component.initialize(new JID(null, subdomain + "." + DOMAIN, null), manager);
        component.start();
    }

    /** Journals attached and detached, and whether the proxy was registered at the time. */
    final List<String> journals = new CopyOnWriteArrayList<>();

    @Override
    public void attachJournal(String subdomain, ClientProxy proxy) {
        journals.add("attach " + subdomain + (registered.containsKey(subdomain) ? " registered" : " unregistered"));
    }

    /** How often the plugin's sweep asked the journals to forward what waits for the cluster too long. */
    final AtomicInteger journalSweeps = new AtomicInteger();

    @Override
    public void sweepJournals() {
        journalSweeps.incrementAndGet();
    }

    @Override
    public void drainJournal(String subdomain) {
        journals.add("drain " + subdomain + (registered.containsKey(subdomain) ? " registered" : " unregistered"));
    }

    @Override
    public void detachJournal(String subdomain) {
        journals.add("detach " + subdomain + (registered.containsKey(subdomain) ? " registered" : " unregistered"));
    }

    @Override
    public void unregister(String subdomain, Component component) {
        boolean last;
        synchronized (components) {
            List<Component> shared = components.getOrDefault(subdomain, new ArrayList<>());
            if (!shared.remove(component)) {
                throw new AssertionError("not registered: " + subdomain);
            }
            last = shared.isEmpty();
            if (last) {
                components.remove(subdomain);
                registered.remove(subdomain);
            } else {
                registered.put(subdomain, shared.get(shared.size() - 1));
            }
        }
        events.add("unregister " + subdomain);
        if (last) {
            component.shutdown();
        }
    }

    /** The components at a subdomain, in turn. */
    List<Component> componentsAt(String subdomain) {
        synchronized (components) {
            return List.copyOf(components.getOrDefault(subdomain, List.of()));
        }
    }

    /**
     * Delivers a stanza to the address as Openfire's routing does: to the next component of the
     * subdomain in turn ({@code RoutableComponents.process}), on the caller's thread.
     */
    void route(String subdomain, Packet packet) {
        Component next;
        synchronized (components) {
            List<Component> shared = components.get(subdomain);
            if (shared == null) {
                throw new AssertionError("nothing at " + subdomain + " for " + packet.toXML());
            }
            next = shared.get(0);
            Collections.rotate(shared, 1);
        }
        next.processPacket(packet);
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
