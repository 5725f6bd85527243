package org.clientproxy.it.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Packs the probe plugin ({@link ProbePlugin} and its servlets) from the compiled test
 * classes into an Openfire plugin jar ({@link TestPluginJar}), with the servlet's mapping.
 */
public final class ProbePluginJar {
    public static final String FILE = "probe.jar";

    private ProbePluginJar() {
    }

    /** Writes the plugin jar into {@code directory} and returns it. */
    public static Path build(Path directory) throws IOException {
        return TestPluginJar.build(directory, "probe", "Client Proxy test probe",
                "Shows the integration tests what Openfire knows. Never shipped.", ProbePlugin.class,
                List.of(ProbePlugin.class, StatisticsServlet.class, ClusterListenersServlet.class), """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app>
                            <servlet><servlet-name>statistics</servlet-name><servlet-class>%s</servlet-class></servlet>
                            <servlet-mapping><servlet-name>statistics</servlet-name><url-pattern>/statistics</url-pattern></servlet-mapping>
                            <servlet><servlet-name>cluster-listeners</servlet-name><servlet-class>%s</servlet-class></servlet>
                            <servlet-mapping><servlet-name>cluster-listeners</servlet-name><url-pattern>/cluster-listeners</url-pattern></servlet-mapping>
                        </web-app>
                        """.formatted(StatisticsServlet.class.getName(), ClusterListenersServlet.class.getName()));
    }
}
