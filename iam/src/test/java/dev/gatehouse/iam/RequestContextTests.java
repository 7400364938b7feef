package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTests {

    @Test
    void valuesWhenKeyInOtherCaseThenFound() {
        RequestContext context = RequestContext.builder(
                        "execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:a/s/GET/")
                .put("cognito-identity.amazonaws.com:amr", List.of("authenticated", "provider"))
                .build();

        assertThat(context.values("Cognito-Identity.AmazonAWS.com:AMR")).containsExactly("authenticated", "provider");
        assertThat(context.values("aws:userid")).isEmpty();
    }

    @Test
    void putWhenSameKeyInOtherCaseThenReplaced() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*")
                .put("aws:UserId", "a")
                .put("AWS:USERID", "b")
                .build();

        assertThat(context.values("aws:userid")).containsExactly("b");
    }

    @Test
    void putWhenAfterBuildThenEarlierContextUnchanged() {
        RequestContext.Builder builder =
                RequestContext.builder("s3:GetObject", "*").put("aws:UserId", "a");
        RequestContext first = builder.build();

        RequestContext second =
                builder.put("aws:userid", "b").put("aws:SourceIp", "10.0.0.1").build();
        builder.put("aws:PrincipalArn", List.of());

        assertThat(first.values("aws:userid")).containsExactly("a");
        assertThat(first.values("aws:SourceIp")).isEmpty();
        assertThat(second.values("aws:userid")).containsExactly("b");
        assertThat(second.values("aws:SourceIp")).containsExactly("10.0.0.1");
    }

    @Test
    void valuesWhenKeyHasNonAsciiLettersThenFoldedWithRootLocale() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*")
                .put("tag:\u0130D", "x")
                .build();

        assertThat(context.values("tag:\u0130d")).containsExactly("x");
        assertThat(context.values("tag:id")).isEmpty();
    }

    @Test
    void putWhenEmptyValuesThenKeyAbsent() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*")
                .put("aws:TagKeys", "a")
                .put("aws:TagKeys", List.of())
                .build();

        assertThat(context.values("aws:TagKeys")).isEmpty();
    }

    @Test
    void builderWhenFixedKeysThenSeenAndReplacedByPuts() {
        RequestContext.Keys fixed = RequestContext.Keys.of(
                Map.of("aws:UserId", List.of("a"), "aws:PrincipalArn", List.of("arn:aws:sts::1:assumed-role/r/s")));

        RequestContext replaced = RequestContext.builder("s3:GetObject", "*", fixed)
                .put("AWS:USERID", "b")
                .build();
        RequestContext hidden = RequestContext.builder("s3:GetObject", "*", fixed)
                .put("aws:principalarn", List.of())
                .build();
        RequestContext plain =
                RequestContext.builder("s3:GetObject", "*", fixed).build();

        assertThat(replaced.values("aws:userid")).containsExactly("b");
        assertThat(replaced.values("aws:PrincipalArn")).containsExactly("arn:aws:sts::1:assumed-role/r/s");
        assertThat(hidden.values("aws:PrincipalArn")).isEmpty();
        assertThat(hidden.toString()).doesNotContain("aws:principalarn").contains("aws:userid");
        assertThat(plain.values("aws:userid")).containsExactly("a");
        assertThat(plain.values("aws:PrincipalArn")).containsExactly("arn:aws:sts::1:assumed-role/r/s");
    }

    @Test
    void keysOfWhenSameKeyInOtherCaseThenLaterWinsAndEmptyIsAbsent() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("aws:userid", List.of("a"));
        keys.put("AWS:UserId", List.of("b"));
        keys.put("aws:TagKeys", List.of("t"));
        keys.put("AWS:TAGKEYS", List.of());
        List<String> amr = new ArrayList<>(List.of("authenticated"));
        keys.put("cognito-identity.amazonaws.com:amr", amr);

        RequestContext context = RequestContext.builder("s3:GetObject", "*", RequestContext.Keys.of(keys))
                .build();
        amr.add("changed later");

        assertThat(context.values("aws:userid")).containsExactly("b");
        assertThat(context.values("aws:TagKeys")).isEmpty();
        assertThat(context.values("cognito-identity.amazonaws.com:amr")).containsExactly("authenticated");
    }

    @Test
    void currentTimeWhenSetThenIsoAndEpochKeys() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*")
                .currentTime(Instant.parse("2024-01-01T00:00:00.750Z"))
                .build();

        assertThat(context.values("aws:CurrentTime")).containsExactly("2024-01-01T00:00:00Z");
        assertThat(context.values("aws:EpochTime")).containsExactly("1704067200");
    }

    @Test
    void builderWhenActionEmptyThenIllegalArgument() {
        assertThatThrownBy(() -> RequestContext.builder("", "*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("action cannot be empty");
        assertThatThrownBy(() -> RequestContext.builder("s3:GetObject", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("resource cannot be null");
    }

    @Test
    void toStringWhenKeysSetThenValuesNotShown() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*")
                .put("aws:userid", "AROASECRET:s")
                .build();

        assertThat(context.toString()).contains("aws:userid").doesNotContain("AROASECRET");
    }
}
