package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * examples/roles-and-buckets run from the jar: the template's {@code RoleMappings} give each user the role its
 * Rules or Token mapping chooses (seen in the role session the API names on a refusal, and in what each role may do
 * to the template's two buckets), and the two buckets keep their own objects.
 */
class RolesAndBucketsIT {

    private static final Path APP = prepareApp();

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create(
            "roles-and-buckets", "--template", APP.resolve("template.yaml").toString());

    /** The example as a user has it, in a directory named like the example (the stack's name). */
    private static Path prepareApp() {
        try {
            Path app = Files.createDirectories(Path.of("target", "it", "roles-and-buckets-src", "roles-and-buckets")
                    .toAbsolutePath());
            Files.copy(
                    Path.of("..", "examples", "roles-and-buckets", "template.yaml"),
                    app.resolve("template.yaml"),
                    StandardCopyOption.REPLACE_EXISTING);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Caller(String identityId, Credentials credentials) {

        AwsCredentials aws() {
            return AwsSessionCredentials.create(
                    credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken());
        }
    }

    @Test
    void webClientEditorWhenRulesMappingMatchesTheGroupThenEditorRoleOnUploadsOnlyAndTheApi() {
        String email = member("editor", "editors-" + TestUsers.suffix(), null);
        // The rule matches cognito:groups Contains "editors", so any group whose name holds it.
        Caller editor = credentials(email, GATEHOUSE.outputs().userPoolClientId());

        try (S3Client s3 = s3(editor.aws())) {
            s3.putObject(r -> r.bucket(uploads()).key("drafts/a.txt"), RequestBody.fromString("draft"));
            assertAccessDenied(() -> s3.putObject(r -> r.bucket(reports()).key("a.txt"), RequestBody.fromString("x")));
        }
        HttpResponse<String> api = getPrivate(editor);
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(api.body()).isEqualTo("Hello " + editor.identityId() + "!");
    }

    @Test
    void mobileClientViewerWhenTokenMappingThenPreferredRoleOfTheGroupOnReportsOnly() {
        String viewerRole = GATEHOUSE.output("ViewerRoleArn");
        String email = member("viewer", "viewers-" + TestUsers.suffix(), viewerRole);
        Caller viewer = credentials(email, GATEHOUSE.output("MobileClientId"));

        try (S3Client s3 = s3(viewer.aws())) {
            s3.putObject(r -> r.bucket(reports()).key("weekly.txt"), RequestBody.fromString("report"));
            assertAccessDenied(
                    () -> s3.putObject(r -> r.bucket(uploads()).key("drafts/b.txt"), RequestBody.fromString("x")));
        }
        HttpResponse<String> api = getPrivate(viewer);
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("assumed-role/" + roleName(viewerRole) + "/CognitoIdentityCredentials");
    }

    @Test
    void webClientUserWhenNoRuleMatchesThenTheAuthenticatedRoleWhichMayDoNeither() {
        String email = TestUsers.email("plain");
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);
        Caller plain = credentials(email, GATEHOUSE.outputs().userPoolClientId());

        try (S3Client s3 = s3(plain.aws())) {
            assertAccessDenied(
                    () -> s3.putObject(r -> r.bucket(uploads()).key("drafts/c.txt"), RequestBody.fromString("x")));
            assertAccessDenied(() -> s3.putObject(r -> r.bucket(reports()).key("c.txt"), RequestBody.fromString("x")));
        }
        HttpResponse<String> api = getPrivate(plain);
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body())
                .contains("assumed-role/" + roleName(GATEHOUSE.output("SignedInRoleArn"))
                        + "/CognitoIdentityCredentials");
    }

    @Test
    void mobileClientUserWhenTokenHasNoRoleThenDenyAsTheMappingSays() {
        String email = TestUsers.email("roleless");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String mobile = GATEHOUSE.output("MobileClientId");
        Map<String, String> logins =
                logins(journeys.signIn(mobile, email, TestUsers.PASSWORD).idToken());

        try (CognitoIdentityClient identity = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create())) {
            String identityId = identity.getId(r ->
                            r.identityPoolId(GATEHOUSE.output("IdentityPoolId")).logins(logins))
                    .identityId();

            assertAwsError(
                    () -> identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins)),
                    "NotAuthorizedException",
                    "The ambiguous role mapping rules for: " + providerName() + ":" + mobile + " denied this request.");
        }
    }

    @Test
    void bucketsWhenTheSameKeyIsWrittenToBothThenEachKeepsItsOwnAndListBucketsNamesBoth() {
        try (S3Client s3 = s3(AwsBasicCredentials.create(
                GATEHOUSE.adminCredentials().accessKeyId(),
                GATEHOUSE.adminCredentials().secretAccessKey()))) {
            s3.putObject(r -> r.bucket(uploads()).key("same.txt"), RequestBody.fromString("in uploads"));
            s3.putObject(r -> r.bucket(reports()).key("same.txt"), RequestBody.fromString("in reports"));
            s3.putObject(r -> r.bucket(reports()).key("only-reports.txt"), RequestBody.fromString("r"));

            assertThat(s3.getObjectAsBytes(r -> r.bucket(uploads()).key("same.txt"))
                            .asUtf8String())
                    .isEqualTo("in uploads");
            assertThat(s3.getObjectAsBytes(r -> r.bucket(reports()).key("same.txt"))
                            .asUtf8String())
                    .isEqualTo("in reports");
            assertThat(s3.listObjectsV2(r -> r.bucket(uploads()).prefix("only-"))
                            .contents())
                    .isEmpty();
            assertThat(s3.listObjectsV2(r -> r.bucket(reports()).prefix("only-"))
                            .contents())
                    .extracting(S3Object::key)
                    .containsExactly("only-reports.txt");
            assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains(uploads(), reports());
        }
        assertThat(reports()).isEqualTo("roles-and-buckets-reports");
        assertThat(uploads()).matches("roles-and-buckets-uploads-[a-z0-9]{12}");
        assertThat(GATEHOUSE.output("UploadsBucketArn")).isEqualTo("arn:aws:s3:::" + uploads());
        assertThat(GATEHOUSE.output("ReportsDomainName")).isEqualTo(reports() + ".s3.us-east-1.amazonaws.com");
    }

    /** Signs up {@code label}'s user (admin-confirmed) in a new group with {@code roleArn}; returns the username. */
    private static String member(String label, String group, @org.jspecify.annotations.Nullable String roleArn) {
        String email = TestUsers.email(label);
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);
        var users = GATEHOUSE.adminClient();
        String poolId = GATEHOUSE.outputs().userPoolId();
        users.createGroup(
                r -> r.userPoolId(poolId).groupName(group).roleArn(roleArn).precedence(1));
        users.adminAddUserToGroup(r -> r.userPoolId(poolId).groupName(group).username(email));
        return email;
    }

    /** Signs in through {@code clientId} and exchanges the id token at the identity pool. */
    private static Caller credentials(String email, String clientId) {
        String idToken = new Journeys(GATEHOUSE)
                .signIn(clientId, email, TestUsers.PASSWORD)
                .idToken();
        Map<String, String> logins = logins(idToken);
        try (CognitoIdentityClient identity = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create())) {
            String identityId = identity.getId(r ->
                            r.identityPoolId(GATEHOUSE.output("IdentityPoolId")).logins(logins))
                    .identityId();
            return new Caller(
                    identityId,
                    identity.getCredentialsForIdentity(
                                    r -> r.identityId(identityId).logins(logins))
                            .credentials());
        }
    }

    private static Map<String, String> logins(String idToken) {
        return Map.of(providerName(), idToken);
    }

    private static String providerName() {
        return "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId();
    }

    private static String uploads() {
        return GATEHOUSE.output("UploadsBucket");
    }

    private static String reports() {
        return GATEHOUSE.output("ReportsBucket");
    }

    private static String roleName(String roleArn) {
        return roleArn.substring(roleArn.indexOf(":role/") + ":role/".length());
    }

    private static void assertAccessDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        S3Exception denied = catchThrowableOfType(call, S3Exception.class);
        assertThat(denied).as("S3's refusal").isNotNull();
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    private static S3Client s3(AwsCredentials credentials) {
        return GATEHOUSE.newS3Client(credentials);
    }

    private static HttpResponse<String> getPrivate(Caller caller) {
        return ApiCalls.getSigned(URI.create(GATEHOUSE.output("HttpApiUrl") + "/private"), caller.credentials());
    }
}
