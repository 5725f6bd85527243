package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import org.clientproxy.testing.LogCapture;
import org.jivesoftware.openfire.group.Group;
import org.jivesoftware.openfire.group.GroupManager;
import org.jivesoftware.openfire.group.GroupNotFoundException;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.xmpp.packet.JID;

/** The users of the groups the rules name: loaded off the stanza path, reloaded on Openfire's group events. */
class GroupUsersCacheTest {
    /** Openfire's groups as the loader reads them; a missing key is a group that does not exist. */
    private final Map<String, Set<String>> openfire = new HashMap<>();
    private final List<String> loads = new ArrayList<>();
    /** The loader thread's queue: events only add to it; the test runs it. */
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final GroupUsersCache cache = new GroupUsersCache(group -> {
        loads.add(group);
        if (group.equals("broken")) {
            throw new IllegalStateException("directory unreachable");
        }
        return openfire.get(group);
    }, queued::add);

    private void runQueued() {
        for (Runnable task; (task = queued.poll()) != null; ) {
            task.run();
        }
    }

    private static Group group(String name) {
        Group group = mock(Group.class);
        when(group.getName()).thenReturn(name);
        return group;
    }

    @Test
    void theNamedGroupsAreLoadedOnceAndAnsweredFromMemory() {
        openfire.put("ops", Set.of("carol@example.org"));
        openfire.put("dev", Set.of("dave@example.org"));

        cache.watch(Set.of("ops", "missing"));

        assertTrue(cache.isMember("ops", "carol@example.org"));
        assertFalse(cache.isMember("ops", "dave@example.org"));
        assertFalse(cache.isMember("missing", "carol@example.org"), "a group that does not exist lets no one in");
        assertFalse(cache.isMember("dev", "dave@example.org"), "a group no rule names is not loaded");
        cache.isMember("ops", "carol@example.org");
        assertEquals(List.of("ops", "missing"), loads.stream().sorted((a, b) -> a.equals("ops") ? -1 : 1).toList());

        cache.watch(Set.of("ops", "missing"));
        assertEquals(2, loads.size(), "watching the same groups again loads nothing");
    }

    @Test
    void aGroupNoLongerNamedIsForgottenAndTheOthersAreNotLoadedAgain() {
        openfire.put("ops", Set.of("carol@example.org"));
        openfire.put("dev", Set.of("dave@example.org"));
        cache.watch(Set.of("ops"));

        cache.watch(Set.of("dev"));

        assertFalse(cache.isMember("ops", "carol@example.org"));
        assertTrue(cache.isMember("dev", "dave@example.org"));
        assertEquals(List.of("ops", "dev"), loads);
    }

    @Test
    void membershipEventsOnlyQueueAReloadWhichThenAppliesTheChange() {
        openfire.put("ops", Set.of("carol@example.org"));
        cache.watch(Set.of("ops"));

        openfire.put("ops", Set.of("carol@example.org", "dave@example.org"));
        cache.memberAdded(group("ops"), Map.of("member", "dave@example.org"));
        assertFalse(cache.isMember("ops", "dave@example.org"), "nothing is loaded on the event's thread");
        runQueued();
        assertTrue(cache.isMember("ops", "dave@example.org"));

        openfire.put("ops", Set.of("dave@example.org"));
        cache.memberRemoved(group("ops"), Map.of("member", "carol@example.org"));
        runQueued();
        assertFalse(cache.isMember("ops", "carol@example.org"));

        openfire.put("ops", Set.of("dave@example.org", "erin@example.org"));
        cache.adminAdded(group("ops"), Map.of("admin", "erin@example.org"));
        runQueued();
        assertTrue(cache.isMember("ops", "erin@example.org"));

        openfire.put("ops", Set.of("dave@example.org"));
        cache.adminRemoved(group("ops"), Map.of("admin", "erin@example.org"));
        runQueued();
        assertFalse(cache.isMember("ops", "erin@example.org"));
    }

