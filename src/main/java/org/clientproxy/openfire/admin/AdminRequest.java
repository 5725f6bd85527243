package org.clientproxy.openfire.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * One request to an admin page, as the page logic sees it: GET or POST, the parameters, whether
 * a POST passed the CSRF check, the token for the next forms, and an error Openfire left for
 * this page (its plugin servlet redirects here with one when its own CSRF check fails).
 */
public final class AdminRequest {
    /** The session attribute of Openfire's flash error message ({@code FlashMessageTag}, Openfire 4.5+). */
    static final String OPENFIRE_FLASH_ERROR = "error";

    private final boolean post;
    private final Map<String, String> parameters;
    private final boolean csrfValid;
    private final String csrfToken;
    private final String flashError;

    AdminRequest(boolean post, Map<String, String> parameters, boolean csrfValid, String csrfToken, String flashError) {
        this.post = post;
        this.parameters = Map.copyOf(parameters);
        this.csrfValid = csrfValid;
        this.csrfToken = csrfToken;
        this.flashError = flashError;
    }

    /**
     * Reads the request, checks a POST's CSRF token, then issues the token for the page's forms
     * (in that order: the check needs the cookie the previous page set).
     */
    public static AdminRequest of(HttpServletRequest request, HttpServletResponse response) {
        boolean post = "POST".equalsIgnoreCase(request.getMethod());
        boolean csrfValid = post && CsrfGuard.verify(request);
        String token = CsrfGuard.issue(request, response);
        Map<String, String> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (values != null && values.length > 0 && values[0] != null) {
                parameters.put(name, values[0]);
            }
        });
        return new AdminRequest(post, parameters, csrfValid, token, takeFlashError(request.getSession(false)));
    }

    private static String takeFlashError(HttpSession session) {
        if (session == null) {
            return null;
        }
        Object error = session.getAttribute(OPENFIRE_FLASH_ERROR);
        if (!(error instanceof String text)) {
            return null;
        }
        session.removeAttribute(OPENFIRE_FLASH_ERROR);
        return text;
    }

    public boolean isPost() {
        return post;
    }

    /** A parameter's (first) value, or {@code null}. */
    public String parameter(String name) {
        return parameters.get(name);
    }

    /** Whether this is a POST whose CSRF token matched. */
    public boolean isCsrfValid() {
        return csrfValid;
    }

    public String csrfToken() {
        return csrfToken;
    }

    /** The error Openfire left in the session for the next page, or {@code null}. */
    public String flashError() {
        return flashError;
    }
}
