package org.clientproxy.core;

import java.util.Set;

import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;

/**
 * The proxy's own address and what it answers itself: the queries the server sends when a
 * component registers (disco#info, disco#items, jabber:iq:version, ping from the server's own
 * addresses). Users' queries, disco#info included, go to the implementing client, which
 * describes the service.
 */
final class ServiceIdentity {
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String VERSION = "jabber:iq:version";
    private static final String PING = "urn:xmpp:ping";
    private static final Set<String> LOCAL_NAMESPACES = Set.of(DISCO_INFO, DISCO_ITEMS, VERSION, PING);

    final JID address;
    /** {@link #address} as it stands in a stanza. */
    final String addressString;
    final AddressTranslation translation;
    /** The XMPP domain of the server the proxy is a component of. */
    final String serverDomain;
    private final String serverSubdomainSuffix;
    private final String name;

    ServiceIdentity(JID address, String serverDomain, String name) {
        this.address = address;
        this.addressString = address.toString();
        this.translation = new AddressTranslation(address.getDomain());
        this.serverDomain = serverDomain;
        this.serverSubdomainSuffix = "." + serverDomain;
        this.name = name;
    }

    /** Whether {@code iq} is a query of the server's own (a domain address of it) that the proxy answers itself. */
    boolean isServerQuery(IQ iq, String from) {
        if (from.indexOf('@') >= 0 || from.indexOf('/') >= 0) {
            return false;
        }
        if (!from.equals(serverDomain) && !from.endsWith(serverSubdomainSuffix)) {
            return false;
        }
        Element query = iq.getChildElement();
        return query != null && LOCAL_NAMESPACES.contains(query.getNamespaceURI());
    }

    IQ answer(IQ query) {
        IQ result = IQ.createResultIQ(query);
        String namespace = query.getChildElement().getNamespaceURI();
        switch (namespace) {
            case DISCO_INFO -> {
                Element info = result.setChildElement("query", DISCO_INFO);
                info.addElement("identity")
                        .addAttribute("category", "component")
                        .addAttribute("type", "generic")
                        .addAttribute("name", name);
                for (String feature : new String[] {DISCO_INFO, VERSION, PING}) {
                    info.addElement("feature").addAttribute("var", feature);
                }
            }
            case DISCO_ITEMS -> result.setChildElement("query", DISCO_ITEMS);
            case VERSION -> {
                Element version = result.setChildElement("query", VERSION);
                version.addElement("name").setText(name);
                version.addElement("version").setText(implementationVersion());
            }
            default -> { } // ping: an empty result
        }
        return result;
    }

    private static String implementationVersion() {
        String version = ServiceIdentity.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
