package org.clientproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackConfiguration.UnknownIqRequestReplyMode;
import org.jivesoftware.smack.SmackException.NotConnectedException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real XMPP client (Smack over TCP) logged in to the test Prosody. Every IQ it receives is kept
 * in arrival order, Smack's own handling of unknown requests switched off, so tests see and
 * answer exactly what the proxy sent. It accepts every presence subscription request.
 */
final class XmppClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final XMPPTCPConnection connection;
    private final BlockingQueue<IQ> received = new LinkedBlockingQueue<>();
    private volatile boolean echo;

    private XmppClient(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    static XmppClient login(ProsodyServer server, String user, String password, String resource) throws Exception {
        XMPPTCPConnectionConfiguration configuration = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyServer.DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.clientPort())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setUnknownIqRequestReplyMode(UnknownIqRequestReplyMode.doNotReply);
        Roster.getInstanceFor(connection).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        XmppClient client = new XmppClient(connection);
        connection.addStanzaListener(client::onIq, StanzaTypeFilter.IQ);
        connection.connect().login();
        return client;
    }

    EntityFullJid jid() {
        return connection.getUser();
    }

    /** From now on, answer every get/set with a result carrying the request's payload (still recording it). */
    void echoRequests() {
        echo = true;
    }

    void send(Stanza stanza) throws NotConnectedException, InterruptedException {
        connection.sendStanza(stanza);
    }

    /** Sends a request with a test payload; {@code id} may be {@code null} for a fresh one. */
    PayloadIq request(String to, IQ.Type type, String id, String innerXml) throws Exception {
        PayloadIq request = new PayloadIq(type, innerXml);
        request.setTo(JidCreate.from(to));
        request.setFrom(jid());
        if (id != null) {
            request.setStanzaId(id);
        }
        send(request);
        return request;
    }

    /** Answers a received request with a result carrying the given payload. */
    PayloadIq reply(IQ request, String innerXml) throws NotConnectedException, InterruptedException {
        PayloadIq result = new PayloadIq(IQ.Type.result, innerXml);
        result.setTo(request.getFrom());
        result.setStanzaId(request.getStanzaId());
        send(result);
        return result;
    }

    /** The next IQ received, failing if none comes within {@link #WAIT}. */
    IQ next() throws InterruptedException {
        IQ iq = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(iq, () -> jid() + " received no IQ within " + WAIT);
        return iq;
    }

    /** Fails if an IQ arrives within {@code quiet}. */
    void expectNothing(Duration quiet) throws InterruptedException {
        IQ iq = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(iq, () -> jid() + " received an unexpected IQ: " + iq.toXML());
    }

    /** IQs received and not yet taken. */
    int pending() {
        return received.size();
    }

    Jid address(String jid) throws Exception {
        return JidCreate.from(jid);
    }

    /** The child element of a received IQ as XML, as Smack parsed it (unknown payloads stay unparsed). */
    static String childXml(IQ iq) {
        if (iq instanceof UnparsedIQ unparsed) {
            return unparsed.getContent().toString();
        }
        return iq.getChildElementXML().toString();
    }

    /** Drops the TCP connection without a goodbye, as a crashing client would. */
    void crash() {
        connection.instantShutdown();
    }

    @Override
    public void close() {
        connection.disconnect();
    }

    private void onIq(Stanza stanza) throws NotConnectedException, InterruptedException {
        IQ iq = (IQ) stanza;
        received.add(iq);
        if (echo && (iq.getType() == IQ.Type.get || iq.getType() == IQ.Type.set)) {
            reply(iq, innerOf(childXml(iq)));
        }
    }

    /** The content between the outer element's tags of a serialised element. */
    static String innerOf(String elementXml) {
        int start = elementXml.indexOf('>');
        if (elementXml.charAt(start - 1) == '/') {
            return "";
        }
        return elementXml.substring(start + 1, elementXml.lastIndexOf('<'));
    }
}
