package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.stack.TemplateReader;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --stage}: two stages of one app side by side on one data dir, each with its own ids and data. */
class StagesTests {

    @TempDir
    Path dir;

    private GatehouseServer server(String stage) {
        return new GatehouseServer(
                ServerConfig.defaults(dir.resolve("data")).withAwsPort(0).withWorkers(2, 8),
                Clock.systemUTC(),
                StoreFactory.SQLITE,
                new StackConfig(Optional.empty(), Map.of(), stage));
    }

    @Test
    void startWhenTwoStagesOnOneDataDirThenEachHasItsOwnIdsAndKeepsThem() {
        GatehouseServer dev = server("dev");
        GatehouseServer prod = server("prod");
        try {
            StackOutputs devOutputs = dev.start();
            StackOutputs prodOutputs = prod.start();
            for (String name :
                    new String[] {"UserPoolId", "UserPoolClientId", "IdentityPoolId", "AttachmentsBucket", "ApiEndpoint"
                    }) {
                assertThat(prodOutputs.get(name)).as(name).isNotEqualTo(devOutputs.get(name));
            }
            assertThat(devOutputs.get("AttachmentsBucket").orElseThrow()).startsWith("gatehouse-attachments-");
            assertThat(prodOutputs.get("AttachmentsBucket").orElseThrow()).startsWith("gatehouse-prod-attachments-");
            assertThat(prod.apiId()).isNotEqualTo(dev.apiId());
            prod.stop();
            GatehouseServer again = server("prod");
            try {
                StackOutputs restarted = again.start();
                assertThat(restarted.get("UserPoolId")).isEqualTo(prodOutputs.get("UserPoolId"));
                assertThat(restarted.get("IdentityPoolId")).isEqualTo(prodOutputs.get("IdentityPoolId"));
                assertThat(restarted.get("AttachmentsBucket")).isEqualTo(prodOutputs.get("AttachmentsBucket"));
            } finally {
                again.stop();
            }
        } finally {
            prod.stop();
            dev.stop();
        }
    }

    @Test
    void stagedStoreWhenWrittenThenInvisibleToOtherStages() {
        try (ItemStore shared =
                StoreFactory.SQLITE.open(DataDirectory.open(dir.resolve("s")).privateDatabase(), Clock.systemUTC())) {
            ItemStore prod = StagedItemStore.of(shared, "prod", TemplateReader.DEFAULT_STAGE);
            ItemStore dev = StagedItemStore.of(shared, "dev", TemplateReader.DEFAULT_STAGE);
            prod.put("notes", Item.of(Key.of("u", "n"), Map.of("content", "prod")), Condition.notExists());

            assertThat(prod.get("notes", Key.of("u", "n"))).isPresent();
            assertThat(dev.get("notes", Key.of("u", "n"))).isEmpty();
            assertThat(dev).isSameAs(shared);
            assertThat(shared.get("prod.notes", Key.of("u", "n"))).isPresent();
        }
    }

    @Test
    void stagedStoreWhenCountingThenCountsItsStageOnly() {
        try (ItemStore shared =
                StoreFactory.SQLITE.open(DataDirectory.open(dir.resolve("s")).privateDatabase(), Clock.systemUTC())) {
            ItemStore prod = StagedItemStore.of(shared, "prod", TemplateReader.DEFAULT_STAGE);
            ItemStore test = StagedItemStore.of(shared, "test", TemplateReader.DEFAULT_STAGE);
            prod.put("notes", Item.of(Key.of("u", "a"), Map.of()), Condition.notExists());
            prod.put("notes", Item.of(Key.of("u", "b"), Map.of()), Condition.notExists());
            test.put("notes", Item.of(Key.of("u", "a"), Map.of()), Condition.notExists());
            shared.put("notes", Item.of(Key.of("u", "a"), Map.of()), Condition.notExists());

            assertThat(prod.count("notes", "u")).isEqualTo(2);
            assertThat(test.count("notes", "u")).isEqualTo(1);
            assertThat(shared.count("notes", "u")).isEqualTo(1);
        }
    }
}
