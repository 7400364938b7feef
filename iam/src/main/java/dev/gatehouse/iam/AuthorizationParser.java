package dev.gatehouse.iam;

import dev.gatehouse.iam.SigV4Canonicalizer.QueryParameter;
import dev.gatehouse.iam.SignatureException.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads the SigV4 authentication a request claims, from its {@code Authorization} header or its presigned query
 * ({@code X-Amz-*} parameters), into a {@link ClaimedAuthorization}; {@link SigV4Verifier} then checks it. Parsing
 * failures carry AWS's messages: which mechanism is used (neither, or both), which parts are missing, the date format,
 * the {@code X-Amz-Expires} range.
 */
final class AuthorizationParser {

    static final String X_AMZ_SIGNATURE = "X-Amz-Signature";
    private static final List<String> QUERY_PARAMETERS = List.of(
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            X_AMZ_SIGNATURE,
            "X-Amz-SignedHeaders",
            "X-Amz-Date",
            "X-Amz-Expires");

    /** Query parameters that authenticate a request; each may appear once. */
    private static final List<String> AUTH_PARAMETERS = List.of(
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            X_AMZ_SIGNATURE,
            "X-Amz-SignedHeaders",
            "X-Amz-Date",
            "X-Amz-Expires",
            "X-Amz-Security-Token");
    /** Headers that authenticate a request; each may appear once. */
    private static final List<String> SINGLE_HEADERS =
            List.of("authorization", "x-amz-date", "date", "x-amz-security-token", "x-amz-content-sha256");

    private AuthorizationParser() {}

    /** The authentication {@code request} claims; {@code query} is its parsed query string. */
    static ClaimedAuthorization parse(SignedRequest request, List<QueryParameter> query) throws SignatureException {
        AuthParameters params = AuthParameters.of(query);
        refuseRepeatedHeaders(request);
        boolean header = request.first("authorization") != null;
        boolean presigned = params.get("X-Amz-Algorithm") != null
                || params.get("X-Amz-Credential") != null
                || params.get(X_AMZ_SIGNATURE) != null;
        if (header && presigned) {
            throw new SignatureException(
                    Reason.AMBIGUOUS_AUTHENTICATION,
                    "Only one auth mechanism allowed; only the "
                            + "X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be "
                            + "specified");
        }
        if (header) {
            return fromHeader(request);
        }
        if (presigned) {
            return fromQuery(request, params);
        }
        throw new SignatureException(Reason.MISSING_AUTHENTICATION, "Missing Authentication Token");
    }

    /**
     * Two {@code Authorization} headers (or two of the headers that carry the date or the session token) are refused,
     * never resolved by taking one: a proxy or a client library may read the other.
     */
    private static void refuseRepeatedHeaders(SignedRequest request) throws SignatureException {
        for (String name : SINGLE_HEADERS) {
            if (request.values(name).size() > 1) {
                throw new SignatureException(Reason.INCOMPLETE_SIGNATURE, "Only one '" + name + "' header is allowed.");
            }
        }
    }

    private static ClaimedAuthorization fromHeader(SignedRequest request) throws SignatureException {
        String value = Objects.requireNonNull(request.first("authorization"), "authorization")
                .trim();
        int space = indexOfWhitespace(value);
        String algorithm = space < 0 ? value : value.substring(0, space);
        HeaderParameters parts = HeaderParameters.parse(value, space < 0 ? value.length() : space + 1);
        String amzDate = request.first("x-amz-date");
        String date = amzDate != null ? amzDate : request.first("date");
        StringBuilder missing = new StringBuilder();
        if (parts.credential == null || parts.credential.isEmpty()) {
            missing.append("Authorization header requires 'Credential' parameter. ");
        }
        if (parts.signature == null || parts.signature.isEmpty()) {
            missing.append("Authorization header requires 'Signature' parameter. ");
        }
        if (parts.signedHeaders == null) {
            missing.append("Authorization header requires 'SignedHeaders' parameter. ");
        }
        if (date == null) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (missing.length() > 0
                || date == null
                || parts.credential == null
                || parts.signature == null
                || parts.signedHeaders == null) {
            throw new SignatureException(
                    Reason.INCOMPLETE_SIGNATURE, missing.toString().trim());
        }
        date = date.trim();
        Instant requestTime = AmzDates.parse(date, amzDate == null);
        return new ClaimedAuthorization(
                false,
                algorithm,
                parts.credential,
                SigV4Verifier.signedHeaders(parts.signedHeaders),
                parts.signature,
                AmzDates.amzDate(date, requestTime),
                requestTime,
                0,
                request.first("x-amz-security-token"));
    }

    /**
     * The {@code name=value} pairs after the algorithm in an {@code Authorization} header: pairs are separated by
     * {@code ,}; a pair needs an {@code =} after at least one character; name and value are trimmed
     * ({@link String#trim}). Only the three names SigV4 uses are kept, and each may appear once: a repeated one is
     * refused ({@code INCOMPLETE_SIGNATURE}), never resolved by taking the first or the last.
     */
    static final class HeaderParameters {
        private @Nullable String credential;
        private @Nullable String signature;
        private @Nullable String signedHeaders;

