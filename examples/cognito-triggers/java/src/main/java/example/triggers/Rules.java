package example.triggers;

import java.util.Map;

/**
 * The app's rules, the same as the Node.js triggers': @blocked.example may not sign up, @trusted.example need no code,
 * and a local part starting with "echo" makes a trigger fail with what it saw.
 */
final class Rules {

    private Rules() {}

    static String email(Map<String, String> attributes) {
        return attributes == null ? "" : attributes.getOrDefault("email", "");
    }

    static String domain(Map<String, String> attributes) {
        String email = email(attributes);
        return email.substring(email.indexOf('@') + 1);
    }

    static boolean echo(Map<String, String> attributes) {
        return email(attributes).startsWith("echo");
    }
}
