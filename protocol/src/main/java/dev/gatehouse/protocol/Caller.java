package dev.gatehouse.protocol;

import java.util.Objects;

/**
 * Who signed a request, once its signature has been verified. Only a {@link RequestAuthenticator} makes these.
 *
 * @param accessKeyId the access key that signed
 * @param accountId the 12-digit account the key belongs to
 * @param arn the principal ARN, as IAM error messages name it
 */
public record Caller(String accessKeyId, String accountId, String arn) {

    public Caller {
        Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
        Objects.requireNonNull(accountId, "accountId cannot be null");
        Objects.requireNonNull(arn, "arn cannot be null");
    }
}
