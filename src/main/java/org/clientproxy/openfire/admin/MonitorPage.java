package org.clientproxy.openfire.admin;

import java.util.List;
import java.util.Set;

/**
 * The monitor page ({@code client-proxy-monitor.jsp}): what each proxy is doing. GET shows it
 * ({@code ?refresh=<seconds>} makes the page reload itself, by GET, so nothing is ever
 * resubmitted); POST with {@code action=resubscribe} or {@code action=reset} and
 * {@code subdomain=<subdomain>} acts on one proxy and redirects back.
 */
public final class MonitorPage {
    public static final String PAGE = "client-proxy-monitor.jsp";
    static final String REFRESH = "refresh";
    static final String RESUBSCRIBE = "resubscribe";
    static final String RESET = "reset";
    static final List<Integer> REFRESH_CHOICES = List.of(0, 5, 10, 30, 60);
    private static final Set<String> SUCCESS_FLAGS = Set.of("resubscribed", "reset");

    private final AdminBackend backend;
    private final ProxyAdministration administration;

    MonitorPage(AdminBackend backend, ProxyAdministration administration) {
        this.backend = backend;
        this.administration = administration;
    }

    public PageResult<MonitorModel> handle(AdminRequest request) {
        int refresh = refresh(request.parameter(REFRESH));
        if (!request.isPost()) {
            return PageResult.show(PageNotices.successFromRedirect(PageNotices.view(model(refresh), request), request,
                    backend.domain(), SUCCESS_FLAGS));
        }
        if (!request.isCsrfValid()) {
            return PageResult.show(PageNotices.csrfFailed(model(refresh), request));
        }
        String action = request.parameter(OverviewPage.ACTION);
        String subdomain = request.parameter(PageNotices.SUBDOMAIN);
        ProxyAdministration.Outcome outcome;
        String flag;
        if (RESUBSCRIBE.equals(action) && subdomain != null) {
            outcome = administration.resubscribe(subdomain);
            flag = "resubscribed";
        } else if (RESET.equals(action) && subdomain != null) {
            outcome = administration.resetCounters(subdomain);
            flag = "reset";
        } else {
            return PageResult.show(PageNotices.view(model(refresh), request).error(Notice.of("clientproxy.error.bad-request")));
        }
        switch (outcome) {
            case UNKNOWN:
                return PageResult.show(PageNotices.view(model(refresh), request)
                        .error(Notice.of("clientproxy.error.unknown-proxy", subdomain)));
            case NOT_RUNNING:
                return PageResult.show(PageNotices.view(model(refresh), request)
                        .error(Notice.of("clientproxy.error.not-running", subdomain + "." + backend.domain())));
            default:
                String location = PageNotices.redirect(PAGE, flag, subdomain, outcome);
                return PageResult.redirect(refresh > 0 ? location + "&" + REFRESH + "=" + refresh : location);
        }
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

    private MonitorModel model(int refresh) {
        return new MonitorModel(ProxyMonitorBuilder.build(backend.domain(), backend.proxies()), refresh);
    }
}
