package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;

/** The admin audit log, kept as "summary | details" lines. */
final class RecordingAudit implements AuditLog {
    final List<String> events = new ArrayList<>();

    @Override
    public void logEvent(String summary, String details) {
        events.add(summary + " | " + details);
    }
}
