package org.clientproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the real Openfire for the {@code *OpenfireIT} tests comes from: {@code OPENFIRE_DIST}
 * (an Openfire 5.x {@code .tar.gz} as released, or an unpacked Openfire home), else the copy CI
 * keeps beside the project, {@code ../shared/openfire/openfire-5.1.1.tar.gz}. Nothing of it is
 * part of the project: the tests unpack it under {@code target/}.
 */
public final class OpenfireDistribution {
    static final String VARIABLE = "OPENFIRE_DIST";
    static final Path SHARED = Path.of("..", "shared", "openfire", "openfire-5.1.1.tar.gz");
    /** The Hazelcast clustering plugin beside the shared distribution (the cluster tests install it). */
    static final Path SHARED_HAZELCAST = Path.of("..", "shared", "openfire", "hazelcast.jar");

    private OpenfireDistribution() {
    }

    /** The distribution to test against, if there is one. */
    public static Optional<Path> find() {
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath();
            if (!Files.exists(path)) {
                throw new IllegalStateException(VARIABLE + " names " + path + ", which does not exist");
            }
            return Optional.of(path);
        }
        return Files.isRegularFile(SHARED) ? Optional.of(SHARED.toAbsolutePath().normalize()) : Optional.empty();
    }

    /** The distribution, or the reason the real-Openfire tests cannot run. */
    public static Path require() {
        return find().orElseThrow(() -> new IllegalStateException("No Openfire distribution: set " + VARIABLE
                + " to an Openfire 5.x .tar.gz or home directory (scripts/test looks for "
                + SHARED + " too)"));
    }

    /** Whether {@code path} is a packed distribution rather than an Openfire home. */
    static boolean isArchive(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }
}
