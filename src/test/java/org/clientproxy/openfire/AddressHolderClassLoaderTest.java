package org.clientproxy.openfire;

import static org.clientproxy.openfire.AddressHolderTest.IMPL;
import static org.clientproxy.openfire.AddressHolderTest.SERVICE;
import static org.clientproxy.openfire.AddressHolderTest.USER;
import static org.clientproxy.openfire.AddressHolderTest.reply;
import static org.clientproxy.openfire.AddressHolderTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.clientproxy.testing.LogCapture;
import org.clientproxy.testing.StubComponentManager;
import org.junit.jupiter.api.Test;
import org.xmpp.component.Component;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * The holder is made by one instance of the plugin and used by the next, each with its own class
 * loader, and Openfire closes the first loader right after the unload: here the unloading
 * instance runs in a loader of its own (like Openfire's {@code PluginClassLoader}), which is
 * closed before anything else happens, and this test's classes play the next instance.
 */
class AddressHolderClassLoaderTest {
    private final Hashtable<Object, Object> store = new Hashtable<>();
    private final ConcurrentLinkedQueue<Packet> sent = new ConcurrentLinkedQueue<>();
    private final List<String> left = new CopyOnWriteArrayList<>();

    @Test
    void theNextInstanceTakesOverAfterTheOldLoaderClosedAndTheOldClassesCanThenGo() throws Exception {
        WeakReference<ClassLoader> oldLoader = unloadInOwnLoader(Duration.ofMinutes(1));
        Component holder = holderAtTheAddress();
        holder.processPacket(request("waiting"));
        holder.processPacket(reply("held"));

        List<Packet> next = new CopyOnWriteArrayList<>();
        ProxyHandover.Parcel parcel = new ProxyHandover(store).claim("svc").orElseThrow();
        parcel.takeOver(next::add);
        holder.processPacket(request("late"));
        assertEquals(List.of("waiting", "held", "late"), next.stream().map(Packet::getID).toList());
        assertEquals(List.of("svc"), left);
        assertEquals(List.of(), List.copyOf(sent));

        holder = null;
        parcel = null;
        assertCollected(oldLoader);
    }

    @Test
    void theHolderAnswersEverythingAfterTheOldLoaderClosedWhenNobodyTakesOver() throws Exception {
        WeakReference<ClassLoader> oldLoader;
        try (LogCapture log = LogCapture.start()) {
            oldLoader = unloadInOwnLoader(Duration.ofMillis(300));
            holderAtTheAddress().processPacket(request("waiting"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(log.text().contains("No instance of the plugin took over client proxy svc"), log.text());
        }
        assertEquals(List.of("svc"), left);
        List<IQ> errors = sent.stream().map(IQ.class::cast).toList();
        assertEquals(List.of("held", "waiting"), errors.stream().map(IQ::getID).sorted().toList());
        errors.forEach(error -> assertEquals(PacketError.Condition.service_unavailable, error.getError().getCondition()));
        assertCollected(oldLoader);
    }

    /**
     * What the unloading instance does, in a class loader of its own that is closed at the end:
     * registers a holder at {@code svc} and leaves it one outstanding request.
     */
    private WeakReference<ClassLoader> unloadInOwnLoader(Duration patience) throws Exception {
        URL classes = AddressHolder.class.getProtectionDomain().getCodeSource().getLocation();
        try (PluginLoader loader = new PluginLoader(classes)) {
            Class<?> holderClass = loader.loadClass(AddressHolder.class.getName());
            assertFalse(holderClass == AddressHolder.class, "the old instance's own class");
            BiConsumer<String, Component> leave = (subdomain, component) -> left.add(subdomain);
            Component holder = (Component) constructor(holderClass, String.class, int.class, Duration.class,
                    BiConsumer.class).newInstance("svc", 100, patience, leave);
            holder.initialize(SERVICE, new StubComponentManager("example.org", sent::add));
            holders.put("svc", holder);
            Object request = constructor(loader.loadClass(RequestRecord.class.getName()), String.class, String.class,
                    JID.class, JID.class, long.class).newInstance(USER.toString(), "held", SERVICE, IMPL,
                    System.currentTimeMillis() + 30_000);
            Object handover = constructor(loader.loadClass(ProxyHandover.class.getName()), Hashtable.class)
                    .newInstance(store);
            var leaveMethod = handover.getClass().getDeclaredMethod("leave", String.class, holderClass, List.class,
                    Map.class);
            leaveMethod.setAccessible(true);
            leaveMethod.invoke(handover, "svc", holder, List.of(request), Map.of(IMPL, Instant.EPOCH));
            return new WeakReference<>(loader);
        }
    }

    /** The holder as Openfire's routing holds it: a Tinder component (this test keeps it here until it lets go). */
    private final Map<String, Component> holders = new java.util.concurrent.ConcurrentHashMap<>();

    private Component holderAtTheAddress() {
        return holders.remove("svc");
    }

    private static java.lang.reflect.Constructor<?> constructor(Class<?> type, Class<?>... parameters)
            throws NoSuchMethodException {
        java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.setAccessible(true);
        return constructor;
    }

    private static void assertCollected(WeakReference<ClassLoader> loader) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(loader.get(), "something still refers to the old instance's classes");
    }

    /**
     * Like Openfire's {@code PluginClassLoader}: the plugin's classes come from it, everything
     * else (the JDK, Tinder, SLF4J) from the parent; once closed it loads nothing more.
     */
    private static final class PluginLoader extends URLClassLoader {
        PluginLoader(URL classes) {
            super(new URL[] {classes}, AddressHolderClassLoaderTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.clientproxy.openfire.") && !name.startsWith("org.clientproxy.core.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
