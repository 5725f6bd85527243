package org.clientproxy.openfire;

import java.util.List;

import org.jivesoftware.util.JiveGlobals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RosterRecord} of each proxy, in the system property
 * {@code plugin.clientproxy.roster.<subdomain>}: system properties outlive a reload and a
 * restart, and every member of a cluster reads the same. They are not configuration: a change
 * to them does not reload the proxies ({@link ProxySystemProperties#isProxyProperty}).
 */
final class RosterRecords {
    private static final Logger LOG = LoggerFactory.getLogger(RosterRecords.class);

    /** The parent of every record's property. */
    static final String PARENT = ProxySystemProperties.PREFIX + "roster";

    /** Where the records are kept: Openfire's system properties, or a map in tests. */
    interface Store {
        String get(String name);

        void set(String name, String value);

        void delete(String name);

        /** The full names of the properties directly under {@code parent}. */
        List<String> children(String parent);
    }

    /** Openfire's system properties ({@code getPropertyNames(String)} is the same in 4.2 and 5.x). */
    static final Store SYSTEM_PROPERTIES = new Store() {
        @Override
        public String get(String name) {
            return JiveGlobals.getProperty(name);
        }

        @Override
        public void set(String name, String value) {
            JiveGlobals.setProperty(name, value);
        }

        @Override
        public void delete(String name) {
            JiveGlobals.deleteProperty(name);
        }

        @Override
        public List<String> children(String parent) {
            return JiveGlobals.getPropertyNames(parent);
        }
    };

    private final Store store;

    RosterRecords(Store store) {
        this.store = store;
    }

    static String name(String subdomain) {
        return PARENT + "." + subdomain;
    }

    /** The record of this proxy, or {@code null}. */
    RosterRecord get(String subdomain) {
        String value = store.get(name(subdomain));
        RosterRecord record = RosterRecord.parse(value);
        if (value != null && record == null) {
            LOG.warn("Ignoring the unreadable roster record {}={}", name(subdomain), value);
        }
        return record;
    }

    void put(String subdomain, RosterRecord record) {
        store.set(name(subdomain), record.format());
    }

    void remove(String subdomain) {
        store.delete(name(subdomain));
    }

    /** The subdomains that have a record. */
    List<String> subdomains() {
        String prefix = PARENT + ".";
        return store.children(PARENT).stream()
                .filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .toList();
    }
}
