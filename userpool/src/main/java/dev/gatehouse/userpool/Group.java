package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A user-pool group ({@code GroupType}).
 *
 * @param precedence lower wins when a user's groups disagree on a role; null ranks after every number
 */
record Group(
        String userPoolId,
        String name,
        @Nullable String description,
        @Nullable String roleArn,
        @Nullable Long precedence,
        Instant created,
        Instant modified) {

    /** Cognito's order of a user's groups in tokens: precedence ascending, groups without one last, then by age. */
    static final Comparator<Group> BY_PRECEDENCE = Comparator.comparing(
                    (Group g) -> g.precedence() == null ? Long.MAX_VALUE : g.precedence())
            .thenComparing(Group::created)
            .thenComparing(Group::name);

    Group {
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(created, "created cannot be null");
        Objects.requireNonNull(modified, "modified cannot be null");
    }

    Optional<String> role() {
        return Optional.ofNullable(roleArn);
    }

    /** The {@code GroupType} members Cognito returns; absent ones are omitted. */
    ObjectNode toJson() {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("GroupName", name);
        node.put("UserPoolId", userPoolId);
        if (description != null) {
            node.put("Description", description);
        }
        if (roleArn != null) {
            node.put("RoleArn", roleArn);
        }
        if (precedence != null) {
            node.put("Precedence", precedence);
        }
        node.put("LastModifiedDate", PoolConfig.epoch(modified));
        node.put("CreationDate", PoolConfig.epoch(created));
        return node;
    }
}
