package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.userpool.TokenService;
import dev.gatehouse.userpool.VerifiedIdToken;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the {@code Logins} of a GetId, GetCredentialsForIdentity or GetOpenIdToken call against an identity pool.
 *
 * <p>A key names a user pool as Cognito does ({@code cognito-idp.<region>.amazonaws.com/<userPoolId>}) or as the
 * local issuer without its scheme ({@code 127.0.0.1:9229/<userPoolId>}); both mean the same provider. The value is
 * that pool's id token: verified by {@link TokenService#verifyIdToken} (signature, issuer, expiry, live session), then
 * its pool must be the one the key names and its audience one of the identity pool's clients for that pool.
 */
final class LoginVerifier {

    /**
     * A verified login: the canonical provider name, the user, and every claim of the id token (for role mapping rules).
     */
    record Login(String providerName, String userPoolId, String sub, String clientId, ObjectNode claims) {}

    private static final Pattern USER_POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");

    private final TokenService tokens;

    LoginVerifier(TokenService tokens) {
        this.tokens = tokens;
    }

    /** The verified login of {@code logins}; empty when there is none. Throws {@code NotAuthorizedException}. */
    Optional<Login> verify(StoredPool pool, Map<String, String> logins) {
        if (logins.isEmpty()) {
            return Optional.empty();
        }
        if (logins.size() > 1) {
            throw IdentityErrors.invalidParameter(
                    "Gatehouse links one login per identity; Logins has " + logins.size() + ".");
        }
        Map.Entry<String, String> login = logins.entrySet().iterator().next();
        String userPoolId = userPoolOf(login.getKey())
                .orElseThrow(() -> IdentityErrors.notAuthorized(IdentityErrors.UNSUPPORTED_PROVIDER));
        String providerName = canonicalName(userPoolId);
        boolean configured = pool.providers().stream()
                .anyMatch(p ->
                        userPoolOf(p.providerName()).filter(userPoolId::equals).isPresent());
        if (!configured) {
            throw IdentityErrors.notAuthorized(IdentityErrors.UNSUPPORTED_PROVIDER);
        }
        VerifiedIdToken token = tokens.verifyIdToken(login.getValue());
        if (!token.userPoolId().equals(userPoolId)) {
            throw IdentityErrors.notAuthorized(IdentityErrors.ISSUER_MISMATCH);
        }
        boolean trustedClient = pool.providers().stream()
                .anyMatch(p -> p.clientId().equals(token.clientId())
                        && userPoolOf(p.providerName())
                                .filter(userPoolId::equals)
                                .isPresent());
        if (!trustedClient) {
            throw IdentityErrors.notAuthorized(IdentityErrors.WRONG_AUDIENCE);
        }
        return Optional.of(
                new Login(providerName, userPoolId, token.sub(), token.clientId(), claims(login.getValue())));
    }

    /** The payload of a token {@link TokenService#verifyIdToken} has accepted, as JSON. */
    private static ObjectNode claims(String verifiedToken) {
        try {
            JsonNode payload = AwsJson.mapper()
                    .readTree(SignedJWT.parse(verifiedToken).getPayload().toString());
            if (payload instanceof ObjectNode object) {
                return object;
            }
        } catch (ParseException | IOException e) {
            // unreachable for a verified token; refuse rather than map roles from nothing
        }
        throw IdentityErrors.notAuthorized(IdentityErrors.INVALID_TOKEN);
    }

    /** Cognito's name for a user-pool provider: {@code cognito-idp.<region>.amazonaws.com/<userPoolId>}. */
    static String canonicalName(String userPoolId) {
        return "cognito-idp." + userPoolId.substring(0, userPoolId.indexOf('_')) + ".amazonaws.com/" + userPoolId;
    }

    /** The user pool a provider name denotes, in either accepted form. */
    Optional<String> userPoolOf(String providerName) {
        int slash = providerName.lastIndexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String userPoolId = providerName.substring(slash + 1);
        if (userPoolId.length() > 55 || !USER_POOL_ID.matcher(userPoolId).matches()) {
            return Optional.empty();
        }
        if (providerName.equals(canonicalName(userPoolId))
                || providerName.equals(withoutScheme(tokens.issuer(userPoolId)))) {
            return Optional.of(userPoolId);
        }
        return Optional.empty();
    }

    private static String withoutScheme(String issuer) {
        int scheme = issuer.indexOf("://");
        return scheme < 0 ? issuer : issuer.substring(scheme + 3);
    }
}
