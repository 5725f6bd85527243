package org.clientproxy.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.external.ExternalConfig;
import org.clientproxy.external.ExternalProxy;

/** Starts the proxy as an external component of a test server and waits for what it learns. */
final class E2eProxy {
    static final String SECRET = "e2e-component-secret";
    static final String PASSWORD = "e2e-password";
    static final String SERVICE = "svc." + XmppServer.DOMAIN;
    static final String TARGET = "impl@" + XmppServer.DOMAIN;

    private E2eProxy() {
    }

    /**
     * A throwaway server with the component {@link #SERVICE} and these accounts (password
     * {@link #PASSWORD}; {@code impl} among them), whose {@code impl} has approved the service's
     * subscription: a proxy connected once, asked, and {@code impl}'s client approved. Every test
     * then starts from a granted subscription; the first handshake has a test of its own
     * (SubscriptionE2ETest). Pre-approval (RFC 6121 3.4) is optional for servers, and ejabberd
     * 23.01 gives the pre-approving client no roster item for it.
     */
    static XmppServer serverWithApprovedService(ServerKind kind, String... accounts) throws Exception {
        XmppServer server = serverWithService(kind, accounts);
        try (XmppClient impl = XmppClient.login(server, "impl", PASSWORD, "setup");
             ExternalProxy subscribed = start(server, 1)) {
            // It sees impl's resource: the subscription is granted.
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A throwaway server with the component {@link #SERVICE} and these accounts, password {@link #PASSWORD}. */
    static XmppServer serverWithService(ServerKind kind, String... accounts) throws Exception {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String account : accounts) {
            passwords.put(account, PASSWORD);
        }
        return kind.start(Map.of(SERVICE, SECRET), passwords);
    }

    /** The external component's configuration for {@code svc.localhost}, with some keys overridden. */
    static ExternalConfig config(int componentPort, String... overrides) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ExternalConfig.SERVER_HOST, "127.0.0.1");
        values.put(ExternalConfig.COMPONENT_PORT, Integer.toString(componentPort));
        values.put(ExternalConfig.DOMAIN, XmppServer.DOMAIN);
        values.put(ExternalConfig.SECRET, SECRET);
        values.put(ExternalConfig.SUBDOMAIN, "svc");
        values.put("target", TARGET);
        values.put(ExternalConfig.PING_INTERVAL_MILLIS, "500");
        values.put(ExternalConfig.RECONNECT_MAX_MILLIS, "1000");
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return ExternalConfig.parse(values::get);
    }

    /** Connects the proxy and waits until it knows {@code resources} online resources of the target. */
    static ExternalProxy start(XmppServer server, int resources, String... overrides) throws Exception {
        ExternalProxy external = ExternalProxy.start(config(server.componentPort(), overrides));
        awaitResources(external, resources);
        return external;
    }

    static void awaitResources(ExternalProxy external, int count) throws InterruptedException {
        await(() -> {
            ClientProxy proxy = external.proxy();
            return proxy != null && proxy.status().resources().size() == count;
        }, Duration.ofSeconds(10), () -> "the proxy to see " + count + " online resources of " + external.config().proxy().target()
                + " (sees " + (external.proxy() == null ? "nothing: disconnected" : external.proxy().status().resources()) + ")");
    }

    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
