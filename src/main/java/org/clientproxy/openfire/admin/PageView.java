package org.clientproxy.openfire.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one admin page renders: its model, the boxes above it and the CSRF token its forms
 * carry. The JSP reads these getters and nothing else.
 *
 * @param <M> the page's own model
 */
public final class PageView<M> {
    private final boolean pluginLoaded;
    private final M model;
    private final List<Notice> successes = new ArrayList<>();
    private final List<Notice> warnings = new ArrayList<>();
    private final List<Notice> errors = new ArrayList<>();
    private String csrf = "";

    private PageView(boolean pluginLoaded, M model) {
        this.pluginLoaded = pluginLoaded;
        this.model = model;
    }

    public static <M> PageView<M> of(M model) {
        return new PageView<>(true, model);
    }

    /** The page of a plugin that is not loaded: nothing to show but an error. */
    public static <M> PageView<M> pluginNotLoaded() {
        PageView<M> view = new PageView<>(false, null);
        view.error(Notice.of("clientproxy.error.not-loaded"));
        return view;
    }

    PageView<M> success(Notice notice) {
        successes.add(notice);
        return this;
    }

    PageView<M> warning(Notice notice) {
        warnings.add(notice);
        return this;
    }

    PageView<M> error(Notice notice) {
        errors.add(notice);
        return this;
    }

    PageView<M> csrf(String token) {
        this.csrf = token == null ? "" : token;
        return this;
    }

    /** False while the plugin is not loaded (a page served by a stale class loader). */
    public boolean isPluginLoaded() {
        return pluginLoaded;
    }

    public M getModel() {
        return model;
    }

    public List<Notice> getSuccesses() {
        return List.copyOf(successes);
    }

    public List<Notice> getWarnings() {
        return List.copyOf(warnings);
    }

    public List<Notice> getErrors() {
        return List.copyOf(errors);
    }

    /** The token every form of the page sends back as its {@code csrf} field. */
    public String getCsrf() {
        return csrf;
    }
}
