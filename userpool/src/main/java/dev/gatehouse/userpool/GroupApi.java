package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.Page;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The group operations (CreateGroup … ListUsersInGroup), all SigV4-signed.
 * <ul>
 *   <li>Input is checked against the model first ({@link ModelInput}), then the pool, group and user exist.</li>
 *   <li>UpdateGroup keeps what it is not given; DeleteGroup removes its memberships too.</li>
 *   <li>Adding a member again, or removing a non-member, succeeds and changes nothing.</li>
 *   <li>Lists page with {@code Limit} (0 or absent: 60) and an opaque {@code NextToken}.</li>
 * </ul>
 */
final class GroupApi {

    private static final Operation.Auth SIGV4 = Operation.Auth.SIGV4;
    /** Cognito's quotas: groups per user (aws-wire.md C.6). */
    private static final int GROUPS_PER_USER = 100;

    private static final int PAGE = 60;

    private final PoolContext ctx;
    private final GroupRepository groups;

    GroupApi(PoolContext ctx, GroupRepository groups) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.groups = Objects.requireNonNull(groups, "groups cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register("CreateGroup", SIGV4, (body, c) -> createGroup(ModelInput.validate("CreateGroup", body)));
        service.register("GetGroup", SIGV4, (body, c) -> groupResponse(group(ModelInput.validate("GetGroup", body))));
        service.register("UpdateGroup", SIGV4, (body, c) -> updateGroup(ModelInput.validate("UpdateGroup", body)));
        service.register("DeleteGroup", SIGV4, (body, c) -> {
            groups.delete(group(ModelInput.validate("DeleteGroup", body)));
            return UserPoolApi.empty();
        });
        service.register("ListGroups", SIGV4, (body, c) -> listGroups(ModelInput.validate("ListGroups", body)));
        service.register(
                "AdminAddUserToGroup", SIGV4, (body, c) -> addUser(ModelInput.validate("AdminAddUserToGroup", body)));
        service.register(
                "AdminRemoveUserFromGroup",
                SIGV4,
                (body, c) -> removeUser(ModelInput.validate("AdminRemoveUserFromGroup", body)));
        service.register(
                "AdminListGroupsForUser",
                SIGV4,
                (body, c) -> groupsForUser(ModelInput.validate("AdminListGroupsForUser", body)));
        service.register(
                "ListUsersInGroup", SIGV4, (body, c) -> usersInGroup(ModelInput.validate("ListUsersInGroup", body)));
    }

    private ObjectNode createGroup(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        Instant now = ctx.now();
        Group group = new Group(
                pool.id(),
                in.string("GroupName"),
                in.optionalString("Description").orElse(null),
                in.optionalString("RoleArn").orElse(null),
                in.optionalLong("Precedence").orElse(null),
                now,
                now);
        groups.create(group);
        return groupResponse(group);
    }

    private ObjectNode updateGroup(ModelInput in) {
        Group old = group(in);
        Group updated = new Group(
                old.userPoolId(),
                old.name(),
                in.optionalString("Description").orElse(old.description()),
                in.optionalString("RoleArn").orElse(old.roleArn()),
                in.optionalLong("Precedence").orElse(old.precedence()),
                old.created(),
                ctx.now());
        groups.update(updated);
        return groupResponse(updated);
    }

    private ObjectNode listGroups(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        String scope = "groups|" + pool.id();
        Page page = PageTokens.page(scope, in.optionalString("NextToken"), c -> groups.list(pool.id(), limit(in), c));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("Groups");
        page.items().forEach(item -> list.add(groups.fromItem(pool.id(), item).toJson()));
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private ObjectNode addUser(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        User user = user(pool, in);
        Group group = groups.find(pool.id(), in.string("GroupName")).orElseThrow(UserPoolErrors::groupNotFound);
        var current = groups.allGroupsOf(pool.id(), user.sub);
        boolean member = current.stream().anyMatch(g -> g.name().equals(group.name()));
        if (!member && current.size() >= GROUPS_PER_USER) {
            throw UserPoolErrors.error(
                    UserPoolErrors.LIMIT_EXCEEDED, "A user can be a member of at most " + GROUPS_PER_USER + " groups.");
        }
        groups.addMember(group, user.sub);
        return UserPoolApi.empty();
    }

    private ObjectNode removeUser(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        User user = user(pool, in);
        Group group = groups.find(pool.id(), in.string("GroupName")).orElseThrow(UserPoolErrors::groupNotFound);
        groups.removeMember(pool.id(), group.name(), user.sub);
        return UserPoolApi.empty();
    }

    private ObjectNode groupsForUser(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        User user = user(pool, in);
        String scope = "user-groups|" + pool.id() + "|" + user.sub;
        Page page = PageTokens.page(
                scope, in.optionalString("NextToken"), c -> groups.groupsOf(pool.id(), user.sub, limit(in), c));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("Groups");
        for (Item item : page.items()) {
            groups.find(pool.id(), item.key().sort()).ifPresent(g -> list.add(g.toJson()));
        }
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private ObjectNode usersInGroup(ModelInput in) {
        Group group = group(in);
        String scope = "group-users|" + group.userPoolId() + "|" + group.name();
        Page page = PageTokens.page(
                scope,
                in.optionalString("NextToken"),
                c -> groups.members(group.userPoolId(), group.name(), limit(in), c));
        PoolConfig pool = ctx.directory.pool(group.userPoolId());
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode list = response.putArray("Users");
        for (Item item : page.items()) {
            String sub = item.key().sort();
            Optional<User> user = ctx.users.findBySub(pool, sub);
            if (user.isPresent()) {
                list.add(PoolContext.userType(user.get(), Optional.empty()));
            } else {
                groups.removeMember(pool.id(), group.name(), sub); // the user was deleted: drop what it left behind
            }
        }
        PageTokens.putNext(response, scope, page);
        return response;
    }

    private Group group(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        return groups.find(pool.id(), in.string("GroupName")).orElseThrow(UserPoolErrors::groupNotFound);
    }

    private User user(PoolConfig pool, ModelInput in) {
        return ctx.users.find(pool, in.string("Username")).orElseThrow(UserPoolErrors::userNotFound);
    }

    private static int limit(ModelInput in) {
        return in.optionalLong("Limit").filter(l -> l > 0).map(Long::intValue).orElse(PAGE);
    }

    private static ObjectNode groupResponse(Group group) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("Group", group.toJson());
        return response;
    }
}
