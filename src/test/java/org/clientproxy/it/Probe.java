package org.clientproxy.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.clientproxy.it.probe.StatisticsServlet;

/** Reads what the test probe plugin ({@link StatisticsServlet}) shows of Openfire. */
final class Probe {
    private Probe() {
    }

    /** Openfire's statistics under these keys, each sampled once; {@code NaN} where Openfire holds none. */
    static Map<String, Double> statistics(AdminConsole console, String... keys) throws Exception {
        String query = Arrays.stream(keys).map(key -> "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String body = console.get("plugins/probe/statistics?" + query).document().wholeText();
        Map<String, Double> samples = new LinkedHashMap<>();
        body.lines().filter(line -> line.contains("=")).forEach(line -> {
            String value = line.substring(line.indexOf('=') + 1).trim();
            samples.put(line.substring(0, line.indexOf('=')), value.isEmpty() ? Double.NaN : Double.parseDouble(value));
        });
        return samples;
    }
}
