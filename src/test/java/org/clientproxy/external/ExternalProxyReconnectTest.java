package org.clientproxy.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.clientproxy.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the external component logs while it reconnects: one WARN line for the loss, the failed
 * attempts at DEBUG (not shown at INFO), except a refusal by the server, which does not pass by
 * itself and is logged once at WARN, and one INFO line when it is back. The server is a stand-in
 * that speaks XEP-0114's handshake and answers it as told: accepted, or {@code not-authorized}
 * as Prosody and ejabberd answer a wrong secret.
 */
class ExternalProxyReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HandshakeServer server = new HandshakeServer();
    private ExternalProxy external;

    @AfterEach
    void stop() throws IOException {
        if (external != null) {
            external.close();
        }
        server.close();
    }

    @Test
    void oneWarningForTheLossOneForARefusalAndOneInfoWhenBack() throws Exception {
        String log;
        try (LogCapture captured = LogCapture.start()) {
            external = ExternalProxy.start(ExternalConfig.parse(key -> switch (key) {
                case "serverHost" -> "127.0.0.1";
                case "componentPort" -> Integer.toString(server.port());
                case "domain" -> "example.org";
                case "secret" -> "s3cret";
                case "subdomain" -> "svc";
                case "target" -> "impl@example.org";
                case "pingIntervalMillis" -> "3600000";
                default -> null;
            }));
            server.refuse(true);
            server.closeConnections();
            await(() -> server.refused() >= 3, "three refused attempts");
            server.refuse(false);
            await(external::isConnected, "the proxy to be back");
            external.close();
            log = captured.text();
        }

        List<String> lines = log.lines().toList();
        String prefix = "org.clientproxy.external.ExternalProxy - ";
        assertEquals(5, lines.size(), log);
        assertTrue(lines.get(0).contains("INFO " + prefix + "Connected to 127.0.0.1:" + server.port()), log);
        assertTrue(lines.get(1).contains("WARN " + prefix + "Lost the connection to 127.0.0.1:" + server.port()
                + " (closed by the server); reconnecting"), log);
        assertTrue(lines.get(2).contains("WARN " + prefix + "Reconnecting failed: the server at 127.0.0.1:" + server.port()
                + " refused the component svc.example.org (not-authorized)"), log);
        assertTrue(lines.get(3).matches(".*INFO " + prefix + "Reconnected to 127.0.0.1:" + server.port()
                + " as svc.example.org, \\d+ ms after the loss, at attempt " + (server.refused() + 1)), log);
        assertTrue(lines.get(4).contains("INFO " + prefix + "Disconnected svc.example.org"), log);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A component port on loopback that answers each handshake as told, and can close what it accepted. */
    private static final class HandshakeServer implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicInteger refused = new AtomicInteger();
        private volatile boolean refuse;

        HandshakeServer() {
            try {
                listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread thread = new Thread(this::serve, "handshake-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void refuse(boolean refuse) {
            this.refuse = refuse;
        }

        int refused() {
            return refused.get();
        }

        /** Ends the accepted streams cleanly, as a server that shuts down does. */
        void closeConnections() throws IOException {
            for (Socket socket : accepted) {
                socket.getOutputStream().write("</stream:stream>".getBytes(StandardCharsets.UTF_8));
                socket.close();
            }
            accepted.clear();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            closeConnections();
        }

        private void serve() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    InputStream in = socket.getInputStream();
                    readThrough(in, "<stream:stream");
                    readThrough(in, ">");
                    socket.getOutputStream().write(("<stream:stream xmlns='jabber:component:accept'"
                            + " xmlns:stream='http://etherx.jabber.org/streams' id='42' from='svc.example.org'>")
                            .getBytes(StandardCharsets.UTF_8));
                    readThrough(in, "</handshake>");
                    if (refuse) {
                        refused.incrementAndGet();
                        socket.getOutputStream().write(("<stream:error><not-authorized"
                                + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>")
                                .getBytes(StandardCharsets.UTF_8));
                        socket.close();
                    } else {
                        socket.getOutputStream().write("<handshake/>".getBytes(StandardCharsets.UTF_8));
                        accepted.add(socket);
                    }
                } catch (IOException e) {
                    // closed, or the client went away mid-handshake
                }
            }
        }

        private static void readThrough(InputStream in, String marker) throws IOException {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            while (!read.toString(StandardCharsets.UTF_8).endsWith(marker)) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("closed before " + marker);
                }
                read.write(next);
            }
        }
    }
}
