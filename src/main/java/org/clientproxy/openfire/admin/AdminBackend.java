package org.clientproxy.openfire.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.clientproxy.openfire.ProxyState;

/** What the admin pages need from the running plugin ({@link PluginAdminBackend} in Openfire). */
public interface AdminBackend {

    /** The XMPP domain; a proxy's service address is {@code <subdomain>.<domain>}. */
    String domain();

    /** Every configured proxy with its state, in configuration order. */
    List<ProxyState> proxies();

    /** Whether another component or service of the server holds {@code <subdomain>.<domain>}. */
    boolean isTakenByAnotherService(String subdomain);

    /** Applies the saved configuration; completes when the proxies are in line with it. */
    CompletableFuture<Void> applyConfiguration();
}
