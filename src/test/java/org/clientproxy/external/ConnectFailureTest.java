package org.clientproxy.external;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.net.ConnectException;

import org.clientproxy.external.ConnectFailure.Kind;
import org.junit.jupiter.api.Test;
import org.xmpp.component.ComponentException;
import org.xmpp.packet.StreamError;

/** What each answer to the handshake means, whichever server gave it. */
class ConnectFailureTest {
    private final ExternalConfig config = config();

    @Test
    void notAuthorizedNamesBothCausesSinceEjabberdAnswersSoForAnUndeclaredComponentToo() {
        ConnectFailure failure = of(new StreamError(StreamError.Condition.not_authorized));

        assertEquals(Kind.NOT_ACCEPTED, failure.kind());
        assertEquals("the server at xmpp.example.org:5347 refused the component svc.example.org (not-authorized):"
                + " either the secret is wrong or the server does not declare svc.example.org (ejabberd answers both"
                + " alike); check both against the server's configuration", failure.message());
    }

    @Test
    void hostUnknownIsAnUndeclaredComponentAndNotAcceptedLikeAWrongSecret() {
        ConnectFailure failure = of(new StreamError(StreamError.Condition.host_unknown));

        assertEquals(Kind.NOT_ACCEPTED, failure.kind());
        assertEquals("the server at xmpp.example.org:5347 has no component svc.example.org (host-unknown):"
                + " check subdomain and domain against the server's configuration", failure.message());
    }

    @Test
    void conflictAndOtherStreamErrorsAreRefusals() {
        assertEquals(Kind.REFUSED, of(new StreamError(StreamError.Condition.conflict)).kind());
        assertEquals(Kind.REFUSED, of(new StreamError(StreamError.Condition.policy_violation)).kind());
    }

    @Test
    void noServerAtThePortOrAHandshakeCutShortIsUnreachable() {
        ConnectFailure refused = ConnectFailure.of(new ComponentException(new ConnectException("Connection refused")), config);
        assertEquals(Kind.UNREACHABLE, refused.kind());
        assertEquals("cannot reach the XMPP server's component port at xmpp.example.org:5347 (Connection refused)",
                refused.message());

        ConnectFailure cut = ConnectFailure.of(new ComponentException(new EOFException("no more data available")), config);
        assertEquals(Kind.UNREACHABLE, cut.kind());
        assertEquals("the component handshake with xmpp.example.org:5347 as svc.example.org failed"
                + " (EOFException: no more data available)", cut.message());
    }

    private ConnectFailure of(StreamError error) {
        return ConnectFailure.of(new ComponentException(error), config);
    }

    private static ExternalConfig config() {
        try {
            return ExternalConfig.parse(key -> switch (key) {
                case "serverHost" -> "xmpp.example.org";
                case "domain" -> "example.org";
                case "secret" -> "s3cret";
                case "subdomain" -> "svc";
                case "target" -> "impl@example.org";
                default -> null;
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
