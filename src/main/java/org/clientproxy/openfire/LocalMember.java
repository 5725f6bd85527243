package org.clientproxy.openfire;

import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.NodeID;
import org.xmpp.packet.JID;

/** What {@link OpenfireComponentHost} asks the running server about this member. */
final class LocalMember {
    private LocalMember() {
    }

    /** This member's ID in the cluster (static in Openfire 5: the same before and after it joins). */
    static NodeID nodeID() {
        return XMPPServer.getInstance().getNodeID();
    }

    static String hostName() {
        return XMPPServer.getInstance().getServerInfo().getHostname();
    }

    /** Whether a component at this address is registered on this member. */
    static boolean hostsComponent(JID address) {
        return XMPPServer.getInstance().getRoutingTable().isLocalRoute(address);
    }
}
