package org.clientproxy.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plugin upgrade (or reload, or removal) does to requests under load (issue 18), run by
 * hand against a running Openfire with the plugin, never by the test suite: an implementing
 * client with two resources that answers every get after {@code --delay-ms}, one requester that
 * keeps {@code --in-flight} requests outstanding, and at {@code --act-at} seconds a shell
 * command ({@code --act}: replace the jar, press reload, delete the plugin), again every
 * {@code --act-every} seconds if given (a soak). Requests stop at
 * {@code --seconds}; then it waits for every answer (up to {@code --drain-seconds}) and prints
 * what each request got: one result, one error (by condition), nothing, or more than one answer.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.clientproxy.bench.UpgradeUnderLoad --server 127.0.0.1:5222 \
 *     --domain localhost --service focus.localhost --impl impl:impl --requester alice:alice \
 *     --act 'cp new/clientproxy.jar openfire/plugins/.x &amp;&amp; mv openfire/plugins/.x openfire/plugins/clientproxy.jar'
 * </pre>
 */
public final class UpgradeUnderLoad {
    private static final Pattern ERROR = Pattern.compile("<error[^>]*>\\s*<([a-z-]+)");

    private final Map<String, String> options;
    private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicLong actNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger receivedByImpl = new AtomicInteger();
    private final ScheduledExecutorService replies = Executors.newScheduledThreadPool(2);
    private volatile boolean sending = true;
    private RawXmppClient requester;
    private String service;
    private long startNanos;

    private UpgradeUnderLoad(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("--in-flight", "16", "--delay-ms", "200", "--seconds", "30",
                "--act-at", "10", "--drain-seconds", "40", "--impl-resources", "2"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--server", "--domain", "--service", "--impl", "--requester")) {
            if (!options.containsKey(required)) {
                System.err.println("Usage: UpgradeUnderLoad --server HOST:PORT --domain D --service S --impl USER:PASSWORD"
                        + " --requester USER:PASSWORD [--act COMMAND] [--act-at 10] [--act-every S] [--seconds 30] [--in-flight 16]"
                        + " [--delay-ms 200] [--drain-seconds 40] [--impl-resources 2]");
                System.exit(64);
            }
        }
        new UpgradeUnderLoad(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        String[] server = options.get("--server").split(":");
        String host = server[0];
        int port = Integer.parseInt(server[1]);
        String domain = options.get("--domain");
        service = options.get("--service");
        long delay = Long.parseLong(options.get("--delay-ms"));
        List<RawXmppClient> resources = new ArrayList<>();
        String[] impl = options.get("--impl").split(":");
        for (int i = 1; i <= Integer.parseInt(options.get("--impl-resources")); i++) {
            RawXmppClient resource = RawXmppClient.login(host, port, domain, impl[0], impl[1], "r" + i);
            resource.sendAndSync("<presence type='subscribed' to='" + service + "'/>");
            resource.sendAndSync("<presence/>");
            resource.start("impl r" + i, (client, stanza) -> answerLater(client, stanza, delay));
            resources.add(resource);
        }
        String[] user = options.get("--requester").split(":");
        requester = RawXmppClient.login(host, port, domain, user[0], user[1], "load");
        requester.start("requester", this::answered);
        Thread.sleep(1000); // the proxy sees the resources online
        startNanos = System.nanoTime();
        synchronized (requester.lock()) {
            for (int i = 0; i < Integer.parseInt(options.get("--in-flight")); i++) {
                send();
            }
            requester.flush();
        }
        String act = options.get("--act");
        long actAt = (long) (Double.parseDouble(options.get("--act-at")) * 1e9);
        long end = (long) (Double.parseDouble(options.get("--seconds")) * 1e9);
        long every = options.containsKey("--act-every") ? (long) (Double.parseDouble(options.get("--act-every")) * 1e9) : 0;
        for (long at = actAt; act != null && at < end; at += every) {
            sleepUntil(at);
            actNanos.set(System.nanoTime());
            System.out.printf("%8.3f s  %s%n", seconds(actNanos.get()), act);
            Process process = new ProcessBuilder("bash", "-c", act).inheritIO().start();
            System.out.printf("%8.3f s  exit %d%n", seconds(System.nanoTime()), process.waitFor());
            if (every <= 0) {
                break;
            }
        }
        sleepUntil(end);
        sending = false;
        System.out.printf("%8.3f s  stopped sending; %d requests sent%n", seconds(System.nanoTime()), sentNanos.size());
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.get("--drain-seconds")));
        while (answers.size() < sentNanos.size() && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // a second answer, if any, has time to come
        report();
        replies.shutdownNow();
        requester.close();
        for (RawXmppClient resource : resources) {
            resource.close();
        }
    }

