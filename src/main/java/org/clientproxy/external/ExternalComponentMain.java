package org.clientproxy.external;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.clientproxy.core.InvalidSettingsException;
import org.xmpp.component.ComponentException;

/**
 * {@code java -jar clientproxy-external.jar FILE}: runs one proxy as an external component of any
 * XMPP server, configured by a properties file (see {@link ExternalConfig} for the keys). Startup
 * problems end the process with one line on standard error and an exit code from sysexits.h that
 * says what was found out, whichever the server: {@value #EXIT_CONFIG} the file is invalid,
 * {@value #EXIT_NOPERM} the server does not accept the component as configured (wrong secret or
 * undeclared component), {@value #EXIT_UNAVAILABLE} the server cannot be reached or refused the
 * component for another reason, {@value #EXIT_USAGE} wrong arguments. Once connected it runs until
 * stopped (SIGTERM/SIGINT), reconnecting as needed.
 */
public final class ExternalComponentMain {
    static final int EXIT_USAGE = 64;
    static final int EXIT_UNAVAILABLE = 69;
    static final int EXIT_NOPERM = 77;
    static final int EXIT_CONFIG = 78;

    private static final String NAME = "clientproxy-external";

    private ExternalComponentMain() {
    }

    public static void main(String[] args) {
        configureDefaultLogging();
        try {
            ExternalProxy proxy = launch(args);
            Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, NAME + "-shutdown"));
        } catch (LaunchException e) {
            System.err.println(NAME + ": " + e.getMessage());
            System.exit(e.exitCode());
        }
    }

    /** Reads the configuration and connects; the returned proxy keeps the JVM running. */
    static ExternalProxy launch(String[] args) throws LaunchException {
        if (args.length != 1) {
            throw new LaunchException(EXIT_USAGE, "usage: java -jar " + NAME + ".jar CONFIG.properties");
        }
        ExternalConfig config = readConfig(Path.of(args[0]));
        if (!config.proxy().enabled()) {
            throw new LaunchException(0, "the proxy " + config.componentDomain() + " is disabled (enabled=false); not connecting");
        }
        try {
            return ExternalProxy.start(config);
        } catch (ComponentException e) {
            ConnectFailure failure = ConnectFailure.of(e, config);
            int code = failure.kind() == ConnectFailure.Kind.NOT_ACCEPTED ? EXIT_NOPERM : EXIT_UNAVAILABLE;
            throw new LaunchException(code, failure.message());
        }
    }

    private static ExternalConfig readConfig(Path file) throws LaunchException {
        try {
            return ExternalConfig.load(file);
        } catch (NoSuchFileException e) {
            throw new LaunchException(EXIT_CONFIG, "no configuration file " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException(EXIT_CONFIG, "cannot read " + file + ": " + e.getMessage());
        } catch (InvalidSettingsException e) {
            throw new LaunchException(EXIT_CONFIG, "invalid configuration in " + file + ": " + e.getMessage());
        }
    }

    /** slf4j-simple defaults for a service log: timestamps, INFO, on standard error; -D flags still win. */
    private static void configureDefaultLogging() {
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
