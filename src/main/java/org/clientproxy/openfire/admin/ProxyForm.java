package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.clientproxy.core.AccessRule;
import org.clientproxy.core.InvalidSettingsException;
import org.clientproxy.core.ProxySettings;
import org.xmpp.packet.JID;

/**
 * The add/edit form of one proxy and its checks. It holds exactly what was typed (or what is
 * configured, when a proxy is opened), so that a refused form comes back as the operator left
 * it. The request parameters are named after the fields: {@link #ORIGINAL}, then the setting keys
 * of {@link ProxySettings}. To add a field: a constant and a value here, a key of
 * {@link ProxySettings}, a row in client-proxy-edit.jsp, its {@code clientproxy.field.*} texts.
 */
public final class ProxyForm {
    /** Hidden field: the subdomain of the proxy being edited; absent when adding one. */
    public static final String ORIGINAL = "original";
    public static final String SUBDOMAIN = ProxySettings.SUBDOMAIN;
    /** The fields in the order of the form, which is the order of its error messages. */
    static final List<String> FIELDS = List.of(SUBDOMAIN, ProxySettings.TARGET, ProxySettings.STRATEGY,
            ProxySettings.TIMEOUT_MILLIS, ProxySettings.UNRESPONSIVE_MILLIS, ProxySettings.MAX_PER_REQUESTER, ProxySettings.MAX_OUTSTANDING,
            ProxySettings.ALLOW, ProxySettings.ENABLED);

    /**
     * The default subdomains of Openfire's own services: refused even while the service is off,
     * since it takes its address back when it is turned on (the message names the service).
     */
    static final Set<String> RESERVED = Set.of("proxy", "search", "conference", "pubsub");

    private final String original;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Message> errors = new LinkedHashMap<>();
    private final List<Message> warnings = new ArrayList<>();

    private ProxyForm(String original, Function<String, String> value) {
        this.original = original == null || original.isBlank() ? null : original.trim();
        for (String field : FIELDS) {
            String typed = value.apply(field);
            values.put(field, typed == null ? "" : typed);
        }
    }

    /** An empty form for a new proxy, with the defaults filled in. */
    static ProxyForm blank() {
        return of(null, Map.of());
    }

    /** The form of a configured proxy, from its raw values; a key that is not set shows its default. */
    static ProxyForm of(String subdomain, Map<String, String> configured) {
        return new ProxyForm(subdomain, field -> SUBDOMAIN.equals(field) ? subdomain
                : ProxySettings.ENABLED.equals(field)
                        ? Boolean.toString(!"false".equalsIgnoreCase(configured.getOrDefault(field, "true").trim()))
                        : configured.getOrDefault(field, ProxySettings.DEFAULT_VALUES.get(field)));
    }

    /** The form as submitted; an unticked checkbox sends nothing, so a missing {@code enabled} means false. */
    static ProxyForm submitted(Function<String, String> parameter) {
        return new ProxyForm(parameter.apply(ORIGINAL), field -> ProxySettings.ENABLED.equals(field)
                ? Boolean.toString(parameter.apply(field) != null) : parameter.apply(field));
    }

    /**
     * Checks the form exactly as the plugin will read it ({@link ProxySettings#parse}), and on
     * top of that: the subdomain is no other proxy's, no other service's and not reserved (for
     * the edited proxy's own subdomain that is only a warning: it is saved so already), and the
     * target is a bare JID not on the proxy's own address. A local target whose account does
     * not exist is a warning: the account may be created later.
     *
     * @param configured the subdomains of the saved proxies
     * @param taken      whether a subdomain is held by another component or service of the server
     * @param accountExists whether a local account (by username) exists
     * @return the settings to save, or {@code null} when there is an error ({@link #getErrors()})
     */
    ProxySettings check(Set<String> configured, String domain, Predicate<String> taken, Predicate<String> accountExists) {
        if (original != null && !configured.contains(original)) {
            errors.put(ORIGINAL, Message.of("clientproxy.error.gone", original + "." + domain));
        }
        String subdomain = getSubdomain().trim().toLowerCase(Locale.ROOT);
        ProxySettings settings = null;
        try {
            settings = ProxySettings.parse(subdomain, this::setting);
        } catch (InvalidSettingsException e) {
            for (String field : FIELDS) {
                if (e.problems().containsKey(field)) {
                    errors.put(field, valueError(field, values.get(field)));
                }
            }
        }
        String address = subdomain + "." + domain;
        if (!errors.containsKey(SUBDOMAIN)) {
            boolean own = subdomain.equals(original);
            Message problem = null;
            if (!own && configured.contains(subdomain)) {
                problem = Message.about(SUBDOMAIN, "clientproxy.error.subdomain.duplicate", address);
            } else if (RESERVED.contains(subdomain)) {
                problem = Message.about(SUBDOMAIN, "clientproxy.error.subdomain.reserved." + subdomain, address);
            } else if (taken.test(subdomain)) {
                problem = Message.about(SUBDOMAIN, "clientproxy.error.subdomain.taken", address);
            }
            if (problem != null && own) {
                warnings.add(problem);
            } else if (problem != null) {
                errors.put(SUBDOMAIN, problem);
            }
        }
        if (!errors.containsKey(ProxySettings.TARGET)) {
            JID target = new JID(getTarget().trim());
            if (!errors.containsKey(SUBDOMAIN) && target.getDomain().equals(address)) {
                errors.put(ProxySettings.TARGET, Message.about(ProxySettings.TARGET, "clientproxy.error.target.own-address", address));
            } else if (target.getDomain().equals(domain) && !accountExists.test(target.getNode())) {
                warnings.add(Message.of("clientproxy.warning.unknown-user", target.toBareJID()));
            }
        }
        inFormOrder(errors);
        return errors.isEmpty() ? settings : null;
    }

