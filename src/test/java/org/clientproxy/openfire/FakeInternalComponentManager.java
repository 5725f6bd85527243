package org.clientproxy.openfire;

import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jivesoftware.openfire.component.InternalComponentManager;
import org.mockito.AdditionalAnswers;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * Openfire 5.1.1's {@code InternalComponentManager} (tag v5.1.1) on one server, for the methods
 * the plugin calls; {@link #manager} is the Openfire type, answering with the methods below
 * (any other call fails). As there:
 * <ul>
 * <li>{@code addComponent}, holding the manager's lock throughout: routes the address first,
 *     then calls {@code initialize} and {@code start}, then, if the address had no route before,
 *     sends the component a disco#info and a jabber:iq:version query from
 *     {@code component.<domain>} ({@code component.processPacket}, synchronously). A subdomain
 *     another component holds is shared quietly: both get its stanzas in turn. A component that
 *     throws is removed again (with the route, if it was the only one), and the exception comes
 *     back as a {@code ComponentException}.</li>
 * <li>{@code removeComponent(subdomain, component)} throws a NullPointerException for a
 *     subdomain that holds no component; it shuts the component down only when no other is left
 *     at the subdomain (so one sharing it with another is not shut down).</li>
 * <li>{@code hasComponent} asks the routing table: Openfire's own services (the file-transfer
 *     proxy at {@code proxy.<domain>}) have a route without a component ({@link #routes}).</li>
 * <li>{@code sendPacket} refuses a stanza without {@code from} and routes the rest (here: to
 *     {@code routed}).</li>
 * </ul>
 * What it cannot show: other members' routes and cluster tasks, and what the real router does
 * with what the components send; the real-Openfire tests check those.
 */
final class FakeInternalComponentManager {
    final String domain;
    /** The routing table's component routes (domains): the registered subdomains', and Openfire's own services'. */
    final Set<String> routes = ConcurrentHashMap.newKeySet();
    /** Openfire's type, backed by this. */
    final InternalComponentManager manager;
    private final Map<String, List<Component>> routables = new HashMap<>();
    private final Consumer<Packet> routed;

    FakeInternalComponentManager(String domain, Consumer<Packet> routed) {
        this.domain = domain;
        this.routed = routed;
        this.manager = mock(InternalComponentManager.class, AdditionalAnswers.delegatesTo(this));
    }

    public String getServerName() {
        return domain;
    }

    public JID getAddress() {
        return new JID(null, "component." + domain, null);
    }

    public void addComponent(String subdomain, Component component) throws ComponentException {
        synchronized (routables) {
            List<Component> routable = routables.get(subdomain);
            if (routable != null && routable.contains(component)) {
                return;
            }
            JID componentJID = new JID(subdomain + "." + domain);
            boolean isNewComponentRoute = false;
            if (routable != null) {
                routable.add(component);
            } else {
                routable = new ArrayList<>(List.of(component));
                routables.put(subdomain, routable);
                isNewComponentRoute = routes.add(componentJID.toString());
            }
            try {
                component.initialize(componentJID, manager);
                component.start();
                if (isNewComponentRoute) {
                    component.processPacket(query(componentJID, "http://jabber.org/protocol/disco#info"));
                    component.processPacket(query(componentJID, "jabber:iq:version"));
                }
            } catch (Exception e) {
                routable.remove(component);
                if (e instanceof ComponentException refused) {
                    throw refused;
                }
                throw new ComponentException(e);
            } finally {
                if (routable.isEmpty()) {
                    routables.remove(subdomain);
                    routes.remove(componentJID.toString());
                }
            }
        }
    }

    public void removeComponent(String subdomain) {
        List<Component> components;
        synchronized (routables) {
            components = routables.get(subdomain);
            if (components == null) {
                return;
            }
            components = List.copyOf(components);
        }
        for (Component component : components) {
            removeComponent(subdomain, component);
        }
    }

    public void removeComponent(String subdomain, Component component) {
        if (component == null) {
            return;
        }
        synchronized (routables) {
            List<Component> routable = routables.get(subdomain);
            routable.remove(component); // a NullPointerException for a subdomain without a component, as in 5.1.1
            if (routable.isEmpty()) {
                routables.remove(subdomain);
                routes.remove(subdomain + "." + domain);
                component.shutdown();
            }
        }
    }

    public boolean hasComponent(JID componentJID) {
        synchronized (routables) {
            if (componentJID.getNode() != null || componentJID.getResource() != null) {
                return false;
            }
            return routes.contains(componentJID.toString());
        }
    }

    public void sendPacket(Component component, Packet packet) {
        if (packet != null && packet.getFrom() == null) {
            throw new IllegalArgumentException("Packet with no FROM address was received from component.");
        }
        routed.accept(packet);
    }

    public String getProperty(String name) {
        return null;
    }

    /** The components registered at {@code subdomain}, in the order they take stanzas. */
    List<Component> components(String subdomain) {
        synchronized (routables) {
            return List.copyOf(routables.getOrDefault(subdomain, List.of()));
        }
    }

    /**
     * Delivers a stanza to {@code subdomain} as Openfire's routing does: to its next component in
     * turn ({@code RoutableComponents.process}), on the caller's thread.
     */
    void route(String subdomain, Packet packet) {
        Component next;
        synchronized (routables) {
            List<Component> routable = routables.get(subdomain);
            if (routable == null) {
                throw new AssertionError("no component at " + subdomain + " for " + packet.toXML());
            }
            next = routable.get(0);
            Collections.rotate(routable, 1);
        }
        next.processPacket(packet);
    }

    /** Every subdomain with a component, with its components. */
    Map<String, List<Component>> registered() {
        synchronized (routables) {
            Map<String, List<Component>> copy = new HashMap<>();
            routables.forEach((subdomain, components) -> copy.put(subdomain, List.copyOf(components)));
            return copy;
        }
    }

    /** Openfire drops every registration without telling the components (its routing lost them). */
    void forgetAll() {
        synchronized (routables) {
            routables.keySet().forEach(subdomain -> routes.remove(subdomain + "." + domain));
            routables.clear();
        }
    }

    private IQ query(JID to, String namespace) {
        IQ iq = new IQ(IQ.Type.get);
        iq.setFrom(getAddress());
        iq.setTo(to);
        iq.setChildElement("query", namespace);
        return iq;
    }
}
