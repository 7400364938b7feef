package dev.gatehouse.functions;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One synchronous invocation ({@code RequestResponse}).
 *
 * @param requestId Lambda's request id ({@code Lambda-Runtime-Aws-Request-Id}, {@code context.awsRequestId})
 * @param payload the event, JSON
 * @param identity the Cognito identity of the caller ({@code Lambda-Runtime-Cognito-Identity},
 *     {@code context.identity}); API Gateway's proxy integration sends none, so it is usually empty
 * @param clientContext the mobile client context, JSON ({@code Lambda-Runtime-Client-Context})
 * @param traceId the X-Ray trace header ({@code Lambda-Runtime-Trace-Id}); a fresh one when empty
 */
@SuppressWarnings("ArrayRecordComponent") // the payload is handed over, not shared
public record InvokeRequest(
        String requestId,
        byte[] payload,
        Optional<CognitoIdentity> identity,
        Optional<String> clientContext,
        Optional<String> traceId) {

    public InvokeRequest {
        Objects.requireNonNull(requestId, "requestId cannot be null");
        Objects.requireNonNull(payload, "payload cannot be null");
        Objects.requireNonNull(identity, "identity cannot be null");
        Objects.requireNonNull(clientContext, "clientContext cannot be null");
        Objects.requireNonNull(traceId, "traceId cannot be null");
    }

    /** An invocation with a fresh request id (a UUID, as Lambda's) and nothing but the payload. */
    public static InvokeRequest of(byte[] payload) {
        return new InvokeRequest(
                UUID.randomUUID().toString(), payload, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The caller's identity-pool identity, as {@code Lambda-Runtime-Cognito-Identity} carries it. */
    public record CognitoIdentity(String identityId, String identityPoolId) {
        public CognitoIdentity {
            Objects.requireNonNull(identityId, "identityId cannot be null");
            Objects.requireNonNull(identityPoolId, "identityPoolId cannot be null");
        }
    }

    @Override
    public String toString() {
        return "InvokeRequest[" + requestId + ", " + payload.length + " bytes]";
    }
}
