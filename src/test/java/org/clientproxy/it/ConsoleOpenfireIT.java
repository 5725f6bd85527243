package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.clientproxy.it.AdminConsole.Page;
import org.clientproxy.it.SmackClient.Serving;
import org.jivesoftware.smack.packet.IQ;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the operator reads in the console beyond the plugin's forms: Openfire's System Properties
 * page, the plugin's icon, outcomes that only an action of the operator's own session shows, the
 * latency as measured, the last hour's chart, and the pages in another console language.
 */
class ConsoleOpenfireIT extends SharedOpenfireTest {
    private static final String PLUGIN_NAME = "Client Proxy";
    private static final List<String> SETTINGS = List.of("target", "strategy", "timeoutMillis", "unresponsiveMillis",
            "maxPerRequester", "maxOutstanding", "enabled", "allow");

    @Test
    @DisplayName("System Properties lists each property of a proxy with the plugin, a description, its default and"
            + " 'applies at once'; a removed proxy's are gone")
    void systemProperties() throws Exception {
        long mark = server.logMark();
        pages.add("props", "impl@" + OpenfireServer.DOMAIN, Map.of());
        try {
            Map<String, Element> rows = propertyRows("plugin.clientproxy.proxy.props.");
            for (String setting : SETTINGS) {
                String key = "plugin.clientproxy.proxy.props." + setting;
                Element row = rows.get(key);
                assertNotNull(row, () -> key + " is not on the System Properties page: " + rows.keySet());
                List<String> cells = row.select("> td").eachText();
                assertEquals(PLUGIN_NAME, cells.get(3), () -> key + ": plugin");
                assertEquals(PluginTexts.get("system_property.plugin.clientproxy.proxy.SUBDOMAIN." + setting), cells.get(4),
                        () -> key + ": description");
                assertNotNull(row.selectFirst("img[src*=check]"), () -> key + " is not shown as applying at once");
            }
            assertEquals("30000", rows.get("plugin.clientproxy.proxy.props.timeoutMillis").select("> td").get(2).text());
            assertEquals("random", rows.get("plugin.clientproxy.proxy.props.strategy").select("> td").get(2).text());
            Element list = propertyRows("plugin.clientproxy.proxies").get("plugin.clientproxy.proxies");
            assertEquals(PLUGIN_NAME, list.select("> td").get(3).text());
        } finally {
            pages.remove("props");
        }
        assertEquals(Map.of(), propertyRows("plugin.clientproxy.proxy.props."), "a removed proxy's properties stay listed");
        assertEquals(List.of(), server.logSince(mark).stream().filter(line -> line.contains("Missing resource")).toList());
    }

    @Test
    @DisplayName("The plugin has its icon on the Plugins page")
    void icon() throws Exception {
        Page plugins = console.get("plugin-admin.jsp");
        Element icon = plugins.document().selectFirst("img[src*=geticon?plugin=clientproxy]");
        assertNotNull(icon, "no icon of the plugin on the Plugins page");
        HttpResponse<byte[]> image = console.getBytes(icon.absUrl("src"));
        assertEquals(200, image.statusCode());
        assertEquals(16, ImageIO.read(new ByteArrayInputStream(image.body())).getWidth());
    }

    @Test
    @DisplayName("An outcome is shown once, after the operator's own action; a link cannot put one on a page")
    void outcomesComeFromTheSession() throws Exception {
        pages.add("flash", "impl@" + OpenfireServer.DOMAIN, Map.of());
        assertNull(console.get(ProxyPages.TABLE + "?success=removed&subdomain=flash").document().selectFirst("div.success"),
                "a link showed a success message");
        assertNull(console.get(ProxyPages.MONITOR + "?success=reset&subdomain=nosuch").document().selectFirst("div.success"));
        Page removed = pages.remove("flash");
        Element success = removed.document().selectFirst("div.success");
        assertNotNull(success, "no message after Remove");
        assertTrue(success.text().contains("flash." + OpenfireServer.DOMAIN), success::text);
        assertNull(pages.table().document().selectFirst("div.success"), "the message was shown twice");
    }

