package org.clientproxy.bench;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smallest XMPP client the load comparison needs, over a plain socket: SASL PLAIN without
 * TLS, resource binding, then raw stanzas both ways. It frames the server's stream into
 * top-level elements and reads a few attributes of each; it builds no object tree. So the
 * clients cost the same, and little, whether a request goes through the proxy or straight to
 * the implementing client, and the comparison sees the server and the proxy rather than a
 * client library.
 *
 * <p>Not a general client: it trusts the server (Prosody writes no comments, CDATA or
 * processing instructions inside the stream) and handles only what the comparison sends.
 */
final class RawXmppClient implements AutoCloseable {
    /** What the client does with each stanza after login; called on the reader thread, under {@link #lock()}. */
    interface Handler {
        void stanza(RawXmppClient client, Stanza stanza) throws IOException;
    }

    private static final Pattern STREAM_ID = Pattern.compile(" id=['\"]([^'\"]*)['\"]");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Framer framer = new Framer();
    private final Object lock = new Object();
    private String jid;
    private Thread reader;
    private volatile boolean closing;
    private boolean flushEachWrite;

    private RawXmppClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /** Logs in as {@code user@domain/resource}; the stream is then ready for {@link #start}. */
    static RawXmppClient login(int port, String domain, String user, String password, String resource)
            throws IOException {
        return login(InetAddress.getLoopbackAddress(), port, domain, user, password, resource);
    }

    /** Logs in as {@code user@domain/resource} on {@code host} (no TLS: SASL PLAIN in the clear, for loopback tests). */
    static RawXmppClient login(String host, int port, String domain, String user, String password, String resource)
            throws IOException {
        return login(InetAddress.getByName(host), port, domain, user, password, resource);
    }

