package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.clientproxy.e2e.PayloadIq;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackConfiguration.UnknownIqRequestReplyMode;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real XMPP client (Smack over TCP, plaintext on loopback) of an {@link OpenfireServer}, for
 * both sides of a proxy. As an implementing client it refuses every presence subscription
 * request, as Smack does by default and Jitsi's Jicofo does, and answers the test payload's
 * requests as {@link #serve} says. As a requester it {@link #send}s requests and keeps every
 * response to each, so a test can check that a request got exactly one answer.
 */
public final class SmackClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** Smack's roster warns about every presence from a domain JID such as the component's. */
    private static final Logger ROSTER_LOG = Logger.getLogger("org.jivesoftware.smack.roster.Roster");

    static {
        ROSTER_LOG.setLevel(Level.SEVERE);
    }

    /** How an implementing client answers the requests it receives. */
    public enum Serving {
        /** A result at once, its payload naming the resource that answered. */
        ANSWER,
        /** Nothing yet: each request waits in {@link #received()} for the test to answer it. */
        HOLD
    }

    private final XMPPTCPConnection connection;
    private final BlockingQueue<IQ> received = new LinkedBlockingQueue<>();
    private final Map<String, List<IQ>> responses = new ConcurrentHashMap<>();
    /** Responses from others to requests this client did not send (a proxy must never deliver any). */
    private final List<IQ> responsesToOthers = new CopyOnWriteArrayList<>();
    private volatile Serving serving = Serving.HOLD;

    private SmackClient(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    /** Logs {@code user} (password: its name) in as {@code resource}. */
    public static SmackClient login(OpenfireServer server, String user, String resource) throws Exception {
        XMPPTCPConnectionConfiguration configuration = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(OpenfireServer.DOMAIN)
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.ports().client())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, user)
                .setResource(resource)
                .setConnectTimeout((int) WAIT.toMillis())
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setReplyTimeout(WAIT.toMillis());
        connection.setUnknownIqRequestReplyMode(UnknownIqRequestReplyMode.doNotReply);
        Roster.getInstanceFor(connection).setSubscriptionMode(Roster.SubscriptionMode.reject_all);
        SmackClient client = new SmackClient(connection);
        for (IQ.Type type : List.of(IQ.Type.get, IQ.Type.set)) {
            connection.registerIQRequestHandler(new AbstractIqRequestHandler(PayloadIq.ELEMENT, PayloadIq.NAMESPACE,
                    type, IQRequestHandler.Mode.async) {
                @Override
                public IQ handleIQRequest(IQ request) {
                    return client.onRequest(request);
                }
            });
        }
        connection.addStanzaListener(client::onResponse, stanza -> stanza instanceof IQ iq && !iq.isRequestIQ());
        connection.connect().login();
        return client;
    }

    public EntityFullJid jid() {
        return connection.getUser();
    }

    public void serve(Serving serving) {
        this.serving = serving;
    }

    /** The requests this client received and holds (with {@link Serving#HOLD}), oldest first. */
    public BlockingQueue<IQ> received() {
        return received;
    }

    /** The next request received, failing after {@link #WAIT}. */
    public IQ nextRequest() throws InterruptedException {
        IQ request = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(request, () -> jid() + " received no request within " + WAIT);
        return request;
    }

    /** Answers a request with a result whose payload is {@code innerXml}. */
    public void answer(IQ request, String innerXml) throws Exception {
        PayloadIq result = new PayloadIq(IQ.Type.result, innerXml);
        result.setTo(request.getFrom());
        result.setStanzaId(request.getStanzaId());
        connection.sendStanza(result);
    }

    /** Answers a received request with an error (RFC 6120 8.3: the request's payload included). */
    public void answerError(IQ request, StanzaError.Condition condition) throws Exception {
        PayloadIq error = new PayloadIq(IQ.Type.error, payload(request));
        error.setTo(request.getFrom());
        error.setStanzaId(request.getStanzaId());
        error.setError(StanzaError.getBuilder(condition).build());
        connection.sendStanza(error);
    }

    /** Sends a get or set with the test payload to {@code to}; its responses are kept under its id. */
    public String send(String to, IQ.Type type, String innerXml) throws Exception {
        PayloadIq request = new PayloadIq(type, innerXml);
        request.setTo(JidCreate.from(to));
        responses.put(request.getStanzaId(), new CopyOnWriteArrayList<>());
        connection.sendStanza(request);
        return request.getStanzaId();
    }

    /** The first response to request {@code id}, failing after {@link #WAIT}. */
    public IQ response(String id) throws InterruptedException {
        List<IQ> got = responses.get(id);
        Waits.until(WAIT, () -> "a response to " + id + " at " + jid(), () -> !got.isEmpty());
        return got.get(0);
    }

    /** Every response to request {@code id} so far (a request must get exactly one). */
    public List<IQ> responses(String id) {
        return List.copyOf(responses.get(id));
    }

    /** Responses that reached this client for requests it never sent. */
    public List<IQ> responsesToOthers() {
        return List.copyOf(responsesToOthers);
    }

    /** Sends a get to {@code to} and returns its one response (result or error). */
    public IQ ask(String to) throws Exception {
        return response(send(to, IQ.Type.get, ""));
    }

    /** The error condition of a response, or {@code null} for a result. */
    public static StanzaError.Condition condition(IQ response) {
        return response.getType() == IQ.Type.error ? response.getError().getCondition() : null;
    }

    /** The inner XML of a response's or request's payload, as Smack parsed it. */
    public static String payload(IQ iq) {
        String xml = iq instanceof UnparsedIQ unparsed ? unparsed.getContent().toString() : iq.getChildElementXML().toString();
        int start = xml.indexOf('>');
        return start < 0 || xml.charAt(start - 1) == '/' ? "" : xml.substring(start + 1, xml.lastIndexOf('<'));
    }

    /** This account's roster item for {@code jid}, as the server pushed it, or {@code null}. */
    public RosterEntry rosterEntry(String jid) throws Exception {
        return Roster.getInstanceFor(connection).getEntry(JidCreate.bareFrom(jid));
    }

    /** Removes an item from this account's roster, as its user would (a roster set with subscription 'remove'). */
    public void removeRosterEntry(String jid) throws Exception {
        Roster roster = Roster.getInstanceFor(connection);
        roster.removeEntry(roster.getEntry(JidCreate.bareFrom(jid)));
    }

    /** Drops the TCP connection without a goodbye, as a crashing client would (a resumable stream stays resumable). */
    public void crash() {
        connection.instantShutdown();
    }

    /** Whether the server gave this connection a stream it can resume (XEP-0198). */
    public boolean isResumable() {
        return connection.isSmResumptionPossible();
    }

    /** Connects again after {@link #crash()}, resuming the stream: what the server kept for it arrives. */
    public void resume() throws Exception {
        connection.connect().login();
        Waits.until(WAIT, () -> jid() + " to resume its stream", connection::streamWasResumed);
    }

    @Override
    public void close() {
        connection.disconnect();
    }

    private IQ onRequest(IQ request) {
        if (serving == Serving.ANSWER) {
            PayloadIq result = new PayloadIq(IQ.Type.result, "<served-by>" + connection.getUser().getResourceOrEmpty()
                    + "</served-by>");
            result.setTo(request.getFrom());
            result.setStanzaId(request.getStanzaId());
            return result;
        }
        received.add(request);
        return null;
    }

    private void onResponse(Stanza stanza) {
        List<IQ> got = responses.get(stanza.getStanzaId());
        if (got != null) {
            got.add((IQ) stanza);
        } else if (fromOthers(stanza)) {
            responsesToOthers.add((IQ) stanza);
        }
    }

    /** Not the server's answers to the client's own login and roster queries. */
    private boolean fromOthers(Stanza stanza) {
        Jid from = stanza.getFrom();
        EntityFullJid self = connection.getUser();
        return from != null && !from.equals(self == null ? null : self.asBareJid())
                && !from.equals(connection.getXMPPServiceDomain());
    }
}
