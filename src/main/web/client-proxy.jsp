<%--
  Client Proxy: the table of all proxies, with links to add, edit and monitor them and a button
  to remove one. The page logic is in org.clientproxy.openfire.admin.OverviewPage; this page only
  renders its PageView. Every value goes through c:out, every text through fmt:message.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.clientproxy.openfire.admin.AdminPages" %>
<%@ page import="org.clientproxy.openfire.admin.AdminRequest" %>
<%@ page import="org.clientproxy.openfire.admin.PageResult" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    PageResult<?> result = AdminPages.forOpenfire(webManager::logEvent).overview(AdminRequest.of(request, response));
    if (result.isRedirect()) {
        response.sendRedirect(result.getRedirect());
        return;
    }
    request.setAttribute("view", result.getView());
%>
<html>
<head>
    <title><fmt:message key="clientproxy.title"/></title>
    <meta name="pageID" content="client-proxy"/>
    <style>
        .cp-actions form { display: inline; margin: 0; }
        .cp-actions a, .cp-actions button { margin-right: 6px; }
        .cp-detail, .cp-reason, .cp-warning { display: block; font-size: 0.9em; margin-top: 2px; }
        .cp-reason { color: #990000; }
        .cp-warning { color: #915A15; }
        .cp-links a { margin-right: 16px; }
        td.cp-nowrap { white-space: nowrap; }
    </style>
</head>
<body>
<%@ include file="client-proxy-notices.jspf" %>

<p><fmt:message key="clientproxy.overview.intro"/></p>

<c:if test="${view.pluginLoaded}">
    <p class="cp-links">
        <a href="client-proxy-edit.jsp"><fmt:message key="clientproxy.overview.add"/></a>
        <a href="client-proxy-monitor.jsp"><fmt:message key="clientproxy.overview.monitor"/></a>
    </p>
    <c:choose>
        <c:when test="${empty view.model.proxies}">
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
                        <th><fmt:message key="clientproxy.column.caps"/></th>
                        <th><fmt:message key="clientproxy.column.enabled"/></th>
                        <th><fmt:message key="clientproxy.column.state"/></th>
                        <th><fmt:message key="clientproxy.column.actions"/></th>
                    </tr>
                    </thead>
                    <tbody>
                    <c:forEach var="proxy" items="${view.model.proxies}" varStatus="loop">
                        <c:url var="editUrl" value="client-proxy-edit.jsp"><c:param name="subdomain" value="${proxy.subdomain}"/></c:url>
                        <c:url var="monitorUrl" value="client-proxy-monitor.jsp"/>
                        <tr class="${loop.index % 2 == 0 ? 'jive-even' : 'jive-odd'}">
                            <td><c:out value="${proxy.address}"/></td>
                            <td>
                                <c:out value="${proxy.target}"/>
                                <c:if test="${not empty proxy.warning}">
                                    <fmt:message key="${proxy.warning.key}" var="warningText"><c:forEach var="arg" items="${proxy.warning.args}"><fmt:param value="${arg}"/></c:forEach></fmt:message>
                                    <span class="cp-warning" title="<c:out value='${warningText}'/>"><fmt:message key="clientproxy.warning.unknown-user.short"/></span>
                                </c:if>
                            </td>
                            <td>
                                <c:choose>
                                    <c:when test="${proxy.strategyKnown}"><fmt:message key="clientproxy.strategy.${proxy.strategy}"/></c:when>
                                    <c:otherwise><c:out value="${proxy.strategy}"/></c:otherwise>
                                </c:choose>
                            </td>
                            <td>
                                <fmt:message key="clientproxy.unit.milliseconds" var="timeoutText"><fmt:param value="${proxy.timeoutMillis}"/></fmt:message>
                                <c:out value="${timeoutText}"/>
                            </td>
                            <td>
                                <fmt:message key="clientproxy.caps" var="capsText"><fmt:param value="${proxy.maxPerRequester}"/><fmt:param value="${proxy.maxOutstanding}"/></fmt:message>
                                <c:out value="${capsText}"/>
                            </td>
                            <td><fmt:message key="clientproxy.enabled.${proxy.enabled}"/></td>
                            <td>
                                <fmt:message key="clientproxy.state.${proxy.stateKey}"/>
                                <c:choose>
                                    <c:when test="${proxy.running}">
                                        <span class="cp-detail"><fmt:message key="clientproxy.subscription.${proxy.subscriptionKey}"/></span>
                                        <span class="cp-detail"><fmt:message key="clientproxy.overview.load"><fmt:param value="${proxy.onlineResources}"/><fmt:param value="${proxy.outstanding}"/></fmt:message></span>
                                    </c:when>
                                    <c:otherwise>
                                        <c:forEach var="notice" items="${proxy.reason}">
                                            <span class="cp-reason"><%@ include file="client-proxy-notice.jspf" %></span>
                                        </c:forEach>
                                    </c:otherwise>
                                </c:choose>
                            </td>
                            <td class="cp-actions cp-nowrap">
                                <a href="<c:out value='${monitorUrl}'/>#proxy-<c:out value='${proxy.subdomain}'/>"><fmt:message key="clientproxy.action.monitor"/></a>
                                <a href="<c:out value='${editUrl}'/>"><fmt:message key="clientproxy.action.edit"/></a>
                                <fmt:message key="clientproxy.action.remove.confirm" var="confirmText"><fmt:param value="${proxy.address}"/></fmt:message>
                                <form method="post" action="client-proxy.jsp" data-confirm="<c:out value='${confirmText}'/>"
                                      onsubmit="return window.confirm(this.getAttribute('data-confirm'));">
                                    <input type="hidden" name="csrf" value="<c:out value='${view.csrf}'/>"/>
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
