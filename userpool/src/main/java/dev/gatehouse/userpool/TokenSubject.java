package dev.gatehouse.userpool;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user as tokens describe them.
 *
 * @param userPoolId the pool, such as {@code us-east-1_AbCdEf123}
 * @param sub the immutable user id (a UUID)
 * @param username the internal username ({@code cognito:username}; equals {@code sub} in email-as-username pools)
 * @param attributes the user's attributes that go into the id token ({@code email}, {@code email_verified}…)
 * @param groups the user's groups ({@code cognito:groups}); empty when none
 */
public record TokenSubject(String userPoolId, String sub, String username, Map<String, String> attributes,
    List<String> groups) {

  public TokenSubject {
    Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
    Objects.requireNonNull(sub, "sub cannot be null");
    Objects.requireNonNull(username, "username cannot be null");
    attributes = Map.copyOf(attributes);
    groups = List.copyOf(groups);
  }
}
