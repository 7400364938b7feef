package dev.gatehouse.cli;

/** The CLI's exit codes; each failing step has its own, so scripts can tell them apart. */
final class ExitCodes {

    /** Every step succeeded and the API answered 2xx/3xx. */
    static final int OK = 0;
    /** An unexpected error (a bug): printed with its type. */
    static final int INTERNAL = 1;
    /** Bad or missing options, an unreadable outputs file, a body or params that are not JSON. */
    static final int USAGE = 2;
    /** The user pool refused the sign-in (wrong password, unconfirmed user, unknown pool or client, unreachable). */
    static final int SIGN_IN = 3;
    /** The identity pool refused the token or could not be reached. */
    static final int CREDENTIALS = 4;
    /** The API request could not be sent or got no answer (connection refused, timeout). */
    static final int API_UNREACHABLE = 5;
    /** The API answered with a status of 400 or more (printed like a success). */
    static final int API_ERROR = 6;
    /** An admin command (create-user, confirm-user) was refused. */
    static final int ADMIN = 7;

    private ExitCodes() {}
}
