package org.clientproxy.openfire;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for Openfire 5.1.1's {@code org.jivesoftware.util.SystemProperty}, with the members
 * {@link ReflectiveSystemProperties} calls, behaving as that source does: {@code build()} refuses
 * a key that is registered already, and {@code removePropertiesForPlugin} removes every property
 * of that plugin.
 */
public final class FakeSystemProperty<T> {
    static final Map<String, FakeSystemProperty<?>> PROPERTIES = new ConcurrentHashMap<>();

    final String key;
    final T defaultValue;
    final boolean dynamic;
    final String plugin;

    private FakeSystemProperty(Builder<T> builder) {
        this.key = builder.key;
        this.defaultValue = builder.defaultValue;
        this.dynamic = builder.dynamic;
        this.plugin = builder.plugin;
    }

    public static void removePropertiesForPlugin(String plugin) {
        PROPERTIES.values().removeIf(property -> property.plugin.equals(plugin));
    }

    public static Optional<FakeSystemProperty<?>> getProperty(String key) {
        return Optional.ofNullable(PROPERTIES.get(key));
    }

    public static final class Builder<T> {
        private String key;
        private T defaultValue;
        private Boolean dynamic;
        private String plugin = "Openfire";

        private Builder() {
        }

        public static <T> Builder<T> ofType(Class<T> type) {
            return new Builder<>();
        }

        public Builder<T> setKey(String key) {
            this.key = key;
            return this;
        }

        public Builder<T> setDefaultValue(T defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder<T> setDynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        public Builder<T> setPlugin(String plugin) {
            this.plugin = plugin;
            return this;
        }

        public FakeSystemProperty<T> build() {
            if (key == null || dynamic == null) {
                throw new NullPointerException("key and dynamism are required");
            }
            if (PROPERTIES.containsKey(key)) {
                throw new IllegalArgumentException("A SystemProperty already exists with a key of " + key);
            }
            FakeSystemProperty<T> property = new FakeSystemProperty<>(this);
            PROPERTIES.put(key, property);
            return property;
        }
    }
}
