package org.clientproxy.it.probe;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.util.Collection;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.jivesoftware.openfire.cluster.ClusterManager;

/**
 * {@code GET plugins/probe/cluster-listeners}: one line {@code sequence class} per listener of
 * Openfire's cluster events, as Openfire 5 keeps them (a queue of pairs of sequence and listener
 * (commons-lang3 pairs) in {@code ClusterManager.listeners}; no API lists them). It shows which registration a plugin's
 * listener went through: {@code addListener(listener, sequence)} on Openfire 5, or the plain one.
 */
public final class ClusterListenersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=UTF-8");
        PrintWriter out = response.getWriter();
        try {
            Field field = ClusterManager.class.getDeclaredField("listeners");
            field.setAccessible(true);
            for (Object entry : (Collection<?>) field.get(null)) {
                Object sequence = entry.getClass().getMethod("getLeft").invoke(entry);
                Object listener = entry.getClass().getMethod("getRight").invoke(entry);
                out.println(sequence + " " + listener.getClass().getName());
            }
        } catch (ReflectiveOperationException e) {
            response.sendError(HttpServletResponse.SC_NOT_IMPLEMENTED, "This Openfire keeps its cluster listeners"
                    + " otherwise: " + e);
        }
    }
}
