package dev.gatehouse.server.it;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Unique names and valid passwords for test users, and the {@code SECRET_HASH} clients with a secret must send. */
final class TestUsers {

    /** Meets Cognito's default policy: 8+ characters, upper, lower, digit, symbol. */
    static final String PASSWORD = "Corr3ct-Horse!";

    static final String OTHER_PASSWORD = "Batt3ry-Staple?";
    static final String THIRD_PASSWORD = "Tr0ub4dor&3x";

    private TestUsers() {}

    /** A fresh address such as {@code journey-1a2b3c4d@example.com}. */
    static String email(String label) {
        return label + "-" + suffix() + "@example.com";
    }

    /** A fresh plain username such as {@code alice-1a2b3c4d}. */
    static String username(String label) {
        return label + "-" + suffix();
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** {@code Base64(HMAC-SHA256(key = clientSecret, message = username + clientId))}. */
    static String secretHash(String username, String clientId, String clientSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(mac.doFinal((username + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
