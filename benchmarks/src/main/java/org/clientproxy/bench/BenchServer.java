package org.clientproxy.bench;

import java.util.HashMap;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * The in-memory server the benchmarks run a proxy against: {@code svc.example.org} on
 * {@code example.org}, forwarding to {@code impl@example.org} with two resources online. What the
 * proxy sends goes to {@link #delivered}, which each benchmark sets to what it needs.
 */
class BenchServer implements ComponentManager {
    static final String DOMAIN = "example.org";
    static final JID SERVICE = new JID("svc." + DOMAIN);
    static final JID TARGET = new JID("impl@" + DOMAIN);
    static final JID[] RESOURCES = {new JID("impl@" + DOMAIN + "/a"), new JID("impl@" + DOMAIN + "/b")};
    static final String NAMESPACE = "urn:example:bench";

    /** Receives each stanza the proxy sends; the default drops it. */
    interface Delivery {
        void deliver(Packet packet);
    }

    volatile Delivery delivered = packet -> { };

    /** A started proxy with both resources online. */
    ClientProxy startProxy(Map<String, String> overrides, ProxyClock clock) {
        Map<String, String> values = new HashMap<>(overrides);
        values.put(ProxySettings.TARGET, TARGET.toString());
        ClientProxy proxy;
        try {
            proxy = new ClientProxy(ProxySettings.parse("svc", values::get), clock);
        } catch (InvalidSettingsException e) {
            throw new IllegalArgumentException(e);
        }
        proxy.initialize(SERVICE, this);
        proxy.start();
        for (JID resource : RESOURCES) {
            Presence available = new Presence();
            available.setFrom(resource);
            available.setTo(SERVICE);
            proxy.processPacket(available);
        }
        if (proxy.status().resources().size() != RESOURCES.length) {
            throw new IllegalStateException("resources not online: " + proxy.status());
        }
        return proxy;
    }

    /** The index in {@link #RESOURCES} of the resource a forwarded request went to. */
    static int resourceIndex(Packet forwarded) {
        String to = forwarded.getElement().attributeValue("to");
        return RESOURCES[0].toString().equals(to) ? 0 : 1;
    }

    /** A small request payload, as a requester would send it. */
    static void addRequestPayload(Element iq, int n) {
        Element query = iq.addElement("query", NAMESPACE);
        // Fresh strings, as a parser makes them: whatever of them the proxy keeps counts against it.
        query.addElement("item").addAttribute("key", "k" + (n % 100)).setText("small payload " + n);
    }

    /** A small reply payload, as the implementing client would send it. */
    static void addReplyPayload(Element iq) {
        iq.addElement("query", NAMESPACE).addElement("value").setText("42");
    }

    /** A stanza built as the server's parser builds one: a fresh element tree, then the packet around it. */
    static IQ parsed(String type, String id, String from, String to, boolean request, int n) {
        Element iq = DocumentFactory.getInstance().createDocument().addElement("iq", "jabber:client");
        iq.addAttribute("type", type);
        iq.addAttribute("id", id);
        iq.addAttribute("from", from);
        iq.addAttribute("to", to);
        if (request) {
            addRequestPayload(iq, n);
        } else {
            addReplyPayload(iq);
        }
        return new IQ(iq);
    }

    @Override
    public void sendPacket(Component component, Packet packet) {
        delivered.deliver(packet);
    }

    @Override
    public String getServerName() {
        return DOMAIN;
    }

    @Override
    public void addComponent(String subdomain, Component component) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeComponent(String subdomain) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IQ query(Component component, IQ packet, long timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void query(Component component, IQ packet, IQResultListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getProperty(String name) {
        return null;
    }

    @Override
    public void setProperty(String name, String value) {
    }

    @Override
    public boolean isExternalMode() {
        return false;
    }
}