    private static void inFormOrder(Map<String, Message> errors) {
        Map<String, Message> found = new LinkedHashMap<>(errors);
        errors.clear();
        List<String> order = new ArrayList<>(List.of(ORIGINAL));
        order.addAll(FIELDS);
        for (String field : order) {
            if (found.containsKey(field)) {
                errors.put(field, found.remove(field));
            }
        }
        errors.putAll(found);
    }

    /** What is wrong with a value {@link ProxySettings#parse} refused, as the form and the proxies table say it. */
    static Message valueError(String field, String value) {
        return switch (field) {
            case SUBDOMAIN -> Message.about(field, "clientproxy.error.subdomain.invalid");
            case ProxySettings.TARGET -> targetError(value);
            case ProxySettings.STRATEGY -> Message.about(field, "clientproxy.error.strategy.invalid");
            case ProxySettings.ALLOW -> allowError(value);
            case ProxySettings.TIMEOUT_MILLIS -> Message.about(field, "clientproxy.error.range",
                    ProxySettings.MIN_TIMEOUT_MILLIS, ProxySettings.MAX_TIMEOUT_MILLIS);
            case ProxySettings.UNRESPONSIVE_MILLIS -> Message.about(field, "clientproxy.error.range",
                    ProxySettings.MIN_UNRESPONSIVE_MILLIS, ProxySettings.MAX_UNRESPONSIVE_MILLIS);
            case ProxySettings.MAX_PER_REQUESTER -> Message.about(field, "clientproxy.error.range",
                    1, ProxySettings.MAX_PER_REQUESTER_LIMIT);
            case ProxySettings.MAX_OUTSTANDING -> Message.about(field, "clientproxy.error.range",
                    1, ProxySettings.MAX_OUTSTANDING_LIMIT);
            default -> Message.about(field, "clientproxy.error.invalid");
        };
    }

    /** The rule's first wrong entry, named. */
    private static Message allowError(String value) {
        try {
            AccessRule.parse(value == null ? "" : value);
        } catch (AccessRule.InvalidRuleException e) {
            return Message.about(ProxySettings.ALLOW, "clientproxy.error.allow." + e.problem().key(), e.entry());
        }
        return Message.about(ProxySettings.ALLOW, "clientproxy.error.invalid");
    }

    private static Message targetError(String value) {
        if (value == null || value.isBlank()) {
            return Message.about(ProxySettings.TARGET, "clientproxy.error.target.required");
        }
        try {
            JID jid = new JID(value.trim());
            if (jid.getNode() != null && jid.getResource() != null) {
                return Message.about(ProxySettings.TARGET, "clientproxy.error.target.resource", jid.getResource());
            }
        } catch (IllegalArgumentException e) {
            // Not a JID at all: the general message.
        }
        return Message.about(ProxySettings.TARGET, "clientproxy.error.target.invalid");
    }

    /** A value as {@link ProxySettings#parse} reads it. */
    private String setting(String key) {
        return values.get(key);
    }

    /** Whether this form edits a saved proxy (rather than adding one). */
    public boolean isEditing() {
        return original != null;
    }

    /** The subdomain of the proxy being edited, or {@code null} when adding. */
    public String getOriginal() {
        return original;
    }

    /** Every field's value as typed, by field name ({@code enabled}: {@code true} or {@code false}). */
    public Map<String, String> getValues() {
        return values;
    }

    public String getSubdomain() {
        return values.get(SUBDOMAIN);
    }

    public String getTarget() {
        return values.get(ProxySettings.TARGET);
    }

    public boolean isEnabled() {
        return Boolean.parseBoolean(values.get(ProxySettings.ENABLED));
    }

    /** What is wrong, by field ({@link #ORIGINAL}: the edited proxy is gone), in form order; empty before {@link #check}. */
    public Map<String, Message> getErrors() {
        return errors;
    }

    /** What the operator should know though the form can be saved. */
    public List<Message> getWarnings() {
        return warnings;
    }
}
