package org.clientproxy.openfire;

/**
 * Openfire's registry of described system properties ({@code org.jivesoftware.util.SystemProperty},
 * Openfire 4.4 and later), which its System Properties page lists with the plugin, description,
 * default and whether a change applies at once.
 */
interface SystemPropertyRegistry {
    /**
     * Registers a property of this plugin that applies at once, with its description from the
     * plugin's bundle ({@code system_property.<key>}) and its default.
     *
     * @param defaultValue {@code null} for none
     * @return whether it is registered now (also when it was already)
     */
    boolean register(String key, String defaultValue);

    /** Removes every property registered for this plugin. */
    void removeAll();
}
