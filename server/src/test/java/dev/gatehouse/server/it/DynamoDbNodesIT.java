package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserResponse;

/**
 * Two server processes on one DynamoDB API (moto's server, started by this test on a loopback port), sharing one
 * table: nodes hold no state of their own, so a user who signs up on node A signs in on node B, and node A accepts
 * node B's tokens. Both nodes use the AWS issuer form, as nodes behind one load balancer would (the local form names
 * each node's port).
 */
class DynamoDbNodesIT {

    private static MotoServer dynamoDb;
    private static GatehouseProcess nodeA;
    private static GatehouseProcess nodeB;

    @BeforeAll
    static void startDynamoDbAndTwoNodes() throws Exception {
        dynamoDb = MotoServer.start();
        int port = dynamoDb.port();
        nodeA = node("dynamodb-node-a", port);
        nodeA.start();
        nodeB = node("dynamodb-node-b", port);
        nodeB.start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }

    @Test
    void nodesWhenSharingOneTableThenServeTheSameStack() {
        assertThat(nodeB.outputs().userPoolId()).isEqualTo(nodeA.outputs().userPoolId());
        assertThat(nodeB.outputs().userPoolClientId()).isEqualTo(nodeA.outputs().userPoolClientId());
        assertThat(nodeB.adminCredentials()).isEqualTo(nodeA.adminCredentials());
        // The data dir keeps only the node's own files (admin credentials, outbox): no SQLite database is written.
        assertThat(nodeA.dataDir().resolve("gatehouse.db"))
                .satisfiesAnyOf(db -> assertThat(db).doesNotExist(), db -> assertThat(db)
                        .isEmptyFile());
    }

    @Test
    void signUpOnNodeAThenSignInOnNodeBAndNodeAAcceptsItsToken() {
        String email = TestUsers.email("nodes");
        String sub = new Journeys(nodeA).signUpConfirmed(email, TestUsers.PASSWORD);

        AuthenticationResultType tokens = new Journeys(nodeB).signIn(email, TestUsers.PASSWORD);
        GetUserResponse user = nodeA.client().getUser(r -> r.accessToken(tokens.accessToken()));

        assertThat(user.username()).isEqualTo(sub);
        assertAwsError(
                () -> new Journeys(nodeB)
                        .initiatePasswordAuth(nodeB.outputs().userPoolClientId(), email, TestUsers.OTHER_PASSWORD),
                "NotAuthorizedException");
    }

    @Test
    void groupAddedOnNodeAThenNodeBsTokensCarryItAndAClientDeletedOnNodeAIsRefusedByNodeB() throws Exception {
        String email = TestUsers.email("grouped-nodes");
        new Journeys(nodeA).signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String poolId = nodeA.outputs().userPoolId();
        String group = "ops-" + TestUsers.suffix();
        nodeA.adminClient().createGroup(r -> r.userPoolId(poolId)
                .groupName(group)
                .roleArn("arn:aws:iam::123456789012:role/ops")
                .precedence(1));
        nodeA.adminClient()
                .adminAddUserToGroup(r -> r.userPoolId(poolId).groupName(group).username(email));

        String idToken = new Journeys(nodeB).signIn(email, TestUsers.PASSWORD).idToken();
        var claims = com.nimbusds.jwt.SignedJWT.parse(idToken).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("cognito:groups")).containsExactly(group);
        assertThat(claims.getStringClaim("cognito:preferred_role")).isEqualTo("arn:aws:iam::123456789012:role/ops");

        String clientId = nodeA.adminClient()
                .createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("short-lived")
                        .explicitAuthFlowsWithStrings("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"))
                .userPoolClient()
                .clientId();
        assertThat(new Journeys(nodeB)
                        .signIn(clientId, email, TestUsers.PASSWORD)
                        .idToken())
                .isNotEmpty();
        nodeA.adminClient().deleteUserPoolClient(r -> r.userPoolId(poolId).clientId(clientId));
        // node B may trust its copy of the client for PoolDirectory.CACHE_TTL (5 s), no longer
        Thread.sleep(5_500);
        assertAwsError(
                () -> new Journeys(nodeB).initiatePasswordAuth(clientId, email, TestUsers.PASSWORD),
                "ResourceNotFoundException");
    }

    private static GatehouseProcess node(String name, int dynamoDbPort) {
        return GatehouseProcess.create(
                        name,
                        "--store",
                        "dynamodb",
                        "--dynamodb-endpoint",
                        "http://127.0.0.1:" + dynamoDbPort,
                        "--dynamodb-table-prefix",
                        "nodes-it-",
                        "--issuer-style",
                        "aws")
                // moto accepts any key; with these the SDK never looks further (no instance metadata lookups).
                .withEnvironment("AWS_ACCESS_KEY_ID", "local")
                .withEnvironment("AWS_SECRET_ACCESS_KEY", "local")
                .withEnvironment("AWS_EC2_METADATA_DISABLED", "true");
    }
}
