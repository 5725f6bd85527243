package org.clientproxy.openfire;

import static org.mockito.Mockito.mockStatic;

import org.jivesoftware.util.JiveGlobals;
import org.mockito.MockedStatic;

/**
 * Initializes Openfire classes whose static initializers read {@link JiveGlobals} (such as
 * {@code CacheFactory}, which reads its cache strategies) with each property at its default:
 * without an Openfire home JiveGlobals would print "Critical Error! The home directory has not
 * been configured" into a test run that is otherwise quiet.
 */
final class OpenfireClasses {
    private OpenfireClasses() {
    }

    static void initializeWithoutHome(Class<?>... classes) {
        try (MockedStatic<JiveGlobals> defaults = mockStatic(JiveGlobals.class,
                call -> call.getArguments().length > 1 ? call.getArgument(1) : null)) {
            for (Class<?> type : classes) {
                Class.forName(type.getName(), true, type.getClassLoader());
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
