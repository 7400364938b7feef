package dev.gatehouse.server.it;

import dev.gatehouse.store.testing.PostgresServer;
import org.jspecify.annotations.Nullable;

/** {@link BalancedNodesTests} on one PostgreSQL database, started by the test on a loopback port. */
class PostgresNodesIT extends BalancedNodesTests {

    private @Nullable PostgresServer postgres;
    private String url = "";

    @Override
    void startStore() {
        PostgresServer server = PostgresServer.start();
        postgres = server;
        url = server.createDatabase("nodes_it");
    }

    @Override
    GatehouseProcess node(int i) {
        return GatehouseProcess.create(
                        "postgres-node-" + i,
                        "--store",
                        "postgres",
                        "--postgres-url",
                        url,
                        "--postgres-user",
                        PostgresServer.USER,
                        "--issuer-style",
                        "aws")
                .withEnvironment("GATEHOUSE_POSTGRES_PASSWORD", PostgresServer.PASSWORD);
    }

    @Override
    void stopStore() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
