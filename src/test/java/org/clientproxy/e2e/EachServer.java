package org.clientproxy.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs each {@link OnEachServer} test of its class once per {@link ServerKind}, the server's name
 * in the display name ({@code on ejabberd}), and hands the test and its {@code @BeforeEach} and
 * {@code @AfterEach} methods the server as a parameter ({@link XmppServer}, or its
 * {@link ServerKind}). A server is started by the class's setup when first needed and stopped when
 * the test class ends ({@link #perClass}) or the test does ({@link #perTest}), however it ended.
 * Register it as a static {@code @RegisterExtension} field. Maven's console numbers the runs in
 * {@link ServerKind} order: {@code [1]} is Prosody, {@code [2]} ejabberd.
 */
public final class EachServer implements TestTemplateInvocationContextProvider {

    /** Starts the server a test class needs, with its components and accounts. */
    @FunctionalInterface
    public interface Setup {
        XmppServer start(ServerKind kind) throws Exception;
    }

    private static final Namespace NAMESPACE = Namespace.create(EachServer.class);

    private final Setup setup;
    private final boolean perTest;

    private EachServer(Setup setup, boolean perTest) {
        this.setup = setup;
        this.perTest = perTest;
    }

    /** One server of each kind for the whole test class. */
    public static EachServer perClass(Setup setup) {
        return new EachServer(setup, false);
    }

    /** A fresh server for every test, for tests that stop or restart it. */
    public static EachServer perTest(Setup setup) {
        return new EachServer(setup, true);
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(method -> method.isAnnotationPresent(OnEachServer.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Arrays.stream(ServerKind.values()).map(this::on);
    }

    private TestTemplateInvocationContext on(ServerKind kind) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "on " + kind;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new ServerParameter(kind));
            }
        };
    }

    /** The server of one invocation, for the parameters of the test and of its @BeforeEach and @AfterEach methods. */
    private final class ServerParameter implements ParameterResolver {
        private final ServerKind kind;

        ServerParameter(ServerKind kind) {
            this.kind = kind;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == XmppServer.class || type == ServerKind.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ServerKind.class ? kind : server(context, kind);
        }
    }

    private XmppServer server(ExtensionContext context, ServerKind kind) {
        ExtensionContext owner = perTest ? context : classContext(context);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(kind, this::start, Running.class).server();
    }

    private Running start(ServerKind kind) {
        try {
            return new Running(setup.start(kind));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start " + kind, e);
        }
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent()) {
            current = current.getParent().orElseThrow();
        }
        return current;
    }

    /** A started server, stopped when the context that holds it closes. */
    private record Running(XmppServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
