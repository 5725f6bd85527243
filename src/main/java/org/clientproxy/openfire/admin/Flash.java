package org.clientproxy.openfire.admin;

import java.util.List;

import javax.servlet.http.HttpSession;

/**
 * The outcome of an action, kept in the operator's HTTP session from the POST that did it until
 * the GET of the page it redirected to, which shows it once: a link cannot put a message on a
 * page, and a reload does not show it again (Openfire's own pages keep their "success" in the
 * session the same way, FlashMessageTag). It is held as JDK strings, so that a plugin reloaded in
 * between still reads it.
 *
 * @param page      the page that shows it ({@code client-proxy.jsp}, ...)
 * @param subdomain the proxy it is about
 * @param success   the success message, with the proxy's address as its argument
 * @param pending   whether the change was saved but not applied yet
 */
record Flash(String page, String subdomain, Message success, boolean pending) {
    static final String ATTRIBUTE = "org.clientproxy.flash";

    void put(HttpSession session) {
        session.setAttribute(ATTRIBUTE, List.of(page, subdomain, success.getKey(),
                String.valueOf(success.getArgs().get(0)), Boolean.toString(pending)));
    }

    /** Takes the outcome kept for {@code page} out of the session, or {@code null} when there is none. */
    static Flash take(HttpSession session, String page) {
        if (session.getAttribute(ATTRIBUTE) instanceof List<?> kept && kept.size() == 5 && page.equals(kept.get(0))) {
            session.removeAttribute(ATTRIBUTE);
            return new Flash(page, (String) kept.get(1), Message.of((String) kept.get(2), kept.get(3)),
                    Boolean.parseBoolean((String) kept.get(4)));
        }
        return null;
    }
}
