package org.clientproxy.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads configuration values by key and collects every problem, so that one reading reports all
 * that is wrong at once. Shared by the proxy's settings and by the hosts' own settings.
 */
public final class SettingValues {
    private final Function<String, String> values;
    private final Map<String, String> problems = new LinkedHashMap<>();

    /** @param values the value of each key, {@code null} where unset */
    public SettingValues(Function<String, String> values) {
        this.values = values;
    }

    /** The value, trimmed; {@code null} when unset or blank. */
    public String text(String key) {
        String value = values.apply(key);
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The value, or {@code null} with a problem saying what was expected. */
    public String required(String key, String what) {
        String value = text(key);
        if (value == null) {
            problem(key, "is required: " + what);
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}, {@code fallback} when unset (or wrong, with a problem). */
    public long number(String key, long fallback, long min, long max) {
        String value = text(key);
        if (value == null) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        problem(key, String.format(Locale.ROOT, "must be a whole number from %d to %d (got '%s')", min, max, value));
        return fallback;
    }

    public void problem(String key, String description) {
        problems.put(key, description);
    }

    /** Adds the problems of settings read elsewhere, e.g. a nested proxy's. */
    public void problems(InvalidSettingsException e) {
        problems.putAll(e.problems());
    }

    /** Throws when any value read so far was wrong. */
    public void check() throws InvalidSettingsException {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
