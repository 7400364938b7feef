package dev.gatehouse.iam;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SigV4 authentication a request claims, in its {@code Authorization} header or its presigned query, parsed and
 * not checked: nothing in it is trusted yet.
 */
record ClaimedAuthorization(
        boolean presigned,
        String algorithm,
        String credential,
        List<String> signedHeaders,
        String signature,
        String amzDate,
        Instant requestTime,
        long expiresSeconds,
        @Nullable String sessionToken) {}
