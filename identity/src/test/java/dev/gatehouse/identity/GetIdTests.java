package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.getId;
import static dev.gatehouse.identity.IdentityFixture.localKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import dev.gatehouse.identity.IdentityFixture.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GetIdTests {

    private final IdentityFixture f = new IdentityFixture();
    private final String poolId = f.createPool(false);

    @Test
    void getIdWhenSameUserSignsInAgainThenSameIdentity() {
        String first = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();
        String second = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();
        String other = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-b")))
                .path("IdentityId")
                .asText();

        assertThat(first).matches("us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void getIdWhenLocalIssuerKeyThenSameIdentityAsAwsKey() {
        String viaAws = f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();
        String viaLocal = f.ok("GetId", getId(poolId, localKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();

        assertThat(viaLocal).isEqualTo(viaAws);
    }

    @Test
    void getIdWhenPoolUnknownThenResourceNotFound() {
        Response response =
                f.call("GetId", getId("us-east-1:00000000-0000-0000-0000-000000000000", awsKey(), f.idToken("user-a")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void getIdWhenPoolIdMalformedThenInvalidParameter() {
        Response response = f.call("GetId", getId("not a pool", awsKey(), f.idToken("user-a")));

        assertThat(response.errorType()).isEqualTo("InvalidParameterException");
    }

    @Test
    void getIdWhenTokenOfAnotherUserPoolThenNotAuthorized() {
        String foreign = f.idToken(IdentityFixture.OTHER_USER_POOL, IdentityFixture.CLIENT, "user-a");

        Response underOwnKey = f.call("GetId", getId(poolId, awsKey(), foreign));
        Response underItsKey = f.call(
                "GetId",
                getId(poolId, "cognito-idp.us-east-1.amazonaws.com/" + IdentityFixture.OTHER_USER_POOL, foreign));

        assertThat(underOwnKey.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(underOwnKey.message()).isEqualTo("Invalid login token. Issuer doesn't match providerName");
        assertThat(underItsKey.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(underItsKey.message()).isEqualTo("Token is not from a supported provider of this identity pool.");
    }

    @Test
    void getIdWhenTokenOfAnotherClientThenNotAuthorized() {
        Response response = f.call(
                "GetId",
                getId(poolId, awsKey(), f.idToken(IdentityFixture.USER_POOL, IdentityFixture.OTHER_CLIENT, "user-a")));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).isEqualTo("Invalid login token. Incorrect token audience.");
    }

    @Test
    void getIdWhenTokenExpiredThenNotAuthorized() {
        String token = f.idToken("user-a");
        f.clock.advance(Duration.ofHours(1));

        Response response = f.call("GetId", getId(poolId, awsKey(), token));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).startsWith("Invalid login token. Token expired: ");
    }

    @Test
    void getIdWhenSessionRevokedByGlobalSignOutThenNotAuthorized() {
        String token = f.idToken("user-a");
        f.tokens.revokeAll(IdentityFixture.USER_POOL, "user-a");

        Response response = f.call("GetId", getId(poolId, awsKey(), token));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).isEqualTo("Invalid login token. Token has been revoked.");
    }

    @Test
    void getIdWhenTokenTamperedThenNotAuthorized() {
        String token = f.idToken("user-a");
        String[] parts = token.split("\\.");
        String payload = Base64URL.from(parts[1]).decodeToString().replace("user-a", "user-b");
        String forged = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];

        Response response = f.call("GetId", getId(poolId, awsKey(), forged));
        Response garbage = f.call("GetId", getId(poolId, awsKey(), "eyJhbGciOiJub25lIn0.e30."));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).isEqualTo("Invalid login token. Couldn't verify signed token.");
        assertThat(garbage.errorType()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void getIdWhenAccessTokenInsteadOfIdTokenThenNotAuthorized() {
        String accessToken = f.tokens
                .issue(
                        new dev.gatehouse.userpool.TokenSubject(
                                IdentityFixture.USER_POOL, "user-a", "user-a", java.util.Map.of(), java.util.List.of()),
                        dev.gatehouse.userpool.TokenClient.withDefaults(IdentityFixture.CLIENT),
                        f.clock.instant())
                .accessToken();

        Response response = f.call("GetId", getId(poolId, awsKey(), accessToken));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
    }

    @Test
    void getIdWhenUnknownProviderKeyThenNotAuthorized() {
        Response response = f.call("GetId", getId(poolId, "accounts.google.com", f.idToken("user-a")));

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).isEqualTo("Token is not from a supported provider of this identity pool.");
    }

    @Test
    void getIdWhenNoLoginsAndGuestsNotAllowedThenNotAuthorized() {
        Response response = f.call("GetId", "{\"IdentityPoolId\":\"" + poolId + "\"}");

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(response.message()).isEqualTo("Unauthenticated access is not supported for this identity pool.");
    }

    @Test
    void getIdWhenNoLoginsAndGuestsAllowedThenNewIdentityEachCall() {
        String guests = f.createPool(true);

        String first = f.ok("GetId", "{\"IdentityPoolId\":\"" + guests + "\"}")
                .path("IdentityId")
                .asText();
        String second = f.ok("GetId", "{\"IdentityPoolId\":\"" + guests + "\"}")
                .path("IdentityId")
                .asText();

        assertThat(first).startsWith("us-east-1:");
        assertThat(second).isNotEqualTo(first);
    }
}
