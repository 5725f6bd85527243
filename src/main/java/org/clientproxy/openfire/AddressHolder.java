package org.clientproxy.openfire;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * Holds a proxy's address while the plugin is replaced (an upload of a new version, a reload), so
 * that nothing sent to it is lost or bounced: without a component at the address, Openfire tries
 * it as a remote server and answers {@code remote-server-not-found} seconds later. The instance
 * that unloads registers it beside its proxy, then unregisters the proxy, which hands it every
 * stanza still under way and what it had outstanding ({@link #hold}). It queues every stanza
 * without blocking until the next instance takes over ({@link #takeOver}): that one processes the
 * queue, and the holder leaves the address. If no instance takes over within {@link #PATIENCE}
 * (the new version does not load, say), or the next instance does not run this proxy
 * ({@link #release}), it answers everything at once with {@code cancel/service-unavailable}, as an
 * unload without an upgrade does, and leaves the address.
 *
 * <p>It outlives its plugin's class loader, which Openfire closes right after the unload: it uses
 * only the JDK, Tinder, SLF4J, itself and classes of the plugin loaded before the unload ends,
 * and the next instance reaches it only through JDK types ({@link ProxyHandover}). Once it has
 * left the address and its thread has ended, nothing refers to it, and the old plugin's classes
 * can be collected.
 */
final class AddressHolder implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(AddressHolder.class);
    /**
     * How long it waits for the next instance. Openfire unloads and loads a replaced plugin in one
     * pass of its plugin monitor (about half a second on a small server, including the collection
     * it asks for); a client that waits longer than this has given up on most servers anyway.
     */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final String subdomain;
    private final int capacity;
    private final Duration patience;
    /** Unregisters this holder from its address (the unloading instance's host). */
    private final BiConsumer<String, Component> leave;
    private final ConcurrentLinkedQueue<Packet> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Counted down once it was taken over, released or gave up: its thread then ends. */
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean settled = new AtomicBoolean();
    /** Where stanzas go once the next instance took over, or how they are answered once nobody will. */
    private volatile Consumer<? super Packet> successor;
    private volatile ComponentManager manager;
    private volatile List<RequestRecord> outstanding = List.of();
    /** How stanzas are answered once nobody will process them; made now, while the plugin's class loader is open. */
    private final Consumer<Packet> unavailable = this::answerUnavailable;

    /**
     * @param capacity how many stanzas it queues at most; beyond that, requests get
     *                 {@code wait/resource-constraint} at once (the proxy's {@code maxOutstanding})
     * @param patience how long it waits for the next instance ({@link #PATIENCE})
     * @param leave    unregisters a component from a subdomain
     */
    AddressHolder(String subdomain, int capacity, Duration patience, BiConsumer<String, Component> leave) {
        this.subdomain = subdomain;
        this.capacity = capacity;
        this.patience = patience;
        this.leave = leave;
    }

    @Override
    public String getName() {
        return "Client Proxy";
    }

    @Override
    public String getDescription() {
        return "Holds the address of client proxy " + subdomain + " while the plugin is replaced";
    }

    @Override
    public void initialize(JID jid, ComponentManager componentManager) throws ComponentException {
        this.manager = componentManager;
    }

    @Override
    public void start() {
    }

    /** Openfire calls this when the holder was the last component at the address: nothing is left to do. */
    @Override
    public void shutdown() {
    }

    /** Never blocks: queues, or hands on once the next instance took over. */
    @Override
    public void processPacket(Packet packet) {
        Consumer<? super Packet> next = successor;
        if (next != null) {
            next.accept(packet);
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            answer(packet, PacketError.Condition.resource_constraint, PacketError.Type.wait,
                    "Too many requests wait for the service; try again later");
            return;
        }
        queue.add(packet);
        if (successor != null) {
            drain(); // taken over meanwhile: nobody else may look at the queue again
        }
    }

    /**
     * The proxy's requests that its next instance takes over, to answer if none does; starts the
     * wait for it, on a daemon thread that ends once it is over.
     *
     * @param withdraw takes this holder's offer back from where the next instance finds it;
     *                 false when that instance took it first
     */
    void hold(List<RequestRecord> requests, BooleanSupplier withdraw) {
        outstanding = List.copyOf(requests);
        Thread thread = new Thread(() -> awaitNextInstance(withdraw), "clientproxy-holder-" + subdomain);
        thread.setDaemon(true);
        // Not the plugin's class loader: this thread must not keep it alive.
        thread.setContextClassLoader(Component.class.getClassLoader());
        thread.start();
    }

    /**
     * The next instance runs the proxy: every stanza queued, and every one that still comes
     * here, goes to {@code next}; the holder leaves the address (the next instance is registered
     * there already, so the address keeps routing).
     */
    void takeOver(Consumer<? super Packet> next) {
        if (!settled.compareAndSet(false, true)) {
            throw new IllegalStateException("The address of client proxy " + subdomain + " was already given up");
        }
        successor = next;
        drain();
        finish();
    }

    /** The next instance does not run this proxy: everything is answered at once. */
    void release() {
        if (settled.compareAndSet(false, true)) {
            giveUp();
        }
    }

    private void awaitNextInstance(BooleanSupplier withdraw) {
        try {
            if (!done.await(patience.toMillis(), TimeUnit.MILLISECONDS) && withdraw.getAsBoolean()
                    && settled.compareAndSet(false, true)) {
                LOG.warn("No instance of the plugin took over client proxy {} within {} ms; answering its {} outstanding"
                        + " requests, and the requests among the {} stanzas that waited for it", subdomain,
                        patience.toMillis(), outstanding.size(), queued.get());
                giveUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Giving up the address of client proxy {} failed", subdomain, e);
        }
    }

    private void giveUp() {
        successor = unavailable;
        drain();
        for (RequestRecord request : outstanding) {
            IQ error = new IQ(IQ.Type.error, request.id());
            error.setFrom(request.service());
            error.setTo(new JID(request.requester(), true));
            error.setError(new PacketError(PacketError.Condition.service_unavailable, PacketError.Type.cancel,
                    "The service is shutting down"));
            send(error);
        }
        finish();
    }

    private void finish() {
        outstanding = List.of();
        done.countDown();
        leave.accept(subdomain, this);
    }

    private void drain() {
        Consumer<? super Packet> next = successor;
        for (Packet packet; (packet = queue.poll()) != null; ) {
            queued.decrementAndGet();
            next.accept(packet);
        }
    }

    private void answerUnavailable(Packet packet) {
        answer(packet, PacketError.Condition.service_unavailable, PacketError.Type.cancel, "The service is shutting down");
    }

    /** Answers a request with an error from the address it was sent to; anything else is dropped. */
    private void answer(Packet packet, PacketError.Condition condition, PacketError.Type type, String text) {
        if (packet instanceof IQ request && (request.getType() == IQ.Type.get || request.getType() == IQ.Type.set)) {
            IQ error = new IQ(IQ.Type.error, request.getID());
            error.setFrom(request.getTo());
            error.setTo(request.getFrom());
            error.setError(new PacketError(condition, type, text));
            send(error);
        }
    }

    private void send(Packet packet) {
        ComponentManager current = manager;
        try {
            if (current != null) {
                current.sendPacket(this, packet);
            }
        } catch (ComponentException | RuntimeException e) {
            LOG.warn("Could not send a stanza to {}", packet.getTo(), e);
        }
    }
}
