package org.clientproxy.demo;

import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

import java.net.InetAddress;

/**
 * A service written as an ordinary client, the kind the proxy is for: it answers weather
 * questions sent to the service address. The proxy tells it who asked in the resource of the
 * {@code from} address ({@code svc.localhost/<requester's full JID>}), and the answer goes back
 * to that same address.
 */
final class SampleImplementingClient implements AutoCloseable {
    private final XMPPTCPConnection connection;

    private SampleImplementingClient(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    /**
     * Logs in, accepts the service's presence subscription, and answers every forecast request.
     *
     * @param onExchange told of each request received and the reply sent, for the demo's printout
     */
    static SampleImplementingClient start(int port, String user, String password, String resource,
                                          BiConsumer<IQ, IQ> onExchange) throws Exception {
        XMPPTCPConnection connection = connect(port, user, password, resource);
        connection.registerIQRequestHandler(new AbstractIqRequestHandler(ForecastIq.ELEMENT, ForecastIq.NAMESPACE,
                IQ.Type.get, IQRequestHandler.Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ request) {
                ForecastIq question = (ForecastIq) request;
                String requester = request.getFrom().getResourceOrEmpty().toString();
                ForecastIq answer = new ForecastIq(question.city, forecastFor(question.city, requester));
                answer.setType(IQ.Type.result);
                answer.setTo(request.getFrom());
                answer.setFrom(connection.getUser());
                answer.setStanzaId(request.getStanzaId());
                onExchange.accept(request, answer);
                return answer;
            }
        });
        connection.login();
        return new SampleImplementingClient(connection);
    }

    /**
     * Approves the service's subscription to this account's presence before the service asks
     * (RFC 6121 3.4), so the approval does not depend on being online at the right moment.
     */
    static void preapprove(int port, String user, String password, String service) throws Exception {
        XMPPTCPConnection connection = connect(port, user, password, "setup");
        connection.login();
        Jid serviceJid = JidCreate.from(service);
        connection.sendStanza(PresenceBuilder.buildPresence().ofType(Presence.Type.subscribed).to(serviceJid).build());
        Roster roster = Roster.getInstanceFor(connection);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (roster.getEntry(serviceJid.asBareJid()) == null) { // the server confirms with a roster push
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The server did not confirm the pre-approval of " + service);
            }
            Thread.sleep(50);
        }
        connection.disconnect();
    }

    static XMPPTCPConnection connect(int port, String user, String password, String resource) throws Exception {
        ProviderManager.addIQProvider(ForecastIq.ELEMENT, ForecastIq.NAMESPACE, new ForecastIq.Provider());
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost")
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(port)
                .setSecurityMode(SecurityMode.disabled) // loopback demo only
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .build());
        Roster.getInstanceFor(connection).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        connection.setFromMode(XMPPConnection.FromMode.USER); // show the sender in the printout
        connection.connect();
        return connection;
    }

    private static String forecastFor(String city, String requester) {
        return "sunny in " + city + ", for " + requester;
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
