package org.clientproxy.e2e;

import java.io.IOException;
import java.util.Map;

/** The XMPP servers every end-to-end scenario runs on. */
public enum ServerKind {
    PROSODY("Prosody") {
        @Override
        public XmppServer start(Map<String, String> components, Map<String, String> accounts)
                throws IOException, InterruptedException {
            return ProsodyServer.start(components, accounts);
        }
    },
    EJABBERD("ejabberd") {
        @Override
        public XmppServer start(Map<String, String> components, Map<String, String> accounts)
                throws IOException, InterruptedException {
            return EjabberdServer.start(components, accounts);
        }
    };

    private final String displayName;

    ServerKind(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Starts a throwaway server of this kind.
     *
     * @param components external component host to its secret, e.g. {@code svc.localhost -> s3cret}
     * @param accounts   user name (on {@link XmppServer#DOMAIN}) to password
     */
    public abstract XmppServer start(Map<String, String> components, Map<String, String> accounts)
            throws IOException, InterruptedException;

    @Override
    public String toString() {
        return displayName;
    }
}
