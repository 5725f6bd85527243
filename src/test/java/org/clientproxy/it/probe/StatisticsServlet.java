package org.clientproxy.it.probe;

import java.io.IOException;
import java.io.PrintWriter;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.jivesoftware.openfire.stats.Statistic;
import org.jivesoftware.openfire.stats.StatisticsManager;

/**
 * {@code GET plugins/probe/statistics?key=K&key=L}: one line {@code key=sample} per statistic that
 * Openfire's {@link StatisticsManager} holds under each key ({@code key=} when it holds none). A
 * sample is what the Monitoring plugin would record: the statistic's {@link Statistic#sample()}.
 */
public final class StatisticsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=UTF-8");
        String[] keys = request.getParameterValues("key");
        PrintWriter out = response.getWriter();
        for (String key : keys == null ? new String[0] : keys) {
            Statistic statistic = StatisticsManager.getInstance().getStatistic(key);
            out.println(key + "=" + (statistic == null ? "" : Double.toString(statistic.sample())));
        }
    }
}
