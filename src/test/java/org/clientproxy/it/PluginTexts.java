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
 * The plugin's texts, from its bundles in the source tree: a test finds what a page shows by its
 * key, so it does not break when a text's wording changes.
 */
public final class PluginTexts {
    private static final Path BUNDLES = Path.of("src", "main", "i18n");
    private static final Properties ENGLISH = load(BUNDLES.resolve("clientproxy_i18n.properties"));

    private PluginTexts() {
    }

    /** The English text of {@code key}, its placeholders filled in. */
    public static String get(String key, Object... arguments) {
        return format(ENGLISH, Locale.ENGLISH, key, arguments);
    }

    /** The text of {@code key} in one of the console's languages ({@code de}, {@code pt_BR}, ...). */
    public static String in(String locale, String key, Object... arguments) {
        return format(load(BUNDLES.resolve("clientproxy_i18n_" + locale + ".properties")),
                Locale.forLanguageTag(locale.replace('_', '-')), key, arguments);
    }

    private static String format(Properties bundle, Locale locale, String key, Object... arguments) {
        String text = bundle.getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("No text " + key + " in the plugin's bundle for " + locale);
        }
        return arguments.length == 0 ? text : new MessageFormat(text, locale).format(arguments);
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
