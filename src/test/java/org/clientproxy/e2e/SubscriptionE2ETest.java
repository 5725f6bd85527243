package org.clientproxy.e2e;

import static org.clientproxy.e2e.E2eProxy.PASSWORD;
import static org.clientproxy.e2e.E2eProxy.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.clientproxy.core.SubscriptionState;
import org.clientproxy.e2e.XmppClient.Received;
import org.clientproxy.external.ExternalProxy;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first subscription to a target that has never heard of the service: the proxy asks, the
 * implementing client (Smack, accepting every request) approves, and the proxy learns its
 * resources, whether the client is online when the proxy starts or logs in later. On each server.
 */
class SubscriptionE2ETest {
    @RegisterExtension
    static final EachServer SERVERS = EachServer.perClass(kind -> E2eProxy.serverWithService(kind, "early", "late", "req1"));

    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private XmppServer server;
    private ExternalProxy external;
    private XmppClient target;
    private XmppClient requester;

    @BeforeEach
    void useServer(XmppServer server) {
        this.server = server;
    }

    @AfterEach
    void stopAll() {
        if (external != null) {
            external.close();
        }
        for (XmppClient client : new XmppClient[] {target, requester}) {
            if (client != null) {
                client.close();
            }
        }
    }

    @OnEachServer
    void targetOnlineWhenTheProxyStartsApprovesAndIsUsed() throws Exception {
        target = XmppClient.login(server, "early", PASSWORD, "a", inbox);
        external = ExternalProxy.start(E2eProxy.config(server.componentPort(), "target", "early@localhost"));
        assertSubscribedAndServing("early@localhost/a");
    }

    @OnEachServer
    void targetLoggingInLaterApprovesTheStoredRequestAndIsUsed() throws Exception {
        external = ExternalProxy.start(E2eProxy.config(server.componentPort(), "target", "late@localhost"));
        Thread.sleep(300); // the subscription request is stored while the target is offline
        target = XmppClient.login(server, "late", PASSWORD, "a", inbox);
        assertSubscribedAndServing("late@localhost/a");
    }

    private void assertSubscribedAndServing(String resource) throws Exception {
        E2eProxy.awaitResources(external, 1);
        assertEquals(SubscriptionState.GRANTED, external.proxy().status().subscription());
        assertEquals(resource, external.proxy().status().resources().get(0).address().toString());

        requester = XmppClient.login(server, "req1", PASSWORD, "r1");
        target.echoRequests();
        requester.request(SERVICE, IQ.Type.get, "first", "<hello/>");
        IQ answer = requester.next();
        assertEquals(IQ.Type.result, answer.getType());
        assertEquals("first", answer.getStanzaId());
    }
}
