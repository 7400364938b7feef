package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * GetOpenIdToken's tokens: RS256 JWTs issued by {@value #ISSUER} with {@code sub} the identity id, {@code aud} the
 * identity pool id and {@code amr}, valid {@link #VALIDITY}, signed with the key in {@link IdentityKeyStore}.
 */
final class OpenIdTokens {

    static final String ISSUER = "https://cognito-identity.amazonaws.com";
    static final Duration VALIDITY = Duration.ofMinutes(10);

    private final IdentityKeyStore keys;
    private final String region;
    private final String accountId;

    OpenIdTokens(IdentityKeyStore keys, String region, String accountId) {
        this.keys = keys;
        this.region = region;
        this.accountId = accountId;
    }

    String issue(String identityId, String identityPoolId, List<String> amr, Instant now) {
        return issue(identityId, identityPoolId, amr, now, VALIDITY);
    }

    /** A token valid {@code validity} (GetOpenIdTokenForDeveloperIdentity's TokenDuration). */
    String issue(String identityId, String identityPoolId, List<String> amr, Instant now, Duration validity) {
        IdentityKeyStore.Loaded loaded = keys.loaded();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(identityId)
                .audience(identityPoolId)
                .claim("amr", amr)
                .issuer(ISSUER)
                .claim(
                        ISSUER + "/identity-pool-arn",
                        "arn:aws:cognito-identity:" + region + ":" + accountId + ":identitypool/" + identityPoolId)
                .expirationTime(Date.from(now.plus(validity)))
                .issueTime(Date.from(now))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(loaded.openIdKid())
                        .type(new JOSEObjectType("JWS"))
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(loaded.openIdPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The claims of a token this service issued for {@code identityId} of {@code identityPoolId} that is still valid
     * at {@code now}: RS256 under the current key, issuer, audience, subject and expiry checked. Empty otherwise.
     */
    java.util.Optional<JWTClaimsSet> verify(String token, String identityId, String identityPoolId, Instant now) {
        IdentityKeyStore.Loaded loaded = keys.loaded();
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !loaded.openIdKid().equals(jwt.getHeader().getKeyID())
                    || !jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(loaded.openIdPublic()))) {
                return java.util.Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            // a token whose exp equals now has expired
            boolean live = claims.getExpirationTime() != null
                    && claims.getExpirationTime().toInstant().isAfter(now);
            boolean ours = ISSUER.equals(claims.getIssuer())
                    && identityId.equals(claims.getSubject())
                    && claims.getAudience().equals(List.of(identityPoolId));
            return live && ours ? java.util.Optional.of(claims) : java.util.Optional.empty();
        } catch (java.text.ParseException | JOSEException e) {
            return java.util.Optional.empty();
        }
    }

    /** The public key as a JWKS document. */
    String jwks() {
        IdentityKeyStore.Loaded loaded = keys.loaded();
        RSAKey key = new RSAKey.Builder(loaded.openIdPublic())
                .keyID(loaded.openIdKid())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .build();
        return new JWKSet(key).toString();
    }
}
