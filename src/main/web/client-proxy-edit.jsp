<%--
  Client Proxy: the form to add a proxy or edit one; a text field is one line (its name and
  size, then client-proxy-field.jspf). Everything it shows and does is in
  org.clientproxy.openfire.admin.ProxyEditPage (Save: ProxyEditPage.save; the checks:
  ProxyForm.check). A refused form comes back as it was typed.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.clientproxy.openfire.admin.ProxyEditPage" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    ProxyEditPage editPage = ProxyEditPage.handle(webManager, request);
    if (editPage.getRedirect() != null) {
        response.sendRedirect(editPage.getRedirect());
        return;
    }
    request.setAttribute("adminPage", editPage);
%>
<c:set var="form" value="${adminPage.form}"/>
<c:set var="value" value="${form.values}"/>
<c:set var="invalid" value="${form.errors}"/>
<html>
<head>
    <title><fmt:message key="clientproxy.edit.title.${form.editing ? 'edit' : 'add'}"/></title>
    <meta name="pageID" content="client-proxy"/>
    <style>
        table.cp-form td { padding: 6px 8px; vertical-align: top; }
        table.cp-form td.cp-label { width: 200px; padding-top: 9px; }
        .cp-help { display: block; color: #666; font-size: 0.9em; margin-top: 3px; }
        .cp-invalid input, .cp-invalid select { border: 2px solid #BB0000; }
        .cp-invalid label { color: #990000; }
        .cp-buttons { margin-top: 12px; }
        .cp-buttons a { margin-left: 12px; }
    </style>
</head>
<body>
<%@ include file="client-proxy-notices.jspf" %>

<c:if test="${adminPage.pluginLoaded}">
    <p><fmt:message key="clientproxy.edit.intro.${form.editing ? 'edit' : 'add'}"/></p>

    <%-- ProxyEditPage.save --%>
    <form method="post" action="client-proxy-edit.jsp">
        <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>"/>
        <c:if test="${form.editing}">
            <input type="hidden" name="original" value="<c:out value='${form.original}'/>"/>
        </c:if>
        <div class="jive-contentBoxHeader"><fmt:message key="clientproxy.edit.settings"/></div>
        <div class="jive-contentBox">
            <table class="cp-form" cellpadding="0" cellspacing="0" border="0">
                <tbody>
                <tr class="${not empty invalid['subdomain'] ? 'cp-invalid' : ''}">
                    <td class="cp-label"><label for="cp-subdomain"><fmt:message key="clientproxy.field.subdomain"/></label></td>
                    <td>
                        <input type="text" id="cp-subdomain" name="subdomain" size="24" maxlength="63" required
                               value="<c:out value='${value.subdomain}'/>"/>&nbsp;.<c:out value="${adminPage.domain}"/>
                        <span class="cp-help"><fmt:message key="clientproxy.field.subdomain.help"/></span>
                    </td>
                </tr>
                <c:set var="field" value="target"/><c:set var="size" value="40"/><%@ include file="client-proxy-field.jspf" %>
                <tr class="${not empty invalid['strategy'] ? 'cp-invalid' : ''}">
                    <td class="cp-label"><label for="cp-strategy"><fmt:message key="clientproxy.field.strategy"/></label></td>
                    <td>
                        <select id="cp-strategy" name="strategy">
                            <c:forEach var="strategy" items="${adminPage.strategies}">
                                <option value="<c:out value='${strategy}'/>" ${strategy eq value.strategy ? 'selected' : ''}>
                                    <fmt:message key="clientproxy.strategy.${strategy}"/>
                                </option>
                            </c:forEach>
                        </select>
                        <span class="cp-help"><fmt:message key="clientproxy.field.strategy.help"/></span>
                    </td>
                </tr>
                <c:set var="field" value="timeoutMillis"/><c:set var="size" value="10"/><%@ include file="client-proxy-field.jspf" %>
                <c:set var="field" value="unresponsiveMillis"/><c:set var="size" value="10"/><%@ include file="client-proxy-field.jspf" %>
                <c:set var="field" value="maxPerRequester"/><c:set var="size" value="10"/><%@ include file="client-proxy-field.jspf" %>
                <c:set var="field" value="maxOutstanding"/><c:set var="size" value="10"/><%@ include file="client-proxy-field.jspf" %>
                <c:set var="field" value="allow"/><c:set var="size" value="60"/><%@ include file="client-proxy-field.jspf" %>
                <tr>
                    <td class="cp-label"><label for="cp-enabled"><fmt:message key="clientproxy.field.enabled"/></label></td>
                    <td>
                        <input type="checkbox" id="cp-enabled" name="enabled" value="true" ${form.enabled ? 'checked' : ''}/>
                        <span class="cp-help"><fmt:message key="clientproxy.field.enabled.help"/></span>
                    </td>
                </tr>
                </tbody>
            </table>
        </div>
        <div class="cp-buttons">
            <button type="submit"><fmt:message key="clientproxy.action.save"/></button>
            <a href="client-proxy.jsp"><fmt:message key="clientproxy.action.cancel"/></a>
        </div>
    </form>
</c:if>
<c:if test="${not adminPage.pluginLoaded}">
    <p><a href="client-proxy.jsp"><fmt:message key="clientproxy.action.back"/></a></p>
</c:if>
</body>
</html>
