package org.clientproxy.openfire.admin;

import java.util.Date;

/** One online resource of a proxy's implementing account, as the monitor shows it. */
public final class ResourceRow {
    private final String address;
    private final Date onlineSince;
    private final int outstanding;

    ResourceRow(String address, Date onlineSince, int outstanding) {
        this.address = address;
        this.onlineSince = onlineSince;
        this.outstanding = outstanding;
    }

    /** The resource's full JID. */
    public String getAddress() {
        return address;
    }

    /** When the proxy learned it is online (a {@link Date}, for {@code <fmt:formatDate>}). */
    public Date getOnlineSince() {
        return new Date(onlineSince.getTime());
    }

    /** Requests forwarded to this resource and not answered yet. */
    public int getOutstanding() {
        return outstanding;
    }
}
