package org.clientproxy.openfire.admin;

import java.util.Objects;

/**
 * What a page does with a request: show a view, or, after a change, redirect to a page that
 * shows the outcome (Post/Redirect/Get, so that reloading it never posts again).
 *
 * @param <M> the page's model
 */
public final class PageResult<M> {
    private final String redirect;
    private final PageView<M> view;

    private PageResult(String redirect, PageView<M> view) {
        this.redirect = redirect;
        this.view = view;
    }

    public static <M> PageResult<M> show(PageView<M> view) {
        return new PageResult<>(null, Objects.requireNonNull(view));
    }

    /** @param location relative to the plugin's pages, e.g. {@code client-proxy.jsp?success=added} */
    public static <M> PageResult<M> redirect(String location) {
        return new PageResult<>(Objects.requireNonNull(location), null);
    }

    public boolean isRedirect() {
        return redirect != null;
    }

    /** Where to redirect, or {@code null} when the view is shown. */
    public String getRedirect() {
        return redirect;
    }

    /** The view to render, or {@code null} when redirecting. */
    public PageView<M> getView() {
        return view;
    }
}
