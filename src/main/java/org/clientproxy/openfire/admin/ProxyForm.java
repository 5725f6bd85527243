package org.clientproxy.openfire.admin;

import java.util.Map;
import java.util.function.Function;

import org.clientproxy.core.ProxySettings;

/**
 * The add/edit form of one proxy, holding exactly what was typed (or what is configured, when an
 * existing proxy is opened), so that a refused form comes back as the operator left it. The
 * request parameters are named after the fields: {@link #SUBDOMAIN}, {@link #ORIGINAL} and the
 * setting keys of {@link ProxySettings}.
 */
public final class ProxyForm {
    public static final String SUBDOMAIN = ProxySettings.SUBDOMAIN;
    /** Hidden field: the subdomain of the proxy being edited; absent when adding one. */
    public static final String ORIGINAL = "original";
    public static final String TARGET = ProxySettings.TARGET;
    public static final String STRATEGY = ProxySettings.STRATEGY;
    public static final String TIMEOUT_MILLIS = ProxySettings.TIMEOUT_MILLIS;
    public static final String MAX_PER_REQUESTER = ProxySettings.MAX_PER_REQUESTER;
    public static final String MAX_OUTSTANDING = ProxySettings.MAX_OUTSTANDING;
    public static final String ENABLED = ProxySettings.ENABLED;

    private final String original;
    private final String subdomain;
    private final String target;
    private final String strategy;
    private final String timeoutMillis;
    private final String maxPerRequester;
    private final String maxOutstanding;
    private final boolean enabled;

    private ProxyForm(String original, String subdomain, String target, String strategy, String timeoutMillis,
                      String maxPerRequester, String maxOutstanding, boolean enabled) {
        this.original = blankToNull(original);
        this.subdomain = nullToEmpty(subdomain);
        this.target = nullToEmpty(target);
        this.strategy = nullToEmpty(strategy);
        this.timeoutMillis = nullToEmpty(timeoutMillis);
        this.maxPerRequester = nullToEmpty(maxPerRequester);
        this.maxOutstanding = nullToEmpty(maxOutstanding);
        this.enabled = enabled;
    }

    /** An empty form for a new proxy, with the defaults filled in. */
    public static ProxyForm blank() {
        return new ProxyForm(null, "", "", ProxySettings.DEFAULT_STRATEGY.configName(),
                Long.toString(ProxySettings.DEFAULT_TIMEOUT_MILLIS),
                Integer.toString(ProxySettings.DEFAULT_MAX_PER_REQUESTER),
                Integer.toString(ProxySettings.DEFAULT_MAX_OUTSTANDING), true);
    }

    /**
     * The form of a configured proxy, from its raw values (a key that is not set shows its
     * default, which is what applies).
     */
    public static ProxyForm of(String subdomain, Map<String, String> values) {
        ProxyForm defaults = blank();
        return new ProxyForm(subdomain, subdomain,
                values.getOrDefault(TARGET, ""),
                values.getOrDefault(STRATEGY, defaults.strategy),
                values.getOrDefault(TIMEOUT_MILLIS, defaults.timeoutMillis),
                values.getOrDefault(MAX_PER_REQUESTER, defaults.maxPerRequester),
                values.getOrDefault(MAX_OUTSTANDING, defaults.maxOutstanding),
                !"false".equalsIgnoreCase(values.getOrDefault(ENABLED, "true").trim()));
    }

    /** The form as submitted; an unticked checkbox sends nothing, so a missing {@link #ENABLED} means false. */
    public static ProxyForm fromParameters(Function<String, String> parameter) {
        return new ProxyForm(parameter.apply(ORIGINAL), parameter.apply(SUBDOMAIN), parameter.apply(TARGET),
                parameter.apply(STRATEGY), parameter.apply(TIMEOUT_MILLIS), parameter.apply(MAX_PER_REQUESTER),
                parameter.apply(MAX_OUTSTANDING), parameter.apply(ENABLED) != null);
    }

    /** The values as {@link ProxySettings#parse} reads them, by setting key. */
    String setting(String key) {
        return switch (key) {
            case ProxySettings.TARGET -> target;
            case ProxySettings.STRATEGY -> strategy;
            case ProxySettings.TIMEOUT_MILLIS -> timeoutMillis;
            case ProxySettings.MAX_PER_REQUESTER -> maxPerRequester;
            case ProxySettings.MAX_OUTSTANDING -> maxOutstanding;
            case ProxySettings.ENABLED -> Boolean.toString(enabled);
            default -> null;
        };
    }

    /** Whether this form edits an existing proxy (rather than adding one). */
    public boolean isEditing() {
        return original != null;
    }

    /** The subdomain of the proxy being edited, or {@code null} when adding. */
    public String getOriginal() {
        return original;
    }

    public String getSubdomain() {
        return subdomain;
    }

    public String getTarget() {
        return target;
    }

    public String getStrategy() {
        return strategy;
    }

    public String getTimeoutMillis() {
        return timeoutMillis;
    }

    public String getMaxPerRequester() {
        return maxPerRequester;
    }

    public String getMaxOutstanding() {
        return maxOutstanding;
    }

    public boolean isEnabled() {
        return enabled;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