    private static RawXmppClient login(InetAddress address, int port, String domain, String user, String password,
                                       String resource) throws IOException {
        Socket socket = new Socket(address, port);
        socket.setTcpNoDelay(true);
        RawXmppClient client = new RawXmppClient(socket);
        try {
            client.openStream(domain);
            client.expect("stream:features", "PLAIN");
            String credentials = Base64.getEncoder().encodeToString(
                    ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            client.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>");
            client.flush();
            client.expect("success", null);
            client.openStream(domain);
            client.expect("stream:features", "urn:ietf:params:xml:ns:xmpp-bind");
            client.write("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                    + resource + "</resource></bind></iq>");
            client.flush();
            String bound = client.expect("iq", "<jid>");
            client.jid = bound.substring(bound.indexOf("<jid>") + 5, bound.indexOf("</jid>"));
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects as the external component {@code componentDomain} (XEP-0114): the stream header,
     * then the handshake with the shared secret.
     */
    static RawXmppClient component(int port, String componentDomain, String secret) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        RawXmppClient client = new RawXmppClient(socket);
        try {
            client.write("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " to='" + componentDomain + "'>");
            client.flush();
            while (true) {
                if (client.framer.next()) {
                    throw new IOException("Expected the stream header, got " + client.framer.text());
                }
                if (client.framer.streamHeader != null) {
                    break;
                }
                if (client.framer.fill(client.in) < 0) {
                    throw new IOException("No stream header from the server");
                }
            }
            Matcher id = STREAM_ID.matcher(client.framer.streamHeader);
            if (!id.find()) {
                throw new IOException("No stream id in " + client.framer.streamHeader);
            }
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((id.group(1) + secret).getBytes(StandardCharsets.UTF_8));
            client.write("<handshake>" + HexFormat.of().formatHex(digest) + "</handshake>");
            client.flush();
            client.expect("handshake", null);
            client.jid = componentDomain;
            return client;
        } catch (NoSuchAlgorithmException e) {
            socket.close();
            throw new IllegalStateException(e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    String jid() {
        return jid;
    }

    /**
     * Before {@link #start}: sends a stanza and waits for the server's answer to a ping sent after
     * it, so the server has handled the stanza. What arrives meanwhile is dropped.
     */
    void sendAndSync(String stanza) throws IOException {
        write(stanza);
        write("<iq type='get' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>");
        flush();
        do {
            nextElement();
        } while (!(framer.nameIs("iq") && framer.attributeIs("id", "sync")));
    }

    /** Hands every stanza from now on to {@code handler} on a reader thread. */
    void start(String name, Handler handler) {
        reader = new Thread(() -> readLoop(handler), name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Writing is done under this lock; the reader thread holds it while it handles what it read. */
    Object lock() {
        return lock;
    }

    /** Queues a stanza; call under {@link #lock()} once {@link #start} was called. */
    void write(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        if (flushEachWrite) {
            out.flush();
        }
    }

    /**
     * Makes this connection write like Whack does: each stanza flushed on its own (a system call
     * and usually a TCP segment per stanza) and, when {@code nagle}, with Nagle's algorithm on.
     * By default stanzas are flushed once per batch read, with TCP_NODELAY.
     */
    void writeLikeWhack(boolean flushEach, boolean nagle) throws IOException {
        this.flushEachWrite = flushEach;
        socket.setTcpNoDelay(!nagle);
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            synchronized (lock) {
                write("</stream:stream>");
                flush();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        socket.close();
    }

    private void readLoop(Handler handler) {
        Stanza stanza = new Stanza(framer);
        try {
            while (framer.fill(in) >= 0) {
                synchronized (lock) {
                    while (framer.next()) {
                        handler.stanza(this, stanza);
                    }
                    out.flush();
                }
            }
            if (!closing) {
                System.err.println(jid + ": the server closed the connection");
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                System.err.println(jid + ": reading failed: " + e);
                e.printStackTrace();
            }
        }
    }

    private void openStream(String domain) throws IOException {
        write("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams'>");
        flush();
    }

    /** The next top-level element, which must be {@code name} and contain {@code text}. */
    private String expect(String name, String text) throws IOException {
        String element = nextElement();
        if (!element.startsWith("<" + name) || text != null && !element.contains(text)) {
            throw new IOException("Expected <" + name + "> with " + text + ", got " + element);
        }
        return element;
    }

    private String nextElement() throws IOException {
        while (!framer.next()) {
            if (framer.fill(in) < 0) {
                throw new EOFException("The server closed the stream");
            }
        }
        return framer.text();
    }

    /** The stanza the handler is given: valid only during the call. */
    static final class Stanza {
        private final Framer framer;

        private Stanza(Framer framer) {
            this.framer = framer;
        }

        /** Whether the element is named {@code name}. */
        boolean is(String name) {
            return framer.nameIs(name);
        }

        /** An attribute of the top element, as written (not unescaped), or {@code null}. */
        String attribute(String name) {
            return framer.attribute(name);
        }

        boolean attributeIs(String name, String value) {
            return framer.attributeIs(name, value);
        }

        /** The element's content between its start and end tags, as written. */
        String inner() {
            return framer.inner();
        }

        @Override
        public String toString() {
            return framer.text();
        }
    }

    /**
     * Splits the server's stream into top-level elements. The stream header (sent again after
     * authentication) is not an element: it only sets the depth to one.
     */
    private static final class Framer {
        private byte[] buffer = new byte[1 << 16];
        private int length;
        private int position;
        private int depth;
        private int elementStart = -1;
        private int startTagEnd;
        private int elementEnd;
        /** The last stream header received, or {@code null}. */
        String streamHeader;

        /** Reads what is available (blocking for at least a byte); -1 at the end of the stream. */
        int fill(InputStream in) throws IOException {
            int keep = depth >= 2 ? elementStart : position;
            if (keep > 0) {
                System.arraycopy(buffer, keep, buffer, 0, length - keep);
                length -= keep;
                position -= keep;
                if (depth >= 2) {
                    elementStart -= keep;
                    startTagEnd -= keep;
                }
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read > 0) {
                length += read;
            }
            return read;
        }

        /** Finds the next complete top-level element in what was read; false when more is needed. */
        boolean next() throws IOException {
            while (position < length) {
                if (buffer[position] != '<') {
                    position++; // text between stanzas (whitespace keep-alives) or inside one
                    continue;
                }
                int end = tagEnd(position);
                if (end < 0) {
                    return false;
                }
                byte kind = buffer[position + 1];
                if (kind == '?') {
                    position = end + 1;
                } else if (kind == '!') {
                    throw new IOException("Comments and CDATA are not supported: " + text(position, end + 1));
                } else if (kind == '/') {
                    position = end + 1;
                    if (--depth == 1) {
                        elementEnd = position;
                        return true;
                    } else if (depth <= 0) {
                        throw new EOFException("The server closed the stream");
                    }
                } else if (startsWith(position + 1, "stream:stream")) {
                    depth = 1;
                    streamHeader = text(position, end + 1);
                    position = end + 1;
                } else {
                    if (depth == 1) {
                        elementStart = position;
                        startTagEnd = end;
                    }
                    position = end + 1;
                    if (buffer[end - 1] != '/') {
                        depth++;
                    } else if (depth == 1) {
                        elementEnd = position;
                        return true;
                    }
                }
            }
            return false;
        }

        String text() {
            return text(elementStart, elementEnd);
        }

        String inner() {
            if (buffer[startTagEnd - 1] == '/') {
                return "";
            }
            int endTag = elementEnd - 1;
            while (buffer[endTag] != '<') {
                endTag--;
            }
            return text(startTagEnd + 1, endTag);
        }

        private String text(int from, int to) {
            return new String(buffer, from, to - from, StandardCharsets.UTF_8);
        }

        boolean nameIs(String name) {
            int after = elementStart + 1 + name.length();
            return after <= startTagEnd && startsWith(elementStart + 1, name)
                    && (buffer[after] == ' ' || buffer[after] == '>' || buffer[after] == '/'
                    || buffer[after] == '\t' || buffer[after] == '\n' || buffer[after] == '\r');
        }

        String attribute(String name) {
            int value = valueStart(name);
            if (value < 0) {
                return null;
            }
            int end = value;
            while (buffer[end] != buffer[value - 1]) {
                end++;
            }
            return text(value, end);
        }

        boolean attributeIs(String name, String expected) {
            int value = valueStart(name);
            return value >= 0 && startsWith(value, expected) && buffer[value + expected.length()] == buffer[value - 1];
        }

        /** Where the value of attribute {@code name} of the top element starts (after the quote), or -1. */
        private int valueStart(String name) {
            int i = elementStart + 1;
            while (i < startTagEnd && !isSpace(buffer[i])) {
                i++; // the element's name
            }
            while (i < startTagEnd) {
                while (i < startTagEnd && isSpace(buffer[i])) {
                    i++;
                }
                int nameStart = i;
                while (i < startTagEnd && buffer[i] != '=' && !isSpace(buffer[i])) {
                    i++;
                }
                int nameEnd = i;
                while (i < startTagEnd && buffer[i] != '\'' && buffer[i] != '"') {
                    i++;
                }
                if (i >= startTagEnd) {
                    return -1;
                }
                byte quote = buffer[i];
                int valueStart = i + 1;
                i = valueStart;
                while (buffer[i] != quote) {
                    i++;
                }
                i++;
                if (nameEnd - nameStart == name.length() && startsWith(nameStart, name)) {
                    return valueStart;
                }
            }
            return -1;
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || b == '\t' || b == '\n' || b == '\r';
        }

        private boolean startsWith(int at, String text) {
            if (at + text.length() > length) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (buffer[at + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** The index of the '>' closing the tag at {@code start}, outside quotes; -1 if not read yet. */
        private int tagEnd(int start) {
            byte quote = 0;
            for (int i = start + 1; i < length; i++) {
                byte b = buffer[i];
                if (quote != 0) {
                    if (b == quote) {
                        quote = 0;
                    }
                } else if (b == '\'' || b == '"') {
                    quote = b;
                } else if (b == '>') {
                    return i;
                }
            }
            return -1;
        }
    }
}
