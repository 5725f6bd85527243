package org.clientproxy.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.clientproxy.testing.ServerProcess;

/**
 * A TCP relay on loopback between the external component and the server's component port, so a
 * test can take the network away while the server and its clients stay as they are.
 */
final class TcpRelay implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    private TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = ServerProcess.freePorts(1)[0];
        resume();
    }

    static TcpRelay to(int targetPort) throws IOException {
        return new TcpRelay(targetPort);
    }

    int port() {
        return port;
    }

    /** Refuses new connections and resets the current ones on both sides. */
    synchronized void cut() throws IOException {
        stopListening();
        for (Link link : links) {
            link.close();
        }
        links.clear();
    }

    /**
     * Refuses new connections and closes the server's side of the current ones, leaving the
     * client's side open and silent: from the client's point of view the server just stops
     * answering, which only pinging can notice.
     */
    synchronized void silence() throws IOException {
        stopListening();
        for (Link link : links) {
            link.silence();
        }
    }

    /** Accepts connections (again) on the same port. */
    synchronized void resume() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        Thread accepter = new Thread(() -> accept(socket), "relay-accept-" + port);
        accepter.setDaemon(true);
        accepter.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void stopListening() throws IOException {
        ServerSocket socket = listener;
        if (socket != null) {
            socket.close();
        }
    }

    private void accept(ServerSocket socket) {
        try {
            while (!socket.isClosed()) {
                Socket client = socket.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            }
        } catch (IOException e) {
            // closed by cut() or silence()
        }
    }

    /** One relayed connection: a pumping thread each way. */
    private static final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean silenced;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "up");
            pump(server, client, "down");
        }

        void silence() throws IOException {
            silenced = true;
            server.close();
        }

        void close() throws IOException {
            client.close();
            server.close();
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream()) {
                    OutputStream out = to.getOutputStream();
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        if (!silenced) {
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side went away
                }
                if (!silenced) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
