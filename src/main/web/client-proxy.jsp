<%--
  Client Proxy: the table of all proxies, with links to add, edit and monitor them and a button
  to remove one. Everything it shows and does is in org.clientproxy.openfire.admin.ProxiesPage
  (Remove: ProxiesPage.remove). Every value goes through c:out, every text through fmt:message.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.clientproxy.openfire.admin.ProxiesPage" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/functions" prefix="fn" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    ProxiesPage proxiesPage = ProxiesPage.handle(webManager, request);
    if (proxiesPage.getRedirect() != null) {
        response.sendRedirect(proxiesPage.getRedirect());
        return;
    }
    request.setAttribute("adminPage", proxiesPage);
%>
<html>
<head>
    <title><fmt:message key="clientproxy.title"/></title>
    <meta name="pageID" content="client-proxy"/>
    <style>
        .cp-actions form { display: inline; margin: 0; }
        .cp-actions a, .cp-actions button { margin-right: 6px; }
        .cp-detail, .cp-reason, .cp-warning { display: block; font-size: 0.9em; margin-top: 2px; }
        .cp-reason, .cp-warning { color: #990000; }
        .cp-warning { font-weight: bold; }
        .cp-links a { margin-right: 16px; }
        td.cp-nowrap { white-space: nowrap; }
    </style>
</head>
<body>
<%@ include file="client-proxy-notices.jspf" %>

<p><fmt:message key="clientproxy.overview.intro"/></p>

<c:if test="${adminPage.pluginLoaded}">
    <p class="cp-links">
        <a href="client-proxy-edit.jsp"><fmt:message key="clientproxy.overview.add"/></a>
        <a href="client-proxy-monitor.jsp"><fmt:message key="clientproxy.overview.monitor"/></a>
    </p>
    <c:choose>
        <c:when test="${empty adminPage.proxies}">
            <p><fmt:message key="clientproxy.overview.none"/></p>
        </c:when>
        <c:otherwise>
            <div class="jive-table">
                <table cellpadding="0" cellspacing="0" border="0" width="100%">
                    <thead>
                    <tr>
                        <th><fmt:message key="clientproxy.column.address"/></th>
                        <th><fmt:message key="clientproxy.column.target"/></th>
                        <th><fmt:message key="clientproxy.column.strategy"/></th>
                        <th><fmt:message key="clientproxy.column.timeout"/></th>
                        <th><fmt:message key="clientproxy.column.limits"/></th>
                        <th><fmt:message key="clientproxy.column.allow"/></th>
                        <th><fmt:message key="clientproxy.column.enabled"/></th>
                        <th><fmt:message key="clientproxy.column.state"/></th>
                        <th><fmt:message key="clientproxy.column.actions"/></th>
                    </tr>
                    </thead>
                    <tbody>
                    <c:forEach var="proxy" items="${adminPage.proxies}" varStatus="loop">
                        <c:set var="settings" value="${proxy.settings}"/>
                        <c:url var="editUrl" value="client-proxy-edit.jsp"><c:param name="subdomain" value="${proxy.subdomain}"/></c:url>
                        <tr class="${loop.index % 2 == 0 ? 'jive-even' : 'jive-odd'}">
                            <td><c:out value="${proxy.address}"/></td>
                            <td>
                                <c:out value="${settings.target}"/>
                                <c:if test="${proxy.accountMissing}">
                                    <span class="cp-warning"><fmt:message key="clientproxy.warning.unknown-user.short"/></span>
                                </c:if>
                            </td>
                            <td class="cp-nowrap">
                                <c:choose>
                                    <c:when test="${proxy.strategyKnown}"><fmt:message key="clientproxy.strategy.${settings.strategy}"/></c:when>
                                    <c:otherwise><c:out value="${settings.strategy}"/></c:otherwise>
                                </c:choose>
                            </td>
                            <td class="cp-nowrap">
                                <fmt:message key="clientproxy.unit.milliseconds" var="timeoutText"><fmt:param value="${settings.timeoutMillis}"/></fmt:message>
                                <c:out value="${timeoutText}"/>
                            </td>
                            <td>
                                <fmt:message key="clientproxy.limits" var="limitsText"><fmt:param value="${settings.maxPerRequester}"/><fmt:param value="${settings.maxOutstanding}"/></fmt:message>
                                <c:out value="${limitsText}"/>
                            </td>
                            <td><c:out value="${settings.allow}"/></td>
                            <td><fmt:message key="clientproxy.enabled.${settings.enabled}"/></td>
                            <td>
                                <fmt:message key="clientproxy.state.${proxy.running ? 'running' : 'stopped'}"/>
                                <c:choose>
                                    <c:when test="${proxy.running}">
                                        <span class="cp-detail"><fmt:message key="clientproxy.presence.${proxy.presence}"/></span>
                                        <span class="cp-detail"><fmt:message key="clientproxy.overview.load"><fmt:param value="${fn:length(proxy.resources)}"/><fmt:param value="${proxy.outstanding}"/></fmt:message></span>
                                    </c:when>
                                    <c:otherwise>
                                        <c:forEach var="message" items="${proxy.reason}">
                                            <span class="cp-reason"><%@ include file="client-proxy-message.jspf" %></span>
                                        </c:forEach>
                                    </c:otherwise>
                                </c:choose>
                            </td>
                            <td class="cp-actions cp-nowrap">
                                <a href="client-proxy-monitor.jsp#proxy-<c:out value='${proxy.subdomain}'/>"><fmt:message key="clientproxy.action.monitor"/></a>
                                <a href="<c:out value='${editUrl}'/>"><fmt:message key="clientproxy.action.edit"/></a>
                                <fmt:message key="clientproxy.action.remove.confirm" var="confirmText"><fmt:param value="${proxy.address}"/></fmt:message>
                                <%-- ProxiesPage.remove --%>
                                <form method="post" action="client-proxy.jsp" data-confirm="<c:out value='${confirmText}'/>"
                                      onsubmit="return window.confirm(this.getAttribute('data-confirm'));">
                                    <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>"/>
                                    <input type="hidden" name="action" value="remove"/>
                                    <input type="hidden" name="subdomain" value="<c:out value='${proxy.subdomain}'/>"/>
                                    <button type="submit"><fmt:message key="clientproxy.action.remove"/></button>
                                </form>
                            </td>
                        </tr>
                    </c:forEach>
                    </tbody>
                </table>
            </div>
        </c:otherwise>
    </c:choose>
    <p><small><fmt:message key="clientproxy.overview.properties"/></small></p>
</c:if>
</body>
</html>
