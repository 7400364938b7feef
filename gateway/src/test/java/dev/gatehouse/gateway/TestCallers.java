package dev.gatehouse.gateway;

import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigningCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test fixture: Alice, signed in through an identity pool, with temporary credentials of its auth role. */
final class TestCallers {

    static final String ACCOUNT = "123456789012";
    static final String KEY = "ASIAEXAMPLEKEY000001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String TOKEN = "session-token-of-alice";
    static final String IDENTITY = "us-east-1:11111111-2222-3333-4444-555555555555";
    static final String POOL = "us-east-1:99999999-8888-7777-6666-555555555555";
    static final String ROLE_ARN = "arn:aws:sts::" + ACCOUNT + ":assumed-role/AuthRole/CognitoIdentityCredentials";

    private TestCallers() {}

    /** Resolves Alice's key until an hour after {@code now}; her role may invoke GET routes of API {@code apiId}. */
    static InMemoryCredentialResolver<IamPrincipal> alice(Instant now, String apiId) {
        Policy allowApi = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:*:" + apiId
                + "/*/GET/*\"}]}");
        InMemoryCredentialResolver<IamPrincipal> resolver = new InMemoryCredentialResolver<>();
        resolver.put(
                KEY,
                SigningCredential.temporary(
                        SecretBytes.ofUtf8(SECRET),
                        now.plus(Duration.ofHours(1)),
                        new IamPrincipal(
                                KEY,
                                ACCOUNT,
                                "AROAEXAMPLEROLE00001:CognitoIdentityCredentials",
                                ROLE_ARN,
                                "AROAEXAMPLEROLE00001:CognitoIdentityCredentials",
                                Optional.of(
                                        new IamPrincipal.CognitoIdentity(
                                                IDENTITY,
                                                POOL,
                                                List.of(
                                                        "authenticated",
                                                        "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool",
                                                        "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool:CognitoSignIn:sub-1"))),
                                List.of(allowApi),
                                Map.of())),
                TOKEN);
        return resolver;
    }

    /** A GET signed with Alice's credentials at {@code at}. */
    static GatewayRequest signedByAlice(Instant at, String pathAndQuery, String... headerPairs) {
        return Requests.signedGet(at, KEY, SECRET, TOKEN, pathAndQuery, headerPairs);
    }
}
