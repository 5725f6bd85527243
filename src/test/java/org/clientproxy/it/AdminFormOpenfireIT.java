package org.clientproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.clientproxy.it.AdminConsole.Page;
import org.clientproxy.it.SmackClient.Serving;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The add and edit form and the Remove button, used as an operator does: every saved change
 * applies at once, a wrong form is refused with the field named and nothing saved, and a POST
 * without the page's CSRF field (a forgery from another site) changes nothing.
 */
class AdminFormOpenfireIT extends SharedOpenfireTest {
    private static final String SUBDOMAIN = "form";
    private static final String SERVICE = SUBDOMAIN + "." + OpenfireServer.DOMAIN;
    private static final String TARGET = "impl@" + OpenfireServer.DOMAIN;

    private SmackClient one;
    private SmackClient two;
    private SmackClient alice;

    @BeforeEach
    void addProxy() throws Exception {
        one = SmackClient.login(server, "impl", "one");
        two = SmackClient.login(server, "impl", "two");
        alice = SmackClient.login(server, "alice", "desk");
        one.serve(Serving.ANSWER);
        two.serve(Serving.ANSWER);
        pages.add(SUBDOMAIN, TARGET, Map.of("strategy", "round-robin"));
        assertEquals(IQ.Type.result, alice.ask(SERVICE).getType());
    }

    @AfterEach
    void removeProxy() throws Exception {
        if (pages.table().document().selectFirst("input[name=subdomain][value=" + SUBDOMAIN + "]") != null) {
            pages.remove(SUBDOMAIN);
        }
        for (SmackClient client : new SmackClient[] {one, two, alice}) {
            client.close();
        }
    }

    @Test
    @DisplayName("An edited strategy applies at once: sticky keeps one requester on one resource")
    void strategy() throws Exception {
        pages.edit(SUBDOMAIN, Map.of("strategy", "sticky"));
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            servedBy.add(SmackClient.payload(alice.ask(SERVICE)));
        }
        assertEquals(1, servedBy.size(), () -> "sticky spread one requester over " + servedBy);
        pages.edit(SUBDOMAIN, Map.of("strategy", "round-robin"));
        servedBy.clear();
        for (int i = 0; i < 4; i++) {
            servedBy.add(SmackClient.payload(alice.ask(SERVICE)));
        }
        assertEquals(2, servedBy.size(), () -> "round-robin kept to " + servedBy);
    }

    @Test
    @DisplayName("An edited allow rule applies at once: a requester it leaves out is refused forbidden")
    void allow() throws Exception {
        pages.edit(SUBDOMAIN, Map.of("allow", "bob@" + OpenfireServer.DOMAIN));
        assertEquals(StanzaError.Condition.forbidden, SmackClient.condition(alice.ask(SERVICE)));
        pages.edit(SUBDOMAIN, Map.of("allow", "local"));
        assertEquals(IQ.Type.result, alice.ask(SERVICE).getType());
    }

    @Test
    @DisplayName("An edited timeout applies at once: a request nobody answers gets remote-server-timeout")
    void timeout() throws Exception {
        one.serve(Serving.HOLD);
        two.serve(Serving.HOLD);
        pages.edit(SUBDOMAIN, Map.of("timeoutMillis", "500"));
        assertEquals(StanzaError.Condition.remote_server_timeout, SmackClient.condition(alice.ask(SERVICE)));
    }

    @Test
    @DisplayName("Disabled, the proxy stops answering at its address; enabled again, it serves at once")
    void disable() throws Exception {
        pages.edit(SUBDOMAIN, mapWithNull("enabled"));
        IQ refused = alice.ask(SERVICE);
        assertEquals(IQ.Type.error, refused.getType(), () -> "a disabled proxy answered: " + refused.toXML());
        assertTrue(pages.table().text().contains(SERVICE));
        pages.edit(SUBDOMAIN, Map.of("enabled", "true"));
        assertEquals(IQ.Type.result, alice.ask(SERVICE).getType());
    }

    @Test
    @DisplayName("Removed, the proxy is gone from the table, its address and its settings")
    void remove() throws Exception {
        Page table = pages.remove(SUBDOMAIN);
        assertNull(table.document().selectFirst("input[name=subdomain][value=" + SUBDOMAIN + "]"),
                "the table still lists " + SUBDOMAIN);
        assertEquals(IQ.Type.error, alice.ask(SERVICE).getType());
        assertFalse(console.get("server-properties.jsp?searchName=plugin.clientproxy.proxy." + SUBDOMAIN)
                .text().contains("plugin.clientproxy.proxy." + SUBDOMAIN + ".target"));
    }

    @Test
    @DisplayName("A wrong form is refused with the field named, as typed, and nothing is saved")
    void refused() throws Exception {
        Page refused = pages.submitEdit(SUBDOMAIN, Map.of("timeoutMillis", "5", "strategy", "sticky"));
        assertTrue(refused.uri().getPath().endsWith("client-proxy-edit.jsp"), () -> "went on to " + refused.uri());
        String label = refused.document().selectFirst("label[for=cp-timeoutMillis]").text();
        assertTrue(ProxyPages.errors(refused).contains(label), () -> "the error does not name " + label + ": "
                + ProxyPages.errors(refused));
        assertEquals("5", refused.document().selectFirst("input[name=timeoutMillis]").val(), "the form as typed");
        Page edit = console.get(ProxyPages.EDIT + "?subdomain=" + SUBDOMAIN);
        assertNotEquals("5", edit.document().selectFirst("input[name=timeoutMillis]").val());
        assertEquals("round-robin", edit.document().selectFirst("select[name=strategy] option[selected]").val(),
                "a refused form saved its other fields");
    }

    @Test
    @DisplayName("A POST without the page's CSRF field changes nothing")
    void forgery() throws Exception {
        Page forged = console.post(ProxyPages.TABLE, Map.of("action", "remove", "subdomain", SUBDOMAIN));
        assertFalse(ProxyPages.errors(forged).isEmpty(), () -> "no error shown for a forgery: " + forged.text());
        Page forgedEdit = console.post(ProxyPages.EDIT, Map.of("original", SUBDOMAIN, "subdomain", SUBDOMAIN,
                "target", "bob@" + OpenfireServer.DOMAIN, "strategy", "random", "csrf", "guessed"));
        assertFalse(ProxyPages.errors(forgedEdit).isEmpty());
        assertTrue(pages.table().text().contains(TARGET), "a forged POST changed the proxy");
        assertEquals(IQ.Type.result, alice.ask(SERVICE).getType());
    }

    private static Map<String, String> mapWithNull(String key) {
        Map<String, String> map = new HashMap<>();
        map.put(key, null);
        return map;
    }
}
