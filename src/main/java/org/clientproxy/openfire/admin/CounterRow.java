package org.clientproxy.openfire.admin;

/**
 * One counter of a proxy: its i18n key suffix ({@code clientproxy.counter.<key>} labels it,
 * {@code clientproxy.counter.<key>.help} explains it) and its value.
 */
public final class CounterRow {
    private final String key;
    private final long value;

    CounterRow(String key, long value) {
        this.key = key;
        this.value = value;
    }

    public String getKey() {
        return key;
    }

    public long getValue() {
        return value;
    }
}
