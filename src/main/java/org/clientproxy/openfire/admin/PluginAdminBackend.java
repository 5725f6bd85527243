package org.clientproxy.openfire.admin;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ProxyState;

/** The loaded {@link ClientProxyPlugin} as the admin pages' {@link AdminBackend}. */
final class PluginAdminBackend implements AdminBackend {
    private final ClientProxyPlugin plugin;

    PluginAdminBackend(ClientProxyPlugin plugin) {
        this.plugin = plugin;
    }

    @Override
    public String domain() {
        return plugin.domain();
    }

    @Override
    public List<ProxyState> proxies() {
        return plugin.proxies();
    }

    @Override
    public boolean isTakenByAnotherService(String subdomain) {
        return plugin.isTakenByAnotherService(subdomain);
    }

    @Override
    public CompletableFuture<Void> applyConfiguration() {
        return plugin.applyConfiguration();
    }
}
