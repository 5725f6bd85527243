package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.clientproxy.it.AdminConsole.Page;
import org.clientproxy.it.SmackClient.Serving;
import org.clientproxy.testing.Waits;
import org.jivesoftware.smack.packet.IQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plugin uploaded through the console, reloaded (its jar replaced) and carried through an
 * Openfire restart, on a server of its own: each time the configuration, the roster item and the
 * statistics are as before, nothing is written twice, and the plugin logs nothing above INFO.
 */
@ExtendWith(OpenfireExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginLifecycleOpenfireIT {
    private static final String SERVICE = "life." + OpenfireServer.DOMAIN;
    private static final String STATISTIC = "clientproxy_life_forwarded";

    private static OpenfireServer server;
    private static AdminConsole console;
    private static ProxyPages pages;
    private static long mark;

    @BeforeAll
    static void startAndUpload() throws Exception {
        server = OpenfireServer.start("lifecycle", OpenfireServer.Settings.withUsers("impl", "alice"));
        server.installProbe();
        console = AdminConsole.login(server);
        pages = new ProxyPages(console);
        mark = server.logMark();
        console.uploadPlugin(OpenfireExtension.pluginJar());
        server.awaitPluginLoaded(mark);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("Uploaded through the console's Plugins page, the plugin runs a proxy added in its form")
    void uploaded() throws Exception {
        pages.add("life", "impl@" + OpenfireServer.DOMAIN, Map.of("strategy", "least-outstanding", "timeoutMillis", "7000"));
        assertServedAsBefore();
    }

    @Test
    @Order(2)
    @DisplayName("Reloaded (its jar replaced), the plugin keeps the proxy, its roster item and its statistics")
    void reloaded() throws Exception {
        mark = server.logMark();
        server.installPlugin(OpenfireExtension.pluginJar());
        assertServedAsBefore();
    }

    @Test
    @Order(3)
    @DisplayName("Through an Openfire restart the proxy, its roster item and its statistics are as before")
    void restarted() throws Exception {
        mark = server.logMark();
        server.restart();
        console = AdminConsole.login(server);
        pages = new ProxyPages(console);
        assertServedAsBefore();
    }

    @Test
    @Order(4)
    @DisplayName("Removed, the proxy takes its one roster item back: none is left in the database")
    void removedLeavesNoItem() throws Exception {
        pages.remove("life");
        Waits.until(SmackClient.WAIT, () -> "the item of " + SERVICE + " to leave impl's roster",
                () -> !rosterItems().contains(SERVICE));
        // The roster read again from the database: a second row written by a reload would show here.
        console.clearCache("Roster");
        assertFalse(rosterItems().contains(SERVICE), () -> "impl's roster still has " + SERVICE + ": " + rosterItems());
        assertEquals(List.of(), server.pluginProblemsSince(0), "the plugin logged above INFO");
    }

    private static void assertServedAsBefore() throws Exception {
        Page table = pages.table();
        assertTrue(table.text().contains(SERVICE) && table.text().contains("impl@" + OpenfireServer.DOMAIN),
                () -> "the table lost the proxy: " + table.text());
        Page edit = console.get(ProxyPages.EDIT + "?subdomain=life");
        assertEquals("least-outstanding", edit.document().selectFirst("select[name=strategy] option[selected]").val());
        assertEquals("7000", edit.document().selectFirst("input[name=timeoutMillis]").val());
        try (SmackClient impl = SmackClient.login(server, "impl", "life");
             SmackClient alice = SmackClient.login(server, "alice", "life")) {
            impl.serve(Serving.ANSWER);
            Waits.until(SmackClient.WAIT, () -> SERVICE + " to serve", () -> {
                try {
                    return alice.ask(SERVICE).getType() == IQ.Type.result;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertEquals(List.of(SERVICE), rosterItems().stream().filter(SERVICE::equals).toList());
        assertFalse(Probe.statistics(console, STATISTIC).get(STATISTIC).isNaN(), "the statistics are not registered");
        assertEquals(List.of(), server.pluginProblemsSince(mark), "the plugin logged above INFO");
    }

    private static List<String> rosterItems() {
        try {
            return console.rosterItems("impl");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
