import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Locale;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.Set;

import org.clientproxy.openfire.ProxySystemProperties;
import org.jivesoftware.util.JiveGlobals;

/**
 * The root of the plugin's bundle {@code clientproxy_i18n}: the English texts of
 * {@code clientproxy_i18n.properties}, and the descriptions of the per-proxy system properties.
 * A class of the bundle's name is found before the properties file of the same name
 * ({@link ResourceBundle.Control#FORMAT_DEFAULT}), so this stands in for that file, and the
 * translations ({@code clientproxy_i18n_de.properties}, ...) have it as their parent.
 *
 * <p>Why it exists: Openfire describes a registered system property by the bundle's text
 * {@code system_property.<key>}, and a proxy's keys hold its subdomain
 * ({@code plugin.clientproxy.proxy.svc.target}). For such a key this answers the text of
 * {@code system_property.plugin.clientproxy.proxy.SUBDOMAIN.target}, in the admin console's
 * language; every other key as the file says. It must stay in the unnamed package: the bundle's
 * name has none.
 */
public final class clientproxy_i18n extends ResourceBundle {
    static final String BASE_NAME = "clientproxy_i18n";
    private static final String DESCRIPTION = "system_property.";
    private static final String PROXY = DESCRIPTION + ProxySystemProperties.PREFIX + "proxy.";
    private static final String ROSTER = DESCRIPTION + ProxySystemProperties.PREFIX + "roster.";
    private static final String ANY_SUBDOMAIN = "SUBDOMAIN";

    /** The file, read as Java reads a properties bundle (UTF-8, else ISO-8859-1). */
    private final PropertyResourceBundle texts;

    public clientproxy_i18n() throws IOException {
        try (InputStream file = clientproxy_i18n.class.getClassLoader().getResourceAsStream(BASE_NAME + ".properties")) {
            if (file == null) {
                throw new IOException(BASE_NAME + ".properties is not on the plugin's class path");
            }
            texts = new PropertyResourceBundle(file);
        }
    }

    @Override
    protected Object handleGetObject(String key) {
        Object text = texts.handleGetObject(key);
        if (text == null) {
            String shared = sharedDescriptionKey(key);
            text = shared == null ? null : inConsoleLanguage(shared);
        }
        return text;
    }

    @Override
    public Enumeration<String> getKeys() {
        return texts.getKeys();
    }

    @Override
    protected Set<String> handleKeySet() {
        return texts.keySet();
    }

    /**
     * The key of the description shared by all proxies' {@code key}
     * ({@code ...proxy.svc.target} gives {@code ...proxy.SUBDOMAIN.target}), or {@code null}.
     */
    static String sharedDescriptionKey(String key) {
        if (key.startsWith(PROXY) && key.lastIndexOf('.') > PROXY.length()) {
            return PROXY + ANY_SUBDOMAIN + key.substring(key.lastIndexOf('.'));
        }
        if (key.startsWith(ROSTER) && key.length() > ROSTER.length()) {
            return ROSTER + ANY_SUBDOMAIN;
        }
        return null;
    }

    /** The text in the language of Openfire's console (as Openfire takes each description), else in English. */
    private Object inConsoleLanguage(String key) {
        Object english = texts.handleGetObject(key);
        if (english == null) {
            return null;
        }
        try {
            Locale locale = JiveGlobals.getLocale();
            return ResourceBundle.getBundle(BASE_NAME, locale, clientproxy_i18n.class.getClassLoader()).getString(key);
        } catch (RuntimeException | LinkageError e) { // no such text in that language, or no Openfire (tests)
            return english;
        }
    }
}
