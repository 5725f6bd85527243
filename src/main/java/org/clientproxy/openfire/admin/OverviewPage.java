package org.clientproxy.openfire.admin;

import java.util.Set;

/**
 * The proxies page ({@code client-proxy.jsp}): the table of all proxies, and their removal.
 * A POST with {@code action=remove&subdomain=<subdomain>} removes a proxy, then redirects here
 * with a success flag.
 */
public final class OverviewPage {
    public static final String PAGE = "client-proxy.jsp";
    static final String ACTION = "action";
    static final String REMOVE = "remove";
    private static final Set<String> SUCCESS_FLAGS = Set.of("added", "saved", "removed");

    private final AdminBackend backend;
    private final ProxyAdministration administration;
    private final LocalUsers users;

    OverviewPage(AdminBackend backend, ProxyAdministration administration, LocalUsers users) {
        this.backend = backend;
        this.administration = administration;
        this.users = users;
    }

    public PageResult<ProxyOverview> handle(AdminRequest request) {
        if (!request.isPost()) {
            return PageResult.show(PageNotices.successFromRedirect(PageNotices.view(model(), request), request,
                    backend.domain(), SUCCESS_FLAGS));
        }
        if (!request.isCsrfValid()) {
            return PageResult.show(PageNotices.csrfFailed(model(), request));
        }
        String subdomain = request.parameter(PageNotices.SUBDOMAIN);
        if (!REMOVE.equals(request.parameter(ACTION)) || subdomain == null) {
            return PageResult.show(PageNotices.view(model(), request).error(Notice.of("clientproxy.error.bad-request")));
        }
        ProxyAdministration.Outcome outcome = administration.remove(subdomain);
        if (outcome == ProxyAdministration.Outcome.UNKNOWN) {
            return PageResult.show(PageNotices.view(model(), request)
                    .error(Notice.of("clientproxy.error.unknown-proxy", subdomain)));
        }
        return PageResult.redirect(PageNotices.redirect(PAGE, "removed", subdomain, outcome));
    }

    private ProxyOverview model() {
        return ProxyOverviewBuilder.build(backend.domain(), backend.proxies(), users);
    }
}
