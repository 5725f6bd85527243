package org.clientproxy.openfire.admin;

/** Openfire's system properties, as the admin pages read and write them ({@link JivePropertyStore}). */
public interface PropertyStore {

    /** The value, or {@code null} when the property is not set. */
    String get(String name);

    void set(String name, String value);

    void delete(String name);
}
