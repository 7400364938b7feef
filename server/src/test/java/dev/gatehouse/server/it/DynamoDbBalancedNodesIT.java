package dev.gatehouse.server.it;

import dev.gatehouse.store.testing.MotoServer;
import org.jspecify.annotations.Nullable;

/** {@link BalancedNodesTests} on one DynamoDB table of moto's server, started by the test on a loopback port. */
class DynamoDbBalancedNodesIT extends BalancedNodesTests {

    private @Nullable MotoServer moto;

    @Override
    void startStore() {
        moto = MotoServer.start();
    }

    @Override
    GatehouseProcess node(int i) {
        return GatehouseProcess.create(
                        "dynamodb-balanced-node-" + i,
                        "--store",
                        "dynamodb",
                        "--dynamodb-endpoint",
                        "http://127.0.0.1:"
                                + java.util.Objects.requireNonNull(moto).port(),
                        "--dynamodb-table-prefix",
                        "balanced-it-",
                        "--issuer-style",
                        "aws")
                // moto accepts any key; with these the SDK never looks further (no instance metadata lookups).
                .withEnvironment("AWS_ACCESS_KEY_ID", "local")
                .withEnvironment("AWS_SECRET_ACCESS_KEY", "local")
                .withEnvironment("AWS_EC2_METADATA_DISABLED", "true");
    }

    @Override
    void stopStore() {
        if (moto != null) {
            moto.close();
        }
    }
}
