package org.clientproxy.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.clientproxy.it.relay.RelayPlugin;

/**
 * The cluster of {@code scripts/bench-e2e --cluster} (BENCHMARKS.md, part 4), and of trying the
 * plugin by hand: an {@link OpenfireCluster} with the plugin on both members and the proxy
 * {@code svc} (target {@code impl}) running on the senior {@code a}, and on {@code a} too the bare
 * relay component of {@link RelayPlugin} (the control). When it is up it writes the
 * members' ports and pids to the ready file, and runs until it is stopped (SIGTERM, Ctrl-C), which
 * stops both members and the database.
 *
 * <pre>ClusterLab --plugin target/clientproxy.jar --ready FILE [--proxy svc] [--relay relay] [--member-jvm-option OPTION]...</pre>
 *
 * <p>The subdomains can be chosen because what Openfire pays to route to a component depends on
 * which member owns its address in the routing cache (see BENCHMARKS.md, part 4).
 */
public final class ClusterLab {
    /** The accounts (each one's password is its name). */
    static final List<String> USERS = List.of("impl", "requester");

    private ClusterLab() {
    }

    public static void main(String[] args) throws Exception {
        Path plugin = null;
        Path ready = null;
        String proxy = "svc";
        String relay = "relay";
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--plugin" -> plugin = Path.of(args[i + 1]);
                case "--ready" -> ready = Path.of(args[i + 1]);
                case "--member-jvm-option" -> jvmOptions.add(args[i + 1]);
                case "--proxy" -> proxy = args[i + 1];
                case "--relay" -> relay = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (plugin == null || ready == null || !Files.isRegularFile(plugin)) {
            throw new IllegalArgumentException("usage: ClusterLab --plugin JAR --ready FILE [--proxy SUBDOMAIN]"
                    + " [--relay SUBDOMAIN] [--member-jvm-option OPTION]...");
        }
        OpenfireCluster cluster = OpenfireCluster.start(plugin, Map.of("plugin.clientproxy.proxies", proxy,
                "plugin.clientproxy.proxy." + proxy + ".target", "impl@" + OpenfireServer.DOMAIN), USERS, jvmOptions);
        Thread stop = new Thread(() -> {
            try {
                cluster.close();
                cluster.deleteHomes(); // a benchmark's members leave nothing behind
            } catch (Exception e) {
                System.err.println("Could not stop the cluster: " + e);
            }
        }, "stop the cluster");
        Runtime.getRuntime().addShutdownHook(stop);
        OpenfireServer a = cluster.member("a");
        OpenfireServer b = cluster.member("b");
        a.awaitLog(0, Pattern.compile("Client proxy " + proxy + " started"), Duration.ofMinutes(2));
        // The control: a bare relay component on the senior only, where the proxy runs.
        long mark = a.logMark();
        Path relayJar = RelayPlugin.jar(Files.createTempDirectory(a.home(), "relay"), relay);
        a.copyPlugin(relayJar, relayJar.getFileName().toString());
        a.awaitLog(mark, Pattern.compile("Successfully loaded plugin '" + relay), Duration.ofMinutes(2));
        Files.writeString(ready, String.join("\n",
                "domain=" + OpenfireServer.DOMAIN,
                "service=" + proxy + "." + OpenfireServer.DOMAIN,
                "relay=" + relay + "." + OpenfireServer.DOMAIN,
                "a.client=" + a.ports().client(), "a.pid=" + a.pid(), "a.home=" + a.home(),
                "b.client=" + b.ports().client(), "b.pid=" + b.pid(), "b.home=" + b.home(), ""), StandardCharsets.UTF_8);
        System.out.println("Cluster up: senior a (pid " + a.pid() + ", client port " + a.ports().client() + ", " + a.home()
                + "), b (pid " + b.pid() + ", client port " + b.ports().client() + ", " + b.home() + ")");
        Thread.currentThread().join(); // until stopped: the shutdown hook stops the cluster
    }
}
