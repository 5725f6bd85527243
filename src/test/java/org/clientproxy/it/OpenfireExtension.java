package org.clientproxy.it;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The real Openfire that the {@code *OpenfireIT} classes share: started once per test run with the
 * plugin installed, given to a test's {@code @BeforeAll} (or test method) as an {@link OpenfireServer}
 * parameter, and stopped when the run ends. A class that restarts or breaks its server starts its
 * own with {@link OpenfireServer#start}. Without an Openfire distribution the tests are skipped, with
 * the reason ({@code scripts/test} says so once; CI fails instead, see {@code .ci/run}).
 */
public final class OpenfireExtension implements ExecutionCondition, ParameterResolver {
    /** The accounts of the shared server (each one's password is its name). */
    public static final List<String> USERS = List.of("impl", "alice", "bob", "carol", "dave", "erin", "frank", "grace");

    private static final Namespace NAMESPACE = Namespace.create(OpenfireExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return OpenfireDistribution.find().isPresent()
                ? ConditionEvaluationResult.enabled("an Openfire distribution is there")
                : ConditionEvaluationResult.disabled("no Openfire distribution: set " + OpenfireDistribution.VARIABLE
                        + " to an Openfire 5.x .tar.gz or home to run the real-Openfire tests");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == OpenfireServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Shared.class, key -> Shared.start(), Shared.class).server();
    }

    /** The shared server, stopped by JUnit when the run's root context closes. */
    private record Shared(OpenfireServer server) implements ExtensionContext.Store.CloseableResource {
        static Shared start() {
            try {
                OpenfireServer server = OpenfireServer.start("shared", OpenfireServer.Settings.withUsers(
                        USERS.toArray(String[]::new)));
                server.installProbe();
                server.installPlugin(pluginJar());
                return new Shared(server);
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the shared Openfire", e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
        }
    }

    /** The plugin jar this build made ({@code mvn verify} passes its path). */
    public static Path pluginJar() {
        String jar = System.getProperty("clientproxy.pluginJar");
        if (jar == null) {
            throw new IllegalStateException("clientproxy.pluginJar is not set: run the tests with mvn verify");
        }
        return Path.of(jar);
    }
}
