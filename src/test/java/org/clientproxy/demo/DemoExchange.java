package org.clientproxy.demo;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The demo's clients ({@code scripts/demo} starts Prosody and the proxy around them):
 * {@code preapprove PORT} lets the implementing client approve the service in advance;
 * {@code exchange PORT} runs the implementing client and a requester, and prints one request
 * and its reply as the four stanzas on the wire.
 */
public final class DemoExchange {
    private static final String SERVICE = "svc.localhost";
    private static final String PASSWORD = "demo-password";

    private DemoExchange() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "preapprove" -> SampleImplementingClient.preapprove(port, "impl", PASSWORD, SERVICE);
            case "exchange" -> exchange(port);
            default -> throw new IllegalArgumentException("preapprove or exchange, not " + args[0]);
        }
        System.exit(0); // Smack leaves non-daemon threads behind
    }

    private static void exchange(int port) throws Exception {
        BlockingQueue<IQ[]> seenByImplementing = new ArrayBlockingQueue<>(16);
        try (SampleImplementingClient implementing = SampleImplementingClient.start(port, "impl", PASSWORD, "worker-1",
                (request, reply) -> seenByImplementing.offer(new IQ[] {request, reply}))) {
            XMPPTCPConnection user = SampleImplementingClient.connect(port, "user", PASSWORD, "laptop");
            user.login();
            try {
                // The proxy may still be connecting or learning that impl is online: ask until it answers.
                for (int attempt = 1; attempt <= 50; attempt++) {
                    ForecastIq question = new ForecastIq("Paris", null);
                    question.setType(IQ.Type.get);
                    question.setTo(JidCreate.from(SERVICE));
                    question.setFrom(user.getUser());
                    question.setStanzaId("forecast-" + attempt);
                    IQ answer;
                    try (StanzaCollector collector = user.createStanzaCollectorAndSend(new StanzaIdFilter(question.getStanzaId()), question)) {
                        answer = collector.nextResult(5_000);
                    }
                    if (answer != null && answer.getType() == IQ.Type.result) {
                        IQ[] forwarded = seenByImplementing.poll(5, TimeUnit.SECONDS);
                        print(question, forwarded[0], forwarded[1], answer);
                        return;
                    }
                    Thread.sleep(200);
                }
                throw new IllegalStateException("The service did not answer");
            } finally {
                user.disconnect();
            }
        }
    }

    private static void print(IQ request, IQ forwarded, IQ reply, IQ answer) {
        System.out.println();
        System.out.println("user -> " + SERVICE + ":             " + request.toXML());
        System.out.println(SERVICE + " -> implementing:     " + forwarded.toXML());
        System.out.println("implementing -> " + SERVICE + ":     " + reply.toXML());
        System.out.println(SERVICE + " -> user:             " + answer.toXML());
        System.out.println();
    }
}
