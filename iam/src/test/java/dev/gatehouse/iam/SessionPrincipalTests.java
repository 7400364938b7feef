package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionPrincipalTests {

    private static final Instant EXPIRATION = Instant.parse("2026-03-12T20:00:00Z");

    private static SessionPrincipal principal(
            String key,
            Instant expiration,
            String identity,
            String pool,
            String role,
            String account,
            List<String> amr) {
        return new SessionPrincipal(key, expiration, identity, pool, role, account, amr);
    }

    @Test
    void equalsWhenEveryComponentSameThenEqualWithSameHash() {
        SessionPrincipal one = principal(
                "ASIAEXAMPLE000000001",
                EXPIRATION,
                "us-east-1:id",
                "us-east-1:pool",
                "arn:aws:iam::123456789012:role/Auth",
                "123456789012",
                List.of("authenticated", "provider"));
        SessionPrincipal two = principal(
                "ASIAEXAMPLE000000001",
                EXPIRATION,
                "us-east-1:id",
                "us-east-1:pool",
                "arn:aws:iam::123456789012:role/Auth",
                "123456789012",
                List.of("authenticated", "provider"));

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two).isEqualTo(one);
        assertThat(one).isNotEqualTo(null).isNotEqualTo("ASIAEXAMPLE000000001");
    }

    @Test
    void equalsWhenAnyComponentDiffersThenNotEqual() {
        String key = "ASIAEXAMPLE000000001";
        String identity = "us-east-1:id";
        String pool = "us-east-1:pool";
        String role = "arn:aws:iam::123456789012:role/Auth";
        String account = "123456789012";
        List<String> amr = List.of("authenticated");
        SessionPrincipal base = principal(key, EXPIRATION, identity, pool, role, account, amr);

        assertThat(List.of(
                        principal("ASIAEXAMPLE000000002", EXPIRATION, identity, pool, role, account, amr),
                        principal(key, EXPIRATION.plusSeconds(1), identity, pool, role, account, amr),
                        principal(key, EXPIRATION, "us-east-1:other", pool, role, account, amr),
                        principal(key, EXPIRATION, identity, "us-east-1:other", role, account, amr),
                        principal(
                                key, EXPIRATION, identity, pool, "arn:aws:iam::123456789012:role/Unauth", account, amr),
                        principal(key, EXPIRATION, identity, pool, role, "210987654321", amr),
                        principal(key, EXPIRATION, identity, pool, role, account, List.of("unauthenticated"))))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(base));
    }
}
