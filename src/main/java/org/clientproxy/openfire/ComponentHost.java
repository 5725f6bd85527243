package org.clientproxy.openfire;

import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;

/**
 * Where proxies are registered as components. In Openfire this is its internal component
 * manager ({@link OpenfireComponentHost}); the seam keeps the registry testable off the server.
 */
interface ComponentHost {

    /** The XMPP domain the components' addresses end with. */
    String domain();

    /**
     * Whether another member of the server's cluster runs the proxies. Only one member may: the
     * server routes a component's stanzas to its local instance first, so with an instance on
     * every member a reply could reach an instance that never forwarded the request.
     */
    boolean isClusterStandby();

    /** Whether something (a component, or a service such as the file-transfer proxy) already answers at {@code <subdomain>.<domain>}. */
    boolean isTaken(String subdomain);

    /** Registers the component at {@code <subdomain>.<domain>}; the host initializes and starts it. */
    void register(String subdomain, Component component) throws ComponentException;

    /** Unregisters this component (only this one) from the subdomain; the host shuts it down. */
    void unregister(String subdomain, Component component);
}
