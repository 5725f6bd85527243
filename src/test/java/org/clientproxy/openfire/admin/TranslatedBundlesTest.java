package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ChoiceFormat;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin pages in the languages of Openfire's console: every translation has exactly the keys
 * of the English bundle, with the same placeholders and HTML tags, as a valid MessageFormat
 * pattern. A failure names each key and language to fix; README.md ("Translations") says how.
 */
class TranslatedBundlesTest {
    /** The languages Openfire 5.1.1 offers for its console besides English (server-locale.jsp). */
    static final List<String> CONSOLE_LOCALES = List.of("cs_CZ", "de", "es", "fa_IR", "fr", "he", "it_IT", "ja_JP",
            "nl", "pl_PL", "pt_BR", "pt_PT", "ru_RU", "sk", "sv", "tr_TR", "uk_UA", "zh_CN");
    /** Keeps ResourceBundle from falling back to the JVM's default language when the console is English. */
    private static final String ENGLISH_MARKER = "en";
    private static final String HOW = "\nTranslate into each language named: src/main/i18n/clientproxy_i18n_<language>.properties"
            + " (README.md, \"Translations\"). ";

    private static Properties english;
    /** Each translation by its locale, in the order of CONSOLE_LOCALES. */
    private static final Map<String, Properties> translations = new LinkedHashMap<>();
    /** Why a bundle could not be read, by its locale. */
    private static final Map<String, String> unreadable = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        english = I18nBundles.load(I18nBundles.file(""));
        for (String locale : CONSOLE_LOCALES) {
            Path file = I18nBundles.file(locale);
            try {
                if (Files.isRegularFile(file)) {
                    translations.put(locale, I18nBundles.load(file));
                }
            } catch (IOException e) {
                unreadable.put(locale, e.toString());
            }
        }
    }

    @Test
    void everyBundleIsUtf8() {
        assertEquals(Map.of(), unreadable, "save these bundles as UTF-8 without a byte order mark");
    }

    @Test
    void everyConsoleLanguageHasABundleAndNoOtherIsThere() throws IOException {
        List<String> missing = CONSOLE_LOCALES.stream()
                .filter(locale -> !translations.containsKey(locale) && !unreadable.containsKey(locale)).toList();
        assertEquals(List.of(), missing, "no bundle for these console languages");
        TreeSet<String> unexpected = new TreeSet<>();
        try (Stream<Path> files = Files.list(I18nBundles.DIRECTORY)) {
            files.map(file -> file.getFileName().toString()).forEach(unexpected::add);
        }
        unexpected.remove(I18nBundles.file("").getFileName().toString());
        unexpected.remove(I18nBundles.file(ENGLISH_MARKER).getFileName().toString());
        CONSOLE_LOCALES.forEach(locale -> unexpected.remove(I18nBundles.file(locale).getFileName().toString()));
        assertEquals(List.of(), List.copyOf(unexpected), "files that are no bundle of a console language (add its locale to CONSOLE_LOCALES)");
    }

    @Test
    void theEnglishMarkerBundleHasNoText() throws IOException {
        assertEquals(List.of(), List.copyOf(I18nBundles.load(I18nBundles.file(ENGLISH_MARKER)).stringPropertyNames()),
                "English texts belong in clientproxy_i18n.properties, which clientproxy_i18n_en.properties inherits");
    }

    @Test
    void everyTranslationHasExactlyTheKeysOfEnglish() {
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, List<String>> extra = new TreeMap<>();
        translations.forEach((locale, translation) -> {
            for (String key : english.stringPropertyNames()) {
                if (!translation.containsKey(key)) {
                    missing.computeIfAbsent(key, k -> new ArrayList<>()).add(locale);
                }
            }
            for (String key : translation.stringPropertyNames()) {
                if (!english.containsKey(key)) {
                    extra.computeIfAbsent(key, k -> new ArrayList<>()).add(locale);
                }
            }
        });
        StringBuilder report = new StringBuilder();
        missing.forEach((key, locales) -> report.append("\n  ").append(key).append(" = ").append(english.getProperty(key))
                .append("\n      is missing from ").append(languages(locales)));
        extra.forEach((key, locales) -> report.append("\n  ").append(key)
                .append(" is not in the English bundle: remove it (or its rename) from ").append(languages(locales)));
        assertTrue(report.isEmpty(), HOW + "Out of step with clientproxy_i18n.properties:" + report);
    }

    @Test
    void everyTranslationHasThePlaceholdersOfEnglish() {
        List<String> differences = new ArrayList<>();
        eachTranslatedText((locale, key, text) -> {
            TreeSet<String> expected = placeholders(english.getProperty(key));
            try {
                TreeSet<String> actual = placeholders(text);
                if (!expected.equals(actual)) {
                    differences.add(locale + " " + key + ": English has " + expected + ", " + locale + " has " + actual);
                }
            } catch (IllegalArgumentException e) {
                differences.add(locale + " " + key + ": English has " + expected + ", " + locale + " has no valid pattern");
            }
        });
        assertEquals(List.of(), differences, HOW + "Keep every {n}, {n,number,integer} and {n,choice,...} of English");
    }

    @Test
    void everyTranslatedTextIsAValidMessageFormatThatFormatsItsArguments() {
        List<String> invalid = new ArrayList<>();
        eachTranslatedText((locale, key, text) -> {
            try {
                MessageFormat format = new MessageFormat(text, localeOf(locale));
                for (Object[] arguments : sampleArguments(english.getProperty(key))) {
                    String formatted = format.format(arguments);
                    if (formatted.contains("{") || formatted.contains("}")) {
                        invalid.add(locale + " " + key + ": leaves a brace in \"" + formatted + "\"");
                        break;
                    }
                }
            } catch (IllegalArgumentException e) {
                invalid.add(locale + " " + key + ": " + e.getMessage());
            }
        });
        assertEquals(List.of(), invalid);
    }

    @Test
    void noTranslatedTextHasAnApostropheThatMessageFormatWouldSwallow() {
        List<String> unsafe = new ArrayList<>();
        eachTranslatedText((locale, key, text) -> {
            if (text.contains("'")) {
                unsafe.add(locale + " " + key);
            }
        });
        assertEquals(List.of(), unsafe, "write \u2019 instead of ' (MessageFormat drops a single quote)");
    }

    @Test
    void everyTranslationHasTheHtmlTagsOfEnglish() {
        List<String> differences = new ArrayList<>();
        eachTranslatedText((locale, key, text) -> {
            List<String> expected = tags(english.getProperty(key));
            List<String> actual = tags(text);
            if (!expected.equals(actual)) {
                differences.add(locale + " " + key + ": English has " + expected + ", " + locale + " has " + actual);
            }
        });
        assertEquals(List.of(), differences);
    }

    @Test
    void noBundleDefinesAKeyTwice() throws IOException {
        List<String> twice = new ArrayList<>();
        for (String locale : translations.keySet()) {
            I18nBundles.keysDefinedTwice(I18nBundles.file(locale)).forEach(key -> twice.add(locale + " " + key));
        }
        assertEquals(List.of(), twice);
    }

    @Test
    void theCountsAreWordedForEachNumber() {
        String key = "clientproxy.overview.load";
        translations.entrySet().stream().filter(entry -> isValid(entry.getValue().getProperty(key))).forEach(entry -> {
            String locale = entry.getKey();
            MessageFormat format = new MessageFormat(entry.getValue().getProperty(key), localeOf(locale));
            for (int count : new int[] {0, 1, 2, 5}) {
                String text = format.format(new Object[] {count, count});
                assertTrue(!text.contains("{") && !text.isBlank(), locale + ": " + text);
            }
            assertTrue(!format.format(new Object[] {0, 0}).equals(format.format(new Object[] {1, 1})), locale + ": 0 and 1 read alike");
        });
    }

    private interface TextVisitor {
        void visit(String locale, String key, String text);
    }

    /** Each text of each translation whose key English has. */
    private static void eachTranslatedText(TextVisitor visitor) {
        translations.forEach((locale, translation) -> new TreeSet<>(translation.stringPropertyNames()).stream()
                .filter(english::containsKey)
                .forEach(key -> visitor.visit(locale, key, translation.getProperty(key))));
    }

    /** Present and a MessageFormat pattern (a missing or broken text has a test of its own). */
    private static boolean isValid(String pattern) {
        if (pattern == null) {
            return false;
        }
        try {
            new MessageFormat(pattern);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String languages(List<String> locales) {
        return locales.size() == CONSOLE_LOCALES.size() ? "all " + locales.size() + " languages" : String.join(", ", locales);
    }

    private static Locale localeOf(String locale) {
        return Locale.forLanguageTag(locale.replace('_', '-'));
    }

    /**
     * The arguments of a MessageFormat pattern, also those inside a choice, as "{0}",
     * "{1,number,integer}", "{0,choice}": the choice's limits and texts are the language's own.
     */
    static TreeSet<String> placeholders(String pattern) {
        TreeSet<String> found = new TreeSet<>();
        for (String argument : arguments(pattern)) {
            String[] parts = argument.split(",", 3);
            String index = parts[0].trim();
            String type = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "";
            if (type.equals("choice")) {
                found.add("{" + index + ",choice}");
                for (Object choice : new ChoiceFormat(parts[2]).getFormats()) {
                    found.addAll(placeholders((String) choice));
                }
            } else {
                found.add("{" + index + (type.isEmpty() ? "" : "," + type) + (parts.length > 2 ? "," + parts[2].trim() : "") + "}");
            }
        }
        return found;
    }

    /** The text between each top-level pair of braces, outside MessageFormat's single quotes. */
    private static List<String> arguments(String pattern) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                if (depth++ == 0) {
                    start = i + 1;
                }
            } else if (!quoted && c == '}' && depth > 0 && --depth == 0) {
                arguments.add(pattern.substring(start, i));
            }
        }
        return arguments;
    }

    /** Argument lists to format a text with: numbers or a date where English formats one, else a word. */
    private static List<Object[]> sampleArguments(String englishPattern) {
        Map<Integer, String> types = new TreeMap<>();
        Pattern placeholder = Pattern.compile("\\{(\\d+),?(\\w*)");
        for (String argument : placeholders(englishPattern)) {
            Matcher matcher = placeholder.matcher(argument);
            if (matcher.find()) {
                types.merge(Integer.parseInt(matcher.group(1)), matcher.group(2), (a, b) -> a.isEmpty() ? b : a);
            }
        }
        int count = types.isEmpty() ? 0 : Collections.max(types.keySet()) + 1;
        List<Object[]> samples = new ArrayList<>();
        for (int number : new int[] {0, 1, 2, 5, 21, 1500}) {
            Object[] arguments = new Object[count];
            for (int i = 0; i < count; i++) {
                String type = types.getOrDefault(i, "");
                arguments[i] = type.isEmpty() ? "focus.example.org"
                        : type.equals("date") || type.equals("time") ? new Date(0) : (Object) number;
            }
            samples.add(arguments);
        }
        return samples;
    }

    private static List<String> tags(String text) {
        List<String> tags = new ArrayList<>();
        Matcher matcher = Pattern.compile("</?[A-Za-z][A-Za-z0-9]*").matcher(text);
        while (matcher.find()) {
            tags.add(matcher.group().toLowerCase(Locale.ROOT) + ">");
        }
        tags.sort(null);
        return tags;
    }
}
