package org.clientproxy.external;

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
 *       sending thread waits, and when the server closes the stream cleanly it stops reading
 *       without telling anyone. Here a broken socket is only reported to the {@link Listener};
 *       {@link ComponentSession} notices the silent case by pinging, and {@link ExternalProxy}
 *       reconnects.</li>
 * </ul>
 */
final class WhackConnection extends ExternalComponent {
    private static final Logger log = LoggerFactory.getLogger(WhackConnection.class);

    /** What the session needs to hear from the connection. */
    interface Listener {
        /** Whether the stanza was the session's own business (a ping reply); then the proxy never sees it. */
        boolean consumed(Packet packet);

        /** The socket broke: reading or writing failed. */
        void connectionLost();
    }

    private final Listener listener;

    /**
     * @param component the component the stanzas are for
     * @param settings  Whack's connection settings: secret, server name, connect timeout
     * @param listener  told of ping replies and of a broken socket
     */
    WhackConnection(Component component, ExternalComponentManager settings, Listener listener) {
        super(component, settings);
        this.listener = listener;
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
}
