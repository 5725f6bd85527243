package org.clientproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackConfiguration.UnknownIqRequestReplyMode;
import org.jivesoftware.smack.SmackException.NotConnectedException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real XMPP client (Smack over TCP) logged in to a test server. Every IQ it receives goes to
 * its inbox in arrival order, Smack's own handling of unknown requests switched off, so tests see
 * and answer exactly what the proxy sent. Resources of one account may share an inbox. It
 * accepts every presence subscription request.
 */
final class XmppClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Smack's roster warns about every presence from a domain JID such as the component's. */
    private static final Logger ROSTER_LOG = Logger.getLogger("org.jivesoftware.smack.roster.Roster");

    static {
        ROSTER_LOG.setLevel(Level.SEVERE);
    }

    /** An IQ, the client that received it, and when ({@link System#nanoTime()}). */
    record Received(XmppClient at, IQ iq, long arrivedNanos) {
    }

    private final XMPPTCPConnection connection;
    private final BlockingQueue<Received> inbox;
    private volatile boolean echo;

    private XmppClient(XMPPTCPConnection connection, BlockingQueue<Received> inbox) {
        this.connection = connection;
        this.inbox = inbox;
    }

    static XmppClient login(XmppServer server, String user, String password, String resource) throws Exception {
        return login(server, user, password, resource, new LinkedBlockingQueue<>());
    }

    /** Logs in with IQs delivered to {@code inbox}, which other clients may share. */
    static XmppClient login(XmppServer server, String user, String password, String resource,
                            BlockingQueue<Received> inbox) throws Exception {
        XMPPTCPConnectionConfiguration configuration = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(XmppServer.DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.clientPort())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setUnknownIqRequestReplyMode(UnknownIqRequestReplyMode.doNotReply);
        Roster.getInstanceFor(connection).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        XmppClient client = new XmppClient(connection, inbox);
        // Smack gives requests only to a request handler (never to listeners), replies only to listeners.
        for (IQ.Type type : List.of(IQ.Type.get, IQ.Type.set)) {
            connection.registerIQRequestHandler(new AbstractIqRequestHandler(PayloadIq.ELEMENT, PayloadIq.NAMESPACE,
                    type, IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ request) {
                    client.onIq(request);
                    return null; // answered by the test, or by echo
                }
            });
        }
        connection.addStanzaListener(client::onIq, client::fromOthers);
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

    /**
     * Handles XEP-0199 pings (which Smack answers only with smack-extensions' PingManager, left
     * out here): each goes to the inbox, and is answered when {@code answer}, or kept unanswered
     * as a frozen process would. Answered on Smack's async handler threads, as PingManager does,
     * not behind this client's own requests.
     */
    void handlePings(boolean answer) {
        connection.registerIQRequestHandler(new AbstractIqRequestHandler("ping", "urn:xmpp:ping", IQ.Type.get,
                IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ ping) {
                inbox.add(new Received(XmppClient.this, ping, System.nanoTime()));
                return answer ? IQ.createResultIQ(ping) : null;
            }
        });
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

    /** Answers a received request with an error, the request's payload included as is customary. */
    PayloadIq replyError(IQ request, StanzaError error) throws NotConnectedException, InterruptedException {
        PayloadIq reply = new PayloadIq(IQ.Type.error, innerOf(childXml(request)));
        reply.setTo(request.getFrom());
        reply.setStanzaId(request.getStanzaId());
        reply.setError(error);
        send(reply);
        return reply;
    }

    /** The next IQ in the inbox, failing if none comes within {@link #WAIT}. */
    IQ next() throws InterruptedException {
        return nextReceived().iq();
    }

    /** The next IQ in the inbox and which client received it (for a shared inbox). */
    Received nextReceived() throws InterruptedException {
        return next(inbox, WAIT);
    }

    /** Fails if an IQ arrives in the inbox within {@code quiet}. */
    void expectNothing(Duration quiet) throws InterruptedException {
        Received received = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(received, () -> jid() + " received an unexpected IQ: " + received.iq().toXML());
    }

    static Received next(BlockingQueue<Received> inbox, Duration wait) throws InterruptedException {
        Received received = inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(received, () -> "no IQ arrived within " + wait);
        return received;
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

    /** Replies from other entities: not the server's answers to the client's own login and roster queries. */
    private boolean fromOthers(Stanza stanza) {
        Jid from = stanza.getFrom();
        EntityFullJid self = connection.getUser();
        return stanza instanceof IQ iq && !iq.isRequestIQ() && from != null && !from.equals(self == null ? null : self.asBareJid())
                && !from.equals(connection.getXMPPServiceDomain());
    }

    private void onIq(Stanza stanza) {
        IQ iq = (IQ) stanza;
        inbox.add(new Received(this, iq, System.nanoTime()));
        if (echo && iq.isRequestIQ()) {
            try {
                reply(iq, innerOf(childXml(iq)));
            } catch (NotConnectedException | InterruptedException e) {
                throw new IllegalStateException("Cannot answer " + iq.getStanzaId(), e);
            }
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
