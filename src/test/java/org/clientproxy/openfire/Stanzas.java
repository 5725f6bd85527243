package org.clientproxy.openfire;

import org.xmpp.component.Component;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

/** Stanzas the tests deliver to a registered proxy, as Openfire would. */
final class Stanzas {
    private Stanzas() {
    }

    /** The implementing client's resource comes online (the proxy learns it from presence). */
    static void online(Component proxy, String proxyAddress, String resource) {
        Presence presence = new Presence();
        presence.setFrom(new JID(resource));
        presence.setTo(new JID(proxyAddress));
        proxy.processPacket(presence);
    }

    /** A user's request to the service. */
    static void request(Component proxy, String proxyAddress, String requester, String id) {
        IQ iq = new IQ(IQ.Type.get, id);
        iq.setFrom(new JID(requester));
        iq.setTo(new JID(proxyAddress));
        iq.setChildElement("query", "urn:example:service");
        proxy.processPacket(iq);
    }
}
