package dev.gatehouse.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP API's {@code JWT} authorizer: the issuer, the audiences (app client ids) and where the token is read from.
 * A token passes when it is RS256-signed by a key of the issuer's JWKS (matched by {@code kid}; the cached set is
 * refreshed when a {@code kid} is unknown), {@code iss} equals the issuer, {@code aud} (id tokens) or
 * {@code client_id} (access tokens) is one of the audiences, and {@code exp}/{@code nbf} hold at the gateway's clock.
 * Thread-safe.
 */
public final class JwtAuthorizer {

  private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);

  private final String name;
  private final String issuer;
  private final List<String> audiences;
  private final String identitySource;
  private final JwksSource keySource;
  private volatile @Nullable JWKSet cachedKeys;
  private volatile Instant lastFetch = Instant.MIN;

  private JwtAuthorizer(String name, String issuer, List<String> audiences, String identitySource,
      JwksSource keySource) {
    this.name = name;
    this.issuer = issuer;
    this.audiences = audiences;
    this.identitySource = identitySource;
    this.keySource = keySource;
  }

  /**
   * An authorizer reading {@code Authorization: Bearer <token>} (or the bare token).
   *
   * @param name the authorizer's name, for logs
   * @param issuer such as {@code https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc}
   * @param audiences the accepted app client ids
   * @param keySource the issuer's keys
   */
  public static JwtAuthorizer of(String name, String issuer, List<String> audiences, JwksSource keySource) {
    return withIdentitySource(name, issuer, audiences, "authorization", keySource);
  }

  /** Like {@link #of}, reading the token from header {@code headerName} ({@code $request.header.<name>}). */
  public static JwtAuthorizer withIdentitySource(String name, String issuer, List<String> audiences,
      String headerName, JwksSource keySource) {
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(issuer, "issuer cannot be null");
    Objects.requireNonNull(headerName, "headerName cannot be null");
    Objects.requireNonNull(keySource, "keySource cannot be null");
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("audiences cannot be empty");
    }
    return new JwtAuthorizer(name, issuer, List.copyOf(audiences), headerName.toLowerCase(Locale.ROOT), keySource);
  }

  public String name() {
    return name;
  }

  String identitySource() {
    return identitySource;
  }

  /** The outcome of {@link #authorize}. */
  sealed interface Outcome permits Allowed, Unauthorized, Forbidden {
  }

  /** The token passed; {@code scopes} is null when the route has no scopes (as API Gateway sends it). */
  record Allowed(Map<String, String> claims, @Nullable List<String> scopes) implements Outcome {
  }

  /** 401 with {@code description} in {@code www-authenticate}. */
  record Unauthorized(String description) implements Outcome {
  }

  /** 403: a valid token without any of the route's scopes. */
  record Forbidden() implements Outcome {
  }

  Outcome authorize(Optional<String> headerValue, List<String> routeScopes, Instant now) {
    if (headerValue.isEmpty() || headerValue.get().isBlank()) {
      return new Unauthorized("the token is missing");
    }
    String token = headerValue.get().trim();
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = token.substring(7).trim();
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Unauthorized("the token is malformed");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return new Unauthorized("the token's signing algorithm is not supported");
    }
    String kid = jwt.getHeader().getKeyID();
    Optional<RSAKey> key = kid == null ? Optional.empty() : key(kid, now);
    if (key.isEmpty()) {
      return new Unauthorized("the signing key of the token was not found");
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(key.get()))) {
        return new Unauthorized("the token signature is invalid");
      }
    } catch (JOSEException e) {
      return new Unauthorized("the token signature is invalid");
    }
    if (!issuer.equals(claims.getIssuer())) {
      return new Unauthorized("the token does not have a valid issuer");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.isBefore(exp.toInstant())) {
      return new Unauthorized("the token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant())) {
      return new Unauthorized("the token is not valid yet");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now.isBefore(iat.toInstant())) {
      return new Unauthorized("the token is not valid yet");
    }
    if (!audienceMatches(claims)) {
      return new Unauthorized("the token does not have a valid audience");
    }
    Map<String, String> rendered = render(claims);
    if (routeScopes.isEmpty()) {
      return new Allowed(rendered, null);
    }
    List<String> tokenScopes = scopes(claims);
    if (tokenScopes.stream().noneMatch(routeScopes::contains)) {
      return new Forbidden();
    }
    return new Allowed(rendered, tokenScopes);
  }

  private boolean audienceMatches(JWTClaimsSet claims) {
    List<String> aud = claims.getAudience();
    if (aud != null && aud.stream().anyMatch(audiences::contains)) {
      return true;
    }
    Object clientId = claims.getClaim("client_id");
    return clientId instanceof String && audiences.contains(clientId);
  }

  private static List<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    if (scope == null) {
      scope = claims.getClaim("scp");
    }
    if (scope instanceof String) {
      return Arrays.stream(((String) scope).split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
    if (scope instanceof Collection) {
      return ((Collection<?>) scope).stream().map(String::valueOf).collect(Collectors.toList());
    }
    return List.of();
  }

  /** Claims as API Gateway passes them: every value a string, arrays as {@code [a b]}. */
  private static Map<String, String> render(JWTClaimsSet claims) {
    Map<String, String> out = new LinkedHashMap<>();
    claims.toJSONObject().forEach((name, value) -> {
      if (value == null) {
        return;
      }
      if (value instanceof Collection) {
        List<String> items = new ArrayList<>();
        ((Collection<?>) value).forEach(item -> items.add(String.valueOf(item)));
        out.put(name, "[" + String.join(" ", items) + "]");
      } else {
        out.put(name, String.valueOf(value));
      }
    });
    return out;
  }

  private Optional<RSAKey> key(String kid, Instant now) {
    JWKSet keys = cachedKeys;
    Optional<RSAKey> found = keys == null ? Optional.empty() : find(keys, kid);
    if (found.isPresent()) {
      return found;
    }
    synchronized (this) {
      keys = cachedKeys;
      found = keys == null ? Optional.empty() : find(keys, kid);
      if (found.isPresent() || (keys != null && now.isBefore(lastFetch.plus(MIN_REFRESH_INTERVAL)))) {
        return found;
      }
      try {
        JWKSet fresh = keySource.fetch();
        cachedKeys = fresh;
        lastFetch = now;
        return find(fresh, kid);
      } catch (IOException | RuntimeException e) {
        lastFetch = now;
        return Optional.empty();
      }
    }
  }

  private static Optional<RSAKey> find(JWKSet keys, String kid) {
    JWK key = keys.getKeyByKeyId(kid);
    return key instanceof RSAKey ? Optional.of((RSAKey) key) : Optional.empty();
  }

  @Override
  public String toString() {
    return "JwtAuthorizer[" + name + ", issuer=" + issuer + "]";
  }
}
