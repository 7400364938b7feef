package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.dynamodb.DynamoDbSettings;
import dev.gatehouse.store.postgres.PostgresSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --store}, {@code --dynamodb-endpoint}, {@code --dynamodb-table-prefix} and their environment variables. */
class StoreOptionTests {

    @Test
    void parseStoreWhenNothingGivenThenSqlite() {
        assertThat(Main.parseStore(new String[0], Map.of())).isSameAs(StoreFactory.SQLITE);
    }

    @Test
    void parseStoreWhenDynamoDbWithEndpointThenStackRegionSignsAndPrefixNamesTable() {
        StoreFactory store = Main.parseStore(
                new String[] {
                    "--store",
                    "dynamodb",
                    "--dynamodb-endpoint",
                    "http://127.0.0.1:8000",
                    "--dynamodb-table-prefix",
                    "blue-",
                    "--region",
                    "eu-west-1"
                },
                Map.of());

        assertThat(store)
                .isEqualTo(new StoreFactory.DynamoDb(
                        new DynamoDbSettings(URI.create("http://127.0.0.1:8000"), "eu-west-1", "blue-")));
        assertThat(((StoreFactory.DynamoDb) store).settings().tableName()).isEqualTo("blue-items");
    }

    @Test
    void parseStoreWhenDynamoDbWithoutEndpointThenSdkChainChoosesRegion() {
        StoreFactory store = Main.parseStore(new String[0], Map.of("GATEHOUSE_STORE", "DynamoDB"));

        assertThat(store)
                .isEqualTo(new StoreFactory.DynamoDb(
                        new DynamoDbSettings(null, null, DynamoDbSettings.DEFAULT_TABLE_PREFIX)));
    }

    @Test
    void parseStoreWhenEnvironmentSetsDynamoDbFlagsThenUsedAndFlagsWin() {
        StoreFactory store = Main.parseStore(
                new String[] {"--dynamodb-table-prefix", "flag-"},
                Map.of(
                        "GATEHOUSE_STORE",
                        "dynamodb",
                        "GATEHOUSE_DYNAMODB_ENDPOINT",
                        "http://127.0.0.1:9000",
                        "GATEHOUSE_DYNAMODB_TABLE_PREFIX",
                        "env-"));

        assertThat(((StoreFactory.DynamoDb) store).settings())
                .isEqualTo(new DynamoDbSettings(URI.create("http://127.0.0.1:9000"), "us-east-1", "flag-"));
    }

    @Test
    void parseWhenStoreOrItsFlagsInvalidThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--store", "mongodb"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("sqlite, dynamodb or postgres");
        assertThatThrownBy(() ->
                        Main.parse(new String[] {"--store", "dynamodb", "--dynamodb-table-prefix", "a b"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() ->
                        Main.parse(new String[] {"--store", "dynamodb", "--dynamodb-endpoint", "ftp://x"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void parseStoreWhenPostgresThenUrlUserAndPasswordFromFlagsOrEnvironment() {
        StoreFactory store = Main.parseStore(
                new String[] {
                    "--store",
                    "postgres",
                    "--postgres-url",
                    "jdbc:postgresql://127.0.0.1:5432/gatehouse",
                    "--postgres-user",
                    "gh",
                    "--postgres-pool-size",
                    "5"
                },
                Map.of("GATEHOUSE_POSTGRES_PASSWORD", "from-env"));

        assertThat(store)
                .isEqualTo(new StoreFactory.Postgres(
                        new PostgresSettings("jdbc:postgresql://127.0.0.1:5432/gatehouse", "gh", "from-env", 5)));
    }

    @Test
    void parseWhenPostgresWithoutUrlOrWithAnotherDriversUrlThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--store", "postgres"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--postgres-url");
        assertThatThrownBy(() -> Main.parse(
                        new String[] {"--store", "postgres", "--postgres-url", "jdbc:mysql://x/y"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> Main.parse(
                        new String[] {
                            "--store",
                            "postgres",
                            "--postgres-url",
                            "jdbc:postgresql://x/y",
                            "--postgres-pool-size",
                            "0"
                        },
                        Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
