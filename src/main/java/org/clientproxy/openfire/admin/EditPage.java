package org.clientproxy.openfire.admin;

import java.util.Map;
import java.util.Set;

/**
 * The add/edit page ({@code client-proxy-edit.jsp}). GET shows an empty form, or with
 * {@code ?subdomain=<subdomain>} the form of that proxy; POST checks the form and either shows it
 * again as typed with the problems named, or saves it and redirects to the proxies page.
 */
public final class EditPage {
    public static final String PAGE = "client-proxy-edit.jsp";

    private final AdminBackend backend;
    private final ProxyConfiguration configuration;
    private final ProxyFormValidator validator;
    private final ProxyAdministration administration;

    EditPage(AdminBackend backend, ProxyConfiguration configuration, ProxyFormValidator validator,
             ProxyAdministration administration) {
        this.backend = backend;
        this.configuration = configuration;
        this.validator = validator;
        this.administration = administration;
    }

    public PageResult<EditModel> handle(AdminRequest request) {
        return request.isPost() ? submit(request) : open(request);
    }

    private PageResult<EditModel> open(AdminRequest request) {
        String subdomain = request.parameter(PageNotices.SUBDOMAIN);
        if (subdomain == null || subdomain.isEmpty()) {
            return PageResult.show(PageNotices.view(model(ProxyForm.blank(), Set.of()), request));
        }
        Map<String, String> values = configuration.read().get(subdomain);
        if (values == null) {
            return PageResult.show(PageNotices.view(model(ProxyForm.blank(), Set.of()), request)
                    .error(Notice.of("clientproxy.error.unknown-proxy", subdomain)));
        }
        return PageResult.show(PageNotices.view(model(ProxyForm.of(subdomain, values), Set.of()), request));
    }

    private PageResult<EditModel> submit(AdminRequest request) {
        ProxyForm form = ProxyForm.fromParameters(request::parameter);
        if (!request.isCsrfValid()) {
            return PageResult.show(PageNotices.csrfFailed(model(form, Set.of()), request));
        }
        FormCheck check = validator.check(form, configuration.subdomains());
        if (!check.isValid()) {
            PageView<EditModel> view = PageNotices.view(model(form, check.getInvalidFields()), request);
            check.getErrors().forEach((field, message) -> view.error(
                    ProxyFormValidator.FORM.equals(field) ? Notice.of(message) : Notice.about(field, message)));
            check.getWarnings().forEach(warning -> view.warning(Notice.of(warning)));
            return PageResult.show(view);
        }
        ProxyAdministration.Outcome outcome = administration.save(form.getOriginal(), check.settings());
        return PageResult.redirect(PageNotices.redirect(OverviewPage.PAGE, form.isEditing() ? "saved" : "added",
                check.settings().subdomain(), outcome));
    }

    private EditModel model(ProxyForm form, Set<String> invalidFields) {
        return new EditModel(form, backend.domain(), invalidFields);
    }
}
