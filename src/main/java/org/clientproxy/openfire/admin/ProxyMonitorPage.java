package org.clientproxy.openfire.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ConfiguredProxy;
import org.jivesoftware.util.WebManager;

/**
 * client-proxy-monitor.jsp: what each proxy is doing, and its last hour as a chart
 * ({@link HourChart}). {@code ?refresh=<seconds>} reloads the page by GET, so nothing is ever
 * resubmitted. Its two buttons post {@code action=resubscribe} ({@link #resubscribe}) or
 * {@code action=reset} ({@link #reset}) with {@code subdomain}, and come back to that proxy on
 * the page, whose box then shows the outcome.
 */
public final class ProxyMonitorPage extends AdminPage {
    public static final String PAGE = "client-proxy-monitor.jsp";
    static final String REFRESH = "refresh";
    static final String RESUBSCRIBE = "resubscribe";
    static final String RESET = "reset";
    static final List<Integer> REFRESH_CHOICES = List.of(0, 5, 10, 30, 60);

    private List<ProxyView> proxies = List.of();
    private final Map<String, HourChart> charts = new LinkedHashMap<>();
    private Flash done;
    private int refreshSeconds;

    ProxyMonitorPage(ClientProxyPlugin plugin, WebManager webManager, HttpServletRequest request) {
        super(plugin, webManager, request);
    }

    /** The page for this request, as the JSP renders it (or redirects to {@link #getRedirect()}). */
    public static ProxyMonitorPage handle(WebManager webManager, HttpServletRequest request) {
        ProxyMonitorPage page = new ProxyMonitorPage(ClientProxyPlugin.instance(), webManager, request);
        page.handle();
        return page;
    }

    @Override
    void get() {
        refreshSeconds = refresh(parameter(REFRESH));
        done = takeFlash(PAGE);
        proxies = proxyViews();
        for (ProxyView proxy : proxies) {
            if (proxy.isRunning()) {
                charts.put(proxy.getSubdomain(), new HourChart(proxy.lastHour()));
            }
        }
        if (done != null && proxies.stream().noneMatch(proxy -> proxy.getSubdomain().equals(done.subdomain()))) {
            success(done.success()); // the proxy is gone meanwhile: the box above the page says it
            done = null;
        }
    }

    @Override
    void post(String action) {
        refreshSeconds = refresh(parameter(REFRESH));
        String subdomain = parameter(ProxyForm.SUBDOMAIN);
        if (RESUBSCRIBE.equals(action) && subdomain != null) {
            resubscribe(subdomain);
        } else if (RESET.equals(action) && subdomain != null) {
            reset(subdomain);
        } else {
            error(Message.of("clientproxy.error.bad-request"));
        }
        if (getRedirect() == null) {
            proxies = proxyViews();
        }
    }

    /**
     * Asks for the target's presence again: an account of this server gets the proxy's roster item
     * written again (also after the account revoked it), any other the subscription request and a
     * presence probe. The page waits for the plugin to have done it, so that it shows the result.
     */
    private void resubscribe(String subdomain) {
        onRunning(subdomain, proxy -> {
            boolean viaRoster = proxy.status().subscription().viaRoster();
            boolean done = await(plugin.renewPresence(subdomain), "Asking again for the presence of client proxy " + subdomain);
            webManager.logEvent((viaRoster ? "Wrote the roster item of client proxy " + address(subdomain) + " again"
                    : "Re-sent the subscription request of client proxy " + address(subdomain)),
                    "target=" + proxy.settings().target());
            return new Outcome(viaRoster ? "roster-renewed" : "resubscribed", done);
        });
    }

    /** Sets the proxy's counters back to zero (the latency and the last hour count by time, and stay). */
    private void reset(String subdomain) {
        onRunning(subdomain, proxy -> {
            proxy.resetCounters();
            webManager.logEvent("Reset the counters of client proxy " + address(subdomain), null);
            return new Outcome("reset", true);
        });
    }

    /** Does {@code action} to the proxy if it runs, then redirects back to it with the outcome the action returns. */
    private void onRunning(String subdomain, Function<ClientProxy, Outcome> action) {
        Optional<ConfiguredProxy> state = state(subdomain);
        if (state.isEmpty()) {
            error(Message.of("clientproxy.error.unknown-proxy", subdomain));
        } else if (!state.get().running()) {
            error(Message.of("clientproxy.error.not-running", address(subdomain)));
        } else {
            Outcome outcome = action.apply(state.get().proxy());
            redirect(PAGE, outcome.flag(), subdomain, outcome.done(),
                    (refreshSeconds > 0 ? "?" + REFRESH + "=" + refreshSeconds : "") + "#proxy-" + subdomain);
        }
    }

    /** What an action did: its success flag, and whether it was done before the page went on. */
    private record Outcome(String flag, boolean done) {
    }

    /** The requested reload interval if it is one of the choices, else none. */
    static int refresh(String value) {
        try {
            int seconds = value == null ? 0 : Integer.parseInt(value.trim());
            return REFRESH_CHOICES.contains(seconds) ? seconds : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Every configured proxy, in configuration order. */
    public List<ProxyView> getProxies() {
        return proxies;
    }

    /** The chart of the last hour of each running proxy, by subdomain. */
    public Map<String, HourChart> getCharts() {
        return charts;
    }

    /** The proxy the last action of this session was done to, whose box shows {@link #getDone()}; or {@code null}. */
    public String getDoneSubdomain() {
        return done == null ? null : done.subdomain();
    }

    /** The outcome of this session's last action on a proxy, shown in that proxy's box; or {@code null}. */
    public Message getDone() {
        return done == null ? null : done.success();
    }

    /** How many replies a minute keeps for the percentiles; beyond that they are estimated from a sample. */
    public int getLatencySampleSize() {
        return ProxySnapshot.Latency.SAMPLE_SIZE;
    }

    /** Seconds between automatic reloads of the page; 0 for none. */
    public int getRefreshSeconds() {
        return refreshSeconds;
    }

    /** The reload intervals offered, in seconds (0: off). */
    public List<Integer> getRefreshChoices() {
        return REFRESH_CHOICES;
    }
}
