package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.clientproxy.openfire.ProxyState;

/** The plugin as the admin pages see it, with states, taken addresses and applying under the test's control. */
final class FakeBackend implements AdminBackend {
    static final String DOMAIN = "example.org";

    final List<ProxyState> states = new ArrayList<>();
    final Set<String> takenByOthers = new HashSet<>();
    Supplier<CompletableFuture<Void>> apply = () -> CompletableFuture.completedFuture(null);
    int applied;

    @Override
    public String domain() {
        return DOMAIN;
    }

    @Override
    public List<ProxyState> proxies() {
        return List.copyOf(states);
    }

    @Override
    public boolean isTakenByAnotherService(String subdomain) {
        return takenByOthers.contains(subdomain);
    }

    @Override
    public CompletableFuture<Void> applyConfiguration() {
        applied++;
        return apply.get();
    }
}
