package dev.gatehouse.cli;

import java.util.Objects;

/**
 * A failure the CLI explains to its user: {@link #getMessage()} is printed as is (one or a few lines, no stack trace)
 * and the process exits with {@link #exitCode()}.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(Objects.requireNonNull(message, "message cannot be null"));
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message cannot be null"), cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
