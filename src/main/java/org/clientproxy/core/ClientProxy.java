package org.clientproxy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.component.ComponentManager;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.PacketError.Condition;
import org.xmpp.packet.Presence;

/**
 * One proxy: a Tinder component that gives an implementing client (an ordinary XMPP account,
 * possibly with several resources) a stable service address. Every IQ request to the service
 * goes to one online resource of the implementing client, from the translated address
 * {@code <service>/<requester>}; the reply to that address goes back to the requester from the
 * address the request was sent to. Every request gets exactly one answer: the reply, or an error
 * when no resource is online, the resource leaves, the timeout passes or a cap is reached.
 *
 * <p>{@link #processPacket} is called on the server's threads: it never blocks and holds no lock.
 * The host calls {@link #expireOverdue()} every {@link #SWEEP_INTERVAL}.
 */
public final class ClientProxy implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProxy.class);

    /** How often the host must call {@link #expireOverdue()}: the precision of timeouts. */
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

    private static final Duration LATENCY_PERIOD = Duration.ofMinutes(1);

    private final ProxyClock clock;
    private final ProxyCounters counters = new ProxyCounters();
    private final OutstandingRequests outstanding = new OutstandingRequests();
    private final LatencyHistogram latency;
    private volatile ProxySettings settings;
    private volatile OnlineResources resources;
    private volatile ServiceIdentity identity;
    private volatile ComponentManager componentManager;
    private volatile boolean running;
    private volatile RequestJournal journal = RequestJournal.NONE;

    public ClientProxy(ProxySettings settings) {
        this(settings, ProxyClock.SYSTEM);
    }

    public ClientProxy(ProxySettings settings, ProxyClock clock) {
        this.settings = settings;
        this.clock = clock;
        this.resources = new OnlineResources(settings.target());
        this.latency = new LatencyHistogram(LATENCY_PERIOD, clock.nanoTime());
    }

    public ProxySettings settings() {
        return settings;
    }

    // ---- Component lifecycle -------------------------------------------------------------

    @Override
    public String getName() {
        return "Client Proxy";
    }

    @Override
    public String getDescription() {
        return "Forwards IQ requests to an online resource of " + settings.target();
    }

    @Override
    public void initialize(JID address, ComponentManager manager) {
        this.identity = new ServiceIdentity(address, manager.getServerName(), getName());
        this.componentManager = manager;
    }

    /** Asks for the target's presence: the server replays nothing after a restart. */
    @Override
    public void start() {
        running = true;
        resubscribe();
    }

    /** Answers everything outstanding and tells the target the service is gone. */
    @Override
    public void shutdown() {
        running = false;
        OnlineResources target = resources;
        resources = new OnlineResources(target.target());
        failAll(Condition.service_unavailable, PacketError.Type.cancel, "The service is shutting down");
        if (identity != null) {
            send(presence(Presence.Type.unavailable, target.target()));
        }
    }

    /**
     * Asks for the target's presence (again): a subscription request, and a probe once the
     * subscription is granted. A target that already approved gets the server's automatic
     * {@code subscribed} (RFC 6121 3.1.3), which the proxy answers with the probe. Probing before
     * that is useless (no presence is shared yet) and harmful: Prosody answers such a probe with
     * {@code unsubscribed} on the target's behalf, which cancels the pending request.
     */
    public void resubscribe() {
        if (identity == null) {
            return; // not registered yet: start() will subscribe
        }
        OnlineResources target = resources;
        boolean granted = target.subscription() == SubscriptionState.GRANTED;
        if (!granted) {
            target.subscription(SubscriptionState.PENDING);
        }
        send(presence(Presence.Type.subscribe, target.target()));
        if (granted) {
            send(presence(Presence.Type.probe, target.target()));
        }
    }

    /**
     * Applies new settings for the same subdomain at once. A new target fails every outstanding
     * request with {@code wait/recipient-unavailable}. Then the proxy asks for the (new) target's
     * presence, as at start.
     */
    public void reconfigure(ProxySettings next) {
        ProxySettings previous;
        OnlineResources retired = null;
        synchronized (this) {
            previous = settings;
            if (!next.subdomain().equals(previous.subdomain())) {
                throw new IllegalArgumentException("A proxy keeps its subdomain: " + previous.subdomain()
                        + " cannot become " + next.subdomain());
            }
            settings = next;
            if (!next.target().equals(previous.target())) {
                retired = resources;
                resources = new OnlineResources(next.target());
            }
        }
        if (retired != null) {
            LOG.info("Proxy {} now forwards to {} instead of {}", next.subdomain(), next.target(), previous.target());
            failAll(Condition.recipient_unavailable, PacketError.Type.wait, "The service moved to another address");
            if (identity != null) {
                send(presence(Presence.Type.unsubscribe, retired.target()));
                send(presence(Presence.Type.unavailable, retired.target()));
            }
        }
        // Every reconfiguration asks again, so that an operator's change also recovers a
        // subscription the target refused or revoked since.
        if (running) {
            resubscribe();
        }
    }

    /**
     * Tells {@code journal} of every request forwarded and settled from now on (in a cluster, so
     * that another member can {@link #adopt} them if this one goes away).
     */
    public void setJournal(RequestJournal journal) {
        this.journal = journal;
    }

    /**
     * Takes over a request that another instance forwarded and did not settle: its reply, from
     * {@code resource} only, is relayed as if this instance had forwarded it; without one it times
     * out after {@code remaining}. Counted in no cap (it was admitted once).
     *
     * @return whether it was taken (not when the requester already waits here on that id)
     */
    public boolean adopt(String requester, String id, JID service, JID resource, Duration remaining) {
        long now = clock.nanoTime();
        PendingRequest pending = new PendingRequest(requester, id, service, null,
                new OnlineResources.Resource(resource, Instant.now()), now, now + remaining.toNanos());
        return outstanding.add(pending, Integer.MAX_VALUE, Integer.MAX_VALUE) == OutstandingRequests.Admission.ADMITTED;
    }

    /** Removes a request to answer it; whoever removes it first owns its answer. */
    private boolean settle(PendingRequest pending) {
        if (!outstanding.complete(pending)) {
            return false;
        }
        journal.settled(pending.requester, pending.id);
        return true;
    }

    /** Answers every request whose timeout has passed with {@code wait/remote-server-timeout}. */
    public void expireOverdue() {
        long now = clock.nanoTime();
        for (PendingRequest pending : outstanding.all()) {
            if (now - pending.deadlineNanos >= 0 && settle(pending)) {
                counters.timeouts.increment();
                answerWithError(pending, Condition.remote_server_timeout, PacketError.Type.wait,
                        "The service did not answer in time");
            }
        }
        latency.rotateIfDue(now);
    }

    public ProxyStatus status() {
        OnlineResources target = resources;
        List<ProxyStatus.Resource> online = target.snapshot().stream()
                .map(resource -> new ProxyStatus.Resource(resource.address, resource.onlineSince,
                        resource.outstanding.get()))
                .toList();
        return new ProxyStatus(settings, target.subscription(), online, counters.snapshot(),
                outstanding.size(), latency.summary());
    }

    public void resetCounters() {
        counters.reset();
        latency.reset(clock.nanoTime());
    }

    // ---- Stanzas -------------------------------------------------------------------------

    @Override
    public void processPacket(Packet packet) {
        String from = packet.getElement().attributeValue("from");
        if (from == null) {
            LOG.debug("Ignoring a stanza without a sender: {}", packet);
            return;
        }
        try {
            if (packet instanceof IQ iq) {
                processIq(iq, from);
            } else if (packet instanceof Presence presence) {
                processPresence(presence, from);
            } else if (packet instanceof Message message && message.getType() != Message.Type.error) {
                answerWithError(message, Condition.feature_not_implemented, PacketError.Type.cancel,
                        "This service answers IQ requests only");
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not process a stanza from {}", from, e);
        }
    }

    private void processIq(IQ iq, String from) {
        IQ.Type type = iq.getType();
        if (type == IQ.Type.result || type == IQ.Type.error) {
            relayReply(iq, type, from);
        } else if (resources.isTarget(from)) {
            // The proxy carries requests to the implementing client, never from it: no loops.
            answerWithError(iq, Condition.feature_not_implemented, PacketError.Type.cancel,
                    "The implementing client cannot send requests through its own proxy");
        } else if (identity.isServerQuery(iq, from)) {
            send(identity.answer(iq));
        } else {
            forward(iq, type, from);
        }
    }

    private void forward(IQ request, IQ.Type type, String from) {
        ProxySettings current = settings;
        OnlineResources target = resources;
        String id = request.getID();
        if (id == null) {
            answerWithError(request, Condition.bad_request, PacketError.Type.modify, "An IQ request needs an id");
            return;
        }
        OnlineResources.Resource resource = running ? target.choose(current.strategy()) : null;
        if (resource == null) {
            counters.noResource.increment();
            answerWithError(request, Condition.service_unavailable, PacketError.Type.cancel,
                    "No resource of the service is online");
            return;
        }
        JID translated = identity.translation.encode(from);
        if (translated == null) {
            answerWithError(request, Condition.jid_malformed, PacketError.Type.modify,
                    "Your address cannot be carried in a resource of the service's address");
            return;
        }
        // Filed under the requester as the reply will name it: the resource of the translated
        // address, in canonical form even when a remote server wrote 'from' otherwise.
        String requester = translated.getResource();
        IQ forwarded = request.createCopy();
        forwarded.setFrom(translated);
        forwarded.setTo(resource.address);
        long now = clock.nanoTime();
        // Usually the request went to the service's own address: share that rather than keep a JID per request.
        JID serviceAddress = identity.addressString.equals(request.getElement().attributeValue("to"))
                ? identity.address : request.getTo();
        PendingRequest pending = new PendingRequest(requester, id, serviceAddress,
                type == IQ.Type.get ? PendingRequest.forRetry(request) : null, resource, now,
                now + current.timeout().toNanos());
        switch (outstanding.add(pending, current.maxPerRequester(), current.maxOutstanding())) {
            case ADMITTED -> {
                counters.forwarded.increment();
                journal.forwarded(requester, id, serviceAddress, resource.address, current.timeout());
                send(forwarded);
                // The resource may have left while this request was on its way to it.
                if (target != resources || !target.isOnline(resource)) {
                    resolveLost(pending);
                }
            }
            case REQUESTER_CAP, PROXY_CAP -> {
                counters.rejectedByCaps.increment();
                answerWithError(request, Condition.resource_constraint, PacketError.Type.wait,
                        "Too many requests are outstanding; try again later");
            }
            case DUPLICATE_ID -> answerWithError(request, Condition.conflict, PacketError.Type.cancel,
                    "A request of yours with this id is still outstanding");
        }
    }

    private void relayReply(IQ reply, IQ.Type type, String from) {
        // From the attribute: reply.getTo() would rebuild the cached JID's string to compare it with.
        String requester = AddressTranslation.requesterOf(reply.getElement().attributeValue("to"));
        String id = reply.getID();
        PendingRequest pending = requester == null || id == null ? null : outstanding.get(requester, id);
        // Only the resource that was asked may answer, and only once.
        if (pending == null || !pending.resource.addressString.equals(from) || !settle(pending)) {
            counters.droppedReplies.increment();
            LOG.debug("Dropped a reply that answers no outstanding request: {}", reply);
            return;
        }
        latency.record(clock.nanoTime() - pending.startNanos);
        IQ relayed = reply.createCopy();
        relayed.setFrom(pending.serviceAddress);
        relayed.setTo(pending.requesterAddress());
        (type == IQ.Type.result ? counters.resultsRelayed : counters.errorsRelayed).increment();
        send(relayed);
    }

    private void processPresence(Presence presence, String from) {
        OnlineResources target = resources;
        if (!target.isTarget(from)) {
            return;
        }
        Presence.Type type = presence.getType();
        JID sender = presence.getFrom();
        if (type == null) {
            if (sender.getResource() != null && target.add(sender, clock.now())) {
                LOG.debug("{} is online", sender);
            }
            target.subscription(SubscriptionState.GRANTED);
            return;
        }
        switch (type) {
            case unavailable -> {
                if (sender.getResource() == null) {
                    resourcesGone(target, target.clear());
                } else {
                    OnlineResources.Resource gone = target.remove(sender.toString());
                    if (gone != null) {
                        resourcesGone(target, List.of(gone));
                    }
                }
            }
            case subscribed -> {
                target.subscription(SubscriptionState.GRANTED);
                send(presence(Presence.Type.probe, target.target()));
            }
            case unsubscribed -> {
                LOG.info("{} refused or revoked the subscription to its presence", target.target());
                target.subscription(SubscriptionState.REVOKED);
                resourcesGone(target, target.clear());
            }
            // Approve the target's subscription requests, so its roster does not stay pending.
            case subscribe -> send(presence(Presence.Type.subscribed, target.target()));
            case unsubscribe -> send(presence(Presence.Type.unsubscribed, target.target()));
            case probe -> send(presence(null, sender));
            case error -> LOG.debug("Presence error from the target: {}", presence);
            default -> { }
        }
    }

    // ---- Losing resources ----------------------------------------------------------------

    private void resourcesGone(OnlineResources target, List<OnlineResources.Resource> gone) {
        if (gone.isEmpty()) {
            return;
        }
        LOG.debug("Gone offline: {}", gone.stream().map(resource -> resource.addressString).toList());
        for (PendingRequest pending : outstanding.all()) {
            if (gone.contains(pending.resource)) {
                resolveLost(pending);
            }
        }
    }

    /** A {@code get} is re-sent once to another online resource; anything else gets an error. */
    private void resolveLost(PendingRequest pending) {
        OnlineResources target = resources;
        // A request of a previous target is not carried over to the new one: it gets its error.
        if (pending.canRetry() && target.isTarget(pending.resource.addressString)) {
            OnlineResources.Resource next = target.choose(settings.strategy());
            if (next != null) {
                PendingRequest retried = pending.retriedOn(next);
                if (outstanding.replace(pending, retried)) {
                    counters.retried.increment();
                    journal.forwarded(pending.requester, pending.id, pending.serviceAddress, next.address,
                            Duration.ofNanos(Math.max(0, pending.deadlineNanos - clock.nanoTime())));
                    send(pending.retryCopy(identity.translation.encode(pending.requester), next.address));
                    if (target != resources || !target.isOnline(next)) {
                        resolveLost(retried);
                    }
                }
                return;
            }
        }
        if (settle(pending)) {
            counters.resourceLost.increment();
            answerWithError(pending, Condition.recipient_unavailable, PacketError.Type.wait,
                    "The resource handling this request went offline");
        }
    }

    /** Counted as resource-lost: the resource each request went to is no longer this proxy's to use. */
    private void failAll(Condition condition, PacketError.Type type, String text) {
        for (PendingRequest pending : outstanding.all()) {
            if (settle(pending)) {
                counters.resourceLost.increment();
                answerWithError(pending, condition, type, text);
            }
        }
    }

    // ---- Sending -------------------------------------------------------------------------

    private void answerWithError(PendingRequest pending, Condition condition, PacketError.Type type, String text) {
        IQ error = new IQ(IQ.Type.error, pending.id);
        error.setFrom(pending.serviceAddress);
        error.setTo(pending.requesterAddress());
        error.setError(new PacketError(condition, type, text));
        send(error);
    }

    /** Answers a request (never an error: errors are not answered) from the address it was sent to. */
    private void answerWithError(Packet request, Condition condition, PacketError.Type type, String text) {
        Packet error = request instanceof IQ iq ? new IQ(IQ.Type.error, iq.getID()) : new Message();
        if (error instanceof Message message) {
            message.setType(Message.Type.error);
            message.setID(request.getID());
        }
        error.setFrom(request.getTo());
        error.setTo(request.getFrom());
        error.setError(new PacketError(condition, type, text));
        send(error);
    }

    private Presence presence(Presence.Type type, JID to) {
        Presence presence = new Presence(type);
        presence.setFrom(identity.address);
        presence.setTo(to);
        return presence;
    }

    private void send(Packet packet) {
        ComponentManager manager = componentManager;
        if (manager == null) {
            LOG.debug("Not initialized; cannot send {}", packet);
            return;
        }
        try {
            manager.sendPacket(this, packet);
        } catch (ComponentException | RuntimeException e) {
            LOG.warn("Could not send a stanza to {}", packet.getTo(), e);
        }
    }
}
