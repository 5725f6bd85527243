package org.clientproxy.openfire.admin;

/**
 * Openfire's admin audit log: in a page, {@code webManager::logEvent}, which records the
 * logged-in admin with each entry.
 */
@FunctionalInterface
public interface AuditLog {

    void logEvent(String summary, String details);
}
