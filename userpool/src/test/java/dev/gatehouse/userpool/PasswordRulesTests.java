package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.ServiceException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordRulesTests {

    private final PasswordPolicy policy = PasswordPolicy.defaults();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Pa1!abc|InvalidPasswordException|Password did not conform with password policy: Password not long enough",
                "PASSW0RD!|InvalidPasswordException|Password did not conform with password policy: "
                        + "Password must have lowercase characters",
                "passw0rd!|InvalidPasswordException|Password did not conform with password policy: "
                        + "Password must have uppercase characters",
                "Password!|InvalidPasswordException|Password did not conform with password policy: "
                        + "Password must have numeric characters",
                "Passw0rdd|InvalidPasswordException|Password did not conform with password policy: "
                        + "Password must have symbol characters",
                "Pa1!a|InvalidParameterException|1 validation error detected: Value at 'password' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 6"
            })
    void checkWhenRuleBrokenThenErrorNamesIt(String password, String code, String message) {
        assertThatThrownBy(() -> policy.check(password)).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.error().code()).isEqualTo(code);
            assertThat(e.error().message()).isEqualTo(message);
        });
    }

    @Test
    void checkWhenEverySymbolClassThenAccepted() {
        for (char symbol : "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-".toCharArray()) {
            policy.check("Passw0rd" + symbol);
        }
        new PasswordPolicy(6, false, false, false, false, 7).check("abcdef");
    }

    @Test
    void hashWhenOwaspParametersThenEncodedWithParametersAndVerifies() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("Passw0rd!");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("Passw0rd!", hash)).isTrue();
        assertThat(hasher.verify("Passw0rd?", hash)).isFalse();
        assertThat(hasher.hash("Passw0rd!")).isNotEqualTo(hash);
    }

    @Test
    void verifyWhenHashMadeWithOtherParametersThenStillVerifies() {
        String cheap = new PasswordHasher(64, 1, new SecureRandom()).hash("Passw0rd!");
        assertThat(new PasswordHasher().verify("Passw0rd!", cheap)).isTrue();
        assertThat(new PasswordHasher().verify("Passw0rd!", "$argon2id$v=19$garbage"))
                .isFalse();
        assertThat(new PasswordHasher().verify("Passw0rd!", "plain")).isFalse();
    }

    @Test
    void oneTimeCodeWhenCheckedThenMatchMismatchExpiredExhausted() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        OneTimeCode.Issued issued = OneTimeCode.issue(new SecureRandom(), now, Duration.ofHours(1));
        assertThat(issued.code()).matches("\\d{6}");
        OneTimeCode stored = OneTimeCode.decode(issued.stored().encode()).orElseThrow();
        assertThat(stored.encode()).doesNotContain(issued.code());
        assertThat(stored.check(issued.code(), now)).isEqualTo(OneTimeCode.Check.MATCH);
        assertThat(stored.check("x" + issued.code(), now)).isEqualTo(OneTimeCode.Check.MISMATCH);
        assertThat(stored.check(issued.code(), now.plus(Duration.ofHours(1)))).isEqualTo(OneTimeCode.Check.EXPIRED);
        OneTimeCode tired = stored;
        for (int i = 0; i < OneTimeCode.MAX_ATTEMPTS; i++) {
            tired = tired.withFailedAttempt();
        }
        assertThat(tired.check(issued.code(), now)).isEqualTo(OneTimeCode.Check.EXHAUSTED);
    }

    @Test
    void lockoutWhenFailuresThenTwoToTheNMinusFiveSecondsCappedAtFifteenMinutes() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        User user = new User("us-east-1_abc", "u", "sub", User.Status.CONFIRMED, now);
        for (int i = 0; i < 4; i++) {
            SignInThrottle.recordFailure(user, now);
        }
        assertThat(SignInThrottle.lockedOut(user, now)).isFalse();
        SignInThrottle.recordFailure(user, now);
        assertThat(user.lockedUntil).isEqualTo(now.plusSeconds(1));
        SignInThrottle.recordFailure(user, now);
        assertThat(user.lockedUntil).isEqualTo(now.plusSeconds(2));
        for (int i = 0; i < 20; i++) {
            SignInThrottle.recordFailure(user, now);
        }
        assertThat(user.lockedUntil).isEqualTo(now.plus(Duration.ofMinutes(15)));
        assertThat(SignInThrottle.lockedOut(
                        user, now.plus(Duration.ofMinutes(15)).minusMillis(1)))
                .isTrue();
        assertThat(SignInThrottle.lockedOut(user, now.plus(Duration.ofMinutes(15))))
                .isFalse();
        assertThat(user.failedSignIns).isZero();
    }
}
