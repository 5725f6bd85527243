package org.clientproxy.it.relay;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.clientproxy.it.probe.TestPluginJar;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * A bare relay, the control of the cluster benchmark (BENCHMARKS.md, part 4), packed at run time
 * and never shipped: an internal component {@code <plugin name>.<domain>} that sends every get and set on
 * to {@code impl@<domain>/r} from {@code relay.<domain>/<requester>}, and its answer back, and
 * does nothing else (no bookkeeping, no journal). What it costs is what any internal component
 * costs Openfire.
 */
public final class RelayPlugin implements Plugin {
    private volatile String subdomain;

    /**
     * Writes the plugin jar into {@code directory}: {@code <subdomain>.jar}, since Openfire names a
     * plugin after its file and the relay registers at the plugin's name.
     */
    public static Path jar(Path directory, String subdomain) throws IOException {
        return TestPluginJar.build(directory, subdomain, "Client Proxy benchmark relay",
                "A bare relay component, the control of the cluster benchmark. Never shipped.", RelayPlugin.class,
                List.of(RelayPlugin.class, Relay.class), null);
    }

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        subdomain = pluginDirectory.getName();
        try {
            InternalComponentManager.getInstance().addComponent(subdomain, new Relay());
        } catch (ComponentException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroyPlugin() {
        InternalComponentManager.getInstance().removeComponent(subdomain);
    }

    /** The component: addresses rewritten, nothing remembered. */
    static final class Relay implements Component {
        private volatile ComponentManager manager;
        private volatile JID address;
        private volatile JID target;

        @Override
        public String getName() {
            return "Benchmark relay";
        }

        @Override
        public String getDescription() {
            return "Relays IQs to impl/r and back";
        }

        @Override
        public void initialize(JID jid, ComponentManager componentManager) {
            this.address = jid;
            this.manager = componentManager;
            this.target = new JID("impl", componentManager.getServerName(), "r");
        }

        @Override
        public void processPacket(Packet packet) {
            if (!(packet instanceof IQ iq) || packet.getFrom() == null) {
                return;
            }
            IQ out = iq.createCopy();
            if (iq.isRequest()) {
                out.setFrom(new JID(null, address.getDomain(), iq.getFrom().toString(), true));
                out.setTo(target);
            } else if (iq.getTo() != null && iq.getTo().getResource() != null) {
                out.setFrom(address);
                out.setTo(new JID(iq.getTo().getResource()));
            } else {
                return;
            }
            try {
                manager.sendPacket(this, out);
            } catch (ComponentException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void start() {
        }

        @Override
        public void shutdown() {
        }
    }
}
