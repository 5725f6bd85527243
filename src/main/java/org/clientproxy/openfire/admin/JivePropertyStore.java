package org.clientproxy.openfire.admin;

import org.jivesoftware.util.JiveGlobals;

/**
 * Openfire's system properties through {@link JiveGlobals}. Each change is stored in the
 * database, reaches the other cluster nodes, and fires the property event the plugin reloads on.
 */
final class JivePropertyStore implements PropertyStore {

    @Override
    public String get(String name) {
        return JiveGlobals.getProperty(name);
    }

    @Override
    public void set(String name, String value) {
        JiveGlobals.setProperty(name, value);
    }

    @Override
    public void delete(String name) {
        JiveGlobals.deleteProperty(name);
    }
}
