package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.IdentityRepository.Identity;
import dev.gatehouse.store.InMemoryItemStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityRepositoryTests {

    private static final String POOL = "us-east-1:4f291106-8703-466b-8f2b-3ecee1ca56ce";
    private static final String PROVIDER = "cognito-idp.us-east-1.amazonaws.com/us-east-1_GateHouse1";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final IdentityRepository identities = new IdentityRepository(new InMemoryItemStore());

    @Test
    void createForLoginWhenTwoNodesRaceForOneUserThenBothGetTheFirstIdentity() {
        Identity first = identity("us-east-1:00000000-0000-0000-0000-000000000001");
        Identity second = identity("us-east-1:00000000-0000-0000-0000-000000000002");

        String won = identities.createForLogin(first, PROVIDER, "user-a");
        String lost = identities.createForLogin(second, PROVIDER, "user-a");

        assertThat(won).isEqualTo(first.identityId());
        assertThat(lost).isEqualTo(first.identityId());
        assertThat(identities.find(second.identityId())).isEmpty();
        assertThat(identities.list(POOL, 10, null).identities())
                .extracting(Identity::identityId)
                .containsExactly(first.identityId());
    }

    @Test
    void createForLoginWhenOtherUserThenOwnIdentity() {
        identities.createForLogin(identity("us-east-1:00000000-0000-0000-0000-000000000001"), PROVIDER, "user-a");

        String other = identities.createForLogin(
                identity("us-east-1:00000000-0000-0000-0000-000000000002"), PROVIDER, "user-b");

        assertThat(other).isEqualTo("us-east-1:00000000-0000-0000-0000-000000000002");
        assertThat(identities.findByLogin(POOL, PROVIDER, "user-b")).contains(other);
    }

    private static Identity identity(String id) {
        return new Identity(id, POOL, List.of(PROVIDER), NOW, NOW);
    }
}
