package org.clientproxy.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Settings that cannot run a proxy, with every problem found, by field name. */
public final class InvalidSettingsException extends Exception {
    private final Map<String, String> problems;

    public InvalidSettingsException(Map<String, String> problems) {
        super(problems.entrySet().stream()
                .map(problem -> problem.getKey() + ": " + problem.getValue())
                .collect(Collectors.joining("; ")));
        this.problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
    }

    /** Field name (as in {@link ProxySettings#toProperties()}) to an English description, in field order. */
    public Map<String, String> problems() {
        return problems;
    }
}
