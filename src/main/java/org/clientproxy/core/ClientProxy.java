package org.clientproxy.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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
 * <p>A resource that holds requests and sends nothing for half of
 * {@link ProxySettings#unresponsiveAfter()} gets an XEP-0199 ping from the service's address; if
 * nothing comes from it for the other half either, it is marked unresponsive: it is not chosen
 * while another resource is responsive, and its gets are re-sent once to a responsive one (its
 * sets wait: they are not idempotent). Any stanza from it makes it responsive again. A resource
 * that answers anything in time is never pinged, so a busy healthy service sees no pings.
 *
 * <p>{@link #processPacket} is called on the server's threads: it never blocks and holds no lock.
 * The host calls {@link #expireOverdue()} every {@link #SWEEP_INTERVAL}.
 */
public final class ClientProxy implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProxy.class);

    /** How often the host must call {@link #expireOverdue()}: the precision of timeouts. */
    public static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

    private static final String PING_NAMESPACE = "urn:xmpp:ping";
    /** The ids of the proxy's own pings to resources (the external component pings the server as clientproxy-ping-N). */
    private static final String PING_ID_PREFIX = "clientproxy-resource-ping-";
    /** How long a resource that went offline is not taken for online from the host's list of sessions. */
    private static final Duration DEPARTURE_MEMORY = Duration.ofSeconds(30);

    private final AtomicLong pings = new AtomicLong();
    private final ProxyClock clock;
    private final ProxyCounters counters = new ProxyCounters();
    private final OutstandingRequests outstanding = new OutstandingRequests();
    private final DepartedRequests departed = new DepartedRequests();
    private final RecentMinutes minutes;
    private final GroupMembership groups;
    private final RosterHost rosterHost;
    /** Resources that went offline lately (full JID to {@link ProxyClock#nanoTime()}); see {@link #rosterGranted}. */
    private final Map<String, Long> wentOffline = new ConcurrentHashMap<>();
    private volatile ProxySettings settings;
    /** Whether the host writes the current target's roster; written before {@link #resources}, read after it. */
    private volatile boolean viaRoster;
    private volatile OnlineResources resources;
    private volatile ServiceIdentity identity;
    private volatile ComponentManager componentManager;
    private volatile boolean running;
    /** Shut down since the last start: a second shutdown does nothing. */
    private final AtomicBoolean shutDown = new AtomicBoolean();
    /** When the counters started counting: the proxy's creation or their last reset. */
    private volatile Instant countingSince;
    private volatile RequestJournal journal = RequestJournal.NONE;
    /** Set once this instance hands its address over to another one ({@link #handOver}): every stanza goes there. */
    private volatile Consumer<? super Packet> successor;
    /** The stanzas that entered and left {@link #processPacket}, so that a hand-over can wait for those under way. */
    private final LongAdder entered = new LongAdder();
    private final LongAdder left = new LongAdder();

    public ClientProxy(ProxySettings settings) {
        this(settings, ProxyClock.SYSTEM);
    }

    public ClientProxy(ProxySettings settings, ProxyClock clock) {
        this(settings, clock, RosterHost.NONE, GroupMembership.NONE);
    }

    /**
     * @param rosterHost the host's way to share a target's presence through its roster, if it keeps the target's
     * @param groups     the users of the groups the settings' {@link AccessRule} may list, as the host keeps them
     */
    public ClientProxy(ProxySettings settings, ProxyClock clock, RosterHost rosterHost, GroupMembership groups) {
        this.settings = settings;
        this.clock = clock;
        this.rosterHost = rosterHost;
        this.groups = groups;
        this.viaRoster = rosterHost.writesRosterOf(settings.target());
        this.resources = new OnlineResources(settings.target());
        this.minutes = new RecentMinutes(clock, counters);
        this.countingSince = clock.now();
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

    /**
     * Asks for the target's presence: the server replays nothing after a restart. A target whose
     * roster the host writes is not asked: the host reports what it wrote ({@link #rosterGranted}).
     */
    @Override
    public void start() {
        shutDown.set(false);
        running = true;
        if (!viaRoster) {
            resubscribe();
        }
    }

    /**
     * Answers everything outstanding and tells the target the service is gone. Once: the host may
     * call it after the server did (Openfire does not always, see the Openfire adapter).
     */
    @Override
    public void shutdown() {
        if (!shutDown.compareAndSet(false, true)) {
            return;
        }
        running = false;
        OnlineResources target = resources;
        resources = new OnlineResources(target.target());
        failAll(Condition.service_unavailable, PacketError.Type.cancel, "The service is shutting down");
        if (identity != null) {
            send(presence(Presence.Type.unavailable, target.target()));
        }
    }

    /**
     * Asks for the target's presence (again; the operator's "re-send"). A target whose roster the
     * host writes gets nothing: the host writes the roster item again ({@link RosterHost#renew}).
     * Any other target gets a subscription request, and a probe once the subscription is granted.
     * A target that already approved gets the server's automatic
     * {@code subscribed} (RFC 6121 3.1.3), which the proxy answers with the probe. Probing before
     * that is useless (no presence is shared yet) and harmful: Prosody answers such a probe with
     * {@code unsubscribed} on the target's behalf, which cancels the pending request.
     */
    public void resubscribe() {
        if (viaRoster) {
            rosterHost.renew(this);
            return;
        }
        if (identity == null) {
            return; // not registered yet: start() will subscribe
        }
        OnlineResources target = resources;
        boolean granted = target.subscription() == SubscriptionState.GRANTED;
        if (!granted) {
            target.subscription(SubscriptionState.PENDING, clock.now());
        }
        send(presence(Presence.Type.subscribe, target.target()));
        if (granted) {
            send(presence(Presence.Type.probe, target.target()));
        }
    }

    /**
     * Applies new settings for the same subdomain at once. A new target fails every outstanding
     * request with {@code wait/recipient-unavailable}. Then the proxy asks for the (new) target's
     * presence, as at start; when the host writes the target's roster, the host does that.
     */
    public void reconfigure(ProxySettings next) {
        ProxySettings previous;
        OnlineResources retired = null;
        boolean retiredViaRoster;
        synchronized (this) {
            previous = settings;
            retiredViaRoster = viaRoster;
            if (!next.subdomain().equals(previous.subdomain())) {
                throw new IllegalArgumentException("A proxy keeps its subdomain: " + previous.subdomain()
                        + " cannot become " + next.subdomain());
            }
            settings = next;
            if (!next.target().equals(previous.target())) {
                retired = resources;
                viaRoster = rosterHost.writesRosterOf(next.target());
                resources = new OnlineResources(next.target());
            }
        }
        if (retired != null) {
            LOG.info("Proxy {} now forwards to {} instead of {}", next.subdomain(), next.target(), previous.target());
            failAll(Condition.recipient_unavailable, PacketError.Type.wait, "The service moved to another address");
            if (identity != null) {
                // A roster the host wrote is the host's to take back: an unsubscribe would also
                // cancel an item the account had made itself.
                if (!retiredViaRoster) {
                    send(presence(Presence.Type.unsubscribe, retired.target()));
                }
                send(presence(Presence.Type.unavailable, retired.target()));
            }
        }
        // Every reconfiguration asks again, so that an operator's change also recovers a
        // subscription the target refused or revoked since (the host writes its roster again).
        if (running && !viaRoster) {
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
     * out after {@code remaining}, and it gets {@code wait/recipient-unavailable} if the resource
     * leaves (its payload is not kept, so it cannot be re-sent). Counted in no cap (it was admitted once).
     *
     * @return whether it was taken (not when the requester already waits here on that id)
     */
    public boolean adopt(String requester, String id, JID service, JID resource, Duration remaining) {
        long now = clock.nanoTime();
        // The resource as this instance knows it, if online, so that the request counts with it.
        OnlineResources.Resource known = resources.find(resource.toString());
        PendingRequest pending = new PendingRequest(requester, id, service, null,
                known != null ? known : new OnlineResources.Resource(resource, clock.now()), now, now + remaining.toNanos());
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

    /**
     * Answers every request whose timeout has passed with {@code wait/remote-server-timeout},
     * pings the resources that hold requests and stay silent, marks those that do not answer
     * unresponsive, and re-sends the gets they hold to a responsive resource.
     */
    public void expireOverdue() {
        if (successor != null) {
            return; // handed over: the next instance times them out
        }
        long now = clock.nanoTime();
        OnlineResources target = resources;
        Collection<PendingRequest> all = outstanding.all();
        // Per resource holding requests: when the earliest of them was sent to it.
        Map<OnlineResources.Resource, long[]> busySince = new IdentityHashMap<>();
        for (PendingRequest pending : all) {
            if (now - pending.deadlineNanos >= 0) {
                if (settle(pending)) {
                    counters.timeouts.increment();
                    answerWithError(pending, Condition.remote_server_timeout, PacketError.Type.wait,
                            "The service did not answer in time");
                }
                continue;
            }
            long sent = pending.sentNanos();
            long[] since = busySince.computeIfAbsent(pending.resource, resource -> new long[] {sent});
            if (sent - since[0] < 0) {
                since[0] = sent;
            }
        }
        if (checkResponsiveness(target, busySince, now) && target.anyResponsive()) {
            for (PendingRequest pending : all) {
                if (pending.resource.unresponsiveSince != null && pending.canRetry()) {
                    OnlineResources.Resource next = target.chooseResponsive(settings.strategy(), pending.requester);
                    if (next != null) {
                        resendTo(target, pending, pending.retriedBeside(next, now), counters.retriedUnresponsive);
                    }
                }
            }
        }
        departed.expire(now);
        minutes.rotateIfDue(now);
    }

    /**
     * Pings each resource that holds requests and has sent nothing for half the threshold, and
     * marks it unresponsive when nothing came for the other half. An unresponsive resource is
     * pinged again every threshold, so that one that came back silently is noticed. Returns
     * whether any resource is unresponsive.
     */
    private boolean checkResponsiveness(OnlineResources target, Map<OnlineResources.Resource, long[]> busySince,
                                        long now) {
        long half = settings.unresponsiveAfter().toNanos() / 2;
        boolean anyUnresponsive = false;
        for (OnlineResources.Resource resource : target.snapshot()) {
            long heard = resource.heardNanos;
            if (resource.pinging && heard - resource.pingNanos >= 0) {
                resource.pinging = false; // heard from since the ping
            }
            if (resource.unresponsiveSince != null) {
                anyUnresponsive = true;
                if (now - resource.pingNanos >= 2 * half) {
                    ping(resource, now);
                }
                continue;
            }
            long[] busy = busySince.get(resource);
            if (busy == null) {
                resource.pinging = false; // holds nothing: nothing to suspect
            } else if (!resource.pinging) {
                long silentSince = heard - busy[0] > 0 ? heard : busy[0];
                if (now - silentSince >= half) {
                    ping(resource, now);
                }
            } else if (now - resource.pingNanos >= half
                    && target.markUnresponsive(resource, clock.now(), heard)) {
                anyUnresponsive = true;
                counters.markedUnresponsive.increment();
                LOG.info("{} holds {} requests and did not answer a ping: unresponsive", resource.address,
                        resource.outstanding.get());
            }
        }
        return anyUnresponsive;
    }

    /** An XEP-0199 ping from the service's address; its answer is never relayed (see {@link #relayReply}). */
    private void ping(OnlineResources.Resource resource, long now) {
        resource.pingNanos = now;
        resource.pinging = true;
        IQ ping = new IQ(IQ.Type.get, PING_ID_PREFIX + pings.incrementAndGet());
        ping.setFrom(identity.address);
        ping.setTo(resource.address);
        ping.setChildElement("ping", PING_NAMESPACE);
        send(ping);
    }

    public ProxySnapshot status() {
        OnlineResources target = resources;
        List<ProxySnapshot.Resource> online = target.snapshot().stream()
                .map(resource -> new ProxySnapshot.Resource(resource.address, resource.onlineSince,
                        resource.outstanding.get(), resource.unresponsiveSince))
                .toList();
        OnlineResources.Subscription subscription = target.subscriptionStatus();
        return new ProxySnapshot(settings, subscription.state(), subscription.since(), online, counters.snapshot(),
                outstanding.size(), minutes.window(), minutes.lastHour());
    }

    /** Sets the counters back to zero; the latency and the last hour, which count by time, keep theirs. */
    public void resetCounters() {
        minutes.resetCounters();
        countingSince = clock.now();
    }

    /** Since when {@link ProxySnapshot#counters()} count: the proxy's creation or the last {@link #resetCounters()}. */
    public Instant countingSince() {
        return countingSince;
    }

    // ---- Handing over to the next instance (a plugin upgrade) -----------------------------

    /**
     * A request this instance forwarded and did not answer, as the next instance {@link #adopt}s it.
     *
     * @param requester the requester's full JID, canonical, as the translated address carries it
     * @param service   the address the request was sent to, where its answer must come from
     * @param resource  the target's resource it went to, the only one that may answer it
     * @param remaining how long it had left until its timeout when it was handed over
     */
    public record Outstanding(String requester, String id, JID service, JID resource, Duration remaining) {
    }

    /**
     * Hands this proxy's work to another instance of it (the plugin is being replaced): every
     * stanza from now on goes to {@code next} instead of being processed here, and the stanzas
     * already being processed are finished first, waiting at most {@code patience} for them.
     * This instance then answers nothing any more, not even its timeouts: {@link #takeOutstanding()}
     * and {@link #status()} give what the next instance takes over. Call it once the host routes
     * the address elsewhere; stanzas that still reach this instance go to {@code next} too.
     *
     * @return whether every stanza under way finished within {@code patience}
     */
    public boolean handOver(Consumer<? super Packet> next, Duration patience) {
        successor = next;
        // A stanza that entered before this write may not have seen it: wait until every one that
        // entered has left. Read left first: both only grow, so equal sums mean none was inside.
        long deadline = System.nanoTime() + patience.toNanos();
        while (left.sum() != entered.sum()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return true;
    }

    /**
     * After {@link #handOver}: removes every outstanding request and returns it for the next
     * instance. Its journal is not told (in a cluster the request stays shared until the next
     * instance answers it), and a request whose requester left is forgotten.
     */
    public List<Outstanding> takeOutstanding() {
        long now = clock.nanoTime();
        List<Outstanding> taken = new ArrayList<>();
        for (PendingRequest pending : outstanding.all()) {
            if (outstanding.complete(pending)) {
                taken.add(new Outstanding(pending.requester, pending.id, pending.serviceAddress, pending.resource.address,
                        Duration.ofNanos(Math.max(0, pending.deadlineNanos - now))));
            }
        }
        departed.clear();
        return taken;
    }

    /**
     * Takes the resources of the target that the instance before this one knew online (a plugin
     * upgrade hands them over), each with the time it came online: requests are served at once
     * instead of after the server reports them again. Call before adopting that instance's
     * requests, so that they count with their resources, and before the host routes the address
     * here. Addresses that are not resources of the current target are ignored.
     */
    public void adoptOnline(Map<JID, Instant> online) {
        OnlineResources target = resources;
        boolean any = false;
        for (Map.Entry<JID, Instant> resource : online.entrySet()) {
            JID address = resource.getKey();
            if (address.getResource() != null && target.isTarget(address.toString())) {
                any |= target.add(address, resource.getValue());
            }
        }
        // An available presence came through the subscription; a roster target's state is the host's to report.
        if (any && !viaRoster) {
            target.subscription(SubscriptionState.GRANTED, clock.now());
        }
    }

    // ---- Requesters that leave -------------------------------------------------------------

    /**
     * The session of the requester {@code fullJid} ended (or a new session took its address): its
     * outstanding requests are dropped at once, unanswered (nobody is there to read an answer,
     * and a new session of the same address must not get the old one's), their caps freed. A
     * reply that comes later is dropped as answering nothing. Never blocks; any thread.
     */
    public void requesterGone(JID fullJid) {
        dropRequests(fullJid, true, 0);
    }

    /**
     * Like {@link #requesterGone(JID)}, for a host that learns late that a session ended: only
     * the requests admitted no later than {@code checkedNanos}, a reading of {@link #nanoTime()}
     * taken before the host made sure that no newer session holds the address, are dropped. A
     * newer session's requests are admitted after it holds the address, so they are kept: the
     * host saw that session when it checked, or they were admitted after the reading.
     */
    public void requesterGone(JID fullJid, long checkedNanos) {
        dropRequests(fullJid, false, checkedNanos);
    }

    /** This proxy's clock, for {@link #requesterGone(JID, long)}. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    private void dropRequests(JID fullJid, boolean all, long checkedNanos) {
        ServiceIdentity service = identity;
        // Filed under the requester as forward() files it: the resource of the translated address.
        JID translated = service == null ? null : service.translation.encode(fullJid.toString());
        if (translated == null) {
            return;
        }
        int dropped = 0;
        for (PendingRequest pending : outstanding.of(translated.getResource())) {
            if (all || pending.startNanos - checkedNanos <= 0) {
                // Recorded before it leaves, so that a new request with its id always finds one or the other.
                departed.add(pending);
                if (settle(pending)) {
                    counters.requesterGone.increment();
                    dropped++;
                } else {
                    departed.cancel(pending); // answered meanwhile
                }
            }
        }
        if (dropped > 0) {
            LOG.debug("{} left; dropped its {} outstanding requests", fullJid, dropped);
        }
    }

    // ---- Stanzas -------------------------------------------------------------------------

    @Override
    public void processPacket(Packet packet) {
        entered.increment();
        try {
            Consumer<? super Packet> next = successor;
            if (next != null) {
                next.accept(packet);
            } else {
                process(packet);
            }
        } finally {
            left.increment();
        }
    }

    private void process(Packet packet) {
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
            } else if (packet instanceof Message message) {
                heardFrom(from);
                if (message.getType() != Message.Type.error) {
                    answerWithError(message, Condition.feature_not_implemented, PacketError.Type.cancel,
                        "This service answers IQ requests only");
                }
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
            heardFrom(from);
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
        if (!current.allow().allows(from, identity.serverDomain, groups)) {
            counters.refusedByAccessRule.increment();
            answerWithError(request, Condition.forbidden, PacketError.Type.auth,
                    "You are not allowed to use this service");
            return;
        }
        String id = request.getID();
        if (id == null) {
            answerWithError(request, Condition.bad_request, PacketError.Type.modify, "An IQ request needs an id");
            return;
        }
        OnlineResources.Resource resource = running ? target.choose(current.strategy(), from) : null;
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
                // Checked after admission: a departed request is recorded before it leaves the outstanding ones.
                if (departed.holds(requester, id)) {
                    if (outstanding.complete(pending)) {
                        answerWithError(request, Condition.conflict, PacketError.Type.cancel,
                                "A request of your previous session with this id is still with the service");
                    }
                    return;
                }
                counters.forwarded.increment();
                sendJournaled(target, pending, forwarded, current.timeout());
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
        if (requester == null && id != null && id.startsWith(PING_ID_PREFIX) && resources.isTarget(from)) {
            heardFrom(from);
            return; // answers the proxy's own ping (or bounces it for a resource gone): nobody else's business
        }
        if (requester != null && id != null && departed.takeReply(requester, id, from)) {
            heardFrom(from);
            counters.droppedReplies.increment();
            LOG.debug("Dropped the answer to a request whose requester left: {}", reply);
            return;
        }
        PendingRequest pending = requester == null || id == null ? null : outstanding.get(requester, id);
        // Only the resource that was asked (or, for a re-sent get, the one asked before) may answer, and only once.
        OnlineResources.Resource sender = pending == null ? null : pending.answerableBy(from);
        if (sender == null || !settle(pending)) {
            heardFrom(from);
            counters.droppedReplies.increment();
            LOG.debug("Dropped a reply that answers no outstanding request: {}", reply);
            return;
        }
        long now = clock.nanoTime();
        heard(sender, now);
        minutes.record(now - pending.startNanos);
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
        boolean roster = viaRoster;
        if (type == null) {
            // Through the host's roster, only a granted item counts (not a presence directed at the proxy).
            if (sender.getResource() != null && (!roster || grantedByRoster(target))) {
                wentOffline.remove(sender.toString());
                if (target.add(sender, clock.now())) {
                    LOG.debug("{} is online", sender);
                }
            }
            if (!roster) {
                target.subscription(SubscriptionState.GRANTED, clock.now());
            }
            heardFrom(from);
            return;
        }
        switch (type) {
            case unavailable -> {
                if (sender.getResource() == null) {
                    resourcesGone(target, target.clear());
                } else {
                    // Remembered before it is removed: see rosterGranted. Not after a revocation:
                    // Openfire then sends an unavailable presence for every session that stays online.
                    if (roster && target.subscription() != SubscriptionState.REVOKED_BY_ACCOUNT) {
                        rememberOffline(sender.toString());
                    }
                    OnlineResources.Resource gone = target.remove(sender.toString());
                    if (gone != null) {
                        resourcesGone(target, List.of(gone));
                    }
                }
            }
            case subscribed -> {
                if (!roster) {
                    target.subscription(SubscriptionState.GRANTED, clock.now());
                    send(presence(Presence.Type.probe, target.target()));
                }
            }
            case unsubscribed -> {
                if (roster) {
                    revokedByAccount(target);
                } else {
                    LOG.info("{} refused or revoked the subscription to its presence", target.target());
                    target.subscription(SubscriptionState.REVOKED, clock.now());
                    resourcesGone(target, target.clear());
                }
            }
            // Approve the target's subscription requests, so its roster does not stay pending.
            case subscribe -> send(presence(Presence.Type.subscribed, target.target()));
            case unsubscribe -> send(presence(Presence.Type.unsubscribed, target.target()));
            case probe -> send(presence(null, sender));
            case error -> LOG.debug("Presence error from the target: {}", presence);
            default -> { }
        }
    }

    // ---- Resources that stop answering ----------------------------------------------------

    /** Notes a stanza from {@code from} if it is an online resource of the target; returns whether it is. */
    private boolean heardFrom(String from) {
        OnlineResources target = resources;
        OnlineResources.Resource resource = target.isTarget(from) ? target.find(from) : null;
        if (resource == null) {
            return false;
        }
        heard(resource, clock.nanoTime());
        return true;
    }

    /** Any stanza shows that a resource answers: it is responsive (again). */
    private void heard(OnlineResources.Resource resource, long now) {
        resource.heardNanos = now;
        if (resource.unresponsiveSince != null && resources.markResponsive(resource)) {
            LOG.info("{} answers again: responsive", resource.address);
        }
    }

    // ---- Presence through the host's roster (see RosterHost) -----------------------------

    /**
     * The host keeps {@code target}'s roster, but the account does not exist (yet): no resource can
     * be online. The host calls {@link #rosterGranted} once the account exists.
     */
    public void rosterAwaitingAccount(JID target) {
        OnlineResources current = rosterTarget(target);
        if (current != null) {
            current.subscription(SubscriptionState.AWAITING_ACCOUNT, clock.now());
            resourcesGone(current, current.clear());
        }
    }

    /** The account revoked the item at {@code at} (the host remembers it across restarts): no resource is known. */
    public void rosterRevoked(JID target, Instant at) {
        OnlineResources current = rosterTarget(target);
        if (current != null) {
            current.subscription(SubscriptionState.REVOKED_BY_ACCOUNT, at);
            resourcesGone(current, current.clear());
        }
    }

    /** {@link #rosterGranted(JID, boolean, Map)} for sessions whose login times the host does not know: now. */
    public void rosterGranted(JID target, boolean written, Collection<JID> online) {
        Instant now = clock.now();
        Map<JID, Instant> since = new LinkedHashMap<>();
        online.forEach(address -> since.put(address, now));
        rosterGranted(target, written, since);
    }

    /**
     * {@code target}'s roster item gives the proxy its presence: the host wrote it, or found it
     * there. {@code online} are the account's available sessions with their login times, read by
     * the host after the item was in place; from then on the server sends the proxy every change.
     * A session whose unavailable presence already came is not taken for online: the server sends
     * that presence before it forgets the session.
     */
    public void rosterGranted(JID target, boolean written, Map<JID, Instant> online) {
        OnlineResources current = rosterTarget(target);
        if (current == null) {
            return;
        }
        current.subscription(written ? SubscriptionState.ROSTER_WRITTEN : SubscriptionState.ROSTER_FOUND, clock.now());
        for (Map.Entry<JID, Instant> session : online.entrySet()) {
            JID address = session.getKey();
            String key = address.toString();
            if (address.getResource() == null || !current.isTarget(key) || wentOffline.containsKey(key)
                    || !current.add(address, session.getValue())) {
                continue;
            }
            // Gone while it was added: the unavailable presence remembers the departure before it removes.
            if (wentOffline.containsKey(key)) {
                OnlineResources.Resource gone = current.remove(key);
                if (gone != null) {
                    resourcesGone(current, List.of(gone));
                }
            } else {
                LOG.debug("{} is online (one of its account's sessions)", address);
            }
        }
    }

    private boolean grantedByRoster(OnlineResources target) {
        SubscriptionState state = target.subscription();
        return state == SubscriptionState.ROSTER_WRITTEN || state == SubscriptionState.ROSTER_FOUND;
    }

    /** The current target if the host writes its roster and it is {@code target}, else {@code null}. */
    private OnlineResources rosterTarget(JID target) {
        OnlineResources current = resources;
        return viaRoster && current.target().toBareJID().equals(target.toBareJID()) ? current : null;
    }

    /** The account removed the item or cancelled the subscription: logged and reported once. */
    private void revokedByAccount(OnlineResources target) {
        Instant now = clock.now();
        if (target.subscription(SubscriptionState.REVOKED_BY_ACCOUNT, now)) {
            LOG.info("{} revoked the roster item that shares its presence with {}; it is written again only"
                    + " when the operator asks", target.target(), settings.subdomain());
            rosterHost.revoked(this, target.target(), now);
        }
        resourcesGone(target, target.clear());
    }

    private void rememberOffline(String address) {
        long now = clock.nanoTime();
        wentOffline.put(address, now);
        wentOffline.values().removeIf(at -> now - at > DEPARTURE_MEMORY.toNanos());
    }

    // ---- Losing resources ----------------------------------------------------------------

    private void resourcesGone(OnlineResources target, List<OnlineResources.Resource> gone) {
        if (gone.isEmpty()) {
            return;
        }
        LOG.debug("Gone offline: {}", gone.stream().map(resource -> resource.addressString).toList());
        departed.resourcesGone(gone);
        for (PendingRequest pending : outstanding.all()) {
            // By address: a request adopted before this instance saw its resource online holds a copy of it.
            if (gone.stream().anyMatch(resource -> resource.addressString.equals(pending.resource.addressString))) {
                resolveLost(pending);
            }
        }
    }

    /** A {@code get} is re-sent once to another online resource; anything else gets an error. */
    private void resolveLost(PendingRequest pending) {
        OnlineResources target = resources;
        // A request of a previous target is not carried over to the new one: it gets its error.
        if (pending.canRetry() && target.isTarget(pending.resource.addressString)) {
            OnlineResources.Resource next = target.choose(settings.strategy(), pending.requester);
            if (next != null) {
                resendTo(target, pending, pending.retriedOn(next, clock.nanoTime()), counters.retried);
                return;
            }
        }
        if (settle(pending)) {
            counters.resourceLost.increment();
            answerWithError(pending, Condition.recipient_unavailable, PacketError.Type.wait,
                    "The resource handling this request went offline");
        }
    }

    /** Re-sends a get as {@code retried}, unless it was answered or handed on meanwhile. */
    private void resendTo(OnlineResources target, PendingRequest pending, PendingRequest retried, LongAdder counter) {
        OnlineResources.Resource next = retried.resource;
        if (outstanding.replace(pending, retried)) {
            counter.increment();
            sendJournaled(target, retried, pending.retryCopy(identity.translation.encode(pending.requester), next.address),
                    Duration.ofNanos(Math.max(0, retried.deadlineNanos - clock.nanoTime())));
        }
    }

    /**
     * Sends an admitted request to its resource. With a journal (in a cluster) it goes out only
     * once the journal holds it, so that the instance that takes over can answer anything that
     * reached the implementing client.
     */
    private void sendJournaled(OnlineResources target, PendingRequest pending, IQ packet, Duration remaining) {
        RequestJournal current = journal;
        if (current == RequestJournal.NONE) {
            sendTo(target, pending, packet); // a single server: no object per request
            return;
        }
        current.forwarded(pending.requester, pending.id, pending.serviceAddress, pending.resource.address, remaining,
                new Journaled(target, pending, packet));
    }

    private void sendTo(OnlineResources target, PendingRequest pending, IQ packet) {
        send(packet);
        // The resource may have left while this request was on its way to it.
        if (target != resources || !target.isOnline(pending.resource)) {
            resolveLost(pending);
        }
    }

    /** A request that goes out once the journal holds it, unless it was answered or re-sent meanwhile. */
    private final class Journaled implements RequestJournal.Forward {
        private final OnlineResources target;
        private final PendingRequest pending;
        private final IQ packet;

        Journaled(OnlineResources target, PendingRequest pending, IQ packet) {
            this.target = target;
            this.pending = pending;
            this.packet = packet;
        }

        @Override
        public boolean outstanding() {
            return outstanding.get(pending.requester, pending.id) == pending;
        }

        @Override
        public void send() {
            if (outstanding()) {
                sendTo(target, pending, packet);
            }
        }
    }

    /** Counted as resource-lost: the resource each request went to is no longer this proxy's to use. */
    private void failAll(Condition condition, PacketError.Type type, String text) {
        departed.clear();
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
