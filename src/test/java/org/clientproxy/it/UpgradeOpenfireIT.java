package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.clientproxy.it.AdminConsole.Page;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18 on the real server: the plugin replaced (a new jar uploaded, the console's reload)
 * while a requester keeps 16 requests in flight that the implementing client answers 200 ms
 * later, and then deleted. On a server of its own, since it unloads the plugin.
 */
@ExtendWith(OpenfireExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeOpenfireIT {
    private static final String SERVICE = "focus." + OpenfireServer.DOMAIN;
    private static final Duration REPLY_DELAY = Duration.ofMillis(200);
    /** As in the issue: one requester keeps 16 requests in flight (each answer lets it send the next). */
    private static final int IN_FLIGHT = 16;
    private static final Pattern LEFT = Pattern.compile("Client proxy focus left (\\d+) outstanding requests");
    private static final Pattern TOOK_OVER = Pattern.compile("Client proxy focus took over (\\d+) outstanding requests");

    private static OpenfireServer server;
    private static AdminConsole console;
    private static SmackClient impl1;
    private static SmackClient impl2;
    private static SmackClient alice;
    private static ScheduledExecutorService implementing;

    @BeforeAll
    static void start() throws Exception {
        server = OpenfireServer.start("upgrade", OpenfireServer.Settings.withUsers("impl", "alice"));
        console = AdminConsole.login(server);
        server.installPlugin(OpenfireExtension.pluginJar());
        // Through Openfire's System Properties page, not the plugin's: a page of the plugin once viewed keeps its
        // classes in the JSP engine's EL cache until viewed again, which the class count below would see.
        console.setProperty("plugin.clientproxy.proxy.focus.target", "impl@" + OpenfireServer.DOMAIN);
        console.setProperty("plugin.clientproxy.proxies", "focus");
        implementing = Executors.newScheduledThreadPool(2);
        impl1 = answeringLate("r1");
        impl2 = answeringLate("r2");
        alice = SmackClient.login(server, "alice", "load");
        Waits.until(SmackClient.WAIT, () -> SERVICE + " to serve both resources", () -> served().size() == 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (SmackClient client : new SmackClient[] {alice, impl1, impl2}) {
            if (client != null) {
                client.close();
            }
        }
        if (implementing != null) {
            implementing.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("A new jar uploaded under load: every request gets its result, also those in flight and those sent meanwhile")
    void upgradedUnderLoad() throws Exception {
        long mark = server.logMark();
        Map<String, List<IQ>> answers = underLoad(() -> console.uploadPlugin(OpenfireExtension.pluginJar()));

        assertEveryRequestGotOneResult(answers);
        assertHandedOver(mark);
    }

    @Test
    @Order(2)
    @DisplayName("Reloaded three times under load: every request gets its result, and one copy of the plugin's classes stays loaded")
    void reloadedUnderLoad() throws Exception {
        for (int reload = 0; reload < 3; reload++) {
            long mark = server.logMark();
            Map<String, List<IQ>> answers = underLoad(this::pressReload);
            assertEveryRequestGotOneResult(answers);
            assertHandedOver(mark);
        }
        // The old instances' classes are collected: the holder left nothing behind referring to them.
        Waits.until(Duration.ofSeconds(60), () -> "one loaded copy of the plugin's classes", () -> {
            jcmd("GC.run");
            return loadedCopies("org.clientproxy.openfire.ClientProxyPlugin") == 1;
        });
    }

    @Test
    @Order(3)
    @DisplayName("Deleted, the plugin answers every request outstanding at once, as before")
    void deletedAnswersAtOnce() throws Exception {
        impl1.serve(SmackClient.Serving.HOLD);
        impl2.serve(SmackClient.Serving.HOLD);
        implementingLate = false;
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(alice.send(SERVICE, IQ.Type.get, ""));
        }
        Waits.until(SmackClient.WAIT, () -> "the implementing client to hold 8 requests",
                () -> impl1.received().size() + impl2.received().size() == 8);
        long mark = server.logMark();

        Page plugins = console.get("plugin-admin.jsp");
        console.post("plugin-admin.jsp", Map.of("csrf", AdminConsole.csrfOf(plugins), "deleteplugin", "clientproxy"));

        for (String id : held) {
            IQ answer = alice.response(id);
            assertEquals(StanzaError.Condition.service_unavailable, SmackClient.condition(answer), () -> answer.toXML().toString());
            assertEquals(1, alice.responses(id).size(), "one answer to " + id);
        }
        server.awaitLog(mark, Pattern.compile("Successfully unloaded plugin 'clientproxy'"), SmackClient.WAIT);
        assertTrue(server.logSince(mark).stream().noneMatch(line -> LEFT.matcher(line).find()), "nothing was held");
        assertEquals(List.of(), server.pluginProblemsSince(mark), "the plugin logged above INFO");
    }

    /** Whether the implementing clients answer what they hold after {@link #REPLY_DELAY}. */
    private static volatile boolean implementingLate = true;

    /** An implementing resource that answers every request 200 ms after it came. */
    private static SmackClient answeringLate(String resource) throws Exception {
        SmackClient client = SmackClient.login(server, "impl", resource);
        implementing.scheduleWithFixedDelay(() -> {
            for (IQ request; implementingLate && (request = client.received().poll()) != null; ) {
                IQ answered = request;
                implementing.schedule(() -> {
                    try {
                        client.answer(answered, "<served-by>" + resource + "</served-by>");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, REPLY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, 5, 5, TimeUnit.MILLISECONDS);
        return client;
    }

    /** The resources that answered a few requests. */
    private static List<String> served() {
        List<String> resources = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                IQ answer = alice.ask(SERVICE);
                if (answer.getType() == IQ.Type.result && !resources.contains(SmackClient.payload(answer))) {
                    resources.add(SmackClient.payload(answer));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return resources;
    }

    private interface Action {
        void run() throws Exception;
    }

    /**
     * Keeps {@link #IN_FLIGHT} requests outstanding from another thread, and 1.5 s in does
     * {@code action} (which returns once Openfire replaced the plugin); 1.5 s later stops, waits
     * for every answer and returns them by request id.
     */
    private static Map<String, List<IQ>> underLoad(Action action) throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService requester = Executors.newSingleThreadExecutor();
        try {
            Future<?> stream = requester.submit(() -> {
                List<String> outstanding = new ArrayList<>();
                while (streaming.get()) {
                    outstanding.removeIf(id -> !alice.responses(id).isEmpty());
                    while (outstanding.size() < IN_FLIGHT) {
                        String id = alice.send(SERVICE, IQ.Type.get, "");
                        sent.add(id);
                        outstanding.add(id);
                    }
                    Thread.sleep(2);
                }
                return null;
            });
            Duration aside = Duration.ofMillis(1500);
            Thread.sleep(aside.toMillis());
            action.run();
            Thread.sleep(aside.toMillis());
            streaming.set(false);
            stream.get(SmackClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            streaming.set(false);
            requester.shutdownNow();
        }
        for (String id : sent) {
            alice.response(id); // bounded by SmackClient.WAIT, longer than the holder's patience
        }
        Thread.sleep(REPLY_DELAY.toMillis() * 2); // a second answer, if there were one, would be here by now
        Map<String, List<IQ>> answers = new TreeMap<>();
        for (String id : sent) {
            answers.put(id, alice.responses(id));
        }
        return answers;
    }

    private void pressReload() throws IOException, InterruptedException {
        long mark = server.logMark();
        console.reloadPlugin();
        server.awaitPluginLoaded(mark);
    }

    private static void assertEveryRequestGotOneResult(Map<String, List<IQ>> answers) {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        answers.forEach((id, got) -> {
            String outcome = got.size() != 1 ? got.size() + " answers"
                    : got.get(0).getType() == IQ.Type.result ? "result" : "error " + SmackClient.condition(got.get(0));
            outcomes.merge(outcome, 1, Integer::sum);
            if (!outcome.equals("result")) {
                wrong.add(id + ": " + got.stream().map(iq -> iq.toXML().toString()).toList());
            }
        });
        assertEquals(Map.of("result", answers.size()), outcomes,
                () -> "every request one result; the first others: " + wrong.stream().limit(3).toList());
    }

    /**
     * The log says requests were in flight at the unload and were taken over, the plugin logged
     * nothing above INFO, and nothing sent to the proxy's address went to a server-to-server
     * connection (what happens while no component holds it).
     */
    private static void assertHandedOver(long mark) throws Exception {
        String took = server.awaitLog(mark, TOOK_OVER, SmackClient.WAIT);
        List<String> log = server.logSince(mark);
        Matcher left = log.stream().map(LEFT::matcher).filter(Matcher::find).findFirst().orElseThrow();
        Matcher taken = TOOK_OVER.matcher(took);
        assertTrue(taken.find());
        assertTrue(Integer.parseInt(left.group(1)) > 0, "no request was in flight at the unload: " + left.group());
        assertEquals(left.group(1), taken.group(1), "what one instance left, the next took over");
        assertTrue(log.stream().noneMatch(line -> line.contains("'" + SERVICE + "'")),
                () -> "the address was tried as a remote server: " + log.stream().filter(line -> line.contains(SERVICE)).toList());
        assertEquals(List.of(), server.pluginProblemsSince(mark), "the plugin logged above INFO");
    }

    /** How many copies of a class the server's JVM has loaded (one per class loader). */
    private static long loadedCopies(String className) {
        Pattern loaded = Pattern.compile("[\\s:]" + Pattern.quote(className) + "$");
        return jcmd("VM.classloaders", "show-classes").lines().filter(line -> loaded.matcher(line).find()).count();
    }

    private static String jcmd(String... command) {
        List<String> arguments = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.pid())));
        arguments.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
