package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.identity.DefaultIdentityPool;
import dev.gatehouse.identity.IdentityPoolApi;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.Value;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.userpool.DefaultStack;
import dev.gatehouse.userpool.JwtTokenService;
import dev.gatehouse.userpool.OutboxMessageSender;
import dev.gatehouse.userpool.UserPoolApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in template is today's recipe stack: the same pool and client settings, identity pool, auth-role policy,
 * routes with their authorization, CORS and outputs as the stack that was declared in Java; and a data dir created
 * by that older stack keeps its ids (and so its users) when the template is applied to it.
 */
class RecipeTemplateTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the Java-declared stack wrote as the auth role's policy (GatehouseServer.AUTH_ROLE_POLICY, formatted). */
    private static final String OLD_AUTH_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:abcdefghij/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\","
            + "\"s3:AbortMultipartUpload\"],\"Resource\":\"arn:aws:s3:::gatehouse-attachments-x/private/"
            + "${cognito-identity.amazonaws.com:sub}/*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
            + "\"Resource\":\"arn:aws:s3:::gatehouse-attachments-x\",\"Condition\":{\"StringLike\":{\"s3:prefix\":"
            + "\"private/${cognito-identity.amazonaws.com:sub}/*\"}}}]}";

    @TempDir
    Path dir;

    private final Stack stack = StackConfig.builtIn().read("us-east-1", "123456789012", Map.of());

    private static String lookup(Value.Part part) {
        if (part instanceof Value.Part.Ref ref) {
            return switch (ref.logicalId()) {
                case "NotesApi" -> "abcdefghij";
                case "Attachments" -> "gatehouse-attachments-x";
                default -> "<" + ref.logicalId() + ">";
            };
        }
        Value.Part.Att att = (Value.Part.Att) part;
        return "<" + att.logicalId() + "." + att.attribute() + ">";
    }

    private static JsonNode json(Value value) {
        return JSON.valueToTree(Value.render(value, RecipeTemplateTests::lookup));
    }

    @Test
    void readWhenBuiltInThenPoolAndClientAsTheJavaDeclaredStack() throws Exception {
        Resource.UserPool pool = stack.all(Resource.UserPool.class).get(0);
        assertThat(json(pool.properties()))
                .isEqualTo(JSON.readTree("{\"PoolName\":\"gatehouse\","
                        + "\"UsernameAttributes\":[\"email\"],\"AutoVerifiedAttributes\":[\"email\"],"
                        + "\"UsernameConfiguration\":{\"CaseSensitive\":false},"
                        + "\"Schema\":[{\"Name\":\"email\",\"Required\":true,\"Mutable\":true}]}"));
        Resource.UserPoolClient client =
                stack.all(Resource.UserPoolClient.class).get(0);
        assertThat(json(client.properties()))
                .isEqualTo(JSON.readTree("{\"ClientName\":\"gatehouse-web\","
                        + "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_USER_SRP_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\","
                        + "\"ALLOW_ADMIN_USER_PASSWORD_AUTH\"],\"PreventUserExistenceErrors\":\"ENABLED\"}"));
    }

    @Test
    void readWhenBuiltInThenIdentityPoolRolesAndAuthPolicyAsTheJavaDeclaredStack() throws Exception {
        Resource.IdentityPool ids = stack.all(Resource.IdentityPool.class).get(0);
        assertThat(ids.name()).contains("gatehouse");
        assertThat(ids.allowUnauthenticated()).isFalse();
        assertThat(ids.providers()).hasSize(1);
        List<Resource.Role> roles = stack.all(Resource.Role.class);
        assertThat(roles)
                .extracting(r -> r.roleName()
                        .map(n -> n.render(RecipeTemplateTests::lookup))
                        .orElseThrow())
                .containsExactly("gatehouse-auth", "gatehouse-unauth");
        assertThat(json(roles.get(0).policies().get(0).document())).isEqualTo(JSON.readTree(OLD_AUTH_POLICY));
        assertThat(roles.get(1).policies()).isEmpty();
        assertThat(stack.all(Resource.IdentityPoolRoleAttachment.class).get(0).roles())
                .containsOnlyKeys("authenticated", "unauthenticated");
    }

    @Test
    void readWhenBuiltInThenRoutesAuthCorsAndOutputsAsTheJavaDeclaredStack() {
        Resource.Api api = stack.all(Resource.Api.class).get(0);
        assertThat(api.kind()).isEqualTo(Resource.ApiKind.HTTP);
        assertThat(api.defaultAuth()).isEqualTo(new Resource.RouteAuth.AwsIam());
        assertThat(api.cors())
                .contains(new Resource.Cors(
                        List.of("*"),
                        List.of("*"),
                        List.of("*"),
                        List.of("x-next-cursor", "etag"),
                        Optional.empty(),
                        false));
        assertThat(api.routes())
                .extracting(r -> r.method() + " " + r.path() + " "
                        + r.auth().map(a -> a.getClass().getSimpleName()).orElse("default"))
                .containsExactly(
                        "GET /public None",
                        "GET /private default",
                        "GET /api/helloWorld None",
                        "GET /api/helloWorldSecured Named",
                        "POST /notes default",
                        "GET /notes default",
                        "GET /notes/{id} default",
                        "PUT /notes/{id} default",
                        "DELETE /notes/{id} default");
        assertThat(stack.all(Resource.Bucket.class)).hasSize(1);
        assertThat(stack.outputs())
                .extracting(Stack.Output::name)
                .containsExactly(
                        "Region",
                        "AwsEndpoint",
                        "ApiEndpoint",
                        "UserPoolId",
                        "UserPoolClientId",
                        "IdentityPoolId",
                        "AttachmentsBucket",
                        "AdminCredentialsFile",
                        "WebEndpoint");
    }

    @Test
    void startWhenDataDirPredatesTemplatesThenItsIdsAreKept() {
        Path data = dir.resolve("data");
        DefaultStack pool;
        DefaultIdentityPool identityPool;
        try (ItemStore store =
                StoreFactory.SQLITE.open(DataDirectory.open(data).privateDatabase(), Clock.systemUTC())) {
            StackState state = StackState.loadOrCreate(
                    store,
                    dev.gatehouse.iam.AccessKeys.create(),
                    new java.security.SecureRandom(),
                    Clock.systemUTC().instant());
            JwtTokenService tokens =
                    new JwtTokenService(store, Clock.systemUTC(), JwtTokenService.issuerUnder("http://localhost"));
            UserPoolApi users = new UserPoolApi(
                    store,
                    tokens,
                    OutboxMessageSender.inDataDir(data, Clock.systemUTC()),
                    Clock.systemUTC(),
                    "us-east-1",
                    state.accountId());
            pool = users.ensureDefaultStack();
            identityPool = new IdentityPoolApi(store, tokens, Clock.systemUTC(), "us-east-1", state.accountId())
                    .ensureDefault(pool.userPoolId(), pool.clientId());
            store.put(
                    StackState.TABLE, Item.of(Key.of("stack", "api"), Map.of("apiId", "legacyapi0")), Condition.none());
            store.put(
                    StackState.TABLE,
                    Item.of(
                            Key.of("stack", "attachments-bucket"),
                            Map.of("bucket", "gatehouse-attachments-legacy000000")),
                    Condition.none());
        }
        GatehouseServer server =
                new GatehouseServer(ServerConfig.defaults(data).withAwsPort(0).withWorkers(2, 8));
        try {
            StackOutputs outputs = server.start();
            assertThat(outputs.get("UserPoolId")).contains(pool.userPoolId());
            assertThat(outputs.get("UserPoolClientId")).contains(pool.clientId());
            assertThat(outputs.get("IdentityPoolId")).contains(identityPool.identityPoolId());
            assertThat(outputs.get("AttachmentsBucket")).contains("gatehouse-attachments-legacy000000");
            assertThat(server.apiId()).contains("legacyapi0");
        } finally {
            server.stop();
        }
    }
}
