package dev.gatehouse.userpool;

import java.util.Set;

/**
 * The user-pool operations that may hash or verify a password (Argon2id: tens of milliseconds of CPU and a memory block
 * each). A server runs them apart from the rest, so that a storm of sign-ins waits for the hashing slots without holding
 * the threads that token reads and every other request need.
 */
public final class PasswordOperations {

    /** The prefix of the user-pool API's {@code X-Amz-Target}. */
    public static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService";

    private static final Set<String> OPERATIONS = Set.of(
            "InitiateAuth",
            "AdminInitiateAuth",
            "RespondToAuthChallenge",
            "AdminRespondToAuthChallenge",
            "SignUp",
            "AdminCreateUser",
            "AdminSetUserPassword",
            "ChangePassword",
            "ConfirmForgotPassword");

    private PasswordOperations() {}

    /** Whether the request with this {@code X-Amz-Target} header may hash a password. */
    public static boolean mayHash(String target) {
        int dot = TARGET_PREFIX.length();
        return target.length() > dot
                && target.charAt(dot) == '.'
                && target.startsWith(TARGET_PREFIX)
                && OPERATIONS.contains(target.substring(dot + 1));
    }
}
