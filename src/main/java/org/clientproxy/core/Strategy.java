package org.clientproxy.core;

import java.util.Locale;

/** How a proxy picks the online resource of the implementing client that gets a request. */
public enum Strategy {
    /** Any online resource, uniformly at random: what Prosody's mod_client_proxy does. */
    RANDOM,
    /** Each online resource in turn. */
    ROUND_ROBIN,
    /** The online resource with the fewest requests outstanding right now. */
    LEAST_OUTSTANDING,
    /**
     * The same online resource for every request of one requester account (bare JID, all its
     * resources) while that resource stays online: rendezvous hashing, so that a resource that
     * leaves moves only its own requesters, and one that comes takes a fair share from the others.
     */
    STICKY;

    /** The name used in configuration: {@code random}, {@code round-robin}, {@code least-outstanding}, {@code sticky}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The strategy with this configuration name (case-insensitive), or {@code null} when there is none. */
    public static Strategy fromConfigName(String name) {
        for (Strategy strategy : values()) {
            if (strategy.configName().equalsIgnoreCase(name.trim())) {
                return strategy;
            }
        }
        return null;
    }
}
