package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.Input;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Readers for the members the user-pool operations share, with the service model's constraints. */
final class Fields {

    static final Pattern CLIENT_ID = Pattern.compile("[\\w+]+");
    static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    static final Pattern SECRET_HASH = Pattern.compile("[\\w+=/]+");
    static final Pattern POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");
    static final Pattern PASSWORD = Pattern.compile("[\\S]+");
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9-_=.]+");
    private static final boolean[] TOKEN_CHARS = tokenChars();
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+");
    static final Pattern CODE = Pattern.compile("[\\S]+");

    private Fields() {}

    static String clientId(Input in) {
        return pattern(in, "ClientId", in.requiredString("ClientId", 1, 128), CLIENT_ID);
    }

    static String userPoolId(Input in) {
        return pattern(in, "UserPoolId", in.requiredString("UserPoolId", 1, 55), POOL_ID);
    }

    static String username(Input in) {
        return pattern(in, "Username", in.requiredString("Username", 1, 128), USERNAME);
    }

    static Optional<String> secretHash(Input in) {
        Optional<String> value = in.optionalString("SecretHash", 1, 128);
        in.checkPattern("SecretHash", value, SECRET_HASH);
        return value;
    }

    static String password(Input in, String name) {
        return pattern(in, name, in.requiredString(name, 0, 256), PASSWORD);
    }

    static String token(Input in, String name) {
        String value = in.requiredString(name, 1, 16_384);
        // the pattern's own words when it fails; a token is checked on every GetUser, so the common case skips the
        // regex
        return isTokenText(value) ? value : pattern(in, name, value, TOKEN);
    }

    /** Whether {@code value} matches {@link #TOKEN} ({@code [A-Za-z0-9-_=.]+}), without the regex engine. */
    static boolean isTokenText(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= TOKEN_CHARS.length || !TOKEN_CHARS[c]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9-_=.]} as a table: one load per character of a token checked on every GetUser. */
    private static boolean[] tokenChars() {
        boolean[] allowed = new boolean[128];
        for (char c = 'a'; c <= 'z'; c++) {
            allowed[c] = true;
            allowed[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            allowed[c] = true;
        }
        for (char c : "-_=.".toCharArray()) {
            allowed[c] = true;
        }
        return allowed;
    }

    static String code(Input in) {
        return pattern(in, "ConfirmationCode", in.requiredString("ConfirmationCode", 1, 2048), CODE);
    }

    /** {@code [{"Name":…,"Value":…}]} as an ordered map; names checked against the model. */
    static Map<String, String> attributes(Input in, String name) {
        Map<String, String> attributes = new LinkedHashMap<>();
        List<ObjectNode> list = in.objectList(name);
        for (ObjectNode node : list) {
            Input attribute = Input.of(node);
            String attributeName = attribute.requiredString("Name", 1, 32);
            attribute.checkPattern("Name", Optional.of(attributeName), ATTRIBUTE_NAME);
            String value = attribute.optionalString("Value", 0, 2048).orElse("");
            attribute.validate();
            attributes.put(attributeName, verifiedFlag(attributeName, value));
        }
        return attributes;
    }

    /** Cognito reads {@code email_verified: "True"} as verified; flags are stored as {@code true}/{@code false}. */
    private static String verifiedFlag(String name, String value) {
        if (name.endsWith("_verified") && ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))) {
            return value.toLowerCase(java.util.Locale.ROOT);
        }
        return value;
    }

    private static String pattern(Input in, String name, String value, Pattern pattern) {
        in.checkPattern(name, Optional.of(value), pattern);
        return value;
    }
}
