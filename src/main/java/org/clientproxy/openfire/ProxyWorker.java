package org.clientproxy.openfire;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's one thread. It applies configuration changes to the {@link ProxyRegistry} (so
 * changes never run concurrently and need no lock), sweeps the proxies' overdue requests
 * every {@link ClientProxy#SWEEP_INTERVAL}, and applies the configuration again when a proxy
 * that should run could not start ({@link #RETRY_INTERVAL}). A daemon, named, and gone after {@link #shutdown}.
 */
final class ProxyWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyWorker.class);
    static final String THREAD_NAME = "clientproxy-worker";
    /**
     * How often the worker checks whether a proxy that should run could not start (see
     * {@link ProxyRegistry#needsRetry()}): in a cluster a failover must bring it back within seconds.
     */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);

    private final ProxyRegistry registry;
    private final Supplier<Map<String, Map<String, String>>> configuration;
    private final Consumer<List<ConfiguredProxy>> applied;
    private final ScheduledExecutorService executor;
    /** A reload that is queued and has not begun reading the configuration yet. */
    private final AtomicReference<CompletableFuture<Void>> queuedReload = new AtomicReference<>();

    ProxyWorker(ProxyRegistry registry, Supplier<Map<String, Map<String, String>>> configuration) {
        this(registry, configuration, states -> { });
    }

    /**
     * @param applied told the proxies' states after each reload, on the worker thread (the
     *                statistics follow the running proxies this way)
     */
    ProxyWorker(ProxyRegistry registry, Supplier<Map<String, Map<String, String>>> configuration,
                Consumer<List<ConfiguredProxy>> applied) {
        this.registry = registry;
        this.configuration = configuration;
        this.applied = applied;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        long interval = ClientProxy.SWEEP_INTERVAL.toNanos();
        // A task that throws is never run again: the sweep catches everything.
        executor.scheduleAtFixedRate(this::sweep, interval, interval, TimeUnit.NANOSECONDS);
        long retry = RETRY_INTERVAL.toNanos();
        executor.scheduleWithFixedDelay(this::retry, retry, retry, TimeUnit.NANOSECONDS);
    }

    /**
     * Reads the configuration and applies it, on the worker thread. A burst of property changes
     * becomes one reload: while a reload is queued and has not started, asking again returns it.
     *
     * @return completes once the configuration read after this call has been applied
     */
    CompletableFuture<Void> reload() {
        while (true) {
            CompletableFuture<Void> queued = queuedReload.get();
            if (queued != null) {
                return queued;
            }
            CompletableFuture<Void> reload = new CompletableFuture<>();
            if (queuedReload.compareAndSet(null, reload)) {
                try {
                    executor.execute(() -> runReload(reload));
                } catch (RejectedExecutionException e) {
                    queuedReload.compareAndSet(reload, null);
                    reload.completeExceptionally(e);
                }
                return reload;
            }
        }
    }

    /**
     * Stops the thread, then every proxy. A reload already running finishes first, so no proxy
     * it registers survives; waits at most {@code patience} for it.
     */
    void shutdown(Duration patience) {
        stop(patience);
        registry.stopAll();
    }

    /**
     * Stops the thread like {@link #shutdown}, then leaves every proxy for the plugin's next
     * instance instead of stopping it ({@link ProxyRegistry#handOverAll()}).
     */
    void handOver(Duration patience) {
        stop(patience);
        registry.handOverAll();
    }

    private void stop(Duration patience) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The client proxy worker did not finish within {}; interrupting it", patience);
                executor.shutdownNow();
                executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code task} on the worker thread after the work queued so far.
     *
     * @return its result; fails when it throws or the worker has stopped
     */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    done.complete(task.get());
                } catch (RuntimeException e) {
                    LOG.warn("A client proxy task failed", e);
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Runs {@code task} on the worker thread, after what is queued; nothing once shut down. */
    void execute(Runnable task) {
        try {
            executor.execute(() -> runSafely(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("The client proxy worker has stopped; dropped a task");
        }
    }

    /** Runs {@code task} on the worker thread every {@code period}, first after one period. */
    void every(Duration period, Runnable task) {
        long nanos = period.toNanos();
        try {
            // A task that throws is never run again: runSafely catches everything.
            executor.scheduleWithFixedDelay(() -> runSafely(task), nanos, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The client proxy worker has stopped; not scheduling a task");
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("A client proxy task failed", e);
        }
    }

    /** For tests: waits until everything queued before this call has run. */
    void awaitQueuedWork() throws Exception {
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private void runReload(CompletableFuture<Void> reload) {
        // From here on, a new change needs a new reload: this one may already have read past it.
        queuedReload.compareAndSet(reload, null);
        try {
            registry.apply(configuration.get());
            publish();
            reload.complete(null);
        } catch (RuntimeException e) {
            LOG.error("Could not apply the client proxy configuration", e);
            reload.completeExceptionally(e);
        }
    }

    private void publish() {
        try {
            applied.accept(registry.states());
        } catch (RuntimeException e) {
            LOG.warn("Could not pass on the new state of the client proxies", e);
        }
    }

    private void retry() {
        try {
            if (registry.needsRetry()) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking whether the client proxies need another start failed", e);
        }
    }

    private void sweep() {
        try {
            registry.expireOverdue();
        } catch (RuntimeException e) {
            LOG.warn("Sweeping overdue requests failed", e);
        }
        try {
            registry.sweepJournals();
        } catch (RuntimeException e) {
            LOG.warn("Forwarding the requests that wait for the cluster failed", e);
        }
    }
}
