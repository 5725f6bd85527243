package org.clientproxy.openfire.admin;

/**
 * One line of a success, warning or error box. Either a message of the plugin's bundle,
 * optionally about one form field (the box then names the field), or a text that is already
 * localized (Openfire's own messages, such as a failed CSRF check).
 */
public final class Notice {
    private final String field;
    private final AdminMessage message;
    private final String text;

    private Notice(String field, AdminMessage message, String text) {
        this.field = field;
        this.message = message;
        this.text = text;
    }

    public static Notice of(AdminMessage message) {
        return new Notice(null, message, null);
    }

    public static Notice of(String key, Object... args) {
        return of(AdminMessage.of(key, args));
    }

    /** A notice about one field of the form ({@link ProxyForm}'s field names). */
    public static Notice about(String field, AdminMessage message) {
        return new Notice(field, message, null);
    }

    /** A text that is already localized. */
    public static Notice text(String text) {
        return new Notice(null, null, text);
    }

    /** The form field this is about, or {@code null}. */
    public String getField() {
        return field;
    }

    /** The i18n key of the field's label ({@code clientproxy.field.<field>}), or {@code null}. */
    public String getFieldKey() {
        return field == null ? null : "clientproxy.field." + field;
    }

    /** The message, or {@code null} for a ready text. */
    public AdminMessage getMessage() {
        return message;
    }

    /** The ready text, or {@code null} for a message. */
    public String getText() {
        return text;
    }

    @Override
    public String toString() {
        return (field == null ? "" : field + ": ") + (message != null ? message : text);
    }
}
