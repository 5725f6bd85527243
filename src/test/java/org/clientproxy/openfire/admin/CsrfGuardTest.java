package org.clientproxy.openfire.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class CsrfGuardTest {
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);

    CsrfGuardTest() {
        when(request.getServerName()).thenReturn("localhost");
    }

    private void cookie(String value) {
        when(request.getCookies()).thenReturn(new Cookie[] {new Cookie("JSESSIONID", "s"), new Cookie("csrf", value)});
    }

    @Test
    void aFieldMatchingTheCookiePasses() {
        cookie("abc123");
        when(request.getParameter("csrf")).thenReturn("abc123");

        assertTrue(CsrfGuard.verify(request));
    }

    @Test
    void aMissingOrDifferentTokenFails() {
        cookie("abc123");
        when(request.getParameter("csrf")).thenReturn("abc124");
        assertFalse(CsrfGuard.verify(request));

        when(request.getParameter("csrf")).thenReturn(null);
        assertFalse(CsrfGuard.verify(request));

        when(request.getParameter("csrf")).thenReturn("");
        cookie("");
        assertFalse(CsrfGuard.verify(request), "two empty tokens are no token");

        when(request.getCookies()).thenReturn(null);
        when(request.getParameter("csrf")).thenReturn("abc123");
        assertFalse(CsrfGuard.verify(request));
    }

    @Test
    void theNextTokenIsOpenfiresWhenItOffersOneAndGoesIntoTheCookie() {
        when(request.getAttribute("csrf")).thenReturn("openfire-token");

        assertEquals("openfire-token", CsrfGuard.issue(request, response));

        ArgumentCaptor<Cookie> cookie = ArgumentCaptor.forClass(Cookie.class);
        verify(response).addCookie(cookie.capture());
        assertEquals("csrf", cookie.getValue().getName());
        assertEquals("openfire-token", cookie.getValue().getValue());
        assertTrue(cookie.getValue().isHttpOnly());
    }

    @Test
    void withoutOpenfiresTokenAFreshRandomOneIsMade() {
        // Openfire's StringUtils.randomString in production; its 4.2.0 class needs javax.mail to load.
        String token = CsrfGuard.issue(request, response, length -> "r".repeat(length));

        assertEquals("r".repeat(32), token);
        ArgumentCaptor<Cookie> cookie = ArgumentCaptor.forClass(Cookie.class);
        verify(response).addCookie(cookie.capture());
        assertEquals(token, cookie.getValue().getValue());
    }
}
