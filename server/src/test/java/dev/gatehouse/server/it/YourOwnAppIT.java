package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.functions.ExampleFunctions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * examples/sam-app run from the jar with {@code --template}: its own pool, client and identity pool; an HTTP API on
 * Gatehouse's built-in handlers (a NONE route, an AWS_IAM route, a JWT route); a REST API (payload 1.0) on a Java
 * function of examples/java-functions in a worker JVM, where the handler sees the caller's identity id
 * ({@code AWS_IAM}) and claims (a Cognito user-pool authorizer) where API Gateway puts them.
 */
class YourOwnAppIT {

    private static final Path APP = prepareApp();

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "your-own-app",
            "--template",
            APP.resolve("sam-app").resolve("template.yaml").toString());

    private static @Nullable Caller alice;

    private record Caller(String email, String idToken, String identityId, Credentials credentials) {}

    /** The example laid out as a user has it: sam-app/template.yaml and java-functions/target/java-functions.jar. */
    private static Path prepareApp() {
        try {
            Path root = Path.of("target", "it", "your-own-app-src").toAbsolutePath();
            Path target = Files.createDirectories(root.resolve("java-functions").resolve("target"));
            ExampleFunctions.build(target);
            SdkExampleFunctions.build(
                    Files.createDirectories(root.resolve("java-sdk-functions").resolve("target")));
            Files.createDirectories(root.resolve("sam-app"));
            Files.copy(
                    Path.of("..", "examples", "sam-app", "template.yaml"),
                    root.resolve("sam-app").resolve("template.yaml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void signIn() {
        String email = TestUsers.email("alice");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String idToken = journeys.signIn(email, TestUsers.PASSWORD).idToken();
        Map<String, String> logins = Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId(), idToken);
        try (CognitoIdentityClient identity = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create())) {
            String identityId = identity.getId(r ->
                            r.identityPoolId(GATEHOUSE.output("IdentityPoolId")).logins(logins))
                    .identityId();
            Credentials credentials = identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
            alice = new Caller(email, idToken, identityId, credentials);
        }
    }

    @AfterAll
    static void forget() {
        alice = null;
    }

    private static Caller alice() {
        Caller caller = alice;
        if (caller == null) {
            throw new IllegalStateException("not signed in");
        }
        return caller;
    }

    @Test
    void outputsWhenTemplateRunsThenItsOwnOutputsPointAtLocalEndpoints() {
        assertThat(GATEHOUSE.output("HttpApiUrl")).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(GATEHOUSE.output("RestApiUrl")).matches("http://127\\.0\\.0\\.1:\\d+/dev");
        assertThat(GATEHOUSE.output("HttpApiUrl")).isEqualTo(GATEHOUSE.output("ApiEndpoint"));
        assertThat(GATEHOUSE.output("UserPoolId")).startsWith("us-east-1_");
        assertThat(GATEHOUSE.output("IdentityPoolId")).startsWith("us-east-1:");
    }

    @Test
    void getPublicWhenUnsignedThenBuiltInHandlerAnswers() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("HttpApiUrl") + "/public"))
                        .GET()
                        .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello stranger!");
    }

    @Test
    void getHttpPrivateWhenUnsignedThenForbiddenAndWhenSignedThenIdentityId() {
        String url = GATEHOUSE.output("HttpApiUrl") + "/private";
        assertThat(send(HttpRequest.newBuilder(URI.create(url)).GET().build()).statusCode())
                .isEqualTo(403);

        HttpResponse<String> response = send(signed(url));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello " + alice().identityId() + "!");
    }

    @Test
    void getMeWhenIdTokenThenJwtRouteSeesTheEmail() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("HttpApiUrl") + "/me"))
                .header("Authorization", "Bearer " + alice().idToken())
                .GET()
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(alice().email());
    }

    @Test
    void getWhoamiWhenSignedThenJavaFunctionSeesTheCognitoIdentityId() {
        HttpResponse<String> response = send(signed(GATEHOUSE.output("RestApiUrl") + "/whoami"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("identity=" + alice().identityId() + " email=null path=/whoami");
    }

    @Test
    void getWhoamiWhenUnsignedThenRestForbiddenWithTheTemplatesGatewayResponseHeader() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("RestApiUrl") + "/whoami"))
                        .GET()
                        .build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void getClaimsWhenIdTokenThenJavaFunctionSeesTheEmailClaim() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("RestApiUrl") + "/claims"))
                        .header("Authorization", alice().idToken())
                        .GET()
                        .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("identity=null email=" + alice().email() + " path=/claims");
    }

    @Test
    void postFilesWhenRolePolicyAllowsTheKeyThenSdkFunctionWritesTheBucketAsItsRole() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("HttpApiUrl") + "/files?key=uploads/hello.txt"))
                        .POST(HttpRequest.BodyPublishers.ofString("hello from a function"))
                        .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("written uploads/hello.txt ");
        try (S3Client s3 = adminS3()) {
            assertThat(s3.getObjectAsBytes(r ->
                                    r.bucket(GATEHOUSE.output("FilesBucket")).key("uploads/hello.txt"))
                            .asUtf8String())
                    .isEqualTo("hello from a function");
        }
    }

    @Test
    void postFilesWhenRolePolicyDoesNotAllowTheKeyThenAccessDeniedToTheRoleSession() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("HttpApiUrl") + "/files?key=private/hello.txt"))
                        .POST(HttpRequest.BodyPublishers.ofString("not allowed"))
                        .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).startsWith("AccessDenied: ");
        try (S3Client s3 = adminS3()) {
            assertThat(s3.listObjectsV2(r ->
                                    r.bucket(GATEHOUSE.output("FilesBucket")).prefix("private/"))
                            .contents())
                    .isEmpty();
        }
    }

    @Test
    void postItemsWhenRolePolicyAllowsTheTableThenSdkFunctionWritesAndReadsTheTemplatesTable() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(GATEHOUSE.output("HttpApiUrl") + "/items?id=n1"))
                        .POST(HttpRequest.BodyPublishers.ofString("first note"))
                        .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("read n1 first note");
        assertThat(GATEHOUSE.output("NotesTableArn"))
                .isEqualTo("arn:aws:dynamodb:us-east-1:"
                        + GATEHOUSE.output("NotesTableArn").split(":")[4] + ":table/" + GATEHOUSE.output("NotesTable"));
        try (DynamoDbClient dynamoDb = adminDynamoDb()) {
            assertThat(dynamoDb.getItem(r -> r.tableName(GATEHOUSE.output("NotesTable"))
                                    .key(Map.of("noteId", AttributeValue.fromS("n1"))))
                            .item())
                    .containsEntry("content", AttributeValue.fromS("first note"));
        }
    }

    @Test
    void postItemsWhenRolePolicyDoesNotAllowTheTableThenAccessDeniedToTheRoleSession() {
        try (DynamoDbClient dynamoDb = adminDynamoDb()) {
            dynamoDb.createTable(r -> r.tableName("not-the-functions")
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("noteId").attributeType("S"))
                    .keySchema(k -> k.attributeName("noteId").keyType("HASH")));
        } catch (ResourceInUseException e) {
            // made by an earlier run on the same data dir
        }

        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(GATEHOUSE.output("HttpApiUrl") + "/items?id=n2&table=not-the-functions"))
                .POST(HttpRequest.BodyPublishers.ofString("nope"))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        // the caller is the role session named after the function, as Lambda's execution role sessions are
        assertThat(response.body())
                .matches("AccessDeniedException: User: arn:aws:sts::\\d{12}:assumed-role/"
                        + "[^/]+-NotesWriterRole-[A-Z0-9]+/[^/ ]+-WriteNote-[A-Z0-9]+ is not authorized to perform: dynamodb:PutItem"
                        + " on resource: arn:aws:dynamodb:us-east-1:\\d{12}:table/not-the-functions .*");
    }

    private static DynamoDbClient adminDynamoDb() {
        return GATEHOUSE.newAdminDynamoDb();
    }

    private static S3Client adminS3() {
        AdminCredentials admin = GATEHOUSE.adminCredentials();
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(GATEHOUSE.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(admin.accessKeyId(), admin.secretAccessKey())))
                .build();
    }

    private static HttpRequest signed(String url) {
        Credentials credentials = alice().credentials();
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(url))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsSessionCredentialsIdentity.create(
                                credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken()))
                        .request(unsigned)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"))
                .request();
        return ApiCalls.copy(signed);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return ApiCalls.send(request);
    }
}
