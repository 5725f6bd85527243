package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.clientproxy.openfire.ClientProxyPlugin;
import org.junit.jupiter.api.Test;

class AdminPagesTest {
    private final MemoryPropertyStore store = new MemoryPropertyStore();
    private final RecordingAudit audit = new RecordingAudit();

    @Test
    void withoutTheLoadedPluginEveryPageSaysSoAndChangesNothing() {
        assertNull(ClientProxyPlugin.instance());
        AdminPages pages = new AdminPages(null, store, username -> true, audit, Duration.ofMillis(100));
        String[] remove = {"action", "remove", "subdomain", "svc"};

        for (PageResult<?> result : List.of(pages.overview(Requests.post(remove)), pages.edit(Requests.post(remove)),
                pages.monitor(Requests.post(remove)), pages.overview(Requests.get()))) {
            assertFalse(result.isRedirect());
            assertFalse(result.getView().isPluginLoaded());
            assertNull(result.getView().getModel());
            assertEquals("clientproxy.error.not-loaded", result.getView().getErrors().get(0).getMessage().getKey());
            assertEquals(Requests.TOKEN, result.getView().getCsrf());
        }
        assertEquals(List.of(), store.changes);
        assertEquals(List.of(), audit.events);
    }

    @Test
    void forOpenfireWithoutTheLoadedPluginGivesThoseNotLoadedPages() {
        assertFalse(AdminPages.forOpenfire(audit).overview(Requests.get()).getView().isPluginLoaded());
    }

    @Test
    void withThePluginThePagesWork() {
        FakeBackend backend = new FakeBackend();
        AdminPages pages = new AdminPages(backend, store, username -> true, audit, Duration.ofMillis(100));

        PageResult<EditModel> result = pages.edit(Requests.post("subdomain", "svc", "target", "impl@example.org"));

        assertEquals("client-proxy.jsp?success=added&subdomain=svc", result.getRedirect());
        assertEquals(1, audit.events.size());
    }
}
