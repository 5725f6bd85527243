package org.clientproxy.external;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.xmpp.component.ComponentException;
import org.xmpp.packet.StreamError;

/**
 * Why a connection attempt failed, in one line a person can act on.
 *
 * @param kind    what went wrong, broadly: it decides the exit code and how soon to try again
 * @param message the explanation, naming the server and the component
 */
public record ConnectFailure(Kind kind, String message) {

    public enum Kind {
        /**
         * No XMPP server answered at the component port (refused, timed out, unknown host), or the
         * handshake broke off without a stream error: the server is down or not yet up.
         */
        UNREACHABLE,
        /**
         * The server does not accept the component as configured: {@code not-authorized} (a wrong
         * secret, or on ejabberd also a component it does not declare: the answer does not say
         * which) or {@code host-unknown} (Prosody: no such component). A person has to change a
         * configuration.
         */
        NOT_ACCEPTED,
        /** The server refused the component for another reason ({@code conflict}: connected already, ...). */
        REFUSED
    }

    static ConnectFailure of(ComponentException exception, ExternalConfig config) {
        String server = config.serverHost() + ":" + config.componentPort();
        String component = config.componentDomain();
        StreamError error = exception.getStreamError();
        if (error != null) {
            String detail = error.getText() == null ? "" : ": " + error.getText();
            return switch (error.getCondition()) {
                // XEP-0114: a failed handshake is not-authorized; ejabberd answers so for an undeclared component too.
                case not_authorized -> new ConnectFailure(Kind.NOT_ACCEPTED, "the server at " + server
                        + " refused the component " + component + " (not-authorized" + detail
                        + "): either the secret is wrong or the server does not declare " + component
                        + " (ejabberd answers both alike); check both against the server's configuration");
                case host_unknown -> new ConnectFailure(Kind.NOT_ACCEPTED, "the server at " + server
                        + " has no component " + component + " (host-unknown" + detail
                        + "): check subdomain and domain against the server's configuration");
                case conflict -> new ConnectFailure(Kind.REFUSED, "another component is already connected to "
                        + server + " as " + component + " (conflict" + detail + ")");
                default -> new ConnectFailure(Kind.REFUSED, "the server at " + server + " refused " + component
                        + " (" + error.getCondition().toXMPP() + detail + ")");
            };
        }
        Throwable cause = exception.getCause();
        if (cause instanceof UnknownHostException) {
            return new ConnectFailure(Kind.UNREACHABLE, "unknown host " + config.serverHost());
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException) {
            return new ConnectFailure(Kind.UNREACHABLE, "cannot reach the XMPP server's component port at "
                    + server + " (" + cause.getMessage() + ")");
        }
        String reason = cause == null ? exception.getMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new ConnectFailure(Kind.UNREACHABLE, "the component handshake with " + server + " as " + component
                + " failed (" + reason + ")");
    }
}
