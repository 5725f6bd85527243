package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** System properties in memory, with every change recorded in order ("set NAME=VALUE", "delete NAME"). */
final class MemoryPropertyStore implements PropertyStore {
    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> changes = new ArrayList<>();

    @Override
    public String get(String name) {
        return values.get(name);
    }

    @Override
    public void set(String name, String value) {
        values.put(name, value);
        changes.add("set " + name + "=" + value);
    }

    @Override
    public void delete(String name) {
        values.remove(name);
        changes.add("delete " + name);
    }
}
