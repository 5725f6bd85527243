package org.clientproxy.openfire.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.core.ProxySettings;
import org.clientproxy.core.Strategy;
import org.clientproxy.openfire.ClientProxyPlugin;
import org.jivesoftware.util.WebManager;

/**
 * client-proxy-edit.jsp: the form to add a proxy ({@code GET}), or to edit one
 * ({@code GET ?subdomain=<subdomain>}). Its Save button posts the form here ({@link #save}): it
 * comes back as typed with the problems named, or is saved and the browser goes to the table.
 */
public final class ProxyEditPage extends AdminPage {
    public static final String PAGE = "client-proxy-edit.jsp";

    private ProxyForm form = ProxyForm.blank();

    ProxyEditPage(ClientProxyPlugin plugin, WebManager webManager, HttpServletRequest request) {
        super(plugin, webManager, request);
    }

    /** The page for this request, as the JSP renders it (or redirects to {@link #getRedirect()}). */
    public static ProxyEditPage handle(WebManager webManager, HttpServletRequest request) {
        ProxyEditPage page = new ProxyEditPage(ClientProxyPlugin.instance(), webManager, request);
        page.handle();
        return page;
    }

    @Override
    void get() {
        String subdomain = parameter(ProxyForm.SUBDOMAIN);
        if (subdomain == null || subdomain.isEmpty()) {
            return;
        }
        Map<String, String> values = saved.read().get(subdomain);
        if (values == null) {
            error(Message.of("clientproxy.error.unknown-proxy", subdomain));
        } else {
            form = ProxyForm.of(subdomain, values);
        }
    }

    @Override
    void post(String action) {
        save(ProxyForm.submitted(this::parameter));
    }

    /** Checks the submitted form; saves it and redirects, or shows it again with what is wrong. */
    private void save(ProxyForm submitted) {
        form = submitted;
        ProxySettings settings = form.check(saved.subdomains(), plugin.domain(), plugin::isTakenByAnotherService,
                this::accountExists);
        form.getErrors().values().forEach(this::error);
        form.getWarnings().forEach(this::warning);
        if (settings != null) {
            saved.save(form.getOriginal(), settings);
            boolean applied = awaitApplied();
            if (form.isEditing()) {
                // Saving a proxy is also how an operator asks for its presence again, e.g. after the account revoked it.
                plugin.renewPresence(settings.subdomain());
            }
            redirect(ProxiesPage.PAGE, form.isEditing() ? "saved" : "added", settings.subdomain(), applied, "");
        }
    }

    public ProxyForm getForm() {
        return form;
    }

    /** The strategies' configuration names, for the select; {@code clientproxy.strategy.<name>} labels each. */
    public List<String> getStrategies() {
        return Arrays.stream(Strategy.values()).map(Strategy::configName).toList();
    }
}
