package org.clientproxy.openfire;

import java.util.List;
import java.util.Objects;

import org.clientproxy.core.InvalidSettingsException;

/**
 * Why a proxy does not run, said twice: as a message of the plugin's i18n bundle for the admin
 * pages, and as an English sentence for the log.
 *
 * @param key           the message's key in {@code clientproxy_i18n}
 * @param args          the values for its placeholders (addresses, JIDs, error details), as text;
 *                      the pages escape them
 * @param invalidFields with {@link #INVALID}: the fields whose configured values are wrong, in
 *                      field order (the pages say for each what is wrong); otherwise empty
 * @param text          the English sentence for the log
 */
public record StopReason(String key, List<String> args, List<String> invalidFields, String text) {
    /** The key of the reason for settings that cannot run a proxy. */
    public static final String INVALID = "clientproxy.reason.invalid";

    public StopReason {
        Objects.requireNonNull(key);
        Objects.requireNonNull(text);
        args = List.copyOf(args);
        invalidFields = List.copyOf(invalidFields);
    }

    /** A reason that is one message of the bundle. */
    public static StopReason of(String key, String text, String... args) {
        return new StopReason(key, List.of(args), List.of(), text);
    }

    /** The configured values are wrong; the log gets the core's description of every problem. */
    public static StopReason invalid(InvalidSettingsException e) {
        return new StopReason(INVALID, List.of(), List.copyOf(e.problems().keySet()), "invalid settings: " + e.getMessage());
    }
}
