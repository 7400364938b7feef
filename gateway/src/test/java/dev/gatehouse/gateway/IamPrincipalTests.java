package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.RequestContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IamPrincipalTests {

    private static final String ROLE_ARN = "arn:aws:sts::123456789012:assumed-role/AuthRole/CognitoIdentityCredentials";
    private static final String USER_ID = "AROAEXAMPLEROLE00001:CognitoIdentityCredentials";
    private static final Policy ALLOW_ALL =
            Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":\"*\",\"Resource\":\"*\"}]}");

    private static IamPrincipal principal(Map<String, List<String>> conditionKeys) {
        return new IamPrincipal(
                "ASIAEXAMPLE000000001",
                "123456789012",
                USER_ID,
                ROLE_ARN,
                USER_ID,
                Optional.of(new IamPrincipal.CognitoIdentity(
                        "us-east-1:id-1",
                        "us-east-1:pool-1",
                        List.of("authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"))),
                List.of(ALLOW_ALL),
                conditionKeys);
    }

    @Test
    void requestContextWhenCalledThenCallerKeysAndTheRequestsOwnKeys() {
        RequestContext context = principal(Map.of("cognito-identity.amazonaws.com:sub", List.of("us-east-1:id-1")))
                .requestContext(
                        "execute-api:Invoke",
                        "arn:aws:execute-api:us-east-1:1:a/$default/GET/private",
                        Instant.parse("2026-03-12T19:03:58.250Z"),
                        "10.1.2.3");

        assertThat(context.action()).isEqualTo("execute-api:Invoke");
        assertThat(context.resource()).isEqualTo("arn:aws:execute-api:us-east-1:1:a/$default/GET/private");
        assertThat(context.values("aws:userid")).containsExactly(USER_ID);
        assertThat(context.values("aws:PrincipalAccount")).containsExactly("123456789012");
        assertThat(context.values("aws:PrincipalArn")).containsExactly(ROLE_ARN);
        assertThat(context.values("aws:SecureTransport")).containsExactly("false");
        assertThat(context.values("aws:SourceIp")).containsExactly("10.1.2.3");
        assertThat(context.values("aws:CurrentTime")).containsExactly("2026-03-12T19:03:58Z");
        assertThat(context.values("aws:EpochTime")).containsExactly("1773342238");
        assertThat(context.values("cognito-identity.amazonaws.com:sub")).containsExactly("us-east-1:id-1");
        assertThat(context.values("cognito-identity.amazonaws.com:aud")).containsExactly("us-east-1:pool-1");
        assertThat(context.values("cognito-identity.amazonaws.com:amr"))
                .containsExactly("authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc");
    }

    @Test
    void requestContextWhenConditionKeysNameCallerOrRequestKeysThenOnlyCallerKeysReplaced() {
        IamPrincipal principal = principal(Map.of(
                "AWS:PrincipalType",
                List.of("AssumedRole"),
                "aws:PRINCIPALARN",
                List.of("arn:aws:iam::123456789012:role/AuthRole"),
                "aws:SourceIp",
                List.of("192.0.2.1"),
                "aws:CurrentTime",
                List.of("2000-01-01T00:00:00Z")));

        RequestContext first =
                principal.requestContext("execute-api:Invoke", "*", Instant.parse("2026-03-12T19:03:58Z"), "10.1.2.3");
        RequestContext second =
                principal.requestContext("execute-api:Invoke", "*", Instant.parse("2026-03-12T19:04:00Z"), "10.9.9.9");

        assertThat(principal.callerKeys())
                .containsEntry("AWS:PrincipalType", List.of("AssumedRole"))
                .containsEntry("aws:userid", List.of(USER_ID))
                .doesNotContainKey("aws:SecureTransport");
        assertThat(first.values("aws:PrincipalType")).containsExactly("AssumedRole");
        assertThat(first.values("aws:PrincipalArn")).containsExactly("arn:aws:iam::123456789012:role/AuthRole");
        // The request's own keys are never the caller's to set.
        assertThat(first.values("aws:SourceIp")).containsExactly("10.1.2.3");
        assertThat(first.values("aws:CurrentTime")).containsExactly("2026-03-12T19:03:58Z");
        assertThat(second.values("aws:SourceIp")).containsExactly("10.9.9.9");
        assertThat(second.values("aws:CurrentTime")).containsExactly("2026-03-12T19:04:00Z");
    }

    @Test
    void equalsWhenSamePartsThenEqualAndToStringHidesKeys() {
        IamPrincipal one = principal(Map.of("cognito-identity.amazonaws.com:sub", List.of("secret-sub")));
        IamPrincipal two = principal(Map.of("cognito-identity.amazonaws.com:sub", List.of("secret-sub")));

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one).isNotEqualTo(principal(Map.of()));
        assertThat(one.toString()).contains("ASIAEXAMPLE000000001").doesNotContain("secret-sub");
    }
}
