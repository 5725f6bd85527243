package org.clientproxy.openfire.admin;

import java.time.Duration;

import org.clientproxy.openfire.ClientProxyPlugin;

/**
 * The admin pages wired to Openfire: the loaded plugin, its system properties, its user
 * manager, and the admin audit log of the page's {@code WebManager}. A JSP does
 * {@code AdminPages.forOpenfire(webManager::logEvent).overview(AdminRequest.of(request, response))}
 * and renders what it gets.
 */
public final class AdminPages {
    /** How long a page waits for a saved change to be applied before it shows the next page anyway. */
    static final Duration APPLY_PATIENCE = Duration.ofSeconds(10);

    private final AdminBackend backend;
    private final ProxyConfiguration configuration;
    private final LocalUsers users;
    private final ProxyAdministration administration;

    /**
     * @param backend {@code null} while the plugin is not loaded
     */
    AdminPages(AdminBackend backend, PropertyStore properties, LocalUsers users, AuditLog audit, Duration patience) {
        this.backend = backend;
        this.configuration = new ProxyConfiguration(properties);
        this.users = users;
        this.administration = backend == null ? null : new ProxyAdministration(backend, configuration, audit, patience);
    }

    /** The pages of the loaded plugin (or pages that say it is not loaded). */
    public static AdminPages forOpenfire(AuditLog audit) {
        ClientProxyPlugin plugin = ClientProxyPlugin.instance();
        return new AdminPages(plugin == null ? null : new PluginAdminBackend(plugin), new JivePropertyStore(),
                new OpenfireLocalUsers(), audit, APPLY_PATIENCE);
    }

    public PageResult<ProxyOverview> overview(AdminRequest request) {
        return backend == null ? notLoaded(request)
                : new OverviewPage(backend, administration, users).handle(request);
    }

    public PageResult<EditModel> edit(AdminRequest request) {
        return backend == null ? notLoaded(request)
                : new EditPage(backend, configuration, new ProxyFormValidator(backend, users), administration).handle(request);
    }

    public PageResult<MonitorModel> monitor(AdminRequest request) {
        return backend == null ? notLoaded(request) : new MonitorPage(backend, administration).handle(request);
    }

    private static <M> PageResult<M> notLoaded(AdminRequest request) {
        return PageResult.show(PageView.<M>pluginNotLoaded().csrf(request.csrfToken()));
    }
}
