package org.clientproxy.core;

import org.xmpp.packet.JID;

/**
 * Jabber Address Translation in the wire format of Prosody's mod_client_proxy, which existing
 * implementing clients rely on: a request from {@code u@example/abc} reaches the implementing
 * client from {@code svc.example/u@example/abc}, and its reply to that address goes back to
 * {@code u@example/abc}.
 */
final class AddressTranslation {
    /** Longest resource in bytes of UTF-8 (RFC 6122); an ASCII string has as many bytes as characters. */
    private static final int MAX_RESOURCE_BYTES = 1023;

    private final String serviceDomain;

    AddressTranslation(String serviceDomain) {
        this.serviceDomain = serviceDomain;
    }

    /**
     * The address a request from {@code requester} is forwarded from, or {@code null} when the
     * requester's JID is not a valid resource (longer than 1023 bytes, or failing resourceprep,
     * e.g. mixing left-to-right and right-to-left text).
     */
    JID encode(String requester) {
        // The usual requester is printable ASCII, which resourceprep leaves as it is and never
        // refuses: its JID is made without a look-up in Tinder's stringprep caches (see BENCHMARKS.md).
        if (!requester.isEmpty() && requester.length() <= MAX_RESOURCE_BYTES && isPrintableAscii(requester)) {
            return new JID(null, serviceDomain, requester, true);
        }
        try {
            // Anything else goes through resourceprep, whose results Tinder caches.
            return new JID(null, serviceDomain, requester);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The requester a reply addressed to {@code to} (as it stands in the stanza) is meant for, as
     * the string {@link #encode} was given: what follows the first {@code /}, as {@link JID} splits
     * it; {@code null} when nothing does, i.e. {@code to} is not a translated address.
     */
    static String requesterOf(String to) {
        int slash = to == null ? -1 : to.indexOf('/');
        return slash < 0 || slash == to.length() - 1 ? null : to.substring(slash + 1);
    }
}
