<%--
  Client Proxy: what each proxy is doing, and its last hour as a chart (client-proxy-chart.jspf).
  Everything it shows and does is in org.clientproxy.openfire.admin.ProxyMonitorPage (its
  buttons: ProxyMonitorPage.resubscribe and ProxyMonitorPage.reset). The numbers stay current by
  reloading the page with GET (a link, or a refresh meta tag when chosen), so a reload never
  resubmits a form. The outcome of a button is shown in its proxy's box, where the page returns.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.clientproxy.openfire.admin.ProxyMonitorPage" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    ProxyMonitorPage monitorPage = ProxyMonitorPage.handle(webManager, request);
    if (monitorPage.getRedirect() != null) {
        response.sendRedirect(monitorPage.getRedirect());
        return;
    }
    request.setAttribute("adminPage", monitorPage);
%>
<c:set var="refresh" value="${adminPage.refreshSeconds}"/>
<html>
<head>
    <title><fmt:message key="clientproxy.monitor.title"/></title>
    <meta name="pageID" content="client-proxy"/>
    <c:if test="${refresh > 0}">
        <meta http-equiv="refresh" content="${refresh};url=client-proxy-monitor.jsp?refresh=${refresh}"/>
    </c:if>
    <style>
        .cp-links a, .cp-links span { margin-right: 14px; }
        .cp-links .cp-current { font-weight: bold; }
        .cp-proxy { margin-bottom: 24px; }
        .cp-proxy .jive-contentBoxHeader { font-weight: bold; }
        table.cp-facts td { padding: 3px 10px 3px 0; vertical-align: top; }
        table.cp-facts td.cp-label { width: 180px; color: #444; }
        .cp-reason { color: #990000; display: block; margin-top: 2px; }
        .cp-actions { margin-top: 14px; }
        .cp-actions form { display: inline; margin: 0 8px 0 0; }
        .cp-section { margin-top: 14px; font-weight: bold; }
        .cp-help { color: #666; font-size: 0.9em; }
        .jive-table th.cp-number, .jive-table td.cp-number { text-align: right; white-space: nowrap; padding-right: 24px; }
        .cp-proxy .success { margin: 0 0 10px 0; }
        .cp-hidden { margin: 6px 0 10px 0; }
        .cp-hidden .cp-reason { display: inline; }
        .cp-hidden form { display: inline; margin-left: 8px; }
        .cp-chart { display: block; margin: 4px 0 2px 0; max-width: 100%; height: auto; }
        .cp-chart text { font-family: arial, helvetica, sans-serif; font-size: 10px; fill: #333; }
        .cp-chart .cp-grid { stroke: #ddd; stroke-width: 1; }
        .cp-chart .cp-axis { stroke: #888; stroke-width: 1; }
        .cp-chart .cp-p50 { fill: none; stroke: #1f4e8c; stroke-width: 1.5; }
        .cp-chart .cp-p99 { fill: none; stroke: #b35900; stroke-width: 1.5; stroke-dasharray: 5 3; }
        .cp-legend { margin: 2px 0 10px 0; font-size: 0.9em; }
        .cp-legend span { display: inline-block; margin-right: 14px; white-space: nowrap; }
        .cp-legend svg { vertical-align: middle; margin-right: 4px; }
        .cp-hour-table { margin-bottom: 10px; }
        .cp-hour-table summary { cursor: pointer; color: #444; }
        .cp-hour-table tbody th { background: none; font-weight: normal; font-size: 10pt; border-bottom: 1px solid #E3E3E3; white-space: nowrap; }
        .cp-hour-table .jive-table th.cp-number, .cp-hour-table .jive-table td.cp-number { padding-right: 8px; }
    </style>
</head>
<body>
<%@ include file="client-proxy-notices.jspf" %>

<c:if test="${adminPage.pluginLoaded}">
    <p><fmt:message key="clientproxy.monitor.intro"/></p>

    <p class="cp-links">
        <a href="client-proxy.jsp"><fmt:message key="clientproxy.action.back"/></a>
        <a href="client-proxy-monitor.jsp?refresh=${refresh}"><fmt:message key="clientproxy.action.refresh"/></a>
        <span><fmt:message key="clientproxy.monitor.refresh"/></span>
        <c:forEach var="choice" items="${adminPage.refreshChoices}">
            <c:choose>
                <c:when test="${choice == 0}"><fmt:message key="clientproxy.monitor.refresh.off" var="choiceText"/></c:when>
                <c:otherwise><fmt:message key="clientproxy.monitor.refresh.seconds" var="choiceText"><fmt:param value="${choice}"/></fmt:message></c:otherwise>
            </c:choose>
            <c:choose>
                <c:when test="${choice == refresh}"><span class="cp-current"><c:out value="${choiceText}"/></span></c:when>
                <c:otherwise><a href="client-proxy-monitor.jsp?refresh=${choice}"><c:out value="${choiceText}"/></a></c:otherwise>
            </c:choose>
        </c:forEach>
    </p>

    <c:if test="${empty adminPage.proxies}">
        <p><fmt:message key="clientproxy.monitor.none"/></p>
    </c:if>

    <c:forEach var="proxy" items="${adminPage.proxies}">
        <div class="cp-proxy" id="proxy-<c:out value='${proxy.subdomain}'/>">
            <div class="jive-contentBoxHeader"><c:out value="${proxy.address}"/></div>
            <div class="jive-contentBox">
                <c:if test="${proxy.subdomain eq adminPage.doneSubdomain}">
                    <c:set var="message" value="${adminPage.done}"/>
                    <div class="success"><%@ include file="client-proxy-message.jspf" %></div>
                </c:if>
                <table class="cp-facts" cellpadding="0" cellspacing="0" border="0">
                    <tbody>
                    <tr>
                        <td class="cp-label"><fmt:message key="clientproxy.column.target"/></td>
                        <td><c:out value="${proxy.settings.target}"/></td>
                    </tr>
                    <tr>
                        <td class="cp-label"><fmt:message key="clientproxy.column.state"/></td>
                        <td>
                            <fmt:message key="clientproxy.state.${proxy.running ? 'running' : 'stopped'}"/>
                            <c:forEach var="message" items="${proxy.reason}">
                                <span class="cp-reason"><%@ include file="client-proxy-message.jspf" %></span>
                            </c:forEach>
                        </td>
                    </tr>
                    <tr>
                        <td class="cp-label"><fmt:message key="clientproxy.monitor.runners"/></td>
                        <td>
                            <c:choose>
                                <c:when test="${empty proxy.runners}"><fmt:message key="clientproxy.monitor.runners.none"/></c:when>
                                <c:otherwise>
                                    <c:forEach var="runner" items="${proxy.runners}" varStatus="loop"><c:out value="${runner}"/><c:if test="${not loop.last}">, </c:if></c:forEach>
                                </c:otherwise>
                            </c:choose>
                        </td>
                    </tr>
                    <c:if test="${proxy.running}">
                        <tr>
                            <td class="cp-label"><fmt:message key="clientproxy.column.presence"/></td>
                            <td class="${proxy.accountMissing or proxy.presence eq 'revoked_by_account' ? 'cp-reason' : ''}">
                                <fmt:message key="clientproxy.presence.${proxy.presence}"/>
                                <c:if test="${not empty proxy.presenceSince}">
                                    <fmt:formatDate var="presenceSince" value="${proxy.presenceSince}" type="both" dateStyle="medium" timeStyle="medium"/>
                                    <fmt:message key="clientproxy.presence.since"><fmt:param value="${presenceSince}"/></fmt:message>
                                </c:if>
                                <c:if test="${proxy.presence eq 'revoked_by_account'}">
                                    <span class="cp-help"><fmt:message key="clientproxy.presence.revoked_by_account.detail"/></span>
                                </c:if>
                            </td>
                        </tr>
                        <tr>
                            <td class="cp-label"><fmt:message key="clientproxy.monitor.outstanding"/></td>
                            <td><fmt:formatNumber value="${proxy.outstanding}"/></td>
                        </tr>
                        <tr>
                            <td class="cp-label"><fmt:message key="clientproxy.monitor.latency"/></td>
                            <td>
                                <c:choose>
                                    <c:when test="${proxy.latencyCount > 0}">
                                        <fmt:formatNumber var="p50" value="${proxy.latencyP50Millis}" maxFractionDigits="${proxy.latencyP50Millis < 10 ? 3 : 1}"/>
                                        <fmt:formatNumber var="p99" value="${proxy.latencyP99Millis}" maxFractionDigits="${proxy.latencyP99Millis < 10 ? 3 : 1}"/>
                                        <fmt:message key="clientproxy.monitor.latency.values" var="latencyText">
                                            <fmt:param value="${p50}"/><fmt:param value="${p99}"/>
                                            <fmt:param value="${proxy.latencyCount}"/><fmt:param value="${proxy.latencyWindowSeconds}"/>
                                        </fmt:message>
                                        <c:if test="${proxy.latencySampled}">
                                            <fmt:message key="clientproxy.monitor.latency.sampled" var="sampledText"><fmt:param value="${adminPage.latencySampleSize}"/></fmt:message>
                                            <c:set var="latencyText" value="${latencyText}; ${sampledText}"/>
                                        </c:if>
                                    </c:when>
                                    <c:otherwise>
                                        <fmt:message key="clientproxy.monitor.latency.none" var="latencyText"><fmt:param value="${proxy.latencyWindowSeconds}"/></fmt:message>
                                    </c:otherwise>
                                </c:choose>
                                <c:out value="${latencyText}"/>
                            </td>
                        </tr>
                    </c:if>
                    </tbody>
                </table>

                <c:if test="${proxy.running}">
                    <div class="cp-section"><fmt:message key="clientproxy.monitor.hour"/></div>
                    <c:set var="chart" value="${adminPage.charts[proxy.subdomain]}"/>
                    <%@ include file="client-proxy-chart.jspf" %>

                    <div class="cp-section">
                        <fmt:message key="clientproxy.monitor.resources" var="resourcesTitle"><fmt:param value="${proxy.settings.target}"/></fmt:message>
                        <c:out value="${resourcesTitle}"/>
                    </div>
                    <c:choose>
                        <c:when test="${not empty proxy.resourcesHidden}">
                            <%-- The proxy cannot see the resources: say so, with the button that makes it see them again. --%>
                            <div class="cp-hidden">
                                <span class="cp-reason"><fmt:message key="clientproxy.monitor.resources.hidden.${proxy.resourcesHidden}" var="hiddenText"><fmt:param value="${proxy.settings.target}"/></fmt:message><c:out value="${hiddenText}"/></span>
                                <%@ include file="client-proxy-resend.jspf" %>
                            </div>
                        </c:when>
                        <c:when test="${empty proxy.resources}">
                            <fmt:message key="clientproxy.monitor.resources.none" var="noResources"><fmt:param value="${proxy.settings.target}"/></fmt:message>
                            <p><c:out value="${noResources}"/></p>
                        </c:when>
                        <c:otherwise>
                            <div class="jive-table">
                                <table cellpadding="0" cellspacing="0" border="0" width="100%">
                                    <thead>
                                    <tr>
                                        <th><fmt:message key="clientproxy.monitor.resource.address"/></th>
                                        <th><fmt:message key="clientproxy.monitor.resource.since"/></th>
                                        <th class="cp-number"><fmt:message key="clientproxy.monitor.resource.outstanding"/></th>
                                        <th><fmt:message key="clientproxy.monitor.resource.state"/></th>
                                    </tr>
                                    </thead>
                                    <tbody>
                                    <c:forEach var="resource" items="${proxy.resources}" varStatus="loop">
                                        <tr class="${loop.index % 2 == 0 ? 'jive-even' : 'jive-odd'}">
                                            <td><c:out value="${resource.address}"/></td>
                                            <td><fmt:formatDate value="${resource.onlineSince}" type="both" dateStyle="medium" timeStyle="medium"/></td>
                                            <td class="cp-number"><fmt:formatNumber value="${resource.outstanding}"/></td>
                                            <td>
                                                <c:choose>
                                                    <c:when test="${empty resource.unresponsiveSince}"><fmt:message key="clientproxy.monitor.resource.responsive"/></c:when>
                                                    <c:otherwise>
                                                        <fmt:formatDate var="unresponsiveSince" value="${resource.unresponsiveSince}" type="both" dateStyle="medium" timeStyle="medium"/>
                                                        <strong><fmt:message key="clientproxy.monitor.resource.unresponsive"><fmt:param value="${unresponsiveSince}"/></fmt:message></strong>
                                                    </c:otherwise>
                                                </c:choose>
                                            </td>
                                        </tr>
                                    </c:forEach>
                                    </tbody>
                                </table>
                            </div>
                        </c:otherwise>
                    </c:choose>

                    <div class="cp-section"><fmt:message key="clientproxy.monitor.counters"/></div>
                    <fmt:formatDate var="countingSince" value="${proxy.countingSince}" type="both" dateStyle="medium" timeStyle="medium"/>
                    <p class="cp-help"><fmt:message key="clientproxy.monitor.counters.since"><fmt:param value="${countingSince}"/></fmt:message></p>
                    <div class="jive-table">
                        <table cellpadding="0" cellspacing="0" border="0" width="100%">
                            <thead>
                            <tr>
                                <th><fmt:message key="clientproxy.monitor.counter"/></th>
                                <th class="cp-number"><fmt:message key="clientproxy.monitor.value"/></th>
                                <th><fmt:message key="clientproxy.monitor.meaning"/></th>
                            </tr>
                            </thead>
                            <tbody>
                            <c:forEach var="counter" items="${proxy.counters}" varStatus="loop">
                                <tr class="${loop.index % 2 == 0 ? 'jive-even' : 'jive-odd'}">
                                    <td><fmt:message key="clientproxy.counter.${counter.key}"/></td>
                                    <td class="cp-number"><fmt:formatNumber value="${counter.value}"/></td>
                                    <td class="cp-help"><fmt:message key="clientproxy.counter.${counter.key}.help"/></td>
                                </tr>
                            </c:forEach>
                            </tbody>
                        </table>
                    </div>
                </c:if>

                <div class="cp-actions">
                    <c:if test="${proxy.running}">
                        <c:if test="${empty proxy.resourcesHidden}"><%@ include file="client-proxy-resend.jspf" %></c:if>
                        <fmt:message key="clientproxy.action.reset.confirm" var="resetConfirm"><fmt:param value="${proxy.address}"/></fmt:message>
                        <%-- ProxyMonitorPage.reset --%>
                        <form method="post" action="client-proxy-monitor.jsp" data-confirm="<c:out value='${resetConfirm}'/>"
                              onsubmit="return window.confirm(this.getAttribute('data-confirm'));">
                            <input type="hidden" name="csrf" value="<c:out value='${csrf}'/>"/>
                            <input type="hidden" name="action" value="reset"/>
                            <input type="hidden" name="subdomain" value="<c:out value='${proxy.subdomain}'/>"/>
                            <input type="hidden" name="refresh" value="${refresh}"/>
                            <button type="submit"><fmt:message key="clientproxy.action.reset"/></button>
                        </form>
                    </c:if>
                    <c:url var="editUrl" value="client-proxy-edit.jsp"><c:param name="subdomain" value="${proxy.subdomain}"/></c:url>
                    <a href="<c:out value='${editUrl}'/>"><fmt:message key="clientproxy.action.edit"/></a>
                </div>
            </div>
        </div>
    </c:forEach>
</c:if>
</body>
</html>
