package dev.gatehouse.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Values in Lambda's own formats: error documents, the identity header, trace ids, log stream names. */
final class LambdaValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STREAM_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private LambdaValues() {}

    /** A runtime that exited: {@code Runtime.ExitError}, {@code RequestId: <id> Error: <reason>}. */
    static InvocationResult.FunctionError exitError(String requestId, String reason) {
        return new InvocationResult.FunctionError(
                "Runtime.ExitError", errorJson("Runtime.ExitError", "RequestId: " + requestId + " Error: " + reason));
    }

    /** {@code {"errorType":…,"errorMessage":…}}, as Lambda writes its own errors. */
    static byte[] errorJson(String errorType, String message) {
        return JSON.createObjectNode()
                .put("errorType", errorType)
                .put("errorMessage", message)
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code Lambda-Runtime-Cognito-Identity}: {@code {"cognitoIdentityId":…,"cognitoIdentityPoolId":…}}. */
    static String identityJson(InvokeRequest.CognitoIdentity identity) {
        return JSON.createObjectNode()
                .put("cognitoIdentityId", identity.identityId())
                .put("cognitoIdentityPoolId", identity.identityPoolId())
                .toString();
    }

    /** An X-Ray trace header: {@code Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
    static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        random.nextBytes(root);
        random.nextBytes(parent);
        return "Root=1-" + Long.toHexString(TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis())) + "-"
                + HexFormat.of().formatHex(root) + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }

    /** Lambda's log stream name: {@code 2026/03/12/[$LATEST]<32 hex>}. */
    static String logStream(Clock clock) {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return STREAM_DATE.format(clock.instant()) + "/[$LATEST]"
                + HexFormat.of().formatHex(bytes);
    }
}
