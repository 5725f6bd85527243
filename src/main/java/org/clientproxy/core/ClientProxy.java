package org.clientproxy.core;

import java.time.Duration;

import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * One proxy: a Tinder component that forwards IQ requests to an online resource of the
 * implementing client and relays the replies back (API outline; implementation in progress).
 */
public final class ClientProxy implements Component {
    /** How often the host must call {@link #expireOverdue()}. */
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

    private volatile ProxySettings settings;

    public ClientProxy(ProxySettings settings) {
        this(settings, ProxyClock.SYSTEM);
    }

    public ClientProxy(ProxySettings settings, ProxyClock clock) {
        this.settings = settings;
    }

    public ProxySettings settings() {
        return settings;
    }

    /** Applies new settings for the same subdomain live; a new target fails what is outstanding. */
    public void reconfigure(ProxySettings next) {
        this.settings = next;
    }

    /** Sends the subscription request and a presence probe to the target again. */
    public void resubscribe() {
    }

    /** Answers every request whose timeout has passed; the host calls it every {@link #SWEEP_INTERVAL}. */
    public void expireOverdue() {
    }

    public ProxyStatus status() {
        throw new UnsupportedOperationException("in progress");
    }

    public void resetCounters() {
    }

    @Override
    public String getName() {
        return "Client Proxy";
    }

    @Override
    public String getDescription() {
        return "Forwards IQ requests to " + settings.target();
    }

    @Override
    public void processPacket(Packet packet) {
    }

    @Override
    public void initialize(JID jid, ComponentManager componentManager) {
    }

    @Override
    public void start() {
    }

    @Override
    public void shutdown() {
    }
}
