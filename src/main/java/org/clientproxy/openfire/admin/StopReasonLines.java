package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;

import org.clientproxy.openfire.ProxyState;
import org.clientproxy.openfire.StopReason;

/** Why a proxy does not run, as lines that the pages render like the lines of a box. */
final class StopReasonLines {
    private StopReasonLines() {
    }

    /**
     * The reason's message; for invalid settings, then one line per wrong field, named by its label
     * and saying what the form says about such a value. Empty when the proxy runs.
     */
    static List<Notice> of(ProxyState state) {
        if (state.running()) {
            return List.of();
        }
        StopReason reason = state.reason();
        List<Notice> lines = new ArrayList<>();
        lines.add(Notice.of(reason.key(), reason.args().toArray()));
        for (String field : reason.invalidFields()) {
            lines.add(Notice.about(field, ProxyFormValidator.valueError(field, state.values().get(field))));
        }
        return List.copyOf(lines);
    }
}
