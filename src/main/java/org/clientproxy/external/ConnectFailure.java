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
 * @param kind    what went wrong, broadly
 * @param message the explanation, naming the server and the component
 */
public record ConnectFailure(Kind kind, String message) {

    public enum Kind {
        /** The server answered the handshake with {@code not-authorized}: a wrong secret. */
        SECRET_REFUSED,
        /** No XMPP server listens there, or the address cannot be resolved. */
        UNREACHABLE,
        /** The server refused the component for another reason (unknown host, conflict, ...). */
        REFUSED
    }

    static ConnectFailure of(ComponentException exception, ExternalConfig config) {
        String server = config.serverHost() + ":" + config.componentPort();
        String component = config.componentDomain();
        StreamError error = exception.getStreamError();
        if (error != null) {
            String detail = error.getText() == null ? "" : ": " + error.getText();
            return switch (error.getCondition()) {
                case not_authorized -> new ConnectFailure(Kind.SECRET_REFUSED, "the server at " + server
                        + " refused the shared secret for " + component + " (not-authorized" + detail + ")");
                case host_unknown -> new ConnectFailure(Kind.REFUSED, "the server at " + server
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
        return new ConnectFailure(Kind.REFUSED, "the component handshake with " + server + " as " + component
                + " failed (" + reason + ")");
    }
}
