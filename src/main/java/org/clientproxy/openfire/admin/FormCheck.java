package org.clientproxy.openfire.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.ProxySettings;

/**
 * The verdict on a submitted {@link ProxyForm}: the errors by field (nothing may be saved while
 * there is one), the warnings (saved all the same), and, when there is no error, the settings to
 * save.
 */
public final class FormCheck {
    private final Map<String, AdminMessage> errors;
    private final List<AdminMessage> warnings;
    private final ProxySettings settings;

    FormCheck(Map<String, AdminMessage> errors, List<AdminMessage> warnings, ProxySettings settings) {
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        this.warnings = List.copyOf(warnings);
        this.settings = errors.isEmpty() ? settings : null;
        if (errors.isEmpty() && settings == null) {
            throw new IllegalArgumentException("A form without errors has settings");
        }
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** Field name to what is wrong with it, in the order of the form. */
    public Map<String, AdminMessage> getErrors() {
        return errors;
    }

    /** The fields that have an error, for the form to mark them. */
    public Set<String> getInvalidFields() {
        return errors.keySet();
    }

    public List<AdminMessage> getWarnings() {
        return warnings;
    }

    /** The settings to save; {@code null} when the form has errors. */
    public ProxySettings settings() {
        return settings;
    }
}
