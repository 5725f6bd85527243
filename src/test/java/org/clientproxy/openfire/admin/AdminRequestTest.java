package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Map;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

import org.junit.jupiter.api.Test;

class AdminRequestTest {
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final HttpSession session = mock(HttpSession.class);

    private void submitted(String method, String csrfCookie, Map<String, String[]> parameters) {
        when(request.getMethod()).thenReturn(method);
        when(request.getServerName()).thenReturn("localhost");
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie("csrf", csrfCookie)});
        when(request.getParameterMap()).thenReturn(parameters);
        parameters.forEach((name, values) -> when(request.getParameter(name)).thenReturn(values[0]));
        when(request.getAttribute("csrf")).thenReturn("next");
        when(request.getSession(false)).thenReturn(session);
    }

    @Test
    void aPostIsCheckedAgainstTheCookieOfThePreviousPageBeforeTheNextTokenIsIssued() {
        submitted("POST", "previous", Map.of("csrf", new String[] {"previous"}, "subdomain", new String[] {"svc", "x"}));

        AdminRequest admin = AdminRequest.of(request, response);

        assertTrue(admin.isPost());
        assertTrue(admin.isCsrfValid());
        assertEquals("next", admin.csrfToken());
        assertEquals("svc", admin.parameter("subdomain"), "the first value");
        assertNull(admin.parameter("missing"));
    }

    @Test
    void aPostWithAnotherTokenIsNotValid() {
        submitted("POST", "previous", Map.of("csrf", new String[] {"forged"}));

        assertFalse(AdminRequest.of(request, response).isCsrfValid());
    }

    @Test
    void aGetIsNeverAValidSubmission() {
        submitted("GET", "previous", Map.of("csrf", new String[] {"previous"}));

        AdminRequest admin = AdminRequest.of(request, response);

        assertFalse(admin.isPost());
        assertFalse(admin.isCsrfValid());
    }

    @Test
    void theErrorOpenfireLeftInTheSessionIsTakenOnce() {
        submitted("GET", "x", Map.of());
        when(session.getAttribute("error")).thenReturn("CSRF Error: No changes made");

        assertEquals("CSRF Error: No changes made", AdminRequest.of(request, response).flashError());
        verify(session).removeAttribute("error");
    }

    @Test
    void noSessionOrNoErrorMeansNoFlash() {
        submitted("GET", "x", Map.of());
        assertNull(AdminRequest.of(request, response).flashError());
        verify(session, never()).removeAttribute("error");

        when(request.getSession(false)).thenReturn(null);
        assertNull(AdminRequest.of(request, response).flashError());
    }
}
