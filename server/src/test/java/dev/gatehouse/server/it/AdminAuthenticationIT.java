package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** Admin (SigV4) operations refused when unsigned, forged or wrongly scoped, with AWS's errors. */
class AdminAuthenticationIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("admin-auth");

    private static final String SERVICE = "cognito-idp";

    private static String poolId() {
        return GATEHOUSE.outputs().userPoolId();
    }

    private static Region region() {
        return Region.of(GATEHOUSE.outputs().region());
    }

    private static void adminGetUser(CognitoIdentityProviderClient client) {
        client.adminGetUser(r -> r.userPoolId(poolId()).username("nobody@example.com"));
    }

    private static String adminGetUserBody() {
        return "{\"UserPoolId\":\"" + poolId() + "\",\"Username\":\"nobody@example.com\"}";
    }

    @Test
    void adminCallWhenSignedWithTheAdminCredentialsThenServed() {
        // the user does not exist: the call got past authentication
        assertAwsError(() -> adminGetUser(GATEHOUSE.adminClient()), "UserNotFoundException");
        assertThat(GATEHOUSE
                        .adminClient()
                        .listUsers(r -> r.userPoolId(poolId()).limit(1))
                        .sdkHttpResponse()
                        .isSuccessful())
                .isTrue();
    }

    @Test
    void adminCallWhenUnsignedThenMissingAuthenticationToken() {
        CognitoIdentityProviderClient anonymous = GATEHOUSE.newClient(region(), AnonymousCredentialsProvider.create());

        assertAwsError(() -> adminGetUser(anonymous), "MissingAuthenticationTokenException");
        assertAwsError(() -> anonymous.listUsers(r -> r.userPoolId(poolId())), "MissingAuthenticationTokenException");
        assertAwsError(
                () -> anonymous.createUserPool(r -> r.poolName("sneaky")), "MissingAuthenticationTokenException");
    }

    @Test
    void adminCallWhenSignedWithAWrongSecretThenInvalidSignature() {
        AdminCredentials real = GATEHOUSE.adminCredentials();
        String wrongSecret =
                real.secretAccessKey().substring(1) + (real.secretAccessKey().startsWith("A") ? "B" : "A");
        CognitoIdentityProviderClient forged = GATEHOUSE.clientSigningWith(real.accessKeyId(), wrongSecret, region());

        assertAwsError(() -> adminGetUser(forged), "InvalidSignatureException");
    }

    @Test
    void adminCallWhenAccessKeyUnknownThenUnrecognizedClient() {
        CognitoIdentityProviderClient stranger = GATEHOUSE.clientSigningWith(
                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region());

        assertAwsError(
                () -> adminGetUser(stranger),
                "UnrecognizedClientException",
                "The security token included in the request is invalid.");
    }

    @Test
    void adminCallWhenSignedForAnotherRegionThenInvalidSignature() {
        AdminCredentials real = GATEHOUSE.adminCredentials();
        assertThat(region()).isNotEqualTo(Region.EU_WEST_1);
        CognitoIdentityProviderClient elsewhere =
                GATEHOUSE.clientSigningWith(real.accessKeyId(), real.secretAccessKey(), Region.EU_WEST_1);

        assertAwsError(() -> adminGetUser(elsewhere), "InvalidSignatureException");
    }

    @Test
    void adminCallWhenSignedForAnotherServiceThenInvalidSignature() {
        HttpResponse<String> response = RawAws.postSigned(
                GATEHOUSE.endpoint(),
                "AdminGetUser",
                adminGetUserBody(),
                adminGetUserBody(),
                GATEHOUSE.adminCredentials(),
                GATEHOUSE.outputs().region(),
                "execute-api",
                Clock.systemUTC());

        assertRawError(response, "InvalidSignatureException");
    }

    @Test
    void adminCallWhenBodyChangedAfterSigningThenInvalidSignature() {
        String sent = adminGetUserBody().replace("nobody@", "somebody@");

        HttpResponse<String> response = RawAws.postSigned(
                GATEHOUSE.endpoint(),
                "AdminGetUser",
                adminGetUserBody(),
                sent,
                GATEHOUSE.adminCredentials(),
                GATEHOUSE.outputs().region(),
                SERVICE,
                Clock.systemUTC());

        assertRawError(response, "InvalidSignatureException");
    }

    @Test
    void adminCallWhenSignedTwentyMinutesAgoThenInvalidSignature() {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));

        HttpResponse<String> response = RawAws.postSigned(
                GATEHOUSE.endpoint(),
                "AdminGetUser",
                adminGetUserBody(),
                adminGetUserBody(),
                GATEHOUSE.adminCredentials(),
                GATEHOUSE.outputs().region(),
                SERVICE,
                past);

        assertRawError(response, "InvalidSignatureException");
        assertThat(response.body()).contains("Signature expired");
    }

    @Test
    void adminCallWhenSignedByTheSdkSignerThenServed() {
        HttpResponse<String> response = RawAws.postSigned(
                GATEHOUSE.endpoint(),
                "AdminGetUser",
                adminGetUserBody(),
                adminGetUserBody(),
                GATEHOUSE.adminCredentials(),
                GATEHOUSE.outputs().region(),
                SERVICE,
                Clock.systemUTC());

        // authenticated, then the user is not found
        assertRawError(response, "UserNotFoundException");
    }

    @Test
    void adminCallWhenAuthorizationHeaderGarbledThenRefused() {
        HttpResponse<String> response = RawAws.post(
                GATEHOUSE.endpoint(),
                Map.of(
                        "X-Amz-Target",
                        RawAws.TARGET_PREFIX + "AdminGetUser",
                        "Content-Type",
                        RawAws.CONTENT_TYPE,
                        "Authorization",
                        "AWS4-HMAC-SHA256 garbage"),
                adminGetUserBody());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(BadInputIT.errorType(response))
                .isIn(
                        "IncompleteSignatureException",
                        "InvalidSignatureException",
                        "MissingAuthenticationTokenException");
    }

    static void assertRawError(HttpResponse<String> response, String code) {
        assertThat(BadInputIT.errorType(response))
                .as("__type of %s", response.body())
                .isEqualTo(code);
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(400);
    }
}
