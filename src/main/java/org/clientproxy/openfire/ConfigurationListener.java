package org.clientproxy.openfire;

import java.util.Map;

import org.jivesoftware.util.PropertyEventListener;

/**
 * Turns a change to a configuration property ({@link ProxySystemProperties#isProxyProperty}: from the
 * admin page, Openfire's System Properties page, or another cluster node) into a reload. Called on whatever
 * thread changed the property: it only queues the reload and returns.
 */
final class ConfigurationListener implements PropertyEventListener {
    private final Runnable reload;

    ConfigurationListener(Runnable reload) {
        this.reload = reload;
    }

    @Override
    public void propertySet(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void propertyDeleted(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void xmlPropertySet(String property, Map<String, Object> params) {
        // The configuration lives in system properties, never in openfire.xml.
    }

    @Override
    public void xmlPropertyDeleted(String property, Map<String, Object> params) {
        // As above.
    }

    private void changed(String property) {
        if (ProxySystemProperties.isProxyProperty(property)) {
            reload.run();
        }
    }
}
