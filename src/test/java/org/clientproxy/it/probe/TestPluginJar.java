package org.clientproxy.it.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a test-only Openfire plugin (never shipped) from the compiled test classes:
 * {@code plugin.xml}, {@code lib/<name>.jar} with the classes, and the servlets' mappings in
 * {@code web/WEB-INF/web-custom.xml} if it has any.
 */
public final class TestPluginJar {
    private TestPluginJar() {
    }

    /**
     * Writes {@code <name>.jar} into {@code directory} and returns it.
     *
     * @param title        the plugin's name in Openfire's list (Openfire names the plugin after the file)
     * @param description  what it is for
     * @param plugin       the class Openfire loads
     * @param classes      every class it needs (the plugin's included)
     * @param webCustomXml the content of {@code web/WEB-INF/web-custom.xml}, or {@code null}
     */
    public static Path build(Path directory, String name, String title, String description, Class<?> plugin,
                             List<Class<?>> classes, String webCustomXml) throws IOException {
        Path jar = directory.resolve(name + ".jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(zip, "plugin.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <plugin>
                        <class>%s</class>
                        <name>%s</name>
                        <description>%s</description>
                        <author>Client Proxy developers</author>
                        <version>1.0.0</version>
                        <date>2026-12-06</date>
                        <minServerVersion>5.0.0</minServerVersion>
                    </plugin>
                    """.formatted(plugin.getName(), title, description).getBytes(StandardCharsets.UTF_8));
            if (webCustomXml != null) {
                put(zip, "web/WEB-INF/web-custom.xml", webCustomXml.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry("lib/" + name + ".jar"));
            zip.write(classesJar(classes));
            zip.closeEntry();
        }
        return jar;
    }

    private static byte[] classesJar(List<Class<?>> types) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream classes = new ZipOutputStream(bytes)) {
            for (Class<?> type : types) {
                String name = type.getName().replace('.', '/') + ".class";
                put(classes, name, Files.readAllBytes(classFile(type, name)));
            }
        }
        return bytes.toByteArray();
    }

    private static Path classFile(Class<?> type, String name) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(name);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
