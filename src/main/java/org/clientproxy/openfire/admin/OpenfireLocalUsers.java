package org.clientproxy.openfire.admin;

import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.user.UserNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Openfire's user manager as {@link LocalUsers}. Uses {@code getUser(String)}, which Openfire
 * 4.2 and 5.x both have ({@code isRegisteredUser(String)} is gone in 5.x). When the user
 * provider fails (a directory that is down), the account is taken to exist: the answer only
 * decides whether a warning is shown.
 */
final class OpenfireLocalUsers implements LocalUsers {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireLocalUsers.class);

    @Override
    public boolean exists(String username) {
        try {
            XMPPServer.getInstance().getUserManager().getUser(username);
            return true;
        } catch (UserNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            LOG.debug("Could not look up the user {}", username, e);
            return true;
        }
    }
}
