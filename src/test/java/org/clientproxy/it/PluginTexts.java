package org.clientproxy.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * The plugin's English texts, from its bundle in the source tree: a test finds what a page shows by
 * its key, so it does not break when a text's wording changes.
 */
public final class PluginTexts {
    private static final Properties ENGLISH = load(Path.of("src", "main", "i18n", "clientproxy_i18n.properties"));

    private PluginTexts() {
    }

    /** The English text of {@code key}, its placeholders filled in. */
    public static String get(String key, Object... arguments) {
        String text = ENGLISH.getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("No text " + key + " in the plugin's bundle");
        }
        return arguments.length == 0 ? text : new MessageFormat(text, Locale.ENGLISH).format(arguments);
    }

    private static Properties load(Path bundle) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(bundle, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
