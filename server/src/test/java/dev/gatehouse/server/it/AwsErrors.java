package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Assertions on AWS errors as the SDK surfaces them: the {@code __type} code, HTTP 400, the message. */
final class AwsErrors {

    private AwsErrors() {}

    /** Runs {@code call}, asserts it failed with HTTP 400 and {@code __type} {@code code}, and returns the error. */
    static AwsServiceException assertAwsError(ThrowingCallable call, String code) {
        AwsServiceException e = awsError(call);
        assertThat(e.awsErrorDetails().errorCode())
                .as("__type of %s", e.getMessage())
                .isEqualTo(code);
        assertThat(e.statusCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(400);
        return e;
    }

    /** As {@link #assertAwsError} with the exact message too. */
    static AwsServiceException assertAwsError(ThrowingCallable call, String code, String message) {
        AwsServiceException e = assertAwsError(call, code);
        assertThat(e.awsErrorDetails().errorMessage()).as("message of %s", code).isEqualTo(message);
        return e;
    }

    /** Runs {@code call}, asserts it failed with HTTP 400 and one of {@code codes}. */
    static AwsServiceException assertAwsErrorIn(ThrowingCallable call, String... codes) {
        AwsServiceException e = awsError(call);
        assertThat(e.awsErrorDetails().errorCode())
                .as("__type of %s", e.getMessage())
                .isIn(Arrays.asList(codes));
        assertThat(e.statusCode()).as("HTTP status of %s", e.getMessage()).isEqualTo(400);
        return e;
    }

    private static AwsServiceException awsError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected an AWS service error").isInstanceOf(AwsServiceException.class);
        return (AwsServiceException) thrown;
    }
}
