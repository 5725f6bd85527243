package org.clientproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.clientproxy.core.ClientProxy;
import org.clientproxy.openfire.ClientProxyPlugin;
import org.junit.jupiter.api.Test;

/**
 * The core runs in Openfire and, as an external component, outside it: nothing in it may refer
 * to Openfire. Checked in the compiled classes, where every class a class refers to (imported
 * or fully qualified, in code or signatures) is named in its constant pool.
 */
class CoreIndependenceTest {
    private static final byte[] OPENFIRE = "org/jivesoftware".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noCoreClassRefersToOpenfire() throws Exception {
        List<Path> classes = classFiles(ClientProxy.class);
        assertTrue(classes.size() > 5, "found too few core classes to check: " + classes);

        List<String> offenders = classes.stream().filter(CoreIndependenceTest::refersToOpenfire)
                .map(Path::toString).toList();

        assertEquals(List.of(), offenders, "core classes that refer to org.jivesoftware");
    }

    @Test
    void theCheckSeesAnOpenfireReferenceWhereThereIsOne() throws Exception {
        assertTrue(refersToOpenfire(classFile(ClientProxyPlugin.class)));
        assertFalse(refersToOpenfire(classFile(ClientProxy.class)));
    }

    /** Every class file of the given class's package and its subpackages. */
    private static List<Path> classFiles(Class<?> member) throws URISyntaxException, IOException {
        try (Stream<Path> files = Files.walk(classFile(member).getParent())) {
            return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static Path classFile(Class<?> type) throws URISyntaxException {
        Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return root.resolve(type.getName().replace('.', '/') + ".class");
    }

    private static boolean refersToOpenfire(Path classFile) {
        try {
            byte[] bytes = Files.readAllBytes(classFile);
            for (int i = 0; i + OPENFIRE.length <= bytes.length; i++) {
                int j = 0;
                while (j < OPENFIRE.length && bytes[i + j] == OPENFIRE[j]) {
                    j++;
                }
                if (j == OPENFIRE.length) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + classFile, e);
        }
    }
}
