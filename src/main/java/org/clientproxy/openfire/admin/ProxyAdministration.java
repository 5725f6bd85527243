package org.clientproxy.openfire.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.core.ProxySettings;
import org.clientproxy.openfire.ProxyState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes an operator makes on the admin pages. Each is written to the admin audit log;
 * a configuration change is saved, then applied before the page that shows it is rendered.
 */
public final class ProxyAdministration {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyAdministration.class);

    /** How a change to a running proxy went. */
    public enum Outcome {
        DONE,
        /** Saved, but not applied within the patience; it applies shortly. */
        PENDING,
        /** No such proxy is configured. */
        UNKNOWN,
        /** The proxy is configured but does not run. */
        NOT_RUNNING
    }

    private final AdminBackend backend;
    private final ProxyConfiguration configuration;
    private final AuditLog audit;
    private final Duration patience;

    /**
     * @param patience how long to wait for a saved change to be applied before showing the page anyway
     */
    public ProxyAdministration(AdminBackend backend, ProxyConfiguration configuration, AuditLog audit,
                               Duration patience) {
        this.backend = backend;
        this.configuration = configuration;
        this.audit = audit;
        this.patience = patience;
    }

    /**
     * Saves a checked form: adds the proxy, or replaces the one at {@code original}.
     *
     * @return {@link Outcome#DONE}, or {@link Outcome#PENDING} when not applied within the patience
     */
    public Outcome save(String original, ProxySettings settings) {
        configuration.save(original, settings);
        String address = address(settings.subdomain());
        String details = settings.toProperties().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
        if (original == null) {
            audit.logEvent("Added client proxy " + address, details);
        } else if (original.equals(settings.subdomain())) {
            audit.logEvent("Changed client proxy " + address, details);
        } else {
            audit.logEvent("Changed client proxy " + address(original) + " to " + address,
                    "subdomain=" + settings.subdomain() + ", " + details);
        }
        return awaitApplied();
    }

    /** Removes a proxy; its outstanding requests are answered with an error as it stops. */
    public Outcome remove(String subdomain) {
        if (!configuration.subdomains().contains(subdomain)) {
            return Outcome.UNKNOWN;
        }
        configuration.remove(subdomain);
        audit.logEvent("Removed client proxy " + address(subdomain), "subdomain=" + subdomain);
        return awaitApplied();
    }

    /** Sends the subscription request and a presence probe to the proxy's target again. */
    public Outcome resubscribe(String subdomain) {
        return onRunning(subdomain, proxy -> {
            proxy.resubscribe();
            audit.logEvent("Re-sent the subscription request of client proxy " + address(subdomain),
                    "target=" + proxy.settings().target());
        });
    }

    /** Sets the proxy's counters and latency window back to zero. */
    public Outcome resetCounters(String subdomain) {
        return onRunning(subdomain, proxy -> {
            proxy.resetCounters();
            audit.logEvent("Reset the counters of client proxy " + address(subdomain), "subdomain=" + subdomain);
        });
    }

    /** Does {@code action} to the proxy if it runs. */
    private Outcome onRunning(String subdomain, Consumer<ClientProxy> action) {
        Optional<ProxyState> state = state(subdomain);
        if (state.isEmpty()) {
            return Outcome.UNKNOWN;
        }
        ClientProxy proxy = state.get().proxy();
        if (proxy == null) {
            return Outcome.NOT_RUNNING;
        }
        action.accept(proxy);
        return Outcome.DONE;
    }

    private Optional<ProxyState> state(String subdomain) {
        return backend.proxies().stream().filter(state -> state.subdomain().equals(subdomain)).findFirst();
    }

    private String address(String subdomain) {
        return subdomain + "." + backend.domain();
    }

    private Outcome awaitApplied() {
        try {
            backend.applyConfiguration().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.DONE;
        } catch (TimeoutException e) {
            LOG.warn("The saved client proxy configuration was not applied within {}", patience);
        } catch (ExecutionException e) {
            LOG.warn("Applying the saved client proxy configuration failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Outcome.PENDING;
    }
}
