package org.clientproxy.openfire.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.IntFunction;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.jivesoftware.util.CookieUtils;
import org.jivesoftware.util.StringUtils;

/**
 * The CSRF token of the admin forms, as Openfire's own pages do it: each page puts a fresh token
 * in a {@code csrf} cookie and in a hidden {@code csrf} field of its forms, and a POST is accepted
 * only when the two match. With {@code csrfProtectionEnabled} in plugin.xml, Openfire's plugin
 * servlet also checks the field against the token it keeps in the session and offers the next
 * one as the request attribute {@code csrf}; that one is used, so both checks agree.
 */
public final class CsrfGuard {
    /** The name of the cookie, the form field and Openfire's request attribute. */
    public static final String NAME = "csrf";
    private static final int TOKEN_LENGTH = 32;

    private CsrfGuard() {
    }

    /** Whether the request's {@code csrf} field matches its {@code csrf} cookie. */
    public static boolean verify(HttpServletRequest request) {
        Cookie cookie = CookieUtils.getCookie(request, NAME);
        String field = request.getParameter(NAME);
        if (cookie == null || cookie.getValue() == null || field == null || field.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8),
                field.getBytes(StandardCharsets.UTF_8));
    }

    /** The token for the forms of the page being rendered, also set as the {@code csrf} cookie. */
    public static String issue(HttpServletRequest request, HttpServletResponse response) {
        // A lambda, not a method reference: StringUtils is then loaded only when a token is made.
        return issue(request, response, length -> StringUtils.randomString(length));
    }

    /** @param random a random token of the given length, when Openfire offers none */
    static String issue(HttpServletRequest request, HttpServletResponse response, IntFunction<String> random) {
        Object openfire = request.getAttribute(NAME);
        String token = openfire instanceof String value && !value.isEmpty() ? value : random.apply(TOKEN_LENGTH);
        CookieUtils.setCookie(request, response, NAME, token, -1);
        return token;
    }
}
