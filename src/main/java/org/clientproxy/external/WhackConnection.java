package org.clientproxy.external;

import java.lang.reflect.Field;

import org.jivesoftware.whack.ExternalComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jivesoftware.whack.ExternalComponentManager;
import org.xmpp.component.Component;
import org.xmpp.packet.Packet;

/**
 * One XEP-0114 connection made by Whack, with two of Whack's habits changed:
 * <ul>
 *   <li>Whack hands each received stanza to a pool of 25 threads, so a resource's
 *       {@code available} and {@code unavailable} can overtake each other. Here every stanza is
 *       handled in arrival order on the reading thread (the proxy never blocks).</li>
 *   <li>On a broken socket Whack reconnects by itself, retrying every 5 seconds forever while the
 *       sending thread waits; when the server closes the stream or the connection (what Prosody
 *       and ejabberd do when they shut down) Whack's reading thread just ends, telling no one.
 *       Here both are reported to the {@link Listener} at once: a broken socket by Whack's
 *       {@code connectionLost()}, every other end by the end of Whack's reading thread.
 *       {@link ComponentSession} notices a connection that dies without closing by pinging, and
 *       {@link ExternalProxy} reconnects.</li>
 * </ul>
 */
final class WhackConnection extends ExternalComponent {
    private static final Logger log = LoggerFactory.getLogger(WhackConnection.class);
    /** Whack 2.0.1 keeps its reading thread here, out of reach but for reflection. */
    private static final String READER_THREAD_FIELD = "readerThread";

    /** What the session needs to hear from the connection. */
    interface Listener {
        /** Whether the stanza was the session's own business (a ping reply); then the proxy never sees it. */
        boolean consumed(Packet packet);

        /** The connection ended: the server closed it, or reading or writing failed. */
        void connectionLost();
    }

    private final Listener listener;

    /**
     * @param component the component the stanzas are for
     * @param settings  Whack's connection settings: secret, server name, connect timeout
     * @param listener  told of ping replies and of the end of the connection
     */
    WhackConnection(Component component, ExternalComponentManager settings, Listener listener) {
        super(component, settings);
        this.listener = listener;
    }

    /** Starts Whack's reading thread, and a thread that tells the listener when it ends. */
    @Override
    public void start() {
        super.start();
        Thread reader = readerThread();
        Thread watcher = new Thread(() -> {
            try {
                reader.join();
            } catch (InterruptedException e) {
                return;
            }
            listener.connectionLost();
        }, "clientproxy-connection-end");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void processPacket(Packet packet) {
        log.debug("Received {}", packet);
        try {
            if (!listener.consumed(packet)) {
                getComponent().processPacket(packet);
            }
        } catch (RuntimeException e) {
            // Whack's reader would stop reading for good if this escaped.
            log.error("Failed to process a stanza from {}", packet.getFrom(), e);
        }
    }

    @Override
    public void connectionLost() {
        listener.connectionLost();
    }

    private Thread readerThread() {
        try {
            Field field = ExternalComponent.class.getDeclaredField(READER_THREAD_FIELD);
            field.setAccessible(true);
            return (Thread) field.get(this);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Whack's ExternalComponent has no reading thread in the field '"
                    + READER_THREAD_FIELD + "' (written for Whack 2.0.1)", e);
        }
    }
}
