package dev.gatehouse.userpool;

import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.ServiceException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A test double of the TokenService port until JwtTokenService is on main: opaque tokens in maps, sessions by
 * origin jti. Access tokens have three dot-separated parts and refresh tokens five, like the real ones.
 */
final class FakeTokenService implements TokenService {

  private record Access(TokenSubject subject, String clientId, String originJti, Instant authTime, Instant expires) {
  }

  private final Clock clock;
  private final Map<String, Access> access = new HashMap<>();
  private final Map<String, RefreshGrant> refresh = new HashMap<>();
  private final Map<String, String> liveSessions = new HashMap<>();
  /** Issued id tokens, for assertions on their subject. */
  final Map<String, TokenSubject> idTokens = new HashMap<>();

  FakeTokenService(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized IssuedTokens issue(TokenSubject subject, TokenClient client, Instant authTime) {
    String origin = UUID.randomUUID().toString();
    liveSessions.put(origin, subject.userPoolId() + "/" + subject.username());
    String refreshToken = "r." + UUID.randomUUID() + ".x.y.z";
    refresh.put(refreshToken, new RefreshGrant(subject.userPoolId(), client.clientId(), subject.username(), origin,
        authTime));
    IssuedTokens tokens = accessFor(subject, client, origin, authTime);
    return new IssuedTokens(tokens.idToken(), tokens.accessToken(), refreshToken, tokens.expiresIn());
  }

  private IssuedTokens accessFor(TokenSubject subject, TokenClient client, String origin, Instant authTime) {
    String accessToken = "a." + UUID.randomUUID() + ".s";
    access.put(accessToken, new Access(subject, client.clientId(), origin, authTime,
        clock.instant().plus(client.accessTokenValidity())));
    String idToken = "i." + UUID.randomUUID() + ".s";
    idTokens.put(idToken, subject);
    return new IssuedTokens(idToken, accessToken, null, client.accessTokenValidity().toSeconds());
  }

  @Override
  public synchronized RefreshGrant openRefreshToken(String refreshToken, String userPoolId, String clientId) {
    RefreshGrant grant = refresh.get(refreshToken);
    if (grant == null || !grant.userPoolId().equals(userPoolId)) {
      throw notAuthorized("Invalid Refresh Token");
    }
    if (!grant.clientId().equals(clientId)) {
      throw notAuthorized("Refresh Token has different Client");
    }
    if (!liveSessions.containsKey(grant.originJti())) {
      throw notAuthorized("Refresh Token has been revoked");
    }
    return grant;
  }

  @Override
  public synchronized IssuedTokens reissue(TokenSubject subject, TokenClient client, RefreshGrant grant) {
    return accessFor(subject, client, grant.originJti(), grant.authTime());
  }

  @Override
  public synchronized VerifiedAccessToken verifyAccessToken(String accessToken) {
    Access a = access.get(accessToken);
    if (a == null) {
      throw notAuthorized("Invalid Access Token");
    }
    if (!a.expires().isAfter(clock.instant())) {
      throw notAuthorized("Access Token has expired");
    }
    if (!liveSessions.containsKey(a.originJti())) {
      throw notAuthorized("Access Token has been revoked");
    }
    return new VerifiedAccessToken(a.subject().userPoolId(), a.clientId(), a.subject().sub(), a.subject().username(),
        "jti", a.originJti(), Set.of("aws.cognito.signin.user.admin"), a.authTime(), a.expires());
  }

  @Override
  public synchronized void revoke(String refreshToken, String userPoolId, String clientId) {
    RefreshGrant grant = refresh.get(refreshToken);
    if (grant != null && grant.clientId().equals(clientId) && grant.userPoolId().equals(userPoolId)) {
      liveSessions.remove(grant.originJti());
    }
  }

  @Override
  public synchronized void revokeAll(String userPoolId, String username) {
    liveSessions.values().removeIf((userPoolId + "/" + username)::equals);
  }

  @Override
  public String jwks(String userPoolId) {
    return "{\"keys\":[]}";
  }

  @Override
  public String openIdConfiguration(String userPoolId) {
    return "{}";
  }

  @Override
  public String issuer(String userPoolId) {
    return "http://127.0.0.1/" + userPoolId;
  }

  private static ServiceException notAuthorized(String message) {
    return new ServiceException(AwsError.sender("NotAuthorizedException", message));
  }
}
