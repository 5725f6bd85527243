package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.clientproxy.e2e.XmppClient.Received;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code target/clientproxy-external.jar}, run as README says ({@code java -jar FILE}),
 * against a real Prosody and a real ejabberd: everything it needs is inside, a wrong secret is one
 * line and exit code 77, and with the right one it proxies until SIGTERM.
 */
class ExternalComponentJarIT {
    private static final Path JAR = Path.of("target", "clientproxy-external.jar");

    @RegisterExtension
    static final EachServer SERVERS = EachServer.perClass(kind -> E2eProxy.serverWithApprovedService(kind, "impl", "req1"));

    @TempDir
    Path dir;
    private XmppServer server;

    @BeforeAll
    static void jarIsBuilt() {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built in the package phase");
    }

    @BeforeEach
    void useServer(XmppServer server) {
        this.server = server;
    }

    @OnEachServer
    void wrongSecretIsOneLineAndExitCode77() throws Exception {
        Process process = run(config("not-the-secret"));

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits by itself");
        List<String> stderr = Files.readAllLines(stderrOf(config("not-the-secret")));
        assertEquals(77, process.exitValue(), () -> String.join("\n", stderr));
        assertEquals(1, stderr.size(), () -> String.join("\n", stderr));
        assertTrue(stderr.get(0).startsWith("clientproxy-external: the server at 127.0.0.1:" + server.componentPort()
                + " refused the component svc.localhost (not-authorized"), stderr.get(0));
    }

    @OnEachServer
    void proxiesUntilTerminated() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        try (XmppClient impl = XmppClient.login(server, "impl", PASSWORD, "a", inbox);
             XmppClient requester = XmppClient.login(server, "req1", PASSWORD, "r1")) {
            Process process = run(config(E2eProxy.SECRET));
            try {
                impl.echoRequests();
                // The jar gives no status API: retry until the proxy is connected and has seen the resource.
                IQ answer = null;
                for (int attempt = 0; attempt < 50 && answer == null; attempt++) {
                    requester.request(SERVICE, IQ.Type.get, "jar-" + attempt, "<via>jar</via>");
                    IQ reply = requester.next();
                    answer = reply.getType() == IQ.Type.result ? reply : null;
                    if (answer == null) {
                        Thread.sleep(200);
                    }
                }
                assertTrue(answer != null, "no result through the jar");
                assertEquals(SERVICE, answer.getFrom().toString());
                Received forwarded = XmppClient.next(inbox, XmppClient.WAIT);
                assertEquals(SERVICE + "/req1@localhost/r1", forwarded.iq().getFrom().toString());
            } finally {
                process.destroy();
                assertTrue(process.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
            }
            String log = Files.readString(stderrOf(config(E2eProxy.SECRET)));
            assertTrue(log.contains("Connected to 127.0.0.1:" + server.componentPort() + " as svc.localhost"), log);
            assertTrue(log.contains("Disconnected svc.localhost"), log);
        }
    }

    private Process run(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-jar", JAR.toString(), config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderrOf(config).toFile())
                .start();
    }

    private static Path stderrOf(Path config) {
        return config.resolveSibling(config.getFileName() + ".stderr");
    }

    private Path config(String secret) throws IOException {
        Path file = dir.resolve("external-" + secret + ".properties");
        Files.writeString(file, String.join("\n",
                "serverHost=127.0.0.1",
                "componentPort=" + server.componentPort(),
                "domain=localhost",
                "secret=" + secret,
                "subdomain=svc",
                "target=impl@localhost",
                ""), StandardCharsets.UTF_8);
        return file;
    }
}
