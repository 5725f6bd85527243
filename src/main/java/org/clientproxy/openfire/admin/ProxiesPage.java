package org.clientproxy.openfire.admin;

import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.openfire.ClientProxyPlugin;
import org.jivesoftware.util.WebManager;

/**
 * client-proxy.jsp: the table of all proxies. Its one button, Remove, posts
 * {@code action=remove&subdomain=<subdomain>} here ({@link #remove}).
 */
public final class ProxiesPage extends AdminPage {
    public static final String PAGE = "client-proxy.jsp";
    static final String REMOVE = "remove";

    private List<ProxyView> proxies = List.of();

    ProxiesPage(ClientProxyPlugin plugin, WebManager webManager, HttpServletRequest request) {
        super(plugin, webManager, request);
    }

    /** The page for this request, as the JSP renders it (or redirects to {@link #getRedirect()}). */
    public static ProxiesPage handle(WebManager webManager, HttpServletRequest request) {
        ProxiesPage page = new ProxiesPage(ClientProxyPlugin.instance(), webManager, request);
        page.handle();
        return page;
    }

    @Override
    void get() {
        Flash flash = takeFlash(PAGE);
        if (flash != null) {
            success(flash.success());
        }
        proxies = proxyViews();
    }

    @Override
    void post(String action) {
        String subdomain = parameter(ProxyForm.SUBDOMAIN);
        if (REMOVE.equals(action) && subdomain != null) {
            remove(subdomain);
        } else {
            error(Message.of("clientproxy.error.bad-request"));
        }
        if (getRedirect() == null) {
            proxies = proxyViews();
        }
    }

    /** Removes a proxy; it stops and answers its outstanding requests with an error. */
    private void remove(String subdomain) {
        if (saved.remove(subdomain)) {
            redirect(PAGE, "removed", subdomain, awaitApplied(), "");
        } else {
            error(Message.of("clientproxy.error.unknown-proxy", subdomain));
        }
    }

    /** Every configured proxy, in configuration order. */
    public List<ProxyView> getProxies() {
        return proxies;
    }
}
