package dev.gatehouse.server;

import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.Caller;
import dev.gatehouse.protocol.RequestAuthenticator;
import dev.gatehouse.protocol.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates the SigV4-signed (admin) operations of the AWS JSON services: the signature must verify for the
 * stack's region and the service's signing name, within 5 minutes of now, with a key the resolver knows.
 *
 * <p>Every {@link SignatureException.Reason} becomes the AWS JSON error Cognito sends, all HTTP 400:
 * {@code MissingAuthenticationTokenException} for an unsigned request, {@code IncompleteSignatureException} for a
 * malformed one, {@code UnrecognizedClientException} for an unknown key, {@code ExpiredTokenException} for expired
 * temporary credentials, and {@code InvalidSignatureException} (mismatch, clock skew, wrong scope) for the rest, with
 * the verifier's message, which is AWS's text and never holds a secret.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html">Troubleshoot signed requests</a>
 */
final class AdminRequestAuthenticator implements RequestAuthenticator {

    /** AWS's window for JSON services other than DynamoDB. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final CredentialResolver<Caller> resolver;
    private final String region;
    private final Clock clock;
    private final Map<String, SigV4Verifier<Caller>> verifiers = new ConcurrentHashMap<>();

    /** SigV4 for the admin operations, with the stack's admin key as the one known credential. */
    static AdminRequestAuthenticator forStack(StackState state, String region, Clock clock) {
        Caller admin = new Caller(state.admin().accessKeyId(), state.accountId(), state.adminArn());
        SecretBytes secret = SecretBytes.ofUtf8(state.admin().secretAccessKey());
        InMemoryCredentialResolver<Caller> keys = new InMemoryCredentialResolver<Caller>()
                .put(admin.accessKeyId(), SigningCredential.permanent(secret, admin));
        return new AdminRequestAuthenticator(keys, region, clock);
    }

    AdminRequestAuthenticator(CredentialResolver<Caller> resolver, String region, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    @Override
    public Caller authenticate(AwsRequest request, String signingName, String operation) {
        SigV4Verifier<Caller> verifier =
                verifiers.computeIfAbsent(signingName, service -> SigV4Verifier.builder(resolver)
                        .service(service)
                        .region(region)
                        .clock(clock)
                        .maxClockSkew(MAX_CLOCK_SKEW)
                        .build());
        SignedRequest signed = new SignedRequest(
                request.method(), request.rawPath(), request.rawQuery(), request.headers(), request.body());
        try {
            return verifier.verify(signed).principal();
        } catch (SignatureException e) {
            throw new ServiceException(error(e));
        }
    }

    /** The AWS JSON error for a failed verification. */
    static AwsError error(SignatureException failure) {
        String message = Objects.requireNonNullElse(failure.getMessage(), "The request signature is invalid.");
        return AwsError.sender(failure.reason().jsonErrorCode(), message);
    }
}