        /** Parses {@code value} from {@code from} on. */
        static HeaderParameters parse(String value, int from) throws SignatureException {
            HeaderParameters parts = new HeaderParameters();
            int length = value.length();
            int start = from;
            while (true) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? length : comma;
                int eq = value.indexOf('=', start);
                if (eq > start && eq < end) {
                    parts.put(
                            value.substring(start, eq).trim(),
                            value.substring(eq + 1, end).trim());
                }
                if (comma < 0) {
                    return parts;
                }
                start = comma + 1;
            }
        }

        private void put(String name, String value) throws SignatureException {
            switch (name) {
                case "Credential" -> credential = once(name, credential, value);
                case "Signature" -> signature = once(name, signature, value);
                case "SignedHeaders" -> signedHeaders = once(name, signedHeaders, value);
                default -> {}
            }
        }

        private static String once(String name, @Nullable String previous, String value) throws SignatureException {
            if (previous != null) {
                throw new SignatureException(
                        Reason.INCOMPLETE_SIGNATURE, "Authorization header has a repeated '" + name + "' parameter.");
            }
            return value;
        }

        @Nullable
        String credential() {
            return credential;
        }

        @Nullable
        String signature() {
            return signature;
        }

        @Nullable
        String signedHeaders() {
            return signedHeaders;
        }
    }

    /**
     * The decoded values of the query parameters in {@link #AUTH_PARAMETERS} (other parameters may repeat and are not
     * read); a repeated one is refused, never resolved by taking the first or the last.
     */
    static final class AuthParameters {
        private final @Nullable String[] values = new String[AUTH_PARAMETERS.size()];

        static AuthParameters of(List<QueryParameter> query) throws SignatureException {
            AuthParameters params = new AuthParameters();
            for (QueryParameter parameter : query) {
                int index = indexOf(parameter.name());
                if (index < 0) {
                    continue;
                }
                if (params.values[index] != null) {
                    throw new SignatureException(
                            Reason.AUTHORIZATION_QUERY_PARAMETERS,
                            "Query-string authentication parameters " + "must appear only once; '" + parameter.name()
                                    + "' is repeated.");
                }
                params.values[index] = parameter.value();
            }
            return params;
        }

        /** The value of {@code name}, one of {@link #AUTH_PARAMETERS}; null when absent. */
        @Nullable
        String get(String name) {
            return values[indexOf(name)];
        }

        /** The index of {@code name} in {@link #AUTH_PARAMETERS} (exact case), or -1. */
        private static int indexOf(String name) {
            return switch (name) {
                case "X-Amz-Algorithm" -> 0;
                case "X-Amz-Credential" -> 1;
                case X_AMZ_SIGNATURE -> 2;
                case "X-Amz-SignedHeaders" -> 3;
                case "X-Amz-Date" -> 4;
                case "X-Amz-Expires" -> 5;
                case "X-Amz-Security-Token" -> 6;
                default -> -1;
            };
        }

        String getOrDefault(String name, String absent) {
            String value = get(name);
            return value == null ? absent : value;
        }
    }

    private static ClaimedAuthorization fromQuery(SignedRequest request, AuthParameters params)
            throws SignatureException {
        StringBuilder missing = new StringBuilder();
        for (String name : QUERY_PARAMETERS) {
            if (params.getOrDefault(name, "").isEmpty()) {
                missing.append("AWS query-string parameters must include '")
                        .append(name)
                        .append("'. ");
            }
        }
        if (missing.length() > 0) {
            throw new SignatureException(
                    Reason.INCOMPLETE_SIGNATURE, missing + "Re-examine the query-string parameters.");
        }
        Instant requestTime = AmzDates.parse(require(params, "X-Amz-Date"), false);
        long expires = expiresSeconds(require(params, "X-Amz-Expires"));
        String queryToken = params.get("X-Amz-Security-Token");
        String headerToken = request.first("x-amz-security-token");
        if (queryToken != null && headerToken != null && !queryToken.equals(headerToken)) {
            throw new SignatureException(
                    Reason.AUTHORIZATION_QUERY_PARAMETERS,
                    "The session token is given both as "
                            + "X-Amz-Security-Token and as the x-amz-security-token header, with different values.");
        }
        String sessionToken = queryToken != null ? queryToken : headerToken;
        return new ClaimedAuthorization(
                true,
                require(params, "X-Amz-Algorithm"),
                require(params, "X-Amz-Credential"),
                SigV4Verifier.signedHeaders(require(params, "X-Amz-SignedHeaders")),
                require(params, X_AMZ_SIGNATURE),
                AmzDates.amzDate(require(params, "X-Amz-Date"), requestTime),
                requestTime,
                expires,
                sessionToken);
    }

    private static String require(AuthParameters params, String key) {
        return Objects.requireNonNull(params.get(key), key);
    }

    private static long expiresSeconds(String value) throws SignatureException {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires should be a number");
        }
        if (seconds < 0) {
            throw new SignatureException(Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires must be non-negative");
        }
        if (seconds == 0) {
            throw new SignatureException(
                    Reason.AUTHORIZATION_QUERY_PARAMETERS, "X-Amz-Expires must be at least 1 second");
        }
        if (seconds > SigV4Verifier.MAX_PRESIGN_SECONDS) {
            throw new SignatureException(
                    Reason.AUTHORIZATION_QUERY_PARAMETERS,
                    "X-Amz-Expires must be less than a week (in seconds) that is " + SigV4Verifier.MAX_PRESIGN_SECONDS);
        }
        return seconds;
    }

    private static int indexOfWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
