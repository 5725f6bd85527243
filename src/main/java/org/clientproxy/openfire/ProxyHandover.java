package org.clientproxy.openfire;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.clientproxy.core.ClientProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;

/**
 * What an unloading instance of the plugin leaves for the instance that loads next (a new version
 * uploaded, a reload): for each running proxy, the requests it had outstanding, the resources it
 * knew online, and the {@link AddressHolder} that holds its address meanwhile.
 *
 * <p>Each instance has its own class loader, so only JDK and Tinder types cross: one entry of the
 * JVM's system properties ({@link System#getProperties()}, a {@code Hashtable} of objects), under
 * {@link #KEY}, holds a map from subdomain to parcel, each parcel a map of JDK and Tinder values
 * (the requests as {@link RequestRecord#encode} fields). The value is
 * not a string, so {@code System.getProperty} and every listing of the properties as strings
 * (JMX, {@code jcmd VM.system_properties}) skip it. Openfire's caches were the other candidate,
 * but a local cache sizes its values by serializing them, and an operator may clear it. The entry
 * is there only between an unload and the next load, at most {@link AddressHolder#PATIENCE}.
 *
 * <p>A parcel is taken once: by the next instance ({@link #claim}), or by its holder when nobody
 * did in time; removing it from the map, under the store's lock, decides which.
 */
final class ProxyHandover {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandover.class);
    /** The key in the system properties; the version changes whenever the parcels' shape does. */
    static final String KEY = "org.clientproxy.handover.v1";
    private static final String REQUESTS = "requests";
    private static final String ONLINE = "online";
    private static final String TAKE_OVER = "takeOver";
    private static final String RELEASE = "release";

    /** The system properties, or a test's; every change is made under its lock, and never any work. */
    private final Hashtable<Object, Object> store;

    ProxyHandover(Hashtable<Object, Object> store) {
        this.store = store;
    }

    /**
     * Leaves a proxy for the next instance: its holder (registered at its address, the proxy gone
     * from there), its outstanding requests and the resources it knew online (full JID to the
     * time it came online). Starts the holder's wait.
     */
    void leave(String subdomain, AddressHolder holder, List<RequestRecord> requests, Map<JID, Instant> online) {
        Map<String, Instant> resources = new LinkedHashMap<>();
        online.forEach((address, since) -> resources.put(address.toString(), since));
        Consumer<Consumer<? super Packet>> takeOver = holder::takeOver;
        Runnable release = holder::release;
        Map<String, Object> parcel = Map.of(REQUESTS, RequestRecord.encode(requests),
                ONLINE, Collections.unmodifiableMap(resources), TAKE_OVER, takeOver, RELEASE, release);
        synchronized (store) {
            Map<String, Map<String, Object>> parcels = parcels();
            if (parcels == null) {
                parcels = new HashMap<>();
                store.put(KEY, parcels);
            }
            parcels.put(subdomain, parcel);
        }
        holder.hold(requests, () -> withdraw(subdomain, parcel));
    }

    /**
     * Takes what the instance before left for {@code subdomain}, if it left something and its
     * holder still waits; the caller then {@link Parcel#takeOver takes over} or {@link Parcel#release releases} it.
     */
    Optional<Parcel> claim(String subdomain) {
        Map<String, Object> parcel;
        synchronized (store) {
            Map<String, Map<String, Object>> parcels = parcels();
            parcel = parcels == null ? null : parcels.remove(subdomain);
            forgetIfEmpty(parcels);
        }
        return Optional.ofNullable(parcel).map(Parcel::new);
    }

    /**
     * Releases every parcel not claimed: those proxies do not run in this instance, so each holder
     * answers everything at once and leaves the address.
     *
     * @return the subdomains released
     */
    List<String> releaseUnclaimed() {
        Map<String, Map<String, Object>> unclaimed;
        synchronized (store) {
            Map<String, Map<String, Object>> parcels = parcels();
            unclaimed = parcels == null ? Map.of() : new HashMap<>(parcels);
            store.remove(KEY);
        }
        unclaimed.values().forEach(parcel -> new Parcel(parcel).release());
        return List.copyOf(unclaimed.keySet());
    }

    /**
     * The holder's side of a claim: whether it takes its parcel back before the next instance
     * did. Runs after the plugin's class loader closed: no lambda, nothing not loaded yet.
     */
    private boolean withdraw(String subdomain, Map<String, Object> parcel) {
        synchronized (store) {
            Map<String, Map<String, Object>> parcels = parcels();
            boolean withdrawn = parcels != null && parcels.remove(subdomain, parcel);
            forgetIfEmpty(parcels);
            return withdrawn;
        }
    }

    /** Under the store's lock. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> parcels() {
        Object parcels = store.get(KEY);
        return parcels instanceof Map<?, ?> map ? (Map<String, Map<String, Object>>) map : null;
    }

    /** Under the store's lock. */
    private void forgetIfEmpty(Map<String, Map<String, Object>> parcels) {
        if (parcels != null && parcels.isEmpty()) {
            store.remove(KEY);
        }
    }

    /** One proxy as the instance before left it. */
    static final class Parcel {
        private final Map<String, Object> values;

        private Parcel(Map<String, Object> values) {
            this.values = values;
        }

        /**
         * Gives {@code proxy}, before it is registered, the resources and requests the instance
         * before knew (see {@link ClientProxy#adoptOnline}, {@link RequestRecord#adoptInto}).
         *
         * @return how many requests it took
         */
        @SuppressWarnings("unchecked")
        int adoptInto(ClientProxy proxy, String subdomain, long nowMillis) {
            Map<JID, Instant> online = new LinkedHashMap<>();
            ((Map<String, Instant>) values.get(ONLINE)).forEach((address, since) -> online.put(new JID(address), since));
            proxy.adoptOnline(online);
            int adopted = 0;
            try {
                for (RequestRecord request : RequestRecord.decode((String[]) values.get(REQUESTS))) {
                    if (request.adoptInto(proxy, nowMillis)) {
                        adopted++;
                    }
                }
            } catch (IllegalArgumentException e) {
                // Another version's shape: its holder answers nothing once taken over, so nobody will.
                LOG.warn("Skipped the outstanding requests of {} that the instance before left, which cannot be read"
                        + " ({})", subdomain, e.getMessage());
            }
            return adopted;
        }

        /** The next instance's proxy is registered: the holder hands it what it queued and leaves the address. */
        @SuppressWarnings("unchecked")
        void takeOver(Consumer<? super Packet> next) {
            ((Consumer<Consumer<? super Packet>>) values.get(TAKE_OVER)).accept(next);
        }

        /** The next instance does not run the proxy: the holder answers everything and leaves the address. */
        void release() {
            ((Runnable) values.get(RELEASE)).run();
        }
    }
}
