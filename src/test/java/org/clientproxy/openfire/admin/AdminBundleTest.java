package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.clientproxy.core.ProxySnapshot;
import org.clientproxy.core.Strategy;
import org.clientproxy.core.SubscriptionState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The English bundle has every text the pages and the plugin ask for, each safe for MessageFormat. */
class AdminBundleTest {
    private static final Path BUNDLE = I18nBundles.file("");
    private static Properties bundle;

    @BeforeAll
    static void load() throws IOException {
        bundle = I18nBundles.load(BUNDLE);
    }

    private static List<String> missing(List<String> keys) {
        return keys.stream().filter(key -> !bundle.containsKey(key)).distinct().sorted().toList();
    }

    @Test
    void noTextHasAnApostropheThatMessageFormatWouldSwallow() {
        List<String> unsafe = bundle.stringPropertyNames().stream()
                .filter(key -> bundle.getProperty(key).contains("'")).sorted().toList();
        assertEquals(List.of(), unsafe, "write \\u2019 instead of ' (MessageFormat drops a single quote)");
    }

    @Test
    void everyTextIsAValidMessageFormatPattern() {
        List<String> invalid = new ArrayList<>();
        for (String key : bundle.stringPropertyNames()) {
            try {
                new MessageFormat(bundle.getProperty(key), Locale.ENGLISH);
            } catch (IllegalArgumentException e) {
                invalid.add(key);
            }
        }
        assertEquals(List.of(), invalid);
    }

    @Test
    void everyKeyNamedInTheJavaCodeExists() throws IOException {
        Pattern literal = Pattern.compile("\"(clientproxy\\.[A-Za-z0-9.-]+)\"");
        List<String> keys = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/org/clientproxy/openfire"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = literal.matcher(Files.readString(source));
                while (matcher.find()) {
                    if (!matcher.group(1).endsWith(".")) {
                        keys.add(matcher.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), missing(keys));
    }

    @Test
    void everyKeyTheJspsNameLiterallyExists() throws IOException {
        Pattern literal = Pattern.compile("key=\"(clientproxy\\.[^\"$]+)\"");
        List<String> keys = new ArrayList<>();
        try (Stream<Path> pages = Files.list(Path.of("src/main/web"))) {
            for (Path page : pages.filter(path -> path.toString().matches(".*\\.jspf?")).toList()) {
                Matcher matcher = literal.matcher(Files.readString(page));
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        assertEquals(List.of(), missing(keys));
    }

    @Test
    void everyKeyThePagesComposeExists() {
        List<String> keys = new ArrayList<>();
        for (ProxyView.Counter counter : ProxyView.counters(new ProxySnapshot.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))) {
            keys.add("clientproxy.counter." + counter.getKey());
            keys.add("clientproxy.counter." + counter.getKey() + ".help");
        }
        for (Strategy strategy : Strategy.values()) {
            keys.add("clientproxy.strategy." + strategy.configName());
        }
        for (SubscriptionState state : SubscriptionState.values()) {
            keys.add("clientproxy.presence." + state.name().toLowerCase(Locale.ROOT));
        }
        keys.add("clientproxy.presence.since");
        keys.add("clientproxy.presence.revoked_by_account.detail");
        keys.add("clientproxy.action.renew-roster");
        for (String field : ProxyForm.FIELDS) {
            keys.add("clientproxy.field." + field);
            keys.add("clientproxy.field." + field + ".help");
        }
        keys.add("clientproxy.field." + ProxyForm.ORIGINAL);
        for (String reserved : ProxyForm.RESERVED) {
            keys.add("clientproxy.error.subdomain.reserved." + reserved);
        }
        for (String flag : List.of("added", "saved", "removed", "resubscribed", "roster-renewed", "reset")) {
            keys.add("clientproxy.success." + flag);
        }
        for (String suffix : List.of("state.running", "state.stopped", "enabled.true", "enabled.false",
                "edit.title.add", "edit.title.edit", "edit.intro.add", "edit.intro.edit")) {
            keys.add("clientproxy." + suffix);
        }
        for (String rate : List.of("forwarded", "errors", "timeouts")) {
            for (String part : List.of("name", "description", "units")) {
                keys.add("clientproxy.stat." + rate + "." + part);
            }
        }
        assertEquals(List.of(), missing(keys));
    }

    @Test
    void countsArePluralisedInEnglish() {
        MessageFormat load = new MessageFormat(bundle.getProperty("clientproxy.overview.load"), Locale.ENGLISH);
        assertEquals("1 resource online, no request outstanding", load.format(new Object[] {1, 0}));
        assertEquals("2 resources online, 1 request outstanding", load.format(new Object[] {2, 1}));
        assertEquals("no resource online, 1,500 requests outstanding", load.format(new Object[] {0, 1500}));
    }

    @Test
    void noKeyIsDefinedTwice() throws IOException {
        assertEquals(List.of(), I18nBundles.keysDefinedTwice(BUNDLE));
    }
}
