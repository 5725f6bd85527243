package org.clientproxy.external;

/** Why the external component did not start, with the process exit code that says so. */
final class LaunchException extends Exception {
    private final int exitCode;

    LaunchException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
