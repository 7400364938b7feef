package dev.gatehouse.userpool;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A user as tokens describe them.
 *
 * @param userPoolId the pool, such as {@code us-east-1_AbCdEf123}
 * @param sub the immutable user id (a UUID)
 * @param username the internal username ({@code cognito:username}; equals {@code sub} in email-as-username pools)
 * @param attributes the user's attributes that go into the id token ({@code email}, {@code email_verified}…)
 * @param groups the user's groups ({@code cognito:groups}, in both tokens), lowest precedence first; empty when none
 * @param roles the distinct role ARNs of those groups ({@code cognito:roles}, id token only)
 * @param preferredRole the role of the lowest-precedence group with one, unless groups tied on that precedence
 *     disagree ({@code cognito:preferred_role}, id token only)
 * @param overrides what a pre token generation trigger changed in the tokens
 */
public record TokenSubject(
        String userPoolId,
        String sub,
        String username,
        Map<String, String> attributes,
        List<String> groups,
        List<String> roles,
        @Nullable String preferredRole,
        TokenOverrides overrides) {

    /** A subject in no group with a role. */
    public TokenSubject(
            String userPoolId, String sub, String username, Map<String, String> attributes, List<String> groups) {
        this(userPoolId, sub, username, attributes, groups, List.of(), null);
    }

    /** A subject whose tokens no trigger changed. */
    public TokenSubject(
            String userPoolId,
            String sub,
            String username,
            Map<String, String> attributes,
            List<String> groups,
            List<String> roles,
            @Nullable String preferredRole) {
        this(userPoolId, sub, username, attributes, groups, roles, preferredRole, TokenOverrides.NONE);
    }

    public TokenSubject {
        Objects.requireNonNull(overrides, "overrides cannot be null");
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(sub, "sub cannot be null");
        Objects.requireNonNull(username, "username cannot be null");
        attributes = Map.copyOf(attributes);
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
    }
}
