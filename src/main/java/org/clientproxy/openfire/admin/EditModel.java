package org.clientproxy.openfire.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.clientproxy.core.Strategy;

/** The model of the add/edit page: the form as typed, and which of its fields are wrong. */
public final class EditModel {
    private final ProxyForm form;
    private final String domain;
    private final Set<String> invalidFields;

    EditModel(ProxyForm form, String domain, Set<String> invalidFields) {
        this.form = form;
        this.domain = domain;
        this.invalidFields = Set.copyOf(invalidFields);
    }

    public ProxyForm getForm() {
        return form;
    }

    /** The XMPP domain, shown after the subdomain field. */
    public String getDomain() {
        return domain;
    }

    /** The fields to mark as wrong, by {@link ProxyForm} field name. */
    public Set<String> getInvalidFields() {
        return invalidFields;
    }

    /** The strategies' configuration names, for the select; {@code clientproxy.strategy.<name>} labels each. */
    public List<String> getStrategies() {
        return Arrays.stream(Strategy.values()).map(Strategy::configName).toList();
    }
}
