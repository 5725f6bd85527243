package org.clientproxy.openfire.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The boxes every page shows for its request, and the redirect URLs that carry a success flag
 * to the next page (Post/Redirect/Get).
 */
final class PageNotices {
    /** The request parameter of a success flag, and of the proxy it is about. */
    static final String SUCCESS = "success";
    static final String SUBDOMAIN = "subdomain";
    /** Set when a saved change was not applied yet when the page was shown. */
    static final String PENDING = "pending";

    /** Only something that could be a subdomain is repeated back from the URL. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9-]{1,63}");

    private PageNotices() {
    }

    /** A page for this request: its CSRF token, and the error Openfire left for it (if any). */
    static <M> PageView<M> view(M model, AdminRequest request) {
        PageView<M> view = PageView.of(model).csrf(request.csrfToken());
        if (request.flashError() != null) {
            view.error(Notice.text(request.flashError()));
        }
        return view;
    }

    /** The page of a POST whose CSRF token did not match: nothing was changed. */
    static <M> PageView<M> csrfFailed(M model, AdminRequest request) {
        return view(model, request).error(Notice.of("clientproxy.error.csrf"));
    }

    /**
     * Adds the success box of a redirect to this page ({@code clientproxy.success.<flag>}, with
     * the proxy's address), if the flag is one of {@code flags}, and the warning that the change
     * is still being applied.
     */
    static <M> PageView<M> successFromRedirect(PageView<M> view, AdminRequest request, String domain, Set<String> flags) {
        String flag = request.parameter(SUCCESS);
        String subdomain = request.parameter(SUBDOMAIN);
        if (flag != null && flags.contains(flag) && subdomain != null && LABEL.matcher(subdomain).matches()) {
            view.success(Notice.of("clientproxy.success." + flag, subdomain + "." + domain));
            if ("true".equals(request.parameter(PENDING))) {
                view.warning(Notice.of("clientproxy.warning.pending"));
            }
        }
        return view;
    }

    /** {@code page?success=<flag>&subdomain=<subdomain>}, plus {@code &pending=true} when not applied yet. */
    static String redirect(String page, String flag, String subdomain, ProxyAdministration.Outcome outcome) {
        String location = page + "?" + SUCCESS + "=" + flag + "&" + SUBDOMAIN + "=" + encode(subdomain);
        return outcome == ProxyAdministration.Outcome.PENDING ? location + "&" + PENDING + "=true" : location;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
