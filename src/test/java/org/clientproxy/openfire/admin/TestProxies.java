package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.GroupMembership;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxyClock;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.RosterHost;
import org.clientproxy.openfire.ConfiguredProxy;
import org.clientproxy.openfire.StopReason;
import org.clientproxy.testing.StubComponentManager;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/** Real proxies, registered with a component manager that only records what they send. */
final class TestProxies {
    static final StopReason DISABLED = StopReason.of("clientproxy.reason.disabled", "disabled in its settings");

    final List<Packet> sent = new ArrayList<>();

    private final ComponentManager manager = new StubComponentManager(AdminFixture.DOMAIN, packet -> sent.add(packet.createCopy()));

    /** A started proxy at {@code <subdomain>.example.org} with these raw values. */
    ConfiguredProxy running(String subdomain, Map<String, String> values) {
        try {
            ClientProxy proxy = new ClientProxy(ProxySettings.parse(subdomain, values::get));
            proxy.initialize(new JID(null, subdomain + "." + AdminFixture.DOMAIN, null), manager);
            proxy.start();
            return new ConfiguredProxy(subdomain, values, proxy.settings(), proxy, null);
        } catch (InvalidSettingsException e) {
            throw new IllegalArgumentException(e);
        }
    }

    ConfiguredProxy running(String subdomain, String target) {
        return running(subdomain, Map.of(ProxySettings.TARGET, target));
    }

    /** A running proxy whose local target's account does not exist: the plugin writes its roster once it does. */
    ConfiguredProxy awaitingAccount(String subdomain, String target) {
        try {
            ClientProxy proxy = new ClientProxy(ProxySettings.parse(subdomain, Map.of(ProxySettings.TARGET, target)::get),
                    ProxyClock.SYSTEM, new RosterHost.None() {
                        @Override
                        public boolean writesRosterOf(JID jid) {
                            return true;
                        }
                    }, GroupMembership.NONE);
            proxy.initialize(new JID(null, subdomain + "." + AdminFixture.DOMAIN, null), manager);
            proxy.start();
            proxy.rosterAwaitingAccount(new JID(target));
            return new ConfiguredProxy(subdomain, Map.of(ProxySettings.TARGET, target), proxy.settings(), proxy, null);
        } catch (InvalidSettingsException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ConfiguredProxy stopped(String subdomain, Map<String, String> values, StopReason reason) {
        ProxySettings settings;
        try {
            settings = ProxySettings.parse(subdomain, values::get);
        } catch (InvalidSettingsException e) {
            settings = null;
        }
        return new ConfiguredProxy(subdomain, values, settings, null, reason);
    }

    /** A proxy whose values are not valid, with the reason the plugin gives it. */
    static ConfiguredProxy invalid(String subdomain, Map<String, String> values) {
        try {
            ProxySettings.parse(subdomain, values::get);
        } catch (InvalidSettingsException e) {
            return new ConfiguredProxy(subdomain, values, null, null, StopReason.invalid(e));
        }
        throw new IllegalArgumentException("valid settings: " + values);
    }

    /** The implementing client's resource comes online. */
    static void online(ConfiguredProxy state, String resource) {
        Presence presence = new Presence();
        presence.setFrom(new JID(resource));
        presence.setTo(new JID(state.subdomain() + "." + AdminFixture.DOMAIN));
        state.proxy().processPacket(presence);
    }

    /** The implementing client approves the subscription. */
    static void subscribed(ConfiguredProxy state) {
        Presence presence = new Presence(Presence.Type.subscribed);
        presence.setFrom(state.settings().target());
        presence.setTo(new JID(state.subdomain() + "." + AdminFixture.DOMAIN));
        state.proxy().processPacket(presence);
    }

    /** A user's request to the service; returns the id. */
    static String request(ConfiguredProxy state, String requester, String id) {
        IQ iq = new IQ(IQ.Type.get, id);
        iq.setFrom(new JID(requester));
        iq.setTo(new JID(state.subdomain() + "." + AdminFixture.DOMAIN));
        iq.setChildElement("query", "urn:example:service");
        state.proxy().processPacket(iq);
        return id;
    }

    /** The forwarded copy of the last request, as the resource received it. */
    IQ lastForwarded() {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i) instanceof IQ iq && iq.getType() == IQ.Type.get) {
                return iq;
            }
        }
        throw new AssertionError("nothing forwarded");
    }

    /** The resource answers a forwarded request with a result. */
    static void answer(ConfiguredProxy state, IQ forwarded) {
        IQ result = IQ.createResultIQ(forwarded);
        state.proxy().processPacket(result);
    }

    /** The presence stanzas of this type sent so far. */
    List<Presence> presences(Presence.Type type) {
        return sent.stream().filter(packet -> packet instanceof Presence presence && presence.getType() == type)
                .map(Presence.class::cast).toList();
    }
}
