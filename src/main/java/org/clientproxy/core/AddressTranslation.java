package org.clientproxy.core;

import org.xmpp.packet.JID;

/**
 * Jabber Address Translation in the wire format of Prosody's mod_client_proxy, which existing
 * implementing clients rely on: a request from {@code u@example/abc} reaches the implementing
 * client from {@code svc.example/u@example/abc}, and its reply to that address goes back to
 * {@code u@example/abc}.
 */
final class AddressTranslation {
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
        try {
            // Stringprep results are cached by Tinder, so a returning requester costs a lookup.
            return new JID(null, serviceDomain, requester);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The requester a reply addressed to {@code to} is meant for, as the string that
     * {@link #encode} was given, or {@code null} when {@code to} is not a translated address.
     */
    static String requesterOf(JID to) {
        return to == null ? null : to.getResource();
    }
}
