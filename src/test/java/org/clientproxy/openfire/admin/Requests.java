package org.clientproxy.openfire.admin;

import java.util.HashMap;
import java.util.Map;

/** Admin requests as AdminRequest.of would read them from a servlet request. */
final class Requests {
    static final String TOKEN = "next-token";

    private Requests() {
    }

    static AdminRequest get(String... keyValues) {
        return new AdminRequest(false, map(keyValues), false, TOKEN, null);
    }

    /** A POST whose CSRF token matched. */
    static AdminRequest post(String... keyValues) {
        return new AdminRequest(true, map(keyValues), true, TOKEN, null);
    }

    /** A POST whose CSRF token did not match. */
    static AdminRequest forgedPost(String... keyValues) {
        return new AdminRequest(true, map(keyValues), false, TOKEN, null);
    }

    static Map<String, String> map(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
