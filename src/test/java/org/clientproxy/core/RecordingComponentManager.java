package org.clientproxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;

/** An in-memory component manager for the server {@code example.org}: it records what the component sends. */
final class RecordingComponentManager implements ComponentManager {
    static final String SERVER = "example.org";

    private final ConcurrentLinkedQueue<Packet> sent = new ConcurrentLinkedQueue<>();

    @Override
    public void sendPacket(Component component, Packet packet) {
        sent.add(packet);
    }

    /** Everything sent since the last call, oldest first. */
    List<Packet> takeAll() {
        List<Packet> taken = new ArrayList<>();
        for (Packet packet; (packet = sent.poll()) != null; ) {
            taken.add(packet);
        }
        return taken;
    }

    /** The one stanza sent since the last call; fails when there was none or more than one. */
    <T extends Packet> T takeOnly(Class<T> type) {
        List<Packet> taken = takeAll();
        if (taken.size() != 1 || !type.isInstance(taken.get(0))) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", got " + taken);
        }
        return type.cast(taken.get(0));
    }

    List<Packet> takeMatching(Predicate<Packet> filter) {
        return takeAll().stream().filter(filter).toList();
    }

    @Override
    public String getServerName() {
        return SERVER;
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
