package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.iam.SigV4Verifier.PathMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4CanonicalizerTests {

    @Test
    void canonicalUriWhenApiGatewayPathHasEscapeThenEncodedAgain() {
        // clients.md: API Gateway signs /prod/items/a%20b as /prod/items/a%2520b
        assertThat(SigV4Canonicalizer.canonicalUri("/prod/items/a%20b", PathMode.NORMALIZED_DOUBLE_ENCODED))
                .isEqualTo("/prod/items/a%2520b");
    }

    @Test
    void canonicalUriWhenEmptyThenSlash() {
        assertThat(SigV4Canonicalizer.canonicalUri("", PathMode.NORMALIZED_DOUBLE_ENCODED))
                .isEqualTo("/");
        assertThat(SigV4Canonicalizer.canonicalUri("", PathMode.AS_SENT)).isEqualTo("/");
    }

    @Test
    void canonicalUriWhenDotSegmentsThenNormalizedOnlyOutsideS3() {
        assertThat(SigV4Canonicalizer.canonicalUri("/a/./b/../c//d/", PathMode.NORMALIZED_DOUBLE_ENCODED))
                .isEqualTo("/a/c/d/");
        assertThat(SigV4Canonicalizer.canonicalUri("/a/./b/../c//d/", PathMode.AS_SENT))
                .isEqualTo("/a/./b/../c//d/");
    }

    @Test
    void canonicalUriWhenS3ThenEscapesKeptAndLiteralsEscaped() {
        assertThat(SigV4Canonicalizer.canonicalUri("/bucket/us-east-1%3Aabc/a b+c", PathMode.AS_SENT))
                .isEqualTo("/bucket/us-east-1%3Aabc/a%20b%2Bc");
    }

    @Test
    void canonicalQueryWhenUnsortedAndOddlyEncodedThenRfc3986Sorted() {
        var parameters = SigV4Canonicalizer.parseQuery("b=2&a=z&a=y&flag&c=x+y&d=%7e%zz&e=%41&=v");

        assertThat(SigV4Canonicalizer.canonicalQuery(parameters, null))
                .isEqualTo("=v&a=y&a=z&b=2&c=x%2By&d=~%25zz&e=A&flag=");
    }

    @Test
    void canonicalQueryWhenExcludedNameThenOmitted() {
        var parameters = SigV4Canonicalizer.parseQuery("X-Amz-Signature=abc&X-Amz-Date=20260101T000000Z");

        assertThat(SigV4Canonicalizer.canonicalQuery(parameters, "X-Amz-Signature"))
                .isEqualTo("X-Amz-Date=20260101T000000Z");
    }

    @Test
    void canonicalQueryWhenRandomQueriesThenSameAsDecodeEncodeAndSortEveryParameter() {
        java.util.Random random = new java.util.Random(19);
        String[] pieces = {
            "a",
            "Z",
            "9",
            "-",
            "_",
            ".",
            "~",
            "%2F",
            "%2f",
            "%41",
            "%7e",
            "%zz",
            "%",
            "%4",
            "+",
            " ",
            "=",
            "&",
            "&&",
            "\u00e9",
            "\u20ac",
            "X-Amz-Date",
            "X-Amz-Signature",
            "x".repeat(40)
        };
        for (int n = 0; n < 5_000; n++) {
            StringBuilder query = new StringBuilder();
            int length = random.nextInt(9);
            for (int i = 0; i < length; i++) {
                query.append(pieces[random.nextInt(pieces.length)]);
            }
            String rawQuery = query.toString();
            List<SigV4Canonicalizer.QueryParameter> parsed = SigV4Canonicalizer.parseQuery(rawQuery);
            @org.jspecify.annotations.Nullable String excluded = random.nextBoolean() ? "X-Amz-Signature" : null;
            CanonicalBytes written = CanonicalBytes.start();
            SigV4Canonicalizer.writeCanonicalQuery(written, parsed, excluded);

            assertThat(parsed).as(rawQuery).isEqualTo(referenceParse(rawQuery));
            assertThat(SigV4Canonicalizer.canonicalQuery(parsed, excluded))
                    .as(rawQuery)
                    .isEqualTo(referenceCanonicalQuery(referenceParse(rawQuery), excluded))
                    .isEqualTo(written.toString());
        }
    }

    /** Every parameter decoded to bytes and encoded again, as the verifier did before its fast path for plain text. */
    private static List<SigV4Canonicalizer.QueryParameter> referenceParse(String rawQuery) {
        List<SigV4Canonicalizer.QueryParameter> parameters = new java.util.ArrayList<>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            byte[] name = SigV4Canonicalizer.percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            byte[] value = SigV4Canonicalizer.percentDecode(eq < 0 ? "" : pair.substring(eq + 1));
            parameters.add(new SigV4Canonicalizer.QueryParameter(
                    new String(name, java.nio.charset.StandardCharsets.UTF_8),
                    new String(value, java.nio.charset.StandardCharsets.UTF_8),
                    SigV4Canonicalizer.encode(name, false),
                    SigV4Canonicalizer.encode(value, false)));
        }
        return parameters;
    }

    private static String referenceCanonicalQuery(
            List<SigV4Canonicalizer.QueryParameter> parameters, @org.jspecify.annotations.Nullable String excluded) {
        return parameters.stream()
                .filter(p -> !p.name().equals(excluded))
                .sorted(java.util.Comparator.comparing(SigV4Canonicalizer.QueryParameter::encodedName)
                        .thenComparing(SigV4Canonicalizer.QueryParameter::encodedValue))
                .map(p -> p.encodedName() + "=" + p.encodedValue())
                .collect(java.util.stream.Collectors.joining("&"));
    }

    @Test
    void canonicalHeadersWhenRepeatedAndSpacedThenTrimmedCollapsedJoined() {
        SignedRequest request = new SignedRequest(
                "GET",
                "/",
                "",
                Map.of("X-Custom", List.of("  a   b\t c ", "d"), "Host", List.of("example.com")),
                new byte[0]);

        assertThat(SigV4Canonicalizer.canonicalHeaders(request, List.of("host", "x-custom")))
                .isEqualTo("host:example.com\nx-custom:a b c,d\n");
    }

    @Test
    void verifyWhenOnlyDateHeaderThenItIsTheRequestTime() throws SignatureException {
        // Test data from the 2011 AWS SigV4 test suite as kept in boto/botocore
        // tests/unit/auth/aws4_testsuite/get-space.*
        // (credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, service "host").
        SignedRequest request = new SignedRequest(
                "GET",
                "/%20/foo",
                "",
                Map.of(
                        "date", List.of("Mon, 09 Sep 2011 23:36:00 GMT"),
                        "host", List.of("host.foo.com"),
                        "authorization",
                                List.of(
                                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, "
                                                + "SignedHeaders=date;host, Signature=2be9e587d1ee1f0fd02128724b86b4358ba3630d39f493b6e06610a19a50779e")),
                new byte[0]);
        InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
                .put(
                        "AKIDEXAMPLE",
                        SigningCredential.permanent(
                                SecretBytes.ofUtf8("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "example"));
        SigV4Verifier<String> verifier = SigV4Verifier.builder(keys)
                .service("host")
                .region("us-east-1")
                .clock(Clock.fixed(Instant.parse("2011-09-09T23:36:00Z"), ZoneOffset.UTC))
                .build();

        assertThat(verifier.canonicalRequest(request))
                .isEqualTo(
                        "GET\n/%2520/foo\n\ndate:Mon, 09 Sep 2011 23:36:00 GMT\n"
                                + "host:host.foo.com\n\ndate;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(verifier.stringToSign(request))
                .isEqualTo(
                        "AWS4-HMAC-SHA256\n20110909T233600Z\n"
                                + "20110909/us-east-1/host/aws4_request\n35975885599128f8963ce9be7219598b2b5a344321bae304529556c891e9e6ba");
        assertThat(verifier.verify(request).signedAt()).isEqualTo(Instant.parse("2011-09-09T23:36:00Z"));
    }

    @Test
    void trimAllWhenWhitespaceRunsOrEdgesThenCollapsedAndTrimmed() {
        assertThat(SigV4Canonicalizer.trimAll("  a   b \t c\r\n")).isEqualTo("a b c");
        assertThat(SigV4Canonicalizer.trimAll("a\tb")).isEqualTo("a b");
        assertThat(SigV4Canonicalizer.trimAll(" a")).isEqualTo("a");
        assertThat(SigV4Canonicalizer.trimAll("a ")).isEqualTo("a");
        assertThat(SigV4Canonicalizer.trimAll("   ")).isEmpty();
        String clean = "value with single spaces";
        assertThat(SigV4Canonicalizer.trimAll(clean)).isSameAs(clean);
    }
}
