package dev.gatehouse.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns what the AWS SDK and the HTTP client throw into one-paragraph explanations. */
final class Failures {

    private Failures() {}

    /** The AWS error code of a service exception ({@code NotAuthorizedException}), if the answer carried one. */
    static Optional<String> errorCode(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return Optional.ofNullable(service.awsErrorDetails().errorCode());
        }
        return Optional.empty();
    }

    /** {@code Code: message} of a service exception, or the client-side reason (connection refused, …). */
    static String describe(SdkException e, Optional<URI> endpoint) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "HTTP " + service.statusCode() : code) + ": "
                    + (message == null ? "(no message)" : message);
        }
        return unreachable(e, endpoint.map(URI::toString).orElse("the AWS endpoint"));
    }

    /** Why a request got no answer: refused, unknown host, timed out, or the exception's own message. */
    static String unreachable(Throwable e, String where) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "could not connect to " + where
                        + " (connection refused): is the stack running, and is the address"
                        + " right? (--endpoint / --invoke-url, or --outputs-file from the running stack)";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host in " + where + ": " + cause.getMessage();
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return "timed out connecting to " + where;
            }
            if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return "no answer from " + where + " in time";
            }
        }
        String message = e.getMessage();
        return "request to " + where + " failed: "
                + (message == null ? e.getClass().getSimpleName() : message);
    }
}
