package org.clientproxy.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.xmpp.packet.JID;

/**
 * One proxy's configuration. Every host (Openfire's system properties, the admin form, the
 * external component's file) reads it through {@link #parse}, so all of them accept and refuse
 * exactly the same values.
 *
 * @param subdomain       the DNS label that makes the service address {@code <subdomain>.<domain>}
 * @param target          bare JID of the implementing client
 * @param strategy        how a resource is chosen for each request
 * @param timeout         how long a forwarded request may wait for its reply
 * @param unresponsiveAfter how long a resource holding requests may send nothing before it is
 *                        marked unresponsive: halfway the proxy pings it, and only a ping
 *                        unanswered for the other half marks it (see {@link ClientProxy})
 * @param maxPerRequester requests one requester (full JID) may have outstanding at once
 * @param maxOutstanding  requests the whole proxy may have outstanding at once
 * @param enabled         whether the proxy runs at all
 * @param allow           who may send requests
 */
public record ProxySettings(String subdomain, JID target, Strategy strategy, Duration timeout,
                            Duration unresponsiveAfter, int maxPerRequester, int maxOutstanding, boolean enabled,
                            AccessRule allow) {

    public static final String TARGET = "target";
    public static final String STRATEGY = "strategy";
    public static final String TIMEOUT_MILLIS = "timeoutMillis";
    public static final String UNRESPONSIVE_MILLIS = "unresponsiveMillis";
    public static final String MAX_PER_REQUESTER = "maxPerRequester";
    public static final String MAX_OUTSTANDING = "maxOutstanding";
    public static final String ENABLED = "enabled";
    public static final String ALLOW = "allow";
    /** Field name of the subdomain in {@link InvalidSettingsException#problems()}. */
    public static final String SUBDOMAIN = "subdomain";
    /** The keys {@link #parse} reads and {@link #toProperties()} writes, in that order. */
    public static final List<String> KEYS = List.of(TARGET, STRATEGY, TIMEOUT_MILLIS, UNRESPONSIVE_MILLIS, MAX_PER_REQUESTER,
            MAX_OUTSTANDING, ENABLED, ALLOW);

    public static final Strategy DEFAULT_STRATEGY = Strategy.RANDOM;
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_UNRESPONSIVE_MILLIS = 5_000;
    public static final int DEFAULT_MAX_PER_REQUESTER = 100;
    public static final int DEFAULT_MAX_OUTSTANDING = 10_000;
    /** The value each key has while it is not set; the target has none (it is required). */
    public static final Map<String, String> DEFAULT_VALUES = Map.of(STRATEGY, DEFAULT_STRATEGY.configName(),
            TIMEOUT_MILLIS, Long.toString(DEFAULT_TIMEOUT_MILLIS),
            UNRESPONSIVE_MILLIS, Long.toString(DEFAULT_UNRESPONSIVE_MILLIS),
            MAX_PER_REQUESTER, Integer.toString(DEFAULT_MAX_PER_REQUESTER),
            MAX_OUTSTANDING, Integer.toString(DEFAULT_MAX_OUTSTANDING),
            ENABLED, "true", ALLOW, AccessRule.EVERYONE_ENTRY);

    public static final long MIN_TIMEOUT_MILLIS = 100;
    public static final long MAX_TIMEOUT_MILLIS = 3_600_000;
    /** Twice the sweep interval: the ping gets at least one sweep to be answered. */
    public static final long MIN_UNRESPONSIVE_MILLIS = 200;
    public static final long MAX_UNRESPONSIVE_MILLIS = 3_600_000;
    public static final int MAX_PER_REQUESTER_LIMIT = 100_000;
    public static final int MAX_OUTSTANDING_LIMIT = 1_000_000;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public ProxySettings {
        if (subdomain == null || target == null || strategy == null || timeout == null || unresponsiveAfter == null
                || allow == null) {
            throw new NullPointerException("subdomain, target, strategy, timeout, unresponsiveAfter and allow are required");
        }
    }

    /**
     * Reads and checks one proxy's settings.
     *
     * @param subdomain the proxy's subdomain
     * @param values    the value of each key of {@link #toProperties()}, {@code null} where unset
     *                  (then the default applies; only the target has none)
     * @throws InvalidSettingsException naming every field that is wrong
     */
    public static ProxySettings parse(String subdomain, Function<String, String> values)
            throws InvalidSettingsException {
        SettingValues settings = new SettingValues(values);
        if (subdomain == null || !DNS_LABEL.matcher(subdomain).matches()) {
            settings.problem(SUBDOMAIN, "must be a DNS label: 1 to 63 lowercase letters, digits or hyphens,"
                    + " not starting or ending with a hyphen (got '" + subdomain + "')");
        }
        JID target = parseTarget(settings);

        Strategy strategy = DEFAULT_STRATEGY;
        String strategyValue = settings.text(STRATEGY);
        if (strategyValue != null) {
            strategy = Strategy.fromConfigName(strategyValue);
            if (strategy == null) {
                settings.problem(STRATEGY, "must be random, round-robin, least-outstanding or sticky (got '"
                        + strategyValue + "')");
            }
        }
        long timeoutMillis = settings.number(TIMEOUT_MILLIS, DEFAULT_TIMEOUT_MILLIS, MIN_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
        long unresponsiveMillis = settings.number(UNRESPONSIVE_MILLIS, DEFAULT_UNRESPONSIVE_MILLIS,
                MIN_UNRESPONSIVE_MILLIS, MAX_UNRESPONSIVE_MILLIS);
        long maxPerRequester = settings.number(MAX_PER_REQUESTER, DEFAULT_MAX_PER_REQUESTER, 1, MAX_PER_REQUESTER_LIMIT);
        long maxOutstanding = settings.number(MAX_OUTSTANDING, DEFAULT_MAX_OUTSTANDING, 1, MAX_OUTSTANDING_LIMIT);

        boolean enabled = true;
        String enabledValue = settings.text(ENABLED);
        if (enabledValue != null) {
            if (enabledValue.equalsIgnoreCase("true") || enabledValue.equalsIgnoreCase("false")) {
                enabled = Boolean.parseBoolean(enabledValue);
            } else {
                settings.problem(ENABLED, "must be true or false (got '" + enabledValue + "')");
            }
        }
        AccessRule allow = AccessRule.EVERYONE;
        String allowValue = settings.text(ALLOW);
        if (allowValue != null) {
            try {
                allow = AccessRule.parse(allowValue);
            } catch (AccessRule.InvalidRuleException e) {
                settings.problem(ALLOW, e.getMessage());
            }
        }
        settings.check();
        return new ProxySettings(subdomain, target, strategy, Duration.ofMillis(timeoutMillis),
                Duration.ofMillis(unresponsiveMillis), (int) maxPerRequester, (int) maxOutstanding, enabled, allow);
    }

    /** The settings as the key/value pairs {@link #parse} reads (the subdomain is not among them). */
    public Map<String, String> toProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(TARGET, target.toString());
        properties.put(STRATEGY, strategy.configName());
        properties.put(TIMEOUT_MILLIS, Long.toString(timeout.toMillis()));
        properties.put(UNRESPONSIVE_MILLIS, Long.toString(unresponsiveAfter.toMillis()));
        properties.put(MAX_PER_REQUESTER, Integer.toString(maxPerRequester));
        properties.put(MAX_OUTSTANDING, Integer.toString(maxOutstanding));
        properties.put(ENABLED, Boolean.toString(enabled));
        properties.put(ALLOW, allow.toString());
        return properties;
    }

    private static JID parseTarget(SettingValues settings) {
        String value = settings.required(TARGET, "the bare JID of the implementing client, e.g. svc@example.org");
        if (value == null) {
            return null;
        }
        try {
            JID jid = new JID(value);
            if (jid.getNode() == null || jid.getResource() != null) {
                settings.problem(TARGET, "must be a bare JID with a local part, like svc@example.org (got '" + value + "')");
                return null;
            }
            return jid;
        } catch (IllegalArgumentException e) {
            settings.problem(TARGET, "is not a valid JID (got '" + value + "')");
            return null;
        }
    }
}
