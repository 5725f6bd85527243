/**
 * The proxy itself, independent of any XMPP server: address translation, the table of the
 * implementing client's online resources, the outstanding requests and the forwarding rules.
 * Depends on Tinder and the JDK only.
 */
package org.clientproxy.core;
