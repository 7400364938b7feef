package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.iam.PolicyException;
import dev.gatehouse.iam.TemporaryCredentials;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BootstrapTests {

    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:*\"}]}";

    private final IdentityFixture f = new IdentityFixture();

    @Test
    void ensureDefaultWhenCalledTwiceOrFromAnotherNodeThenSameIds() {
        DefaultIdentityPool first = f.api.ensureDefault(IdentityFixture.USER_POOL, IdentityFixture.CLIENT);
        DefaultIdentityPool second = f.api.ensureDefault(IdentityFixture.USER_POOL, IdentityFixture.CLIENT);
        IdentityPoolApi otherNode =
                new IdentityPoolApi(f.store, f.tokens, f.clock, "us-east-1", IdentityFixture.ACCOUNT);

        assertThat(second).isEqualTo(first);
        assertThat(otherNode.ensureDefault(IdentityFixture.USER_POOL, IdentityFixture.CLIENT))
                .isEqualTo(first);
        assertThat(first.authenticatedRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/gatehouse-auth");
        assertThat(first.unauthenticatedRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/gatehouse-unauth");
    }

    @Test
    void ensureDefaultWhenUserSignsInThenCredentialsOfAuthRole() {
        DefaultIdentityPool ids = f.api.ensureDefault(IdentityFixture.USER_POOL, IdentityFixture.CLIENT);
        String token = f.idToken("user-a");
        String identityId = f.ok(
                        "GetId", IdentityFixture.getId(ids.identityPoolId(), IdentityFixture.localKey(), token))
                .path("IdentityId")
                .asText();

        JsonNode credentials = f.ok(
                        "GetCredentialsForIdentity",
                        IdentityFixture.forIdentity(identityId, IdentityFixture.awsKey(), token))
                .path("Credentials");

        assertThat(f.api.credentialResolver()
                        .resolve(
                                credentials.path("AccessKeyId").asText(),
                                credentials.path("SessionToken").asText())
                        .orElseThrow()
                        .principal()
                        .roleArn())
                .isEqualTo(ids.authenticatedRoleArn());
    }

    @Test
    void sessionKeysWhenAnotherNodeSharesStoreThenItOpensTokens() {
        TemporaryCredentials credentials = f.api.sealer()
                .issue(
                        "us-east-1:1",
                        "us-east-1:2",
                        "arn:aws:iam::123456789012:role/r",
                        "123456789012",
                        List.of("unauthenticated"),
                        f.clock.instant().plusSeconds(3600));
        IdentityPoolApi otherNode =
                new IdentityPoolApi(f.store, f.tokens, f.clock, "us-east-1", IdentityFixture.ACCOUNT);

        assertThat(otherNode.sealer().open(credentials.sessionToken())).isPresent();
    }

    @Test
    void sessionKeysWhenStoredUnderKekThenNodeWithoutKekFailsAndWithKekOpens() {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        IdentityPoolApi sealed = new IdentityPoolApi(
                f.store, f.tokens, f.clock, "us-east-1", IdentityFixture.ACCOUNT, new SecretKeySpec(kek, "AES"));
        TemporaryCredentials credentials = sealed.sealer()
                .issue(
                        "us-east-1:1",
                        "us-east-1:2",
                        "arn:aws:iam::123456789012:role/r",
                        "123456789012",
                        List.of("unauthenticated"),
                        f.clock.instant().plusSeconds(3600));
        IdentityPoolApi sameKek = new IdentityPoolApi(
                f.store, f.tokens, f.clock, "us-east-1", IdentityFixture.ACCOUNT, new SecretKeySpec(kek, "AES"));
        IdentityPoolApi noKek = new IdentityPoolApi(f.store, f.tokens, f.clock, "us-east-1", IdentityFixture.ACCOUNT);

        assertThat(sameKek.sealer().open(credentials.sessionToken())).isPresent();
        assertThatThrownBy(() -> noKek.sealer().open(credentials.sessionToken()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rotateSessionKeysWhenRetiredKeyLifetimePassedThenOldTokensNoLongerOpen() {
        TemporaryCredentials old = f.api.sealer()
                .issue(
                        "us-east-1:1",
                        "us-east-1:2",
                        "arn:aws:iam::123456789012:role/r",
                        "123456789012",
                        List.of("unauthenticated"),
                        f.clock.instant().plusSeconds(3600));
        f.api.rotateSessionKeys();
        assertThat(f.api.sealer().open(old.sessionToken())).isPresent();

        f.clock.advance(IdentityKeyStore.RETIRED_KEY_LIFETIME.plus(Duration.ofMinutes(1)));
        f.api.rotateSessionKeys();

        assertThat(f.api.sealer().open(old.sessionToken())).isEmpty();
    }

    @Test
    void rolePoliciesWhenPutThenFoundParsedAndDocumentKept() {
        f.api.rolePolicies().put("arn:aws:iam::123456789012:role/gatehouse-auth", POLICY);

        assertThat(f.api.rolePolicies().find("arn:aws:iam::123456789012:role/gatehouse-auth"))
                .isPresent();
        assertThat(f.api.rolePolicies().document("arn:aws:iam::123456789012:role/gatehouse-auth"))
                .contains(POLICY);
        assertThat(new RolePolicies(f.store, f.clock).find("arn:aws:iam::123456789012:role/gatehouse-auth"))
                .isPresent();
        assertThat(f.api.rolePolicies().find("arn:aws:iam::123456789012:role/other"))
                .isEmpty();
    }

    @Test
    void rolePoliciesWhenDocumentInvalidOrArnNotRoleThenRefused() {
        assertThatThrownBy(() -> f.api.rolePolicies().put("arn:aws:iam::123456789012:role/r", "{\"Statement\":[]}"))
                .isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> f.api.rolePolicies().put("arn:aws:s3:::bucket", POLICY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(f.api.rolePolicies().document("arn:aws:iam::123456789012:role/r"))
                .isEmpty();
    }
}
