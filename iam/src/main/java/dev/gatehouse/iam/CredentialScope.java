package dev.gatehouse.iam;

import java.util.Objects;

/**
 * The part of a SigV4 credential after the access key id: {@code <date>/<region>/<service>/aws4_request}.
 *
 * @param date the {@code YYYYMMDD} day the signing key was derived for
 * @param region the region, such as {@code us-east-1}
 * @param service the signing name of the service, such as {@code cognito-idp}
 */
public record CredentialScope(String date, String region, String service) {

    /** The fixed last element of every SigV4 credential scope. */
    public static final String TERMINATOR = "aws4_request";

    public CredentialScope {
        Objects.requireNonNull(date, "date cannot be null");
        Objects.requireNonNull(region, "region cannot be null");
        Objects.requireNonNull(service, "service cannot be null");
    }

    /** The scope as it appears in the string to sign. */
    @Override
    public String toString() {
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }
}
