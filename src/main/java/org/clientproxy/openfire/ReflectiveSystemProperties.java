package org.clientproxy.openfire;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Openfire's {@code SystemProperty} registry, reached by reflection: it was added in Openfire 4.4,
 * and the 4.2.0 API on Maven Central that the plugin compiles against lacks it. Each property is
 * built as Openfire's own are: {@code SystemProperty.Builder.ofType(String.class).setKey(key)
 * .setDefaultValue(value).setDynamic(true).setPlugin(name).build()}, and all of them are removed
 * with {@code SystemProperty.removePropertiesForPlugin(name)}, which Openfire's plugin manager also
 * calls when it unloads the plugin. The values stay where they are, in Openfire's system
 * properties ({@code JiveGlobals}): a registration only describes them. Where the class or one of
 * its methods is missing, nothing is registered and that is logged once at DEBUG.
 */
final class ReflectiveSystemProperties implements SystemPropertyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ReflectiveSystemProperties.class);
    static final String OPENFIRE_CLASS = "org.jivesoftware.util.SystemProperty";

    private final String plugin;
    private final Api api;

    /** Openfire's registry, for the plugin named {@code plugin} (its {@code <name>} in plugin.xml). */
    ReflectiveSystemProperties(String plugin) {
        this(plugin, OPENFIRE_CLASS, ReflectiveSystemProperties.class.getClassLoader());
    }

    /** The registry in the class {@code className} (a test's stand-in for Openfire's). */
    ReflectiveSystemProperties(String plugin, String className, ClassLoader loader) {
        this.plugin = plugin;
        this.api = Api.find(className, loader);
    }

    @Override
    public boolean register(String key, String defaultValue) {
        if (api == null) {
            return false;
        }
        try {
            Object builder = api.ofType.invoke(null, String.class);
            api.setKey.invoke(builder, key);
            api.setDefaultValue.invoke(builder, defaultValue);
            api.setDynamic.invoke(builder, true);
            api.setPlugin.invoke(builder, plugin);
            api.build.invoke(builder);
            return true;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException && api.isRegistered(key)) {
                return true; // registered before, e.g. by an earlier load of the plugin
            }
            LOG.debug("Could not register the system property {}", key, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not register the system property {}", key, e);
        }
        return false;
    }

    @Override
    public void removeAll() {
        if (api == null) {
            return;
        }
        try {
            api.removeForPlugin.invoke(null, plugin);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not remove the system properties of {}", plugin, e);
        }
    }

    /** The methods of Openfire's SystemProperty that this uses. */
    private record Api(Method ofType, Method setKey, Method setDefaultValue, Method setDynamic, Method setPlugin,
                       Method build, Method removeForPlugin, Method getProperty) {

        /** Finds them, or logs at DEBUG why not and returns {@code null}. */
        static Api find(String className, ClassLoader loader) {
            try {
                Class<?> property = Class.forName(className, true, loader);
                Class<?> builder = Class.forName(className + "$Builder", true, loader);
                return new Api(builder.getMethod("ofType", Class.class), builder.getMethod("setKey", String.class),
                        builder.getMethod("setDefaultValue", Object.class), builder.getMethod("setDynamic", boolean.class),
                        builder.getMethod("setPlugin", String.class), builder.getMethod("build"),
                        property.getMethod("removePropertiesForPlugin", String.class),
                        property.getMethod("getProperty", String.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.debug("This Openfire has no {} to describe the plugin's system properties: {}", className, e.toString());
                return null;
            }
        }

        /** Whether a property with this key is registered ({@code SystemProperty.getProperty(key)}: an Optional). */
        boolean isRegistered(String key) {
            try {
                return getProperty.invoke(null, key) instanceof java.util.Optional<?> found && found.isPresent();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }
}
