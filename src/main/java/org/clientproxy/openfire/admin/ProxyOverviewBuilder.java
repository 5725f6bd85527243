package org.clientproxy.openfire.admin;

import java.util.List;
import java.util.Locale;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxyStatus;
import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ProxyState;

/** Builds the admin page's {@link ProxyOverview} from the plugin's proxies. */
public final class ProxyOverviewBuilder {
    private ProxyOverviewBuilder() {
    }

    /** The overview of the loaded plugin, or an empty one saying it is not loaded. */
    public static ProxyOverview forLoadedPlugin() {
        ClientProxyPlugin plugin = ClientProxyPlugin.instance();
        if (plugin == null) {
            return new ProxyOverview(false, List.of());
        }
        return build(plugin.domain(), plugin.proxies());
    }

    static ProxyOverview build(String domain, List<ProxyState> states) {
        return new ProxyOverview(true, states.stream().map(state -> row(domain, state)).toList());
    }

    private static ProxyRow row(String domain, ProxyState state) {
        String address = state.subdomain() + "." + domain;
        String target = state.values().getOrDefault(ProxySettings.TARGET, "");
        if (!state.running()) {
            return new ProxyRow(state.subdomain(), address, target, false, state.reason(), null, 0, 0);
        }
        ProxyStatus status = state.proxy().status();
        return new ProxyRow(state.subdomain(), address, target, true, null,
                status.subscription().name().toLowerCase(Locale.ROOT), status.resources().size(), status.outstanding());
    }
}
