package org.clientproxy.openfire.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.ProxyStatus;
import org.clientproxy.core.Strategy;
import org.clientproxy.openfire.ProxyState;

/** Builds the proxies page's {@link ProxyOverview} from the plugin's proxies. */
public final class ProxyOverviewBuilder {
    private ProxyOverviewBuilder() {
    }

    /**
     * @param users to warn about a target on this server whose account does not exist
     */
    public static ProxyOverview build(String domain, List<ProxyState> states, LocalUsers users) {
        return new ProxyOverview(domain, states.stream().map(state -> row(domain, state, users)).toList());
    }

    private static ProxyRow row(String domain, ProxyState state, LocalUsers users) {
        String address = state.subdomain() + "." + domain;
        Map<String, String> values = state.values();
        String target = values.getOrDefault(ProxySettings.TARGET, "");
        ProxySettings settings = state.settings();
        String subscription = null;
        int resources = 0;
        int outstanding = 0;
        if (state.running()) {
            ProxyStatus status = state.proxy().status();
            subscription = status.subscription().name().toLowerCase(Locale.ROOT);
            resources = status.resources().size();
            outstanding = status.outstanding();
        }
        if (settings == null) {
            // Invalid settings: show what is configured, as typed; the reason says what is wrong.
            String strategy = values.getOrDefault(ProxySettings.STRATEGY, ProxySettings.DEFAULT_STRATEGY.configName());
            return new ProxyRow(state.subdomain(), address, target, strategy, Strategy.fromConfigName(strategy) != null,
                    values.getOrDefault(ProxySettings.TIMEOUT_MILLIS, Long.toString(ProxySettings.DEFAULT_TIMEOUT_MILLIS)),
                    values.getOrDefault(ProxySettings.MAX_PER_REQUESTER, Integer.toString(ProxySettings.DEFAULT_MAX_PER_REQUESTER)),
                    values.getOrDefault(ProxySettings.MAX_OUTSTANDING, Integer.toString(ProxySettings.DEFAULT_MAX_OUTSTANDING)),
                    !"false".equalsIgnoreCase(values.getOrDefault(ProxySettings.ENABLED, "true").trim()),
                    false, StopReasonLines.of(state), null, 0, 0, null);
        }
        AdminMessage warning = null;
        if (settings.target().getDomain().equals(domain) && !users.exists(settings.target().getNode())) {
            warning = AdminMessage.of("clientproxy.warning.unknown-user", settings.target().toBareJID());
        }
        return new ProxyRow(state.subdomain(), address, settings.target().toBareJID(), settings.strategy().configName(),
                true, Long.toString(settings.timeout().toMillis()), Integer.toString(settings.maxPerRequester()),
                Integer.toString(settings.maxOutstanding()), settings.enabled(), state.running(), StopReasonLines.of(state),
                subscription, resources, outstanding, warning);
    }
}
