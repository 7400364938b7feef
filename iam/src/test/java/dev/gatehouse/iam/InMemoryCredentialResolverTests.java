package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryCredentialResolverTests {

    private final InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
            .put("AKIAAAAAAAAAAAAAAAAA", SigningCredential.permanent(SecretBytes.ofUtf8("secret-a"), "long-term"))
            .put(
                    "ASIAAAAAAAAAAAAAAAAA",
                    SigningCredential.temporary(
                            SecretBytes.ofUtf8("secret-b"), Instant.parse("2026-01-01T01:00:00Z"), "temporary"),
                    "token-b");

    @Test
    void resolveWhenLongTermKeyWithoutTokenThenCredential() {
        assertThat(keys.resolve("AKIAAAAAAAAAAAAAAAAA", null))
                .map(SigningCredential::principal)
                .contains("long-term");
    }

    @Test
    void resolveWhenLongTermKeyWithTokenThenEmpty() {
        assertThat(keys.resolve("AKIAAAAAAAAAAAAAAAAA", "token-b")).isEmpty();
    }

    @Test
    void resolveWhenTemporaryKeyWithItsTokenThenCredential() {
        assertThat(keys.resolve("ASIAAAAAAAAAAAAAAAAA", "token-b"))
                .map(SigningCredential::principal)
                .contains("temporary");
    }

    @Test
    void resolveWhenTemporaryKeyWithOtherOrNoTokenThenEmpty() {
        assertThat(keys.resolve("ASIAAAAAAAAAAAAAAAAA", "token-x")).isEmpty();
        assertThat(keys.resolve("ASIAAAAAAAAAAAAAAAAA", null)).isEmpty();
    }

    @Test
    void resolveWhenRemovedThenEmpty() {
        keys.remove("AKIAAAAAAAAAAAAAAAAA");

        assertThat(keys.resolve("AKIAAAAAAAAAAAAAAAAA", null)).isEmpty();
    }

    @Test
    void toStringWhenSecretThenRedacted() {
        SecretBytes secret = SecretBytes.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        assertThat(secret.toString()).doesNotContain("wJalr").contains("redacted");
        assertThat(SigningCredential.permanent(secret, "p").toString()).doesNotContain("wJalr");
    }
}
