package org.clientproxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.clientproxy.testing.StubComponentManager;
import org.xmpp.packet.Packet;

/** An in-memory component manager for the server {@code example.org}: it records what the component sends. */
final class RecordingComponentManager extends StubComponentManager {
    static final String SERVER = "example.org";

    private final ConcurrentLinkedQueue<Packet> sent;

    RecordingComponentManager() {
        this(new ConcurrentLinkedQueue<>());
    }

    private RecordingComponentManager(ConcurrentLinkedQueue<Packet> sent) {
        super(SERVER, sent::add);
        this.sent = sent;
    }

    /** Everything sent since the last call, oldest first. */
    List<Packet> takeAll() {
        List<Packet> taken = new ArrayList<>();
        for (Packet packet; (packet = sent.poll()) != null; ) {
            taken.add(packet);
        }
        return taken;
    }

    /** The one stanza sent since the last call; fails when there was none or more than one. */
    <T extends Packet> T takeOnly(Class<T> type) {
        List<Packet> taken = takeAll();
        if (taken.size() != 1 || !type.isInstance(taken.get(0))) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", got " + taken);
        }
        return type.cast(taken.get(0));
    }

    List<Packet> takeMatching(Predicate<Packet> filter) {
        return takeAll().stream().filter(filter).toList();
    }
}
