package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.clientproxy.it.AdminConsole.Page;
import org.clientproxy.testing.Waits;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * The plugin's admin pages, used as an operator does: the add and edit form, the table's Remove
 * button, the monitor. Each call posts the form the page shows (with its CSRF field), so it runs
 * the same code as the button.
 */
public final class ProxyPages {
    public static final String TABLE = "plugins/clientproxy/client-proxy.jsp";
    public static final String EDIT = "plugins/clientproxy/client-proxy-edit.jsp";
    public static final String MONITOR = "plugins/clientproxy/client-proxy-monitor.jsp";
    private static final String EDIT_FORM = "form[action=client-proxy-edit.jsp]";

    private final AdminConsole console;

    public ProxyPages(AdminConsole console) {
        this.console = console;
    }

    /** Fills in the add form with a subdomain, a target and other fields, and saves it. */
    public Page submitNew(String subdomain, String target, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> values = new LinkedHashMap<>(fields);
        values.put("subdomain", subdomain);
        values.put("target", target);
        return console.submit(EDIT, EDIT_FORM, values);
    }

    /** Adds a proxy through the form and checks that the page went on to the table. */
    public Page add(String subdomain, String target, Map<String, String> fields) throws IOException, InterruptedException {
        return saved(submitNew(subdomain, target, fields));
    }

    /** Opens a proxy's edit form, changes {@code fields} ({@code null} unchecks a box) and saves it. */
    public Page submitEdit(String subdomain, Map<String, String> fields) throws IOException, InterruptedException {
        return console.submit(EDIT + "?subdomain=" + subdomain, EDIT_FORM, fields);
    }

    /** Edits a proxy through the form and checks that the page went on to the table. */
    public Page edit(String subdomain, Map<String, String> fields) throws IOException, InterruptedException {
        return saved(submitEdit(subdomain, fields));
    }

    /** Presses a proxy's Remove button in the table. */
    public Page remove(String subdomain) throws IOException, InterruptedException {
        return console.submit(TABLE, "form:has(input[name=action][value=remove]):has(input[name=subdomain][value="
                + subdomain + "])", Map.of());
    }

    /** Presses a button of a proxy's box on the monitor ({@code resubscribe} or {@code reset}). */
    public Page monitorAction(String subdomain, String action) throws IOException, InterruptedException {
        return console.submit(MONITOR, "form:has(input[name=action][value=" + action + "]):has(input[name=subdomain][value="
                + subdomain + "])", Map.of());
    }

    public Page table() throws IOException, InterruptedException {
        return console.get(TABLE);
    }

    public Page monitor() throws IOException, InterruptedException {
        return console.get(MONITOR);
    }

    /**
     * A counter of a proxy as its box on the monitor shows it ({@code key}: the counter's id, e.g.
     * {@code forwarded}, whose label is {@code clientproxy.counter.<key>}).
     */
    public long counter(String subdomain, String key) throws IOException, InterruptedException {
        Page monitor = monitor();
        String label = PluginTexts.get("clientproxy.counter." + key);
        Element box = monitor.document().getElementById("proxy-" + subdomain);
        assertNotNull(box, () -> "no box for " + subdomain + " on the monitor: " + monitor.text());
        for (Element row : box.select("tr")) {
            Elements cells = row.select("td");
            if (cells.size() >= 2 && cells.get(0).text().equals(label)) {
                return Long.parseLong(cells.get(1).text().replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no counter " + label + " in the box of " + subdomain + ": " + box.text());
    }

    /** Waits until a counter of the monitor reaches {@code value} (what the plugin counts on its own threads). */
    public void awaitCounter(String subdomain, String key, long value) throws InterruptedException {
        long[] last = new long[1];
        Waits.until(SmackClient.WAIT, () -> "the monitor's " + key + " of " + subdomain + " to be " + value + " (is "
                + last[0] + ")", () -> {
            try {
                last[0] = counter(subdomain, key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return last[0] == value;
        });
    }

    /** The text of a proxy's box on the monitor. */
    public String monitorBox(String subdomain) throws IOException, InterruptedException {
        Page monitor = monitor();
        Element box = monitor.document().getElementById("proxy-" + subdomain);
        assertNotNull(box, () -> "no box for " + subdomain + " on the monitor: " + monitor.text());
        return box.text();
    }

    /** The texts of a page's error boxes. */
    public static String errors(Page page) {
        return page.document().select("div.error").text();
    }

    private static Page saved(Page page) {
        assertTrue(page.uri().getPath().endsWith("client-proxy.jsp"),
                () -> "the form was not saved: " + errors(page) + " (" + page.uri() + ")");
        return page;
    }
}
