package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.iam.AccessKeys;
import dev.gatehouse.store.InMemoryItemStore;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StackStateTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryItemStore store = new InMemoryItemStore();
    private final AccessKeys keys = AccessKeys.create();

    @Test
    void loadOrCreateWhenEmptyStoreThenNewAccountAndAdminKey() {
        StackState state = StackState.loadOrCreate(store, keys, new SecureRandom(), NOW);

        assertThat(state.accountId()).matches("[1-9]\\d{11}");
        assertThat(state.admin().accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(state.admin().secretAccessKey()).hasSize(40);
        assertThat(state.adminArn()).isEqualTo("arn:aws:iam::" + state.accountId() + ":root");
        assertThat(state.createdAt()).isEqualTo(NOW);
    }

    @Test
    void loadOrCreateWhenAlreadyCreatedThenSameStateEveryTime() {
        StackState first = StackState.loadOrCreate(store, keys, new SecureRandom(), NOW);

        StackState second = StackState.loadOrCreate(store, keys, new SecureRandom(), NOW.plusSeconds(60));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void toStringWhenPrintedThenSecretHidden() {
        StackState state = StackState.loadOrCreate(store, keys, new SecureRandom(), NOW);

        assertThat(state.toString()).doesNotContain(state.admin().secretAccessKey());
    }
}
