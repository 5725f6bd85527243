package org.clientproxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The core runs in any host: nothing in it may name Openfire ({@code org.jivesoftware}). */
class CoreIndependenceTest {
    private static final Path CORE_SOURCES = Path.of(System.getProperty("basedir", "."))
            .resolve("src/main/java/org/clientproxy/core");

    /** Comments and string literals, which may mention Openfire without depending on it. */
    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);
    private static final Pattern OPENFIRE = Pattern.compile("\\borg\\s*\\.\\s*jivesoftware\\b");

    @Test
    void noCoreSourceUsesOpenfire() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(CORE_SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.stream().anyMatch(file -> file.endsWith("ClientProxy.java")),
                "the core sources were not found under " + CORE_SOURCES.toAbsolutePath());

        List<String> offenders = new ArrayList<>();
        for (Path source : sources) {
            String code = COMMENT_OR_STRING.matcher(Files.readString(source, StandardCharsets.UTF_8)).replaceAll(" ");
            Matcher openfire = OPENFIRE.matcher(code);
            if (openfire.find()) {
                offenders.add(CORE_SOURCES.relativize(source) + ": " + lineAround(code, openfire.start()));
            }
        }
        assertEquals(List.of(), offenders, "core sources that use org.jivesoftware");
    }

    @Test
    void theCheckFindsAnImportAndAFullyQualifiedName() {
        String[] offending = {
                "import org.jivesoftware.openfire.XMPPServer;",
                "import static org.jivesoftware.util.JiveGlobals.getProperty;",
                "Object server = org.jivesoftware.openfire.XMPPServer.getInstance();",
        };
        for (String code : offending) {
            assertTrue(OPENFIRE.matcher(COMMENT_OR_STRING.matcher(code).replaceAll(" ")).find(), code);
        }
        String[] harmless = {
                "// unlike org.jivesoftware.openfire.XMPPServer, this is portable",
                "/* see org.jivesoftware.util.JiveGlobals */ int x;",
                "String name = \"org.jivesoftware.openfire\";",
                "import org.xmpp.packet.JID;",
        };
        for (String code : harmless) {
            assertTrue(!OPENFIRE.matcher(COMMENT_OR_STRING.matcher(code).replaceAll(" ")).find(), code);
        }
    }

    private static String lineAround(String code, int index) {
        int start = code.lastIndexOf('\n', index) + 1;
        int end = code.indexOf('\n', index);
        return code.substring(start, end < 0 ? code.length() : end).trim();
    }
}
