package org.clientproxy.testing;

import java.util.function.Consumer;

import org.xmpp.component.Component;
import org.xmpp.component.ComponentManager;
import org.xmpp.component.IQResultListener;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;

/**
 * A component manager for tests: it hands what a component sends to {@code sink} and supports
 * nothing else a proxy does not use.
 */
public class StubComponentManager implements ComponentManager {
    private final String serverName;
    private final Consumer<Packet> sink;

    public StubComponentManager(String serverName, Consumer<Packet> sink) {
        this.serverName = serverName;
        this.sink = sink;
    }

    @Override
    public void sendPacket(Component component, Packet packet) {
        sink.accept(packet);
    }

    @Override
    public String getServerName() {
        return serverName;
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
