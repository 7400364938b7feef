package dev.gatehouse.userpool;

import java.util.Optional;

/**
 * Issues, verifies and revokes a pool's tokens, and publishes its keys.
 *
 * <p>Every sign-in starts a session identified by {@code origin_jti}; the refresh token and every access token of the
 * session carry it, so revoking the session (RevokeToken, GlobalSignOut) invalidates them all. Failures throw
 * {@link dev.gatehouse.protocol.ServiceException} with Cognito's {@code NotAuthorizedException} and message.
 *
 * @see <a href="https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html">Cognito tokens</a>
 */
public interface TokenService {

    /** Starts a session and issues id, access and refresh tokens for it. */
    IssuedTokens issue(TokenSubject subject, TokenClient client, java.time.Instant authTime);

    /**
     * Opens a refresh token presented by {@code clientId} of {@code userPoolId}. Throws {@code NotAuthorizedException}
     * ("Invalid Refresh Token", "Refresh Token has been revoked", "Refresh Token has expired") when it is malformed,
     * forged, for another pool or client, expired, or its session was revoked.
     */
    RefreshGrant openRefreshToken(String refreshToken, String userPoolId, String clientId);

    /** New id and access tokens for the session of {@code grant}: same {@code auth_time} and {@code origin_jti}. */
    IssuedTokens reissue(TokenSubject subject, TokenClient client, RefreshGrant grant);

    /**
     * Verifies an access token presented to a Cognito API (GetUser, GlobalSignOut…): RS256 only, known {@code kid},
     * signature, issuer, expiry, {@code token_use=access}, session not revoked. Throws {@code NotAuthorizedException}
     * ("Invalid Access Token", "Access Token has expired", "Access Token has been revoked").
     */
    VerifiedAccessToken verifyAccessToken(String accessToken);

    /**
     * As {@link #verifyAccessToken}, answered from this node's memos without blocking (on an event loop): throws the
     * package's {@code CacheMiss} when the answer would need the store or a signature check. Same checks, same errors.
     */
    default VerifiedAccessToken verifyAccessTokenFromMemos(String accessToken) {
        throw CacheMiss.INSTANCE;
    }

    /**
     * Verifies an id token presented to an identity pool (GetId, GetCredentialsForIdentity): RS256 only, a known id-token
     * {@code kid} of the pool its {@code iss} names, signature, issuer, expiry, {@code token_use=id}, one audience, and
     * its session ({@code origin_jti}) not revoked by GlobalSignOut or RevokeToken. The audience is returned, not
     * checked: the caller knows which clients it trusts. Throws {@code NotAuthorizedException} with the identity pool's
     * words ("Invalid login token. Couldn't verify signed token.", "Invalid login token. Token expired: now >= exp",
     * "Invalid login token. Token has been revoked.").
     */
    VerifiedIdToken verifyIdToken(String idToken);

    /** RevokeToken: ends the session of a refresh token issued to this client; unknown tokens are ignored silently. */
    void revoke(String refreshToken, String userPoolId, String clientId);

    /** GlobalSignOut, AdminUserGlobalSignOut, and deleting or disabling a user: ends every session of the user. */
    void revokeAll(String userPoolId, String username);

    /**
     * DeleteUserPool: deletes the pool's key set (signing and sealing keys), so none of its tokens verifies any more;
     * a node that cached the set refuses them once its cache expires, and at once when their sessions were ended.
     */
    void deletePoolKeys(String userPoolId);

    /** The pool's public signing keys as a JWKS JSON document; creates the pool's key set on first use. */
    String jwks(String userPoolId);

    /**
     * The pool's public signing keys as {@link #jwks} gives them, if its key set exists; never creates one. Lets a
     * caller that only verifies start without paying for RSA key generation (the first token issued creates the set).
     */
    default Optional<String> existingJwks(String userPoolId) {
        return Optional.of(jwks(userPoolId));
    }

    /**
     * As {@link #jwks}, read from the store rather than from this node's cache, for a verifier that met a {@code kid}
     * it does not know, so keys another node rotated in are seen at once. Not rate-limited here: the caller limits its
     * reads. Blocking.
     */
    default String jwksReloaded(String userPoolId) {
        return jwks(userPoolId);
    }

    /** The pool's OpenID Connect discovery document (issuer, jwks_uri…) as JSON. */
    String openIdConfiguration(String userPoolId);

    /** The {@code iss} of the pool's tokens. */
    String issuer(String userPoolId);
}
