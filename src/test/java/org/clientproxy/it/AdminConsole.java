package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;

/**
 * Openfire's admin console as an operator's browser uses it, over HTTP: logged in as the admin,
 * with the session and CSRF cookies Openfire sets. {@link #submit} fills in and posts a form of a
 * page as shown (with its CSRF field), so a test reaches the plugin's code the way a button does.
 */
public final class AdminConsole {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    private AdminConsole(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(TIMEOUT).build();
    }

    /** Logs in to {@code server}'s console as {@code admin}. */
    public static AdminConsole login(OpenfireServer server) throws IOException, InterruptedException {
        AdminConsole console = new AdminConsole(server.adminConsole());
        Page index = console.submit("login.jsp", "form[name=loginForm]",
                Map.of("username", OpenfireServer.ADMIN, "password", OpenfireServer.ADMIN));
        if (index.uri().getPath().endsWith("login.jsp")) {
            throw new IllegalStateException("Could not log in to the admin console: " + index.text());
        }
        return console;
    }

    /** A page as it came back: where it ended after redirects, its status and its document. */
    public record Page(URI uri, int status, Document document) {
        public String text() {
            return document.text();
        }
    }

    /** GETs a page of the console ({@code path} relative to its root, e.g. {@code plugins/clientproxy/client-proxy.jsp}). */
    public Page get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** GETs any address of the console (an image, say) as bytes. */
    public HttpResponse<byte[]> getBytes(String address) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(address)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Opens {@code path}, takes the form {@code formSelector} finds there, sets {@code values}
     * (a {@code null} value removes a field, as an unchecked box) and posts it as a browser would.
     */
    public Page submit(String path, String formSelector, Map<String, String> values) throws IOException, InterruptedException {
        Page page = get(path);
        Element found = page.document().selectFirst(formSelector);
        assertNotNull(found, () -> "no form " + formSelector + " on " + path + ": " + page.text());
        FormElement form = (FormElement) found;
        Map<String, String> fields = new LinkedHashMap<>();
        form.formData().forEach(field -> fields.putIfAbsent(field.key(), field.value()));
        // A browser sends only the button that was clicked: a test names it in values if it matters.
        form.select("input[type=submit], input[type=button], input[type=image], button").eachAttr("name")
                .forEach(fields::remove);
        values.forEach((name, value) -> {
            if (value == null) {
                fields.remove(name);
            } else {
                fields.put(name, value);
            }
        });
        String action = form.attr("action");
        URI target = page.uri().resolve(action.isEmpty() ? page.uri().getPath() : action);
        return post(target, fields);
    }

    /** POSTs exactly these fields to {@code path}: what a forged request from another site could send. */
    public Page post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return post(base.resolve(path), fields);
    }

    /** Uploads a plugin through the Plugins page's upload form (multipart, its CSRF in the action's query). */
    public Page uploadPlugin(Path jar) throws IOException, InterruptedException {
        Page plugins = get("plugin-admin.jsp");
        Element form = plugins.document().selectFirst("form[enctype=multipart/form-data]");
        assertNotNull(form, () -> "no upload form on the Plugins page: " + plugins.text());
        String boundary = "clientproxy-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        URI target = plugins.uri().resolve(form.attr("action"));
        return send(HttpRequest.newBuilder(target)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Sets a system property on the System Properties page. */
    public void setProperty(String key, String value) throws IOException, InterruptedException {
        Page page = get("server-properties.jsp?searchName=" + encode(key));
        String csrf = csrfOf(page);
        Page saved = post("server-properties.jsp", Map.of("csrf", csrf, "action", "save", "key", key, "value", value));
        assertEquals(200, saved.status(), () -> "saving " + key + ": " + saved.text());
    }

    /** Creates a group on the console's Create Group page. */
    public void createGroup(String name) throws IOException, InterruptedException {
        submit("group-create.jsp", "form[name=f]", Map.of("name", name, "create", "true"));
    }

    /** Adds a user to a group (as a member), as the Edit Group page's "Add" does. */
    public void addToGroup(String group, String username) throws IOException, InterruptedException {
        submit("group-edit.jsp?group=" + encode(group), "form[name=groupmembers]", Map.of("username", username));
    }

    /** Removes a member from a group, as the Edit Group page's "Remove" does. */
    public void removeFromGroup(String group, String username) throws IOException, InterruptedException {
        submit("group-edit.jsp?group=" + encode(group), "form[name=main]",
                Map.of("delete", username + "@" + OpenfireServer.DOMAIN, "removeMember", "Remove"));
    }

    /** Presses Reload for the plugin on the Plugins page, as an operator does (Openfire unloads and loads it). */
    public void reloadPlugin() throws IOException, InterruptedException {
        post("plugin-admin.jsp", Map.of("csrf", csrfOf(get("plugin-admin.jsp")), "reloadplugin", "clientproxy"));
    }

    /** Creates an account on the Create User page; its password is its name. */
    public void createUser(String username) throws IOException, InterruptedException {
        Page created = submit("user-create.jsp", "form[name=f]", Map.of("username", username, "password", username,
                "passwordConfirm", username, "create", "true"));
        assertTrue(created.uri().getPath().endsWith("user-properties.jsp"), () -> "creating " + username + ": "
                + created.text());
    }

    /** The JIDs of the items of a user's roster, as the console's User Roster page lists them. */
    public List<String> rosterItems(String username) throws IOException, InterruptedException {
        Page roster = get("user-roster.jsp?username=" + encode(username));
        return roster.document().select("a[href^=user-roster-view.jsp]").stream()
                .map(link -> URI.create(link.absUrl("href")).getQuery())
                .map(query -> query.substring(query.indexOf("jid=") + 4))
                .toList();
    }

    /**
     * Clears one of Openfire's caches on the Cache Summary page, as an operator does: for the
     * Roster cache, the next look-up reads the rosters from the database again.
     */
    public void clearCache(String name) throws IOException, InterruptedException {
        Page caches = get("system-cache.jsp");
        Element row = caches.document().selectFirst("tr:has(a[href=SystemCacheDetails.jsp?cacheName=" + encode(name) + "])");
        assertNotNull(row, () -> "no cache " + name + " on the Cache Summary page");
        String id = row.selectFirst("input[name=cacheID]").val();
        post("system-cache.jsp", Map.of("csrf", csrfOf(caches), "cacheID", id, "clear", "true"));
    }

    /** The {@code csrf} value of the first form of a page (Openfire sets a fresh one at every page view). */
    public static String csrfOf(Page page) {
        Element field = page.document().selectFirst("input[name=csrf]");
        assertNotNull(field, () -> "no csrf field on " + page.uri() + ": " + page.text());
        return field.attr("value");
    }

    private Page post(URI target, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(target)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Page send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Page(response.uri(), response.statusCode(), Jsoup.parse(response.body(), response.uri().toString()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The texts of the elements {@code selector} finds, for assertions on tables and lists. */
    public static List<String> texts(Page page, String selector) {
        return page.document().select(selector).eachText();
    }
}
