package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.iam.SignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier's hand-written parsers and byte-level canonicalisation agree with the straightforward string code they
 * replaced (kept here as the reference: split, trim, map, {@code getBytes}), on fixed and on random inputs.
 */
class SigV4ParsingTests {

    private static final String[] AUTHORIZATION_PIECES = {
        "Credential",
        "Signature",
        "SignedHeaders",
        "Other",
        "=",
        "=",
        ",",
        ",",
        " ",
        "\t",
        "a",
        "k/2026",
        "host;x-amz-date",
        "\u00e9",
        ""
    };
    private static final String[] HEADER_PIECES = {"host", "X-Amz-Date", ";", ";", " ", "\t", "\u0130", "a", ""};
    private static final String[] PATH_PIECES = {"/", "/", ".", "..", "a", "b~", "%20", "%", " ", "\u00e9", "-_"};

    // --- Authorization header parameters ----------------------------------------------------------------------------

    @Test
    void parseWhenRandomAuthorizationValuesThenSameAsSplitAndMapOrRefusedWhenRepeated() throws SignatureException {
        Random random = new Random(4);
        for (int n = 0; n < 20_000; n++) {
            String rest = randomText(random, AUTHORIZATION_PIECES, 12);
            String value = "AWS4-HMAC-SHA256 " + rest;
            Map<String, String> expected = referenceParts(rest);
            if (expected == null) {
                assertThatThrownBy(() -> AuthorizationParser.HeaderParameters.parse(value, 17))
                        .as(value)
                        .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                                .isEqualTo(Reason.INCOMPLETE_SIGNATURE));
                continue;
            }
            AuthorizationParser.HeaderParameters parts = AuthorizationParser.HeaderParameters.parse(value, 17);

            assertThat(parts.credential()).as(value).isEqualTo(expected.get("Credential"));
            assertThat(parts.signature()).as(value).isEqualTo(expected.get("Signature"));
            assertThat(parts.signedHeaders()).as(value).isEqualTo(expected.get("SignedHeaders"));
        }
    }

    @Test
    void parseWhenNameRepeatedThenRefused() {
        assertThatThrownBy(() -> AuthorizationParser.HeaderParameters.parse(
                        "X Signature=first, Credential = a/b , Signature=second,SignedHeaders=", 2))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
                    assertThat(e.getMessage()).isEqualTo("Authorization header has a repeated 'Signature' parameter.");
                });
    }

    @Test
    void verifyWhenTwoAuthorizationHeadersThenRefusedEvenIfTheFirstIsValid() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("127.0.0.1:9229"));
        headers.put("x-amz-date", List.of("20260101T001000Z"));
        headers.put(
                "authorization",
                List.of(
                        "AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260101/us-east-1/"
                                + "execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                                + "0".repeat(64),
                        "garbage"));
        SignedRequest request = new SignedRequest("GET", "/", "", headers, new byte[0]);

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
            assertThat(e.getMessage()).isEqualTo("Only one 'authorization' header is allowed.");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "X-Amz-Signature",
                "X-Amz-Credential",
                "X-Amz-SignedHeaders",
                "X-Amz-Security-Token",
                "X-Amz-Date"
            })
    void verifyWhenPresignedParameterRepeatedThenRefused(String name) {
        String query =
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAGATEHOUSEADMIN01%2F20260101%2Fus-east-1%2F"
                        + "execute-api%2Faws4_request&X-Amz-Date=20260101T001000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Security-Token=t&X-Amz-Signature=" + "0".repeat(64) + "&" + name + "=again";
        SignedRequest request =
                new SignedRequest("GET", "/", query, Map.of("host", List.of("127.0.0.1:9229")), new byte[0]);

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.AUTHORIZATION_QUERY_PARAMETERS);
            assertThat(e.getMessage()).contains("'" + name + "' is repeated");
        });
    }

    @Test
    void verifyWhenPresignedTokenDiffersFromTokenHeaderThenRefused() {
        String query =
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAGATEHOUSEADMIN01%2F20260101%2Fus-east-1%2F"
                        + "execute-api%2Faws4_request&X-Amz-Date=20260101T001000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Security-Token=first&X-Amz-Signature=" + "0".repeat(64);
        SignedRequest request = new SignedRequest(
                "GET",
                "/",
                query,
                Map.of("host", List.of("127.0.0.1:9229"), "x-amz-security-token", List.of("second")),
                new byte[0]);

        assertThatThrownBy(() -> verifier().verify(request))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.AUTHORIZATION_QUERY_PARAMETERS));
    }

    @Test
    void parseWhenPairStartsWithEqualsOrHasNoneThenIgnored() throws SignatureException {
        AuthorizationParser.HeaderParameters parts =
                AuthorizationParser.HeaderParameters.parse("X =Credential=a,Signature,", 2);

        assertThat(parts.credential()).isNull();
        assertThat(parts.signature()).isNull();
    }

    @Test
    void verifyWhenOnlySignatureMissingThenThatMessageAlone() {
        assertIncomplete(
                "AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260101/us-east-1/execute-api/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=",
                "Authorization header requires 'Signature' parameter.");
    }

    @Test
    void verifyWhenCredentialEmptyAndSignedHeadersAbsentThenBothNamed() {
        assertIncomplete(
                "AWS4-HMAC-SHA256 Credential= ,Signature=abc",
                "Authorization header requires 'Credential' "
                        + "parameter. Authorization header requires 'SignedHeaders' parameter.");
    }

    @Test
    void verifyWhenNoSpaceAfterAlgorithmThenEveryParameterMissing() {
        assertIncomplete(
                "AWS4-HMAC-SHA256,Credential=a/b/c/d/e,SignedHeaders=host,Signature=abc",
                "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                        + "Authorization header requires 'SignedHeaders' parameter.");
    }

    @Test
    void verifyWhenSignedHeadersEmptyThenHostNotSigned() {
        SignedRequest request =
                request("AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260101/us-east-1/execute-api/"
                        + "aws4_request, SignedHeaders=, Signature=abc");

        assertThatThrownBy(() -> verifier().verify(request))
                .isInstanceOfSatisfying(
                        SignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HOST_NOT_SIGNED));
    }

    // --- SignedHeaders and credential --------------------------------------------------------------------------------

    @Test
    void signedHeadersWhenRandomValuesThenSameAsSplitTrimLowerCase() {
        Random random = new Random(5);
        for (int n = 0; n < 20_000; n++) {
            String value = randomText(random, HEADER_PIECES, 10);

            assertThat(SigV4Verifier.signedHeaders(value)).as(value).isEqualTo(referenceSignedHeaders(value));
        }
    }

    @Test
    void signedHeadersWhenParsedAgainThenEqualListAndUnmodifiable() {
        List<String> first = SigV4Verifier.signedHeaders("host;x-amz-date");

        assertThat(SigV4Verifier.signedHeaders(new String("host;x-amz-date"))).isEqualTo(first);
        assertThatThrownBy(() -> first.add("x")).isInstanceOf(UnsupportedOperationException.class);
        String long1 = "host;" + "x".repeat(600);
        assertThat(SigV4Verifier.signedHeaders(long1)).containsExactly("host", "x".repeat(600));
    }

    @Test
    void signedHeadersWhenDuplicateNameThenKeptTwiceInOrder() {
        assertThat(SigV4Verifier.signedHeaders("host;X-Amz-Date; host ;"))
                .containsExactly("host", "x-amz-date", "host");
    }

    @Test
    void verifyWhenHostSignedTwiceThenSignatureMismatchNotAccepted() {
        // host appears twice in the canonical headers, which no signer produced for this signature.
        SignedRequest request =
                request("AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260101/us-east-1/execute-api/"
                        + "aws4_request, SignedHeaders=host;host;x-amz-date, Signature=" + "0".repeat(64));

        assertThatThrownBy(() -> verifier().verify(request)).isInstanceOfSatisfying(SignatureException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(e.canonicalRequest().orElseThrow())
                    .contains("\nhost:127.0.0.1:9229\nhost:127.0.0.1:9229\n")
                    .contains("\nhost;host;x-amz-date\n");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a/b/c/d/e",
                "a/b/c/d/e///",
                "a/b/c/d",
                "a/b/c/d/e/f",
                "",
                "/",
                "/////",
                "a//c/d/e",
                "/b/c/d/e",
                "a/b/c/d/",
                "a/b/c/d//",
                "a/b/c/d/e/",
                "a/b/c/d/e/f/g",
                "ASIA/20260101/us-east-1/execute-api/aws4_request"
            })
    void credentialPartsWhenValueThenSameAsSplit(String credential) {
        int end = credential.length();
        while (end > 0 && credential.charAt(end - 1) == '/') {
            end--;
        }
        String[] expected = credential.substring(0, end).split("/", -1);
        if (expected.length == 5) {
            assertThat(catching(credential)).containsExactly(expected);
        } else {
            assertThatThrownBy(() -> SigV4Verifier.credentialParts(credential))
                    .isInstanceOfSatisfying(SignatureException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CREDENTIAL);
                        assertThat(e.getMessage())
                                .isEqualTo("Credential must have exactly 5 slash-delimited elements, "
                                        + "e.g. keyid/date/region/service/term, got '" + credential + "'");
                    });
        }
    }

    // --- canonical request as bytes ---------------------------------------------------------------------------------

    @Test
    void canonicalRequestHashWhenAwkwardRequestThenHashOfTheCanonicalString() throws SignatureException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("127.0.0.1:9229"));
        headers.put("X-Amz-Date", List.of("20260101T001000Z"));
        headers.put("x-custom", List.of("  caf\u00e9   au\tlait ", "second  value", "\ud83d\ude00 emoji"));
        headers.put("x-lone", List.of("a\ud800b", "x".repeat(40) + "\u00e9" + "y".repeat(40)));
        headers.put(
                "Authorization",
                List.of(
                        "AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260101/us-east-1/"
                                + "execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-custom;x-lone;x-absent, Signature=abc"));
        SignedRequest request = new SignedRequest(
                "GET", "/prod/./a%20b//c/../d/\u00e9", "b=2&a=%41&c", headers, "body".getBytes(StandardCharsets.UTF_8));
        SigV4Verifier<String> verifier = verifier();

        String canonical = verifier.canonicalRequest(request);

        assertThat(verifier.canonicalRequestHash(request)).isEqualTo(sha256(canonical));
        assertThat(canonical).contains("\nx-custom:caf\u00e9 au lait,second value,\ud83d\ude00 emoji\n");
    }

    @Test
    void canonicalRequestHashWhenRandomPathsThenHashOfTheCanonicalString() throws SignatureException {
        Random random = new Random(6);
        SigV4Verifier<String> verifier = verifier();
        for (int n = 0; n < 2_000; n++) {
            String path = randomText(random, PATH_PIECES, 8);
            SignedRequest request = new SignedRequest(
                    "GET",
                    path,
                    "",
                    Map.of(
                            "host",
                            List.of("h"),
                            "x-amz-date",
                            List.of("20260101T001000Z"),
                            "authorization",
                            List.of("AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/"
                                    + "execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")),
                    new byte[0]);

            assertThat(verifier.canonicalRequestHash(request))
                    .as(path)
                    .isEqualTo(sha256(verifier.canonicalRequest(request)));
        }
    }

    @Test
    void isCanonicalUriWhenRandomPathsThenOnlyPathsThatCanonicaliseToThemselves() {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            String path = randomText(random, PATH_PIECES, 8);
            if (SigV4Canonicalizer.isCanonicalUri(path)) {
                assertThat(SigV4Canonicalizer.canonicalUri(path, SigV4Verifier.PathMode.NORMALIZED_DOUBLE_ENCODED))
                        .isEqualTo(path);
                assertThat(SigV4Canonicalizer.canonicalUri(path, SigV4Verifier.PathMode.AS_SENT))
                        .isEqualTo(path);
            }
        }
        assertThat(SigV4Canonicalizer.isCanonicalUri("/private")).isTrue();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/")).isTrue();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/a/b/")).isTrue();
        assertThat(SigV4Canonicalizer.isCanonicalUri("")).isFalse();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/a//b")).isFalse();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/a/./b")).isFalse();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/a/..")).isFalse();
        assertThat(SigV4Canonicalizer.isCanonicalUri("/a%20b")).isFalse();
    }

    @Test
    void appendWhenAnyTextThenUtf8BytesOfIt() {
        Random random = new Random(8);
        String[] pieces = {"a", "Z", " ", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "\udc00", "x".repeat(33)};
        for (int n = 0; n < 5_000; n++) {
            String text = randomText(random, pieces, 6);
            CanonicalBytes out = CanonicalBytes.start().append(text).append('|').append(text, 0, text.length());

            assertThat(out.toString().getBytes(StandardCharsets.UTF_8))
                    .as(text)
                    .isEqualTo((text + "|" + text).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void alreadyTrimmedWhenRandomValuesThenTrimAllLeavesThemUnchanged() {
        Random random = new Random(9);
        String[] pieces = {"a", " ", "  ", "\t", "\r", "\n", "b"};
        for (int n = 0; n < 20_000; n++) {
            String value = randomText(random, pieces, 8);

            assertThat(SigV4Canonicalizer.alreadyTrimmed(value))
                    .as(value)
                    .isEqualTo(referenceTrimAll(value).equals(value));
        }
    }

    @Test
    void hexEqualsWhenOneCharacterDiffersOrUpperCaseOrLengthDiffersThenFalse() {
        byte[] mac = sha256("anything");
        String hex = SigV4Signing.hex(mac);

        assertThat(SigV4Signing.hexEquals(mac, hex)).isTrue();
        assertThat(SigV4Signing.hexEquals(mac, hex.toUpperCase(Locale.ROOT)))
                .isEqualTo(hex.equals(hex.toUpperCase(Locale.ROOT)));
        assertThat(SigV4Signing.hexEquals(mac, hex + "0")).isFalse();
        assertThat(SigV4Signing.hexEquals(mac, hex.substring(1))).isFalse();
        for (int i = 0; i < hex.length(); i++) {
            for (int bit = 1; bit < 0x80; bit <<= 1) {
                String flipped = hex.substring(0, i) + (char) (hex.charAt(i) ^ bit) + hex.substring(i + 1);
                assertThat(SigV4Signing.hexEquals(mac, flipped)).isFalse();
            }
        }
    }

    @Test
    void hmacWhenKeyChangesBetweenCallsThenEachUnderItsOwnKey() {
        byte[] data = "string to sign".getBytes(StandardCharsets.UTF_8);
        byte[] first = new byte[32];
        byte[] second = new byte[32];
        second[31] = 1;

        byte[] underFirst = SigV4Signing.hmac(first, data, 0, data.length);
        byte[] underSecond = SigV4Signing.hmac(second, data, 0, data.length);

        assertThat(underFirst).isEqualTo(SigV4Signing.hmac(first, "string to sign"));
        assertThat(underSecond)
                .isEqualTo(SigV4Signing.hmac(second, "string to sign"))
                .isNotEqualTo(underFirst);
        assertThat(SigV4Signing.hmac(first, data, 0, data.length)).isEqualTo(underFirst);
    }

    // --- references and helpers -------------------------------------------------------------------------------------

    /**
     * The parameter parsing by the book: split at commas, first '=' after the first char, trim; null when one of the
     * three SigV4 names is repeated.
     */
    private static @org.jspecify.annotations.Nullable Map<String, String> referenceParts(String rest) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : rest.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq).trim();
                if (parts.putIfAbsent(name, part.substring(eq + 1).trim()) != null
                        && List.of("Credential", "Signature", "SignedHeaders").contains(name)) {
                    return null;
                }
            }
        }
        return parts;
    }

    private static List<String> referenceSignedHeaders(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(";", -1)) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return names;
    }

    private static String referenceTrimAll(String value) {
        return value.replaceAll("[ \t\r\n]+", " ").strip();
    }

    private static String randomText(Random random, String[] pieces, int maxPieces) {
        StringBuilder text = new StringBuilder();
        int count = random.nextInt(maxPieces + 1);
        for (int i = 0; i < count; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static String[] catching(String credential) {
        try {
            return SigV4Verifier.credentialParts(credential);
        } catch (SignatureException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertIncomplete(String authorization, String message) {
        assertThatThrownBy(() -> verifier().verify(request(authorization)))
                .isInstanceOfSatisfying(SignatureException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private static SignedRequest request(String authorization) {
        return new SignedRequest(
                "GET",
                "/",
                "",
                Map.of(
                        "host",
                        List.of("127.0.0.1:9229"),
                        "x-amz-date",
                        List.of("20260101T001000Z"),
                        "authorization",
                        List.of(authorization)),
                new byte[0]);
    }

    private static SigV4Verifier<String> verifier() {
        InMemoryCredentialResolver<String> keys = new InMemoryCredentialResolver<String>()
                .put("AKIAGATEHOUSEADMIN01", SigningCredential.permanent(SecretBytes.ofUtf8("secret"), "admin"));
        return SigV4Verifier.builder(keys)
                .service("execute-api")
                .region("us-east-1")
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC))
                .build();
    }
}