    private void sleepUntil(long sinceStart) throws InterruptedException {
        long left;
        while ((left = startNanos + sinceStart - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    private double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    /** Under the requester's lock. */
    private void send() throws IOException {
        String id = "u" + sequence.incrementAndGet();
        sentNanos.put(id, System.nanoTime());
        requester.write("<iq type='get' id='" + id + "' to='" + service + "'><payload xmlns='urn:clientproxy:bench'/></iq>");
    }

    private void answered(RawXmppClient client, RawXmppClient.Stanza stanza) throws IOException {
        String id = stanza.attribute("id");
        if (!stanza.is("iq") || id == null || !sentNanos.containsKey(id)) {
            return;
        }
        String outcome;
        if (stanza.attributeIs("type", "result")) {
            outcome = "result";
        } else {
            Matcher error = ERROR.matcher(stanza.inner());
            outcome = "error " + (error.find() ? error.group(1) : "?");
        }
        long now = System.nanoTime();
        answers.computeIfAbsent(id, key -> new ArrayList<>())
                .add(outcome + String.format(" after %.3f s (sent at %.3f s)", (now - sentNanos.get(id)) / 1e9,
                        seconds(sentNanos.get(id))));
        if (sending) {
            send();
        }
    }

    private void answerLater(RawXmppClient client, RawXmppClient.Stanza stanza, long delay) throws IOException {
        if (stanza.is("iq") && stanza.attributeIs("type", "get")) {
            String id = stanza.attribute("id");
            String to = stanza.attribute("from");
            boolean ours = stanza.toString().contains("urn:clientproxy:bench");
            if (ours) {
                receivedByImpl.incrementAndGet();
            }
            String reply = "<iq type='result' id='" + id + "' to='" + to + "'>"
                    + (ours ? "<payload xmlns='urn:clientproxy:bench'>42</payload>" : "") + "</iq>";
            if (!ours) {
                client.write(reply); // the server's or the proxy's pings: at once
                return;
            }
            replies.schedule(() -> {
                synchronized (client.lock()) {
                    try {
                        client.write(reply);
                        client.flush();
                    } catch (IOException e) {
                        System.err.println("could not answer " + id + ": " + e);
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        } else if (stanza.is("presence") && stanza.attributeIs("type", "subscribe")) {
            client.write("<presence type='subscribed' to='" + stanza.attribute("from") + "'/>");
        }
    }

    private void report() {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> notable = new ArrayList<>();
        int unanswered = 0;
        int twice = 0;
        long slow = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(options.get("--delay-ms")) + 1000);
        int slowResults = 0;
        List<Double> resultSeconds = new ArrayList<>();
        for (Map.Entry<String, Long> sent : new TreeMap<>(sentNanos).entrySet()) {
            List<String> got = answers.get(sent.getKey());
            if (got == null) {
                unanswered++;
                notable.add(sent.getKey() + ": no answer (sent at " + String.format("%.3f s)", seconds(sent.getValue())));
                continue;
            }
            if (got.size() > 1) {
                twice++;
                notable.add(sent.getKey() + ": " + got);
            }
            String first = got.get(0);
            String kind = first.substring(0, first.indexOf(" after "));
            outcomes.merge(kind, 1, Integer::sum);
            double after = Double.parseDouble(first.replaceAll(".* after ([0-9.]+) s.*", "$1"));
            if (kind.equals("result")) {
                resultSeconds.add(after);
            }
            if (!kind.equals("result")) {
                notable.add(sent.getKey() + ": " + first);
            } else if (after * 1e9 > slow) {
                slowResults++;
                notable.add(sent.getKey() + ": slow " + first);
            }
        }
        notable.stream().limit(80).forEach(line -> System.out.println("  " + line));
        if (notable.size() > 80) {
            System.out.println("  ... " + (notable.size() - 80) + " more");
        }
        System.out.println("sent " + sentNanos.size() + ", received by the implementing client " + receivedByImpl.get()
                + ", answered " + answers.size() + ": " + outcomes + "; results later than the delay + 1 s: " + slowResults
                + "; unanswered " + unanswered + "; answered more than once " + twice);
        resultSeconds.sort(null);
        if (!resultSeconds.isEmpty()) {
            System.out.printf("results: median %.3f s, p99 %.3f s, max %.3f s%n", resultSeconds.get(resultSeconds.size() / 2),
                    resultSeconds.get((int) (resultSeconds.size() * 0.99)), resultSeconds.get(resultSeconds.size() - 1));
        }
    }
}
