package org.clientproxy.openfire.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.servlet.http.HttpServletRequest;

import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ConfiguredProxy;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.jivesoftware.util.WebManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugin's three pages share: the request, the loaded plugin, the saved proxies, the
 * boxes above the page, and Post/Redirect/Get (a change redirects to a page that shows the
 * outcome once, from the session: {@link Flash}; reloading it never posts again). Openfire checks the {@code csrf} field of every
 * POST before a page runs ({@code csrfProtectionEnabled} in plugin.xml) and sends a forged one
 * back to the page by GET with its own error in the session, so a POST that reaches a page is
 * the operator's.
 */
public abstract class AdminPage {
    /** How long a page waits for a saved change to be applied before it shows the next page anyway. */
    static final Duration APPLY_PATIENCE = Duration.ofSeconds(10);
    static final String ACTION = "action";
    private static final Logger LOG = LoggerFactory.getLogger(AdminPage.class);

    /** {@code null} while the plugin is not loaded (a page served by a stale class loader). */
    final ClientProxyPlugin plugin;
    final WebManager webManager;
    final HttpServletRequest request;
    final SavedProxies saved;
    Duration patience = APPLY_PATIENCE;

    private final List<Message> errors = new ArrayList<>();
    private final List<Message> warnings = new ArrayList<>();
    private final List<Message> successes = new ArrayList<>();
    private String redirect;

    AdminPage(ClientProxyPlugin plugin, WebManager webManager, HttpServletRequest request) {
        this.plugin = plugin;
        this.webManager = webManager;
        this.request = request;
        this.saved = plugin == null ? null : new SavedProxies(webManager, plugin.domain());
    }

    /** Answers the request: a GET shows the page, a POST acts and redirects (or shows what is wrong). */
    final void handle() {
        if (plugin == null) {
            errors.add(Message.of("clientproxy.error.not-loaded"));
        } else if ("POST".equalsIgnoreCase(request.getMethod())) {
            post(parameter(ACTION));
        } else {
            get();
        }
    }

    /** Shows the page. */
    abstract void get();

    /** Does what the form asked ({@code action}: its {@code action} field, or {@code null}). */
    abstract void post(String action);

    /** A request parameter, or {@code null}. */
    final String parameter(String name) {
        return request.getParameter(name);
    }

    /**
     * Takes the outcome of this session's last action if it redirected to this page, adding the
     * warning that the change is still being applied; {@code null} when there is none.
     */
    final Flash takeFlash(String page) {
        Flash flash = Flash.take(request.getSession(), page);
        if (flash != null && flash.pending()) {
            warnings.add(Message.of("clientproxy.warning.pending"));
        }
        return flash;
    }

    /**
     * After an action on the proxy at {@code subdomain}: keeps its outcome
     * ({@code clientproxy.success.<flag>} with the proxy's address) for {@code page} and
     * redirects there ({@code page} followed by {@code rest}, a query or fragment).
     */
    final void redirect(String page, String flag, String subdomain, boolean applied, String rest) {
        new Flash(page, subdomain, Message.of("clientproxy.success." + flag, address(subdomain)), !applied)
                .put(request.getSession());
        redirect = page + rest;
    }

    /** Applies the saved configuration now; false when it was not done within the patience (it applies shortly). */
    final boolean awaitApplied() {
        return await(plugin.applyConfiguration(), "Applying the saved client proxy configuration");
    }

    /**
     * Waits for the plugin to have done {@code what} (on its own thread), so that the page shown
     * next shows its effect; false when it was not done within the patience (it is done shortly).
     */
    final boolean await(CompletableFuture<?> work, String what) {
        try {
            work.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("{} took longer than {}", what, patience);
        } catch (ExecutionException e) {
            LOG.warn("{} failed: {}", what, e.getCause().toString());
            LOG.debug("{} failed", what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The configured proxy at this subdomain with its state. */
    final Optional<ConfiguredProxy> state(String subdomain) {
        return plugin.proxies().stream().filter(state -> state.subdomain().equals(subdomain)).findFirst();
    }

    /** Every configured proxy as the pages show it. */
    final List<ProxyView> proxyViews() {
        String domain = plugin.domain();
        return plugin.proxies().stream().map(state -> new ProxyView(state, domain, this::accountExists,
                plugin.runners(state.subdomain()))).toList();
    }

    /**
     * Whether the account with this username exists on this server ({@code getUser}, which 4.2
     * and 5.x both have). When the user provider fails (a directory that is down) it is taken
     * to exist: the answer only decides whether a warning is shown.
     */
    final boolean accountExists(String username) {
        try {
            webManager.getUserManager().getUser(username);
            return true;
        } catch (UserNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            LOG.debug("Could not look up the user {}", username, e);
            return true;
        }
    }

    final String address(String subdomain) {
        return subdomain + "." + plugin.domain();
    }

    final void error(Message message) {
        errors.add(message);
    }

    final void warning(Message message) {
        warnings.add(message);
    }

    final void success(Message message) {
        successes.add(message);
    }

    /** Where to send the browser instead of rendering the page, or {@code null}. */
    public String getRedirect() {
        return redirect;
    }

    /** False while the plugin is not loaded: the page shows only its error. */
    public boolean isPluginLoaded() {
        return plugin != null;
    }

    /** The XMPP domain the service addresses end with. */
    public String getDomain() {
        return plugin == null ? "" : plugin.domain();
    }

    public List<Message> getErrors() {
        return errors;
    }

    public List<Message> getWarnings() {
        return warnings;
    }

    public List<Message> getSuccesses() {
        return successes;
    }
}
