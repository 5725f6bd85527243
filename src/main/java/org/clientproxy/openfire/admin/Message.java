package org.clientproxy.openfire.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One line of a page's boxes, or of why a proxy does not run: a key of {@code clientproxy_i18n}
 * with the arguments for its placeholders, and the form field it is about ({@code null} for
 * none; the page then names the field by its label {@code clientproxy.field.<field>}). The page
 * formats it with {@code <fmt:message>} and escapes the result, so an argument may hold anything
 * an operator typed.
 */
public final class Message {
    private final String field;
    private final String key;
    private final List<Object> args;

    private Message(String field, String key, Object... args) {
        this.field = field;
        this.key = Objects.requireNonNull(key);
        this.args = List.copyOf(Arrays.asList(args));
    }

    static Message of(String key, Object... args) {
        return new Message(null, key, args);
    }

    static Message about(String field, String key, Object... args) {
        return new Message(field, key, args);
    }

    /** The form field this is about, or {@code null}. */
    public String getField() {
        return field;
    }

    /** The i18n key of the field's label, or {@code null}. */
    public String getFieldKey() {
        return field == null ? null : "clientproxy.field." + field;
    }

    public String getKey() {
        return key;
    }

    public List<Object> getArgs() {
        return args;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message message && Objects.equals(field, message.field) && key.equals(message.key)
                && args.equals(message.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, key, args);
    }

    @Override
    public String toString() {
        return (field == null ? "" : field + ": ") + key + (args.isEmpty() ? "" : args.toString());
    }
}
