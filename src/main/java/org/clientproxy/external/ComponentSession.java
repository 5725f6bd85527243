package org.clientproxy.external;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.clientproxy.core.ClientProxy;
import org.jivesoftware.whack.ExternalComponentManager;
import org.xmpp.component.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * One connection to the server with one {@link ClientProxy} on it, from handshake to close. The
 * proxy sees this session as its {@link ComponentManager}. A new connection gets a new session
 * and a new proxy, so nothing from a lost connection (outstanding requests, known resources)
 * leaks into the next one; the new proxy subscribes and probes the target when it starts.
 */
final class ComponentSession implements ComponentManager, WhackConnection.Listener {
    private static final Logger log = LoggerFactory.getLogger(ComponentSession.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final String PING_NAMESPACE = "urn:xmpp:ping";
    private static final AtomicLong PING_IDS = new AtomicLong();

    private final ExternalConfig config;
    private final ClientProxy proxy;
    private final WhackConnection connection;
    private final Consumer<ComponentSession> onLost;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicReference<String> unansweredPing = new AtomicReference<>();
    private final Map<String, String> properties = new ConcurrentHashMap<>();
    private volatile JID address;
    /** What broke the connection, as Whack or the ping saw it; {@code null} while it is fine or when unknown. */
    private volatile String failure;

    private ComponentSession(ExternalConfig config, Consumer<ComponentSession> onLost) {
        this.config = config;
        this.onLost = onLost;
        this.proxy = new ClientProxy(config.proxy());
        WhackLog whackLog = new WhackLog(cause -> failure = cause.toString());
        ExternalComponentManager whackSettings =
                new ExternalComponentManager(config.serverHost(), config.componentPort(), false) {
                    @Override
                    public Log getLog() {
                        return whackLog;
                    }
                };
        whackSettings.setServerName(config.domain());
        whackSettings.setSecretKey(config.proxy().subdomain(), config.secret());
        whackSettings.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        this.connection = new WhackConnection(proxy, whackSettings, this);
    }

    /**
     * Connects, authenticates with the shared secret and starts a new proxy on the connection.
     *
     * @param onLost told once, with this session, when the connection is found broken; the
     *               session is then useless and should be closed
     * @throws ComponentException the server is unreachable or refused the handshake
     */
    static ComponentSession open(ExternalConfig config, Consumer<ComponentSession> onLost) throws ComponentException {
        ComponentSession session = new ComponentSession(config, onLost);
        session.connection.connect(config.serverHost(), config.componentPort(), config.proxy().subdomain(), false);
        session.address = new JID(null, session.connection.getDomain(), null);
        session.connection.initialize(session.address, session);
        try {
            session.connection.start();
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** What broke the connection (an exception, or the unanswered ping), or {@code null} when the server just closed it. */
    String failure() {
        return failure;
    }

    ClientProxy proxy() {
        return proxy;
    }

    JID address() {
        return address;
    }

    /**
     * Pings the server (XEP-0199). If the previous ping is still unanswered, the connection is
     * taken as lost instead: this is how a connection that died without closing (a server that
     * hangs, a network path that vanished without a reset) is noticed; a closed one is reported by
     * the connection at once. Any answer counts, an error too.
     */
    void ping() {
        if (lost.get()) {
            return;
        }
        String previous = unansweredPing.get();
        if (previous != null) {
            failure = "no answer from " + config.domain() + " to ping " + previous + " within "
                    + config.pingInterval().toMillis() + " ms";
            connectionLost();
            return;
        }
        IQ ping = new IQ(IQ.Type.get, "clientproxy-ping-" + PING_IDS.incrementAndGet());
        ping.setFrom(address);
        ping.setTo(config.domain());
        ping.setChildElement("ping", PING_NAMESPACE);
        unansweredPing.set(ping.getID());
        connection.send(ping);
    }

    /** Shuts the proxy down (it answers what is outstanding, if the connection still carries it) and disconnects. */
    void close() {
        lost.set(true);
        connection.shutdown();
    }

    @Override
    public boolean consumed(Packet packet) {
        if (packet instanceof IQ iq && (iq.getType() == IQ.Type.result || iq.getType() == IQ.Type.error)
                && iq.getFrom() != null && config.domain().equals(iq.getFrom().toString())) {
            String expected = unansweredPing.get();
            // compareAndSet compares references: hand it the very string that was stored.
            return expected != null && expected.equals(iq.getID()) && unansweredPing.compareAndSet(expected, null);
        }
        return false;
    }

    @Override
    public void connectionLost() {
        if (lost.compareAndSet(false, true)) {
            onLost.accept(this);
        }
    }

    @Override
    public void sendPacket(Component component, Packet packet) {
        connection.send(packet);
    }

    @Override
    public void addComponent(String subdomain, Component component) throws ComponentException {
        throw new ComponentException("A session carries exactly one component");
    }

    @Override
    public void removeComponent(String subdomain) throws ComponentException {
        throw new ComponentException("A session carries exactly one component");
    }

    @Override
    public IQ query(Component component, IQ packet, long timeout) throws ComponentException {
        throw new ComponentException("Blocking queries are not supported");
    }

    @Override
    public void query(Component component, IQ packet, IQResultListener listener) throws ComponentException {
        throw new ComponentException("Queries with a listener are not supported");
    }

    @Override
    public String getProperty(String name) {
        return properties.get(name);
    }

    @Override
    public void setProperty(String name, String value) {
        properties.put(name, value);
    }

    @Override
    public String getServerName() {
        return config.domain();
    }

    @Override
    public boolean isExternalMode() {
        return true;
    }
}
