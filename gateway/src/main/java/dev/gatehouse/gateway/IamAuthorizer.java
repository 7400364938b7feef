package dev.gatehouse.gateway;

import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.VerifiedCaller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code AWS_IAM} authorization, beside {@link JwtAuthorizer} and {@link CognitoAuthorizer}: the request's SigV4
 * signature (service {@code execute-api}) is verified against the caller's credentials, then the caller's identity
 * policies must allow {@code execute-api:Invoke} on the route's ARN
 * ({@code arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>}).
 */
final class IamAuthorizer {

    private static final String ACTION = "execute-api:Invoke";

    private final SigV4Verifier<IamPrincipal> verifier;
    private final ApiType apiType;
    /** {@code arn:aws:execute-api:<region>:<account>:<apiId>/}: the route ARNs' constant part. */
    private final String arnPrefix;

    IamAuthorizer(
            CredentialResolver<IamPrincipal> resolver,
            String region,
            String accountId,
            String apiId,
            ApiType apiType,
            Clock clock) {
        this.verifier = SigV4Verifier.builder(resolver)
                .service("execute-api")
                .region(region)
                .clock(clock)
                .maxClockSkew(Duration.ofMinutes(5))
                .build();
        this.apiType = apiType;
        this.arnPrefix = "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId + "/";
    }

    AuthOutcome authorize(GatewayRequest request, String stage, List<String> path, Instant now) {
        VerifiedCaller<IamPrincipal> caller;
        try {
            caller = verifier.verify(new SignedRequest(
                    request.method(), request.rawPath(), request.rawQuery(), request.headers(), request.body()));
        } catch (SignatureException e) {
            if (e.reason() == SignatureException.Reason.MISSING_AUTHENTICATION) {
                return new AuthOutcome.Refused(GatewayErrors.missingSignature(apiType), "AWS_IAM missing");
            }
            return new AuthOutcome.Refused(
                    GatewayErrors.signature(e.reason().jsonErrorCode(), signatureMessage(e)), "AWS_IAM " + e.reason());
        }
        IamPrincipal principal = caller.principal();
        String resource =
                arnPrefix + stage + "/" + request.method().toUpperCase(Locale.ROOT) + "/" + String.join("/", path);
        Decision decision = PolicyEvaluator.evaluate(
                principal.policies(), principal.requestContext(ACTION, resource, now, request.sourceIp()));
        if (!decision.allowed()) {
            String message = "User: " + principal.userArn() + " is not authorized to perform: " + ACTION
                    + " on resource: " + maskAccount(resource)
                    + (decision instanceof Decision.ExplicitDeny ? " with an explicit deny" : "");
            return new AuthOutcome.Refused(GatewayErrors.accessDenied(message), "AWS_IAM deny " + principal.userArn());
        }
        return new AuthOutcome.Allowed(
                new Caller.Iam(caller.accessKeyId(), principal), "AWS_IAM allow " + principal.userArn());
    }

    /**
     * The 403 message for a failed signature: on a mismatch API Gateway appends the canonical request and string to sign
     * it computed (the server's own computation, JSON-escaped by the error writer), so the caller can compare them.
     */
    static String signatureMessage(SignatureException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), "Forbidden");
        Optional<String> canonical = e.canonicalRequest();
        Optional<String> stringToSign = e.stringToSign();
        if (canonical.isEmpty() || stringToSign.isEmpty()) {
            return message;
        }
        return message + "\n\nThe Canonical String for this request should have been\n'" + canonical.get()
                + "'\n\nThe String-to-Sign should have been\n'" + stringToSign.get() + "'\n";
    }

    /** API Gateway masks the account in a denied resource ARN: {@code ********1234}. */
    private static String maskAccount(String arn) {
        String[] parts = arn.split(":", 6);
        String account = parts[4];
        if (account.length() > 4) {
            parts[4] = "*".repeat(account.length() - 4) + account.substring(account.length() - 4);
        }
        return String.join(":", parts);
    }
}
