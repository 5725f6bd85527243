package org.clientproxy.openfire.admin;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The plugin's message bundles in src/main/i18n, read as Openfire reads them: Java's
 * {@code PropertyResourceBundle} takes a properties file as UTF-8 (and silently falls back to
 * ISO-8859-1 when it is not valid UTF-8, which is why a test reads them strictly).
 */
final class I18nBundles {
    static final Path DIRECTORY = Path.of("src/main/i18n");
    static final String BASE_NAME = "clientproxy_i18n";

    private I18nBundles() {
    }

    /** The English bundle, or the one of {@code locale} ("de", "pt_BR"). */
    static Path file(String locale) {
        return DIRECTORY.resolve(locale.isEmpty() ? BASE_NAME + ".properties" : BASE_NAME + "_" + locale + ".properties");
    }

    /** The text of a bundle, which must be valid UTF-8 without a byte order mark. */
    static String text(Path bundle) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(bundle)))
                .toString();
        if (text.startsWith("\uFEFF")) {
            throw new IOException(bundle + " starts with a byte order mark, which Java reads as part of the first line");
        }
        return text;
    }

    static Properties load(Path bundle) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text(bundle)));
        return properties;
    }

    /** Keys with more than one line: Properties keeps the last one silently. */
    static List<String> keysDefinedTwice(Path bundle) throws IOException {
        List<String> seen = new ArrayList<>();
        TreeSet<String> twice = new TreeSet<>();
        for (String line : text(bundle).split("\n")) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith(" ") && equals > 0) {
                String key = line.substring(0, equals).trim();
                if (seen.contains(key)) {
                    twice.add(key);
                }
                seen.add(key);
            }
        }
        return List.copyOf(twice);
    }
}