    @Test
    void eventsOfGroupsNoRuleNamesLoadNothing() {
        cache.watch(Set.of("ops"));
        loads.clear();

        cache.memberAdded(group("other"), Map.of());
        cache.groupCreated(group("other"), Map.of());
        runQueued();

        assertEquals(List.of(), loads);
    }

    @Test
    void aGroupThatIsCreatedLaterIsLoadedThen() {
        cache.watch(Set.of("ops"));
        openfire.put("ops", Set.of("carol@example.org"));

        cache.groupCreated(group("ops"), Map.of());
        runQueued();

        assertTrue(cache.isMember("ops", "carol@example.org"));
    }

    @Test
    void aGroupBeingDeletedLetsNoOneInThoughItCanStillBeRead() {
        openfire.put("ops", Set.of("carol@example.org"));
        cache.watch(Set.of("ops"));

        cache.groupDeleting(group("ops"), Map.of());
        runQueued();

        assertFalse(cache.isMember("ops", "carol@example.org"));
    }

    @Test
    void aRenameReloadsTheOldAndTheNewName() {
        openfire.put("ops", Set.of("carol@example.org"));
        cache.watch(Set.of("ops", "operations"));
        openfire.remove("ops");
        openfire.put("operations", Set.of("carol@example.org"));

        cache.groupModified(group("operations"), Map.of("type", "nameModified", "originalValue", "ops"));
        runQueued();

        assertFalse(cache.isMember("ops", "carol@example.org"));
        assertTrue(cache.isMember("operations", "carol@example.org"));
    }

    @Test
    void aGroupThatCannotBeReadLetsNoOneIn() {
        cache.watch(Set.of("broken"));
        assertFalse(cache.isMember("broken", "carol@example.org"));
    }

    @Test
    void aMissingGroupIsLoggedOnceNotAtEveryReloadAndAgainOnlyAfterItWasBack() {
        try (LogCapture log = LogCapture.start()) {
            cache.watch(Set.of("ops", "broken"));
            cache.reloadAll();
            cache.reloadAll();
            openfire.put("ops", Set.of("carol@example.org"));
            cache.reloadAll();
            openfire.remove("ops");
            cache.reloadAll();

            assertEquals(2, log.text().split("The group 'ops' named by a client proxy's allow rule does not exist", -1).length - 1);
            assertEquals(1, log.text().split("Could not read the users of the group 'broken'", -1).length - 1);
            assertTrue(log.text().contains("The group 'ops' named by a client proxy's allow rule can be read again"));
        }
    }

    @Test
    void reloadAllReadsEveryNamedGroupAgain() {
        openfire.put("ops", Set.of("carol@example.org"));
        cache.watch(Set.of("ops"));
        openfire.put("ops", Set.of("dave@example.org"));

        cache.reloadAll();

        assertTrue(cache.isMember("ops", "dave@example.org"));
        assertFalse(cache.isMember("ops", "carol@example.org"));
    }

    @Test
    void openfiresGroupsGiveTheBareJidsOfTheirMembersAndAdministrators() throws Exception {
        GroupManager manager = mock(GroupManager.class);
        Group ops = group("ops");
        when(ops.getMembers()).thenReturn(List.of(new JID("carol@example.org"), new JID("dave@example.org/desk")));
        when(ops.getAdmins()).thenReturn(List.of(new JID("erin@example.org")));
        when(manager.getGroup("ops")).thenReturn(ops);
        when(manager.getGroup("gone")).thenThrow(new GroupNotFoundException("gone"));
        try (MockedStatic<GroupManager> managers = mockStatic(GroupManager.class)) {
            managers.when(GroupManager::getInstance).thenReturn(manager);
            GroupUsersCache openfireCache = new GroupUsersCache(Runnable::run);

            openfireCache.watch(Set.of("ops", "gone"));

            assertTrue(openfireCache.isMember("ops", "carol@example.org"));
            assertTrue(openfireCache.isMember("ops", "dave@example.org"));
            assertTrue(openfireCache.isMember("ops", "erin@example.org"), "administrators are users of the group");
            assertFalse(openfireCache.isMember("gone", "carol@example.org"));
        }
    }
}
