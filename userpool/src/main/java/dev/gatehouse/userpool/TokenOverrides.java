package dev.gatehouse.userpool;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a pre token generation trigger changes in the tokens about to be issued: claims added or overridden and claims
 * suppressed, per token, and scopes added or suppressed in the access token. Values are what Nimbus writes as JSON
 * (strings, numbers, booleans, lists, maps). Claims a trigger may not change are already left out.
 *
 * @param idClaims claims set in the id token, replacing any of the same name
 * @param idSuppressed claims left out of the id token (suppression wins over an override of the same claim)
 * @param accessClaims claims set in the access token
 * @param accessSuppressed claims left out of the access token
 * @param scopesAdded scopes added to the access token's {@code scope}
 * @param scopesSuppressed scopes removed from it
 */
public record TokenOverrides(
        Map<String, Object> idClaims,
        Set<String> idSuppressed,
        Map<String, Object> accessClaims,
        Set<String> accessSuppressed,
        List<String> scopesAdded,
        Set<String> scopesSuppressed) {

    /** Nothing changed. */
    public static final TokenOverrides NONE =
            new TokenOverrides(Map.of(), Set.of(), Map.of(), Set.of(), List.of(), Set.of());

    public TokenOverrides {
        idClaims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(idClaims));
        idSuppressed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(idSuppressed));
        accessClaims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(accessClaims));
        accessSuppressed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(accessSuppressed));
        scopesAdded = List.copyOf(scopesAdded);
        scopesSuppressed = Set.copyOf(scopesSuppressed);
    }

    /** The access token's {@code scope}: {@code scope} with the added scopes appended and the suppressed removed. */
    String scope(String scope) {
        Set<String> scopes = new LinkedHashSet<>(List.of(scope.split(" ")));
        scopes.addAll(scopesAdded);
        scopes.removeAll(scopesSuppressed);
        scopes.remove("");
        return String.join(" ", scopes);
    }

    static void apply(com.nimbusds.jwt.JWTClaimsSet.Builder claims, Map<String, Object> set, Set<String> suppressed) {
        set.forEach(claims::claim);
        // A null claim is left out when the token is written.
        suppressed.forEach(name -> claims.claim(Objects.requireNonNull(name), null));
    }
}
