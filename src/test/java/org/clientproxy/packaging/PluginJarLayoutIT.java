package org.clientproxy.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.clientproxy.core.SubscriptionState;
import org.dom4j.Document;
import org.jivesoftware.util.WebXmlUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Opens the built plugin, target/clientproxy.jar, and checks what Openfire reads from it:
 * plugin.xml, the classes jar in lib/, readme, changelog, the JSP mappings and the i18n bundle.
 * Runs after "package" (maven-failsafe-plugin).
 */
class PluginJarLayoutIT {
    private static final String PLUGIN_CLASS = "org.clientproxy.openfire.ClientProxyPlugin";
    private static ZipFile plugin;
    private static Element pluginXml;

    @BeforeAll
    static void open() throws Exception {
        Path jar = Path.of(System.getProperty("clientproxy.pluginJar", "target/clientproxy.jar"));
        assertTrue(Files.isRegularFile(jar), "the build did not produce " + jar);
        plugin = new ZipFile(jar.toFile());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        pluginXml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(read("plugin.xml"))).getDocumentElement();
    }

    @AfterAll
    static void close() throws IOException {
        if (plugin != null) {
            plugin.close();
        }
    }

    @Test
    void pluginXmlNamesThePluginClassAndTheVersions() {
        assertEquals("plugin", pluginXml.getTagName());
        assertEquals(PLUGIN_CLASS, text("class"));
        assertEquals("Client Proxy", text("name"));
        assertTrue(text("version").matches("\\d+\\.\\d+\\.\\d+"), "three-part version: " + text("version"));
        assertEquals("5.0.0", text("minServerVersion"));
        assertEquals("17", text("minJavaVersion"));
        assertEquals("apache2", text("licenseType"));
        assertTrue(text("date").matches("\\d{4}-\\d{2}-\\d{2}"), "date: " + text("date"));
        assertTrue(!text("description").isBlank() && !text("author").isBlank());
    }

    @Test
    void theAdminPageIsUnderServerSettings() {
        Element tab = single(pluginXml, "tab");
        assertEquals("tab-server", tab.getAttribute("id"));
        Element sidebar = single(tab, "sidebar");
        assertEquals("sidebar-server-settings", sidebar.getAttribute("id"));
        Element item = single(sidebar, "item");
        assertEquals("client-proxy.jsp", item.getAttribute("url"));
        assertEquals("${clientproxy.sidebar.name}", item.getAttribute("name"), "left for Openfire to localize");
    }

    @Test
    void libHoldsOnlyTheClassesJarWithThePluginClassAndVersion() throws IOException {
        String implementationVersion;
        try (JarInputStream lib = new JarInputStream(new ByteArrayInputStream(read(classesJar())))) {
            assertNotNull(lib.getManifest(), "the classes jar has no manifest");
            implementationVersion = lib.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertEquals(text("version"), implementationVersion);
        List<String> classes = classesJarEntries();
        assertTrue(classes.contains(PLUGIN_CLASS.replace('.', '/') + ".class"), "plugin class missing from " + classesJar());
        assertTrue(classes.stream().anyMatch(name -> name.startsWith("org/clientproxy/core/")), "core classes missing");
        List<String> foreign = classes.stream().filter(name -> name.startsWith("org/clientproxy/external/")
                || name.startsWith("org/jivesoftware/") || name.startsWith("org/xmpp/")).toList();
        assertEquals(List.of(), foreign, "classes that must not be in the plugin");
    }

    @Test
    void readmeAndChangelogAreThereAndTheChangelogStartsWithThisVersion() throws IOException {
        assertTrue(new String(read("readme.html"), StandardCharsets.UTF_8).contains("Client Proxy"));
        String changelog = new String(read("changelog.html"), StandardCharsets.UTF_8);
        Matcher firstEntry = Pattern.compile("<h2>\\s*([0-9.]+)").matcher(changelog);
        assertTrue(firstEntry.find(), "the changelog has no version heading");
        assertEquals(text("version"), firstEntry.group(1), "newest entry first");
    }

    @Test
    void webXmlMapsEachAdminPageToAPrecompiledServletOpenfireCanLoad() throws Exception {
        // Read it the way Openfire's PluginServlet does.
        Path webXml = Files.createTempFile("web", ".xml");
        try {
            Files.write(webXml, read("web/WEB-INF/web.xml"));
            Document document = WebXmlUtils.asDocument(webXml.toFile());
            for (String page : List.of("/client-proxy.jsp", "/client-proxy-edit.jsp", "/client-proxy-monitor.jsp")) {
                String servlet = WebXmlUtils.getServletNames(document).stream()
                        .filter(name -> WebXmlUtils.getServletUrlPatterns(document, name).contains(page))
                        .findFirst().orElseThrow(() -> new AssertionError("no servlet mapped to " + page));
                String className = WebXmlUtils.getServletClassName(document, servlet);
                assertTrue(classesJarEntries().contains(className.replace('.', '/') + ".class"),
                        "the compiled page " + className + " is not in the classes jar");
            }
        } finally {
            Files.delete(webXml);
        }
    }

    @Test
    void theBundleHasEveryKeyTheAdminPagesAndPluginXmlUse() throws IOException {
        Properties bundle = new Properties();
        try (InputStream in = new ByteArrayInputStream(read("i18n/clientproxy_i18n.properties"))) {
            bundle.load(in);
        }
        List<String> keys = new ArrayList<>(List.of("clientproxy.sidebar.name", "clientproxy.sidebar.description",
                "clientproxy.state.running", "clientproxy.state.stopped"));
        for (SubscriptionState state : SubscriptionState.values()) {
            keys.add("clientproxy.presence." + state.name().toLowerCase(Locale.ROOT));
        }
        Pattern literalKey = Pattern.compile("<fmt:message\\s+key=\"([^\"$]+)\"");
        try (var pages = Files.list(Path.of("src/main/web"))) {
            for (Path page : pages.filter(path -> path.toString().endsWith(".jsp")).toList()) {
                Matcher matcher = literalKey.matcher(Files.readString(page));
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        List<String> missing = keys.stream().filter(key -> !bundle.containsKey(key)).distinct().toList();
        assertEquals(List.of(), missing, "keys missing from i18n/clientproxy_i18n.properties");
    }

    @Test
    void i18nHoldsEveryBundleOfTheSourcesAsItIs() throws IOException {
        List<String> sources;
        try (var bundles = Files.list(Path.of("src/main/i18n"))) {
            sources = bundles.map(bundle -> "i18n/" + bundle.getFileName()).sorted().toList();
        }
        List<String> packaged = plugin.stream().map(ZipEntry::getName)
                .filter(name -> name.startsWith("i18n/") && !name.endsWith("/")).sorted().toList();
        assertEquals(sources, packaged, "the bundles in i18n/ (English, clientproxy_i18n_en and each console language)");
        for (String name : sources) {
            assertTrue(Arrays.equals(Files.readAllBytes(Path.of("src/main", name)), read(name)), name + " differs from its source");
        }
    }

    @Test
    void nothingElseIsAtTheTopLevel() {
        Set<String> allowed = Set.of("META-INF", "plugin.xml", "readme.html", "changelog.html", "lib", "web", "i18n",
                "logo_small.gif", "logo_large.gif");
        List<String> unexpected = plugin.stream().map(entry -> entry.getName().split("/")[0])
                .filter(name -> !allowed.contains(name)).distinct().toList();
        assertEquals(List.of(), unexpected);
    }

    private static String text(String tag) {
        return single(pluginXml, tag).getTextContent().trim();
    }

    private static Element single(Element parent, String tag) {
        var nodes = parent.getElementsByTagName(tag);
        assertEquals(1, nodes.getLength(), "expected one <" + tag + ">");
        return (Element) nodes.item(0);
    }

    /** The one jar in lib/: our classes, nothing Openfire provides. */
    private static String classesJar() {
        List<String> libs = plugin.stream().map(ZipEntry::getName)
                .filter(name -> name.startsWith("lib/") && !name.equals("lib/")).toList();
        assertEquals(1, libs.size(), "lib/ should hold our classes jar only: " + libs);
        return libs.get(0);
    }

    private static List<String> classesJarEntries() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarInputStream lib = new JarInputStream(new ByteArrayInputStream(read(classesJar())))) {
            for (ZipEntry entry = lib.getNextEntry(); entry != null; entry = lib.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static byte[] read(String name) throws IOException {
        ZipEntry entry = plugin.getEntry(name);
        assertNotNull(entry, "missing from the plugin jar: " + name);
        try (InputStream in = plugin.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
