package org.clientproxy.openfire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.component.InternalComponentManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.xmpp.component.Component;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.JID;

/** The host's calls to Openfire's internal component manager, a static singleton. */
class OpenfireComponentHostTest {
    private final InternalComponentManager manager = mock(InternalComponentManager.class);
    private final Component component = mock(Component.class);
    private final OpenfireComponentHost host = new OpenfireComponentHost();
    private MockedStatic<InternalComponentManager> singleton;

    @BeforeEach
    void mockSingleton() {
        singleton = mockStatic(InternalComponentManager.class);
        singleton.when(InternalComponentManager::getInstance).thenReturn(manager);
        when(manager.getServerName()).thenReturn("example.org");
    }

    @AfterEach
    void closeSingleton() {
        singleton.close();
    }

    @Test
    void theDomainIsTheServers() {
        assertEquals("example.org", host.domain());
    }

    @Test
    void anAddressWithARouteIsTaken() {
        when(manager.hasComponent(new JID("proxy.example.org"))).thenReturn(true);

        assertTrue(host.isTaken("proxy"));
        assertFalse(host.isTaken("svc"));
    }

    @Test
    void registeringAddsTheComponentAtItsSubdomain() throws Exception {
        host.register("svc", component);
        verify(manager).addComponent("svc", component);
    }

    @Test
    void aRefusedRegistrationReachesTheCaller() throws Exception {
        ComponentException refusal = new ComponentException("taken");
        doThrow(refusal).when(manager).addComponent("svc", component);

        assertSame(refusal, assertThrows(ComponentException.class, () -> host.register("svc", component)));
    }

    @Test
    void unregisteringRemovesOnlyThisComponent() {
        host.unregister("svc", component);
        verify(manager).removeComponent("svc", component);
    }

    @Test
    void withoutAComponentManagerNothingIsRegistered() {
        singleton.when(InternalComponentManager::getInstance).thenReturn(null);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> host.register("svc", component));
        assertTrue(failure.getMessage().contains("component manager"), failure.getMessage());
    }

    @Test
    void onlyANonSeniorMemberOfAStartedClusterStandsBy() {
        try (MockedStatic<ClusterManager> cluster = mockStatic(ClusterManager.class)) {
            cluster.when(ClusterManager::isClusteringStarted).thenReturn(false);
            cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(false);
            assertFalse(host.isClusterStandby(), "not clustered");

            cluster.when(ClusterManager::isClusteringStarted).thenReturn(true);
            assertTrue(host.isClusterStandby(), "clustered, not senior");

            cluster.when(ClusterManager::isSeniorClusterMember).thenReturn(true);
            assertFalse(host.isClusterStandby(), "clustered, senior");
        }
    }
}
