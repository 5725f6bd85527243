package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxySettings;
import org.xmpp.packet.JID;

/**
 * Checks a submitted {@link ProxyForm} before anything is saved. The values are checked by
 * {@link ProxySettings#parse}, exactly as the plugin will read them; on top of that the
 * subdomain must not be another proxy's or another service's (unless it is the edited proxy's
 * own), and the target must not be on the proxy's own address. A target on this server whose
 * account does not exist is only a warning: the account may be created later.
 */
public final class ProxyFormValidator {
    /** Where the form-level problems (not about one field) are filed. */
    static final String FORM = "form";

    private final AdminBackend backend;
    private final LocalUsers users;

    public ProxyFormValidator(AdminBackend backend, LocalUsers users) {
        this.backend = backend;
        this.users = users;
    }

    /**
     * @param configured the subdomains of the configured proxies
     */
    public FormCheck check(ProxyForm form, Set<String> configured) {
        Map<String, AdminMessage> errors = new LinkedHashMap<>();
        List<AdminMessage> warnings = new ArrayList<>();
        String original = form.getOriginal();
        if (original != null && !configured.contains(original)) {
            errors.put(FORM, AdminMessage.of("clientproxy.error.gone", address(original)));
        }

        String subdomain = normalized(form.getSubdomain());
        ProxySettings settings = null;
        try {
            settings = ProxySettings.parse(subdomain, form::setting);
        } catch (InvalidSettingsException e) {
            for (String field : e.problems().keySet()) {
                errors.put(field, valueError(field, form.setting(field)));
            }
        }

        boolean subdomainValid = !errors.containsKey(ProxyForm.SUBDOMAIN);
        if (subdomainValid) {
            boolean own = subdomain.equals(original);
            if (!own && configured.contains(subdomain)) {
                errors.put(ProxyForm.SUBDOMAIN, AdminMessage.of("clientproxy.error.subdomain.duplicate", address(subdomain)));
            } else if (backend.isTakenByAnotherService(subdomain)) {
                AdminMessage taken = AdminMessage.of("clientproxy.error.subdomain.taken", address(subdomain));
                if (own) {
                    // Already saved so: refusing would only keep the operator from changing the rest.
                    warnings.add(taken);
                } else {
                    errors.put(ProxyForm.SUBDOMAIN, taken);
                }
            }
        }
        if (!errors.containsKey(ProxyForm.TARGET)) {
            // parse() accepted it, so it is a bare JID with a local part.
            JID target = new JID(form.getTarget().trim());
            if (subdomainValid && target.getDomain().equals(address(subdomain))) {
                errors.put(ProxyForm.TARGET, AdminMessage.of("clientproxy.error.target.own-address", address(subdomain)));
            } else if (target.getDomain().equals(backend.domain()) && !users.exists(target.getNode())) {
                warnings.add(AdminMessage.of("clientproxy.warning.unknown-user", target.toBareJID()));
            }
        }
        return new FormCheck(inFormOrder(errors), warnings, settings);
    }

    /** The subdomain as it will be saved: DNS labels are case-insensitive, and stored in lowercase. */
    static String normalized(String subdomain) {
        return subdomain.trim().toLowerCase(Locale.ROOT);
    }

    private String address(String subdomain) {
        return subdomain + "." + backend.domain();
    }

    /** What is wrong with a field's value that {@link ProxySettings#parse} refused ({@code null}: not set). */
    static AdminMessage valueError(String field, String value) {
        return switch (field) {
            case ProxySettings.SUBDOMAIN -> AdminMessage.of("clientproxy.error.subdomain.invalid");
            case ProxySettings.TARGET -> value == null || value.isBlank()
                    ? AdminMessage.of("clientproxy.error.target.required")
                    : AdminMessage.of("clientproxy.error.target.invalid");
            case ProxySettings.STRATEGY -> AdminMessage.of("clientproxy.error.strategy.invalid");
            case ProxySettings.TIMEOUT_MILLIS -> AdminMessage.of("clientproxy.error.range",
                    ProxySettings.MIN_TIMEOUT_MILLIS, ProxySettings.MAX_TIMEOUT_MILLIS);
            case ProxySettings.MAX_PER_REQUESTER -> AdminMessage.of("clientproxy.error.range",
                    1, ProxySettings.MAX_PER_REQUESTER_LIMIT);
            case ProxySettings.MAX_OUTSTANDING -> AdminMessage.of("clientproxy.error.range",
                    1, ProxySettings.MAX_OUTSTANDING_LIMIT);
            default -> AdminMessage.of("clientproxy.error.invalid");
        };
    }

    private static Map<String, AdminMessage> inFormOrder(Map<String, AdminMessage> errors) {
        Map<String, AdminMessage> ordered = new LinkedHashMap<>();
        for (String field : List.of(FORM, ProxyForm.SUBDOMAIN, ProxyForm.TARGET, ProxyForm.STRATEGY,
                ProxyForm.TIMEOUT_MILLIS, ProxyForm.MAX_PER_REQUESTER, ProxyForm.MAX_OUTSTANDING, ProxyForm.ENABLED)) {
            if (errors.containsKey(field)) {
                ordered.put(field, errors.get(field));
            }
        }
        errors.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
