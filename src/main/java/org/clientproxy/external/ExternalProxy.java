package org.clientproxy.external;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.clientproxy.core.ClientProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.ComponentException;

/**
 * A {@link ClientProxy} kept connected to an XMPP server as an external component (XEP-0114).
 * It sweeps timeouts every {@link ClientProxy#SWEEP_INTERVAL} and pings the server. When the
 * connection is lost (the server closed it, it broke, or a ping went unanswered) it logs one WARN
 * line, reconnects at once and then as {@link ReconnectBackoff} says, each failed attempt at DEBUG
 * (a refusal by the server, which does not pass by itself, once at WARN), and logs one INFO line
 * when it is back, with a fresh proxy that subscribes to and probes the target again.
 *
 * <p>All of this runs on one thread, so connecting, sweeping and pinging never overlap.
 */
public final class ExternalProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExternalProxy.class);

    private final ExternalConfig config;
    private final ScheduledExecutorService scheduler;
    private final ReconnectBackoff backoff;
    private volatile ComponentSession session;
    private volatile boolean closed;
    /** Since the last loss ({@link System#nanoTime()}): when it happened, the attempts to reconnect, the refusal last logged. */
    private long lostAtNanos;
    private int attempts;
    private String refusalLogged;

    private ExternalProxy(ExternalConfig config) {
        this.config = config;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "clientproxy-external"));
        this.backoff = new ReconnectBackoff(config.reconnectMax());
    }

    /**
     * Connects once and starts the proxy; failing that, gives up at once so a wrong secret or
     * address is reported instead of retried.
     *
     * @throws ComponentException the server is unreachable or refused the component;
     *                            {@link ConnectFailure#of} explains it
     */
    public static ExternalProxy start(ExternalConfig config) throws ComponentException {
        ExternalProxy external = new ExternalProxy(config);
        // Connect on the worker thread, like every reconnection: a loss reported at once is then
        // handled only after the session is in place.
        Future<?> connected = external.scheduler.submit(() -> {
            external.session = external.open();
            return null;
        });
        try {
            connected.get();
        } catch (ExecutionException e) {
            external.scheduler.shutdownNow();
            if (e.getCause() instanceof ComponentException failure) {
                throw failure;
            }
            throw new ComponentException(e.getCause());
        } catch (InterruptedException e) {
            external.close();
            Thread.currentThread().interrupt();
            throw new ComponentException("Interrupted while connecting");
        }
        log.info("Connected to {}:{} as {}, forwarding to {}", config.serverHost(), config.componentPort(),
                config.componentDomain(), config.proxy().target());
        long sweepMillis = ClientProxy.SWEEP_INTERVAL.toMillis();
        external.scheduler.scheduleWithFixedDelay(external::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        long pingMillis = config.pingInterval().toMillis();
        external.scheduler.scheduleWithFixedDelay(external::ping, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
        return external;
    }

    /** The proxy on the current connection, or {@code null} while reconnecting. */
    public ClientProxy proxy() {
        ComponentSession current = session;
        return current == null ? null : current.proxy();
    }

    public boolean isConnected() {
        return session != null;
    }

    public ExternalConfig config() {
        return config;
    }

    /** Shuts the proxy down (outstanding requests are answered) and disconnects; waits for the worker. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The connection worker did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ComponentSession current = session;
        session = null;
        if (current != null) {
            current.close();
            log.info("Disconnected {}", config.componentDomain());
        }
    }

    private ComponentSession open() throws ComponentException {
        return ComponentSession.open(config, this::onLost);
    }

    private void onLost(ComponentSession lost) {
        if (!closed) {
            scheduler.execute(() -> replace(lost));
        }
    }

    private void replace(ComponentSession lost) {
        if (closed || session != lost) {
            return;
        }
        String failure = lost.failure();
        log.warn("Lost the connection to {}:{} ({}); reconnecting", config.serverHost(), config.componentPort(),
                failure == null ? "closed by the server" : failure);
        session = null;
        lost.close();
        lostAtNanos = System.nanoTime();
        attempts = 0;
        refusalLogged = null;
        reconnect();
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        attempts++;
        try {
            session = open();
        } catch (ComponentException e) {
            retryAfter(ConnectFailure.of(e, config));
            return;
        } catch (RuntimeException e) {
            log.error("Reconnecting to {}:{} failed", config.serverHost(), config.componentPort(), e);
            retryAfter(new ConnectFailure(ConnectFailure.Kind.REFUSED, e.toString()));
            return;
        }
        backoff.reset();
        log.info("Reconnected to {}:{} as {}, {} ms after the loss, at attempt {}", config.serverHost(),
                config.componentPort(), config.componentDomain(), (System.nanoTime() - lostAtNanos) / 1_000_000, attempts);
    }

    /** Schedules the next attempt; only a refusal not logged since the loss gets a WARN line, the rest DEBUG. */
    private void retryAfter(ConnectFailure failure) {
        Duration wait = backoff.next(failure.kind());
        if (failure.kind() != ConnectFailure.Kind.UNREACHABLE && !failure.message().equals(refusalLogged)) {
            refusalLogged = failure.message();
            log.warn("Reconnecting failed: {}; trying again, less and less often, up to every {} ms", failure.message(),
                    config.reconnectMax().toMillis());
        } else {
            log.debug("Reconnecting failed: {}; next attempt in {} ms", failure.message(), wait.toMillis());
        }
        scheduler.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        ComponentSession current = session;
        if (current != null) {
            try {
                current.proxy().expireOverdue();
            } catch (RuntimeException e) {
                log.error("Sweeping overdue requests failed", e);
            }
        }
    }

    private void ping() {
        ComponentSession current = session;
        if (current != null) {
            try {
                current.ping();
            } catch (RuntimeException e) {
                log.error("Pinging the server failed", e);
            }
        }
    }
}
