package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;

/**
 * A pool's password policy ({@code PasswordPolicyType}); Cognito's defaults are 8 characters and every class.
 *
 * @see <a href="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html">Password policies</a>
 */
record PasswordPolicy(
        int minimumLength,
        boolean requireUppercase,
        boolean requireLowercase,
        boolean requireNumbers,
        boolean requireSymbols,
        int temporaryPasswordValidityDays) {

    /** Cognito's special characters; the space counts too. */
    private static final String SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

    static PasswordPolicy defaults() {
        return new PasswordPolicy(8, true, true, true, true, 7);
    }

    /** Reads a {@code PasswordPolicyType} object; absent members take Cognito's defaults. */
    static PasswordPolicy fromJson(JsonNode node) {
        PasswordPolicy d = defaults();
        int validity = node.path("TemporaryPasswordValidityDays").asInt(d.temporaryPasswordValidityDays());
        return new PasswordPolicy(
                node.path("MinimumLength").asInt(d.minimumLength()),
                node.path("RequireUppercase").asBoolean(d.requireUppercase()),
                node.path("RequireLowercase").asBoolean(d.requireLowercase()),
                node.path("RequireNumbers").asBoolean(d.requireNumbers()),
                node.path("RequireSymbols").asBoolean(d.requireSymbols()),
                validity == 0 ? d.temporaryPasswordValidityDays() : validity);
    }

    ObjectNode toJson() {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("MinimumLength", minimumLength);
        node.put("RequireUppercase", requireUppercase);
        node.put("RequireLowercase", requireLowercase);
        node.put("RequireNumbers", requireNumbers);
        node.put("RequireSymbols", requireSymbols);
        node.put("TemporaryPasswordValidityDays", temporaryPasswordValidityDays);
        return node;
    }

    /**
     * Throws {@code InvalidParameterException} for what the service model forbids (shorter than 6, longer than 256,
     * whitespace) and then {@code InvalidPasswordException} naming the first policy rule the password breaks.
     */
    void check(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < 6) {
            throw UserPoolErrors.invalidParameter("1 validation error detected: Value at 'password' failed to satisfy "
                    + "constraint: Member must have length greater than or equal to 6");
        }
        if (length > 256 || password.codePoints().anyMatch(Character::isWhitespace)) {
            throw UserPoolErrors.invalidParameter("1 validation error detected: Value at 'password' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [\\S]+");
        }
        if (length < minimumLength) {
            throw UserPoolErrors.invalidPassword("Password not long enough");
        }
        if (requireLowercase && password.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            throw UserPoolErrors.invalidPassword("Password must have lowercase characters");
        }
        if (requireUppercase && password.chars().noneMatch(c -> c >= 'A' && c <= 'Z')) {
            throw UserPoolErrors.invalidPassword("Password must have uppercase characters");
        }
        if (requireNumbers && password.chars().noneMatch(c -> c >= '0' && c <= '9')) {
            throw UserPoolErrors.invalidPassword("Password must have numeric characters");
        }
        if (requireSymbols && password.chars().noneMatch(c -> SYMBOLS.indexOf(c) >= 0)) {
            throw UserPoolErrors.invalidPassword("Password must have symbol characters");
        }
    }
}
