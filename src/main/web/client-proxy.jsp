<%--
  Client Proxy: the configured proxies and their state. Read-only; it renders the ProxyOverview
  that ProxyOverviewBuilder builds and holds no logic of its own. Every value goes through c:out.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.clientproxy.openfire.admin.ProxyOverviewBuilder" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<% request.setAttribute("overview", ProxyOverviewBuilder.forLoadedPlugin()); %>
<html>
<head>
    <title><fmt:message key="clientproxy.title"/></title>
    <meta name="pageID" content="client-proxy"/>
</head>
<body>
<p><fmt:message key="clientproxy.overview.intro"/></p>

<c:choose>
    <c:when test="${not overview.pluginLoaded}">
        <div class="jive-error"><fmt:message key="clientproxy.overview.not-loaded"/></div>
    </c:when>
    <c:when test="${empty overview.proxies}">
        <p><fmt:message key="clientproxy.overview.none"/></p>
    </c:when>
    <c:otherwise>
        <div class="jive-table">
            <table cellpadding="0" cellspacing="0" border="0" width="100%">
                <thead>
                <tr>
                    <th><fmt:message key="clientproxy.column.address"/></th>
                    <th><fmt:message key="clientproxy.column.target"/></th>
                    <th><fmt:message key="clientproxy.column.state"/></th>
                    <th><fmt:message key="clientproxy.column.subscription"/></th>
                    <th><fmt:message key="clientproxy.column.resources"/></th>
                    <th><fmt:message key="clientproxy.column.outstanding"/></th>
                </tr>
                </thead>
                <tbody>
                <c:forEach var="proxy" items="${overview.proxies}" varStatus="loop">
                    <tr class="${loop.index % 2 == 0 ? 'jive-even' : 'jive-odd'}">
                        <td><c:out value="${proxy.address}"/></td>
                        <td><c:out value="${proxy.target}"/></td>
                        <td>
                            <fmt:message key="clientproxy.state.${proxy.stateKey}"/>
                            <c:if test="${not empty proxy.reason}">
                                <br/><small><c:out value="${proxy.reason}"/></small>
                            </c:if>
                        </td>
                        <td>
                            <c:if test="${proxy.running}">
                                <fmt:message key="clientproxy.subscription.${proxy.subscriptionKey}"/>
                            </c:if>
                        </td>
                        <td><c:if test="${proxy.running}"><c:out value="${proxy.onlineResources}"/></c:if></td>
                        <td><c:if test="${proxy.running}"><c:out value="${proxy.outstanding}"/></c:if></td>
                    </tr>
                </c:forEach>
                </tbody>
            </table>
        </div>
    </c:otherwise>
</c:choose>
</body>
</html>
