package dev.gatehouse.protocol;

/** Verifies the SigV4 signature of a request to an operation that requires one. */
@FunctionalInterface
public interface RequestAuthenticator {

    /**
     * Returns the verified caller, or throws a {@link ServiceException} carrying the AWS error for the failure
     * ({@code MissingAuthenticationTokenException}, {@code InvalidSignatureException}, {@code UnrecognizedClientException}…).
     *
     * @param signingName the service name the credential scope must carry, such as {@code cognito-idp}
     * @param operation the operation name, for the authorization decision
     */
    Caller authenticate(AwsRequest request, String signingName, String operation);
}
