package org.clientproxy.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on the run's one Openfire ({@link OpenfireExtension}), logged in to its admin
 * console. Classes that restart or reload the server start their own instead.
 */
@ExtendWith(OpenfireExtension.class)
abstract class SharedOpenfireTest {
    static OpenfireServer server;
    static AdminConsole console;
    /** The plugin's pages, through {@link #console}. */
    static ProxyPages pages;

    @BeforeAll
    static void logIn(OpenfireServer shared) throws Exception {
        server = shared;
        console = AdminConsole.login(shared);
        pages = new ProxyPages(console);
    }
}
