package org.clientproxy.openfire.admin;

/** The user accounts of this server, as far as the admin pages ask about them. */
@FunctionalInterface
public interface LocalUsers {

    /** Whether the account with this username (the local part of a JID of this server) exists. */
    boolean exists(String username);
}
