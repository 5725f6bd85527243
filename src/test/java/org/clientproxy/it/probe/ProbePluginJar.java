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
 * Packs the probe plugin ({@link ProbePlugin}, {@link StatisticsServlet}) from the compiled test
 * classes into an Openfire plugin jar: {@code plugin.xml}, {@code lib/probe.jar} and the servlet's
 * mapping in {@code web/WEB-INF/web-custom.xml}.
 */
public final class ProbePluginJar {
    public static final String FILE = "probe.jar";
    private static final List<Class<?>> CLASSES = List.of(ProbePlugin.class, StatisticsServlet.class);

    private ProbePluginJar() {
    }

    /** Writes the plugin jar into {@code directory} and returns it. */
    public static Path build(Path directory) throws IOException {
        Path jar = directory.resolve(FILE);
        try (ZipOutputStream plugin = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(plugin, "plugin.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <plugin>
                        <class>%s</class>
                        <name>Client Proxy test probe</name>
                        <description>Shows the integration tests what Openfire knows. Never shipped.</description>
                        <author>Client Proxy developers</author>
                        <version>1.0.0</version>
                        <date>2026-12-06</date>
                        <minServerVersion>5.0.0</minServerVersion>
                    </plugin>
                    """.formatted(ProbePlugin.class.getName()).getBytes(StandardCharsets.UTF_8));
            put(plugin, "web/WEB-INF/web-custom.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app>
                        <servlet><servlet-name>statistics</servlet-name><servlet-class>%s</servlet-class></servlet>
                        <servlet-mapping><servlet-name>statistics</servlet-name><url-pattern>/statistics</url-pattern></servlet-mapping>
                    </web-app>
                    """.formatted(StatisticsServlet.class.getName()).getBytes(StandardCharsets.UTF_8));
            plugin.putNextEntry(new ZipEntry("lib/probe.jar"));
            plugin.write(classesJar());
            plugin.closeEntry();
        }
        return jar;
    }

    private static byte[] classesJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream classes = new ZipOutputStream(bytes)) {
            for (Class<?> type : CLASSES) {
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
