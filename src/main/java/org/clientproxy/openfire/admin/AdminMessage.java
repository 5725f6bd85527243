package org.clientproxy.openfire.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A text of the admin pages by reference: an i18n key of {@code clientproxy_i18n} and the
 * arguments for its placeholders. The page renders it with {@code <fmt:message>} and escapes
 * the result, so arguments may hold anything an operator typed.
 */
public final class AdminMessage {
    private final String key;
    private final List<Object> args;

    private AdminMessage(String key, List<Object> args) {
        this.key = Objects.requireNonNull(key);
        this.args = args;
    }

    public static AdminMessage of(String key, Object... args) {
        return new AdminMessage(key, List.copyOf(Arrays.asList(args)));
    }

    public String getKey() {
        return key;
    }

    public List<Object> getArgs() {
        return args;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdminMessage message && key.equals(message.key) && args.equals(message.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, args);
    }

    @Override
    public String toString() {
        return args.isEmpty() ? key : key + args;
    }
}
