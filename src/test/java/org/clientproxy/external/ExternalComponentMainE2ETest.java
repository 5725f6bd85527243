package org.clientproxy.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.clientproxy.e2e.EachServer;
import org.clientproxy.e2e.OnEachServer;
import org.clientproxy.e2e.ServerKind;
import org.clientproxy.testing.ServerProcess;
import org.clientproxy.e2e.XmppServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the runnable jar starts, or says in one line why it does not, against a real Prosody and a
 * real ejabberd: the exit code says what was found out, whichever the server.
 */
class ExternalComponentMainE2ETest {
    private static final String SECRET = "right-secret";
    /** For the tests that never connect. */
    private static final int NO_SERVER_NEEDED = ExternalConfig.DEFAULT_COMPONENT_PORT;

    @RegisterExtension
    static final EachServer SERVERS = EachServer.perClass(kind -> kind.start(Map.of("svc.localhost", SECRET), Map.of()));

    @TempDir
    Path dir;

    @OnEachServer
    void connectsWithTheRightSecret(XmppServer server) throws Exception {
        ExternalProxy proxy = ExternalComponentMain.launch(args(config(server.componentPort(), "svc", SECRET)));
        try {
            assertTrue(proxy.isConnected());
            assertEquals("svc.localhost", proxy.config().componentDomain());
        } finally {
            proxy.close();
        }
    }

    @OnEachServer
    void wrongSecretExitsWithNoPermissionNamingBothCausesOfNotAuthorized(XmppServer server) throws Exception {
        LaunchException e = assertThrows(LaunchException.class,
                () -> ExternalComponentMain.launch(args(config(server.componentPort(), "svc", "wrong-secret"))));

        assertEquals(ExternalComponentMain.EXIT_NOPERM, e.exitCode());
        assertTrue(e.getMessage().startsWith("the server at 127.0.0.1:" + server.componentPort()
                + " refused the component svc.localhost (not-authorized"), e.getMessage());
        assertTrue(e.getMessage().endsWith("either the secret is wrong or the server does not declare svc.localhost"
                + " (ejabberd answers both alike); check both against the server's configuration"), e.getMessage());
    }

    /** Prosody says host-unknown, ejabberd not-authorized: either way the server does not accept the component as configured. */
    @OnEachServer
    void anUndeclaredComponentExitsWithNoPermissionWhicheverTheServer(XmppServer server, ServerKind kind) throws Exception {
        LaunchException e = assertThrows(LaunchException.class,
                () -> ExternalComponentMain.launch(args(config(server.componentPort(), "other", SECRET))));

        assertEquals(ExternalComponentMain.EXIT_NOPERM, e.exitCode());
        String said = kind == ServerKind.PROSODY ? "has no component other.localhost (host-unknown"
                : "refused the component other.localhost (not-authorized";
        assertTrue(e.getMessage().contains(said), e.getMessage());
    }

    @Test
    void unreachableServerExitsUnavailable() throws Exception {
        int nobodyListens = ServerProcess.freePorts(1)[0];
        LaunchException e = assertThrows(LaunchException.class,
                () -> ExternalComponentMain.launch(args(config(nobodyListens, "svc", SECRET))));

        assertEquals(ExternalComponentMain.EXIT_UNAVAILABLE, e.exitCode());
        assertEquals("cannot reach the XMPP server's component port at 127.0.0.1:" + nobodyListens
                + " (Connection refused)", e.getMessage());
    }

    @Test
    void invalidSettingsExitWithConfigErrorNamingEachOne() throws Exception {
        Path file = config(NO_SERVER_NEEDED, "svc", SECRET);
        Files.writeString(file, "timeoutMillis=-1\ntarget=svc\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        LaunchException e = assertThrows(LaunchException.class, () -> ExternalComponentMain.launch(args(file)));

        assertEquals(ExternalComponentMain.EXIT_CONFIG, e.exitCode());
        assertTrue(e.getMessage().startsWith("invalid configuration in " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("target: must be a bare JID"), e.getMessage());
        assertTrue(e.getMessage().contains("timeoutMillis: must be a whole number from 100"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void missingFileAndWrongArgumentsAreExplained() {
        LaunchException missing = assertThrows(LaunchException.class,
                () -> ExternalComponentMain.launch(new String[] {dir.resolve("absent.properties").toString()}));
        assertEquals(ExternalComponentMain.EXIT_CONFIG, missing.exitCode());
        assertTrue(missing.getMessage().startsWith("no configuration file "), missing.getMessage());

        LaunchException usage = assertThrows(LaunchException.class, () -> ExternalComponentMain.launch(new String[0]));
        assertEquals(ExternalComponentMain.EXIT_USAGE, usage.exitCode());
    }

    @Test
    void disabledProxyDoesNotConnect() throws Exception {
        Path file = config(NO_SERVER_NEEDED, "svc", SECRET);
        Files.writeString(file, "enabled=false\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        LaunchException e = assertThrows(LaunchException.class, () -> ExternalComponentMain.launch(args(file)));

        assertEquals(0, e.exitCode());
        assertTrue(e.getMessage().contains("disabled"), e.getMessage());
    }

    private Path config(int port, String subdomain, String secret) throws IOException {
        Path file = Files.createTempFile(dir, "external", ".properties");
        Files.writeString(file, String.join("\n",
                "serverHost=127.0.0.1",
                "componentPort=" + port,
                "domain=localhost",
                "secret=" + secret,
                "subdomain=" + subdomain,
                "target=impl@localhost",
                ""), StandardCharsets.UTF_8);
        return file;
    }

    private static String[] args(Path file) {
        return new String[] {file.toString()};
    }
}
