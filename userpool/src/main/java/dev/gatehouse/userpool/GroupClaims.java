package dev.gatehouse.userpool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Puts the user's groups into every token issued or refreshed: {@code cognito:groups} in both tokens,
 * {@code cognito:roles} and {@code cognito:preferred_role} in the id token. Groups are read when a token is made, so a
 * change shows in the next sign-in or refresh, as in Cognito.
 *
 * <p>{@code cognito:preferred_role} is the role of the group with the lowest precedence among those with a role; a
 * group without precedence ranks after every numbered one. When several groups share that best precedence with
 * different roles, Cognito sets no preferred role.
 */
final class GroupClaims implements TokenService {

    private final TokenService tokens;
    private final GroupRepository groups;
    private final TokenTriggers triggers;

    /** @param triggers the pool's PostAuthentication and PreTokenGeneration, run once the groups are known */
    GroupClaims(TokenService tokens, GroupRepository groups, TokenTriggers triggers) {
        this.tokens = Objects.requireNonNull(tokens, "tokens cannot be null");
        this.groups = Objects.requireNonNull(groups, "groups cannot be null");
        this.triggers = Objects.requireNonNull(triggers, "triggers cannot be null");
    }

    @Override
    public IssuedTokens issue(TokenSubject subject, TokenClient client, Instant authTime) {
        return tokens.issue(triggers.signedIn(withGroups(subject), client), client, authTime);
    }

    @Override
    public IssuedTokens reissue(TokenSubject subject, TokenClient client, RefreshGrant grant) {
        return tokens.reissue(triggers.refreshed(withGroups(subject), client), client, grant);
    }

    TokenSubject withGroups(TokenSubject subject) {
        List<Group> found = new ArrayList<>(groups.allGroupsOf(subject.userPoolId(), subject.sub()));
        if (found.isEmpty()) {
            return subject;
        }
        found.sort(Group.BY_PRECEDENCE);
        Set<String> roles = new LinkedHashSet<>();
        found.forEach(g -> g.role().ifPresent(roles::add));
        return new TokenSubject(
                subject.userPoolId(),
                subject.sub(),
                subject.username(),
                subject.attributes(),
                found.stream().map(Group::name).toList(),
                List.copyOf(roles),
                preferredRole(found).orElse(null));
    }

    /** {@code sorted} by {@link Group#BY_PRECEDENCE}. */
    static Optional<String> preferredRole(List<Group> sorted) {
        List<Group> withRole = sorted.stream().filter(g -> g.roleArn() != null).toList();
        if (withRole.isEmpty()) {
            return Optional.empty();
        }
        @Nullable Long best = withRole.get(0).precedence();
        Set<String> tied = new LinkedHashSet<>();
        withRole.stream().filter(g -> Objects.equals(g.precedence(), best)).forEach(g -> g.role()
                .ifPresent(tied::add));
        return tied.size() == 1 ? Optional.of(tied.iterator().next()) : Optional.empty();
    }

    @Override
    public RefreshGrant openRefreshToken(String refreshToken, String userPoolId, String clientId) {
        return tokens.openRefreshToken(refreshToken, userPoolId, clientId);
    }

    @Override
    public VerifiedAccessToken verifyAccessToken(String accessToken) {
        return tokens.verifyAccessToken(accessToken);
    }

    @Override
    public VerifiedAccessToken verifyAccessTokenFromMemos(String accessToken) {
        return tokens.verifyAccessTokenFromMemos(accessToken);
    }

    @Override
    public VerifiedIdToken verifyIdToken(String idToken) {
        return tokens.verifyIdToken(idToken);
    }

    @Override
    public void revoke(String refreshToken, String userPoolId, String clientId) {
        tokens.revoke(refreshToken, userPoolId, clientId);
    }

    @Override
    public void revokeAll(String userPoolId, String username) {
        tokens.revokeAll(userPoolId, username);
    }

    @Override
    public void deletePoolKeys(String userPoolId) {
        tokens.deletePoolKeys(userPoolId);
    }

    @Override
    public String jwks(String userPoolId) {
        return tokens.jwks(userPoolId);
    }

    @Override
    public Optional<String> existingJwks(String userPoolId) {
        return tokens.existingJwks(userPoolId);
    }

    @Override
    public String jwksReloaded(String userPoolId) {
        return tokens.jwksReloaded(userPoolId);
    }

    @Override
    public String openIdConfiguration(String userPoolId) {
        return tokens.openIdConfiguration(userPoolId);
    }

    @Override
    public String issuer(String userPoolId) {
        return tokens.issuer(userPoolId);
    }
}
