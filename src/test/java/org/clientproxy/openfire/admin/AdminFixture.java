package org.clientproxy.openfire.admin;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

import org.clientproxy.openfire.ClientProxyPlugin;
import org.clientproxy.openfire.ConfiguredProxy;
import org.jivesoftware.openfire.user.User;
import org.jivesoftware.openfire.user.UserManager;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.WebManager;
import org.mockito.MockedStatic;

/**
 * The Openfire side of the admin pages, under the test's control: the loaded plugin (its proxies,
 * the addresses other services hold, applying the configuration), the system properties (every
 * write recorded in order), the accounts of this server, the admin audit log and the operator's
 * HTTP session, which every request run by {@link #handle} shares. Close it after each test: it
 * mocks {@link JiveGlobals} on the test's thread.
 */
final class AdminFixture implements AutoCloseable {
    static final String DOMAIN = "example.org";

    final Map<String, String> properties = new LinkedHashMap<>();
    /** {@code set NAME=VALUE} and {@code delete NAME}, in the order written. */
    final List<String> writes = new ArrayList<>();
    final List<ConfiguredProxy> states = new ArrayList<>();
    final Set<String> takenByOthers = new HashSet<>();
    final Set<String> accounts = new HashSet<>(Set.of("impl"));
    /** {@code summary | details} per audit entry. */
    final List<String> audit = new ArrayList<>();
    /** The attributes of the operator's HTTP session. */
    final Map<String, Object> session = new HashMap<>();
    Supplier<CompletableFuture<Void>> apply = () -> CompletableFuture.completedFuture(null);
    int applied;

    final ClientProxyPlugin plugin = mock(ClientProxyPlugin.class);
    final WebManager webManager = mock(WebManager.class);
    private final MockedStatic<JiveGlobals> jiveGlobals = mockStatic(JiveGlobals.class);
    private final HttpSession httpSession = mock(HttpSession.class);

    AdminFixture() {
        jiveGlobals.when(() -> JiveGlobals.getProperty(anyString())).thenAnswer(call -> properties.get(call.<String>getArgument(0)));
        jiveGlobals.when(() -> JiveGlobals.setProperty(anyString(), anyString())).thenAnswer(call -> {
            properties.put(call.getArgument(0), call.getArgument(1));
            writes.add("set " + call.getArgument(0) + "=" + call.getArgument(1));
            return null;
        });
        jiveGlobals.when(() -> JiveGlobals.deleteProperty(anyString())).thenAnswer(call -> {
            properties.remove(call.<String>getArgument(0));
            writes.add("delete " + call.getArgument(0));
            return null;
        });
        when(plugin.domain()).thenReturn(DOMAIN);
        when(plugin.proxies()).thenAnswer(call -> List.copyOf(states));
        when(plugin.isTakenByAnotherService(anyString())).thenAnswer(call -> takenByOthers.contains(call.<String>getArgument(0)));
        // As the plugin does on its thread, for a proxy whose roster it does not write.
        when(plugin.renewPresence(anyString())).thenAnswer(call -> CompletableFuture.completedFuture(
                states.stream().filter(state -> state.running() && state.subdomain().equals(call.getArgument(0)))
                        .peek(state -> state.proxy().resubscribe()).count() > 0));
        when(plugin.applyConfiguration()).thenAnswer(call -> {
            applied++;
            return apply.get();
        });
        UserManager users = mock(UserManager.class);
        try {
            when(users.getUser(anyString())).thenAnswer(call -> {
                if (!accounts.contains(call.<String>getArgument(0))) {
                    throw new UserNotFoundException();
                }
                return mock(User.class);
            });
        } catch (UserNotFoundException e) {
            throw new AssertionError(e);
        }
        when(webManager.getUserManager()).thenReturn(users);
        doAnswer(call -> audit.add(call.getArgument(0) + " | " + call.getArgument(1)))
                .when(webManager).logEvent(anyString(), any());
        when(httpSession.getAttribute(anyString())).thenAnswer(call -> session.get(call.<String>getArgument(0)));
        doAnswer(call -> session.put(call.getArgument(0), call.getArgument(1))).when(httpSession).setAttribute(anyString(), any());
        doAnswer(call -> session.remove(call.<String>getArgument(0))).when(httpSession).removeAttribute(anyString());
    }

    /** A proxy saved in the system properties (not recorded as a write). */
    void saved(String subdomain, String target) {
        String list = properties.get("plugin.clientproxy.proxies");
        properties.put("plugin.clientproxy.proxies", list == null ? subdomain : list + "," + subdomain);
        properties.put("plugin.clientproxy.proxy." + subdomain + ".target", target);
    }

    static HttpServletRequest get(String... parameters) {
        return request("GET", parameters);
    }

    /** A POST as it reaches the page: Openfire has checked its csrf field already. */
    static HttpServletRequest post(String... parameters) {
        return request("POST", parameters);
    }

    private static HttpServletRequest request(String method, String... keyValues) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            parameters.put(keyValues[i], keyValues[i + 1]);
        }
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getParameter(anyString())).thenAnswer(call -> parameters.get(call.<String>getArgument(0)));
        return request;
    }

    /** A page run on its request in the operator's session, with a short patience for a change to be applied. */
    <P extends AdminPage> P handle(P page) {
        when(page.request.getSession()).thenReturn(httpSession);
        page.patience = Duration.ofMillis(200);
        page.handle();
        return page;
    }

    static List<String> lines(List<Message> messages) {
        return messages.stream().map(Message::toString).toList();
    }

    @Override
    public void close() {
        jiveGlobals.close();
    }
}