    @Test
    @DisplayName("The monitor shows the latency as measured (not a bucket's edge) and charts the last hour")
    void latencyAndChart() throws Exception {
        String service = "latency." + OpenfireServer.DOMAIN;
        try (SmackClient impl = SmackClient.login(server, "impl", "timed");
             SmackClient alice = SmackClient.login(server, "alice", "timing")) {
            pages.add("latency", "impl@" + OpenfireServer.DOMAIN, Map.of());
            try {
                impl.serve(Serving.HOLD);
                long slowestFast = 0;
                for (int i = 0; i < 17; i++) {
                    long sent = System.nanoTime();
                    String id = alice.send(service, IQ.Type.get, "");
                    IQ request = impl.nextRequest();
                    Thread.sleep(150); // the latency the service adds: what the monitor must show
                    impl.answer(request, "");
                    alice.response(id);
                    slowestFast = Math.max(slowestFast, (System.nanoTime() - sent) / 1_000_000);
                }
                long sent = System.nanoTime();
                List<String> slow = new ArrayList<>();
                List<IQ> held = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    slow.add(alice.send(service, IQ.Type.get, ""));
                    held.add(impl.nextRequest());
                }
                Thread.sleep(3000);
                for (IQ request : held) {
                    impl.answer(request, "");
                }
                for (String id : slow) {
                    alice.response(id);
                }
                long slowestSlow = (System.nanoTime() - sent) / 1_000_000;

                String box = pages.monitorBox("latency");
                Matcher latency = Pattern.compile(PluginTexts.get("clientproxy.monitor.latency.values", "X", "Y", 20, "Z")
                        .replace("(", "\\(").replace(")", "\\)").replace("X", "([0-9.,]+)").replace("Y", "([0-9.,]+)")
                        .replace("Z", "[0-9]+")).matcher(box);
                assertTrue(latency.find(), () -> "no latency for 20 replies on the monitor: " + box);
                double p50 = number(latency.group(1));
                double p99 = number(latency.group(2));
                long fastUpTo = slowestFast;
                assertTrue(p50 >= 150 && p50 <= fastUpTo, () -> "median " + p50 + " ms, the 17 took 150 to " + fastUpTo + " ms");
                long slowUpTo = slowestSlow;
                assertTrue(p99 >= 2900 && p99 <= slowUpTo, () -> "p99 " + p99 + " ms, the slowest took 3000 to " + slowUpTo + " ms");

                Element monitorBox = console.get(ProxyPages.MONITOR).document().getElementById("proxy-latency");
                assertEquals(2, monitorBox.select("svg.cp-chart").size(), "two charts: requests and latency");
                // Named by aria-label: Openfire's decorator removes every <title> from the page's body.
                for (Element chart : monitorBox.select("svg.cp-chart")) {
                    assertFalse(chart.attr("aria-label").isBlank(), () -> "a chart without a name: " + chart.attributes());
                }
                assertFalse(monitorBox.select("svg.cp-chart rect[fill^=url(#cp-fill-]").isEmpty(), "no bar of answers");
            } finally {
                pages.remove("latency");
            }
        }
    }

    @Test
    @DisplayName("With the console in German, the plugin's pages and its properties' descriptions are German")
    void german() throws Exception {
        console.submit("server-locale.jsp", "form[name=sform]", Map.of("localeCode", "de", "save", "true"));
        try {
            // Openfire words a property's description when it is registered, as for its own properties.
            pages.add("sprache", "impl@" + OpenfireServer.DOMAIN, Map.of());
            String table = pages.table().text();
            assertTrue(table.contains(PluginTexts.in("de", "clientproxy.overview.add")), () -> "not German: " + table);
            assertTrue(table.contains(PluginTexts.in("de", "clientproxy.overview.intro")));
            String description = propertyRows("plugin.clientproxy.proxy.sprache.target")
                    .get("plugin.clientproxy.proxy.sprache.target").select("> td").get(4).text();
            assertEquals(PluginTexts.in("de", "system_property.plugin.clientproxy.proxy.SUBDOMAIN.target"), description);
        } finally {
            console.submit("server-locale.jsp", "form[name=sform]", Map.of("localeCode", "en", "save", "true"));
            pages.remove("sprache");
        }
        assertTrue(pages.table().text().contains(PluginTexts.get("clientproxy.overview.add")), "the console stayed German");
    }

    /** The rows of Openfire's System Properties page whose key starts with {@code prefix}, by key. */
    private static Map<String, Element> propertyRows(String prefix) throws Exception {
        Page page = console.get("server-properties.jsp?searchName=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8));
        Map<String, Element> rows = new LinkedHashMap<>();
        for (Element name : page.document().select("td.nameColumn > span")) {
            if (name.text().startsWith(prefix)) {
                rows.put(name.text(), name.parent().parent());
            }
        }
        return rows;
    }

    private static double number(String shown) {
        return Double.parseDouble(shown.replace(",", ""));
    }
}
