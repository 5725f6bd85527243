package org.clientproxy.it.probe;

import java.io.File;

import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;

/**
 * A test-only Openfire plugin ({@link ProbePluginJar} packs it at test time; it never ships) that
 * shows what Openfire knows and no admin page shows: its {@link StatisticsServlet} reads Openfire's
 * statistics as the Monitoring plugin would. It does nothing when loaded.
 */
public final class ProbePlugin implements Plugin {
    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
    }

    @Override
    public void destroyPlugin() {
    }
}
