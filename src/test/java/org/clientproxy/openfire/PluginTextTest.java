package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class PluginTextTest {

    /** The plugin's English texts, read from src/main/i18n as Openfire's plugin class loader offers them. */
    static PluginText english() {
        try {
            URL i18n = Path.of("src/main/i18n").toUri().toURL();
            return new PluginText(() -> Locale.ENGLISH, new URLClassLoader(new URL[] {i18n}, null));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void formatsArgumentsIntoTheBundleText() {
        assertEquals("Client Proxy svc: requests forwarded", english().get("clientproxy.stat.forwarded.name", "svc"));
    }

    @Test
    void aTextWithoutArgumentsIsTakenAsItIs() {
        assertEquals("Requests per minute", english().get("clientproxy.stat.forwarded.units"));
    }

    @Test
    void aMissingKeyOrBundleYieldsTheKey() {
        assertEquals("clientproxy.no.such.key", english().get("clientproxy.no.such.key"));
        PluginText nowhere = new PluginText(() -> Locale.ENGLISH, new URLClassLoader(new URL[0], null));
        assertEquals("clientproxy.stat.forwarded.name", nowhere.get("clientproxy.stat.forwarded.name", "svc"));
    }
}
