package org.clientproxy.openfire;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strings of the plugin's i18n bundle ({@code clientproxy_i18n}) for code that runs outside a
 * page, such as the statistics' names. Openfire puts the plugin's {@code i18n/} directory on the
 * plugin's class loader; the bundle is looked up there directly, not through
 * {@code LocaleUtils}, which would ask the plugin manager (and could wait for its lock while the
 * plugin is being unloaded). A missing bundle or key yields the key itself.
 */
final class PluginText {
    private static final Logger LOG = LoggerFactory.getLogger(PluginText.class);
    static final String BUNDLE = "clientproxy_i18n";

    private final Supplier<Locale> locale;
    private final ClassLoader loader;

    PluginText(Supplier<Locale> locale, ClassLoader loader) {
        this.locale = locale;
        this.loader = loader;
    }

    /** The message for {@code key}, formatted with {@code arguments} (MessageFormat) when there are any. */
    String get(String key, Object... arguments) {
        Locale current = locale.get();
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, current, loader).getString(key);
        } catch (MissingResourceException e) {
            LOG.warn("No text for {} in {}", key, BUNDLE);
            return key;
        }
        return arguments.length == 0 ? pattern : new MessageFormat(pattern, current).format(arguments);
    }
}
