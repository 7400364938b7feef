package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Groups and memberships in table {@value #TABLE}:
 * <ul>
 *   <li>({@code <pool>#group}, name): the group;</li>
 *   <li>({@code <pool>#members#<name>}, sub): a member of the group;</li>
 *   <li>({@code <pool>#memberof#<sub>}, name): a group of the user.</li>
 * </ul>
 * Memberships are keyed by the user's {@code sub}, so a user created again under a deleted user's name starts with no
 * groups; entries of deleted users or groups are skipped when read and removed when met.
 */
final class GroupRepository {

    static final String TABLE = "userpool-groups";

    private final ItemStore store;

    GroupRepository(ItemStore store) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
    }

    Optional<Group> find(String userPoolId, String name) {
        return store.get(TABLE, groupKey(userPoolId, name)).map(item -> fromItem(userPoolId, item));
    }

    /** Stores a new group; {@code GroupExistsException} when the name is taken. */
    void create(Group group) {
        try {
            store.put(TABLE, toItem(group), Condition.notExists());
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.error(UserPoolErrors.GROUP_EXISTS, "A group with the name already exists.");
        }
    }

    /** Replaces a group that still exists; {@code ResourceNotFoundException} when it was deleted meanwhile. */
    void update(Group group) {
        try {
            store.put(TABLE, toItem(group), Condition.exists());
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.groupNotFound();
        }
    }

    /** Removes the group and every membership in it. */
    void delete(Group group) {
        String members = membersPartition(group.userPoolId(), group.name());
        Optional<String> cursor = Optional.empty();
        do {
            Page page =
                    store.query(TABLE, Query.partition(members).withLimit(40).after(cursor.orElse(null)));
            List<Write> writes = new ArrayList<>();
            for (Item item : page.items()) {
                writes.add(Write.delete(TABLE, item.key(), Condition.none()));
                writes.add(Write.delete(
                        TABLE, memberOfKey(group.userPoolId(), item.key().sort(), group.name()), Condition.none()));
            }
            if (!writes.isEmpty()) {
                store.transact(writes);
            }
            cursor = page.cursor();
        } while (cursor.isPresent());
        store.delete(TABLE, groupKey(group.userPoolId(), group.name()), Condition.none());
    }

    Page list(String userPoolId, int limit, Optional<String> cursor) {
        return store.query(
                TABLE, Query.partition(userPoolId + "#group").withLimit(limit).after(cursor.orElse(null)));
    }

    Group fromItem(String userPoolId, Item item) {
        Map<String, String> a = item.attributes();
        return new Group(
                userPoolId,
                item.key().sort(),
                a.get("description"),
                a.get("roleArn"),
                Optional.ofNullable(a.get("precedence")).map(Long::valueOf).orElse(null),
                Instant.ofEpochMilli(Long.parseLong(a.getOrDefault("created", "0"))),
                Instant.ofEpochMilli(Long.parseLong(a.getOrDefault("modified", "0"))));
    }

    /** Adds the user to the group if it still exists; adding a member again changes nothing. */
    void addMember(Group group, String sub) {
        try {
            store.transact(List.of(
                    Write.put(
                            TABLE,
                            Item.of(Key.of(membersPartition(group.userPoolId(), group.name()), sub), Map.of()),
                            Condition.none()),
                    Write.put(
                            TABLE,
                            Item.of(memberOfKey(group.userPoolId(), sub, group.name()), Map.of()),
                            Condition.none()),
                    Write.check(TABLE, groupKey(group.userPoolId(), group.name()), Condition.exists())));
        } catch (ConditionFailedException e) {
            throw UserPoolErrors.groupNotFound();
        }
    }

    void removeMember(String userPoolId, String groupName, String sub) {
        store.transact(List.of(
                Write.delete(TABLE, Key.of(membersPartition(userPoolId, groupName), sub), Condition.none()),
                Write.delete(TABLE, memberOfKey(userPoolId, sub, groupName), Condition.none())));
    }

    /** One page of the subs of the group's members. */
    Page members(String userPoolId, String groupName, int limit, Optional<String> cursor) {
        return store.query(
                TABLE,
                Query.partition(membersPartition(userPoolId, groupName))
                        .withLimit(limit)
                        .after(cursor.orElse(null)));
    }

    /** One page of the names of the user's groups. */
    Page groupsOf(String userPoolId, String sub, int limit, Optional<String> cursor) {
        return store.query(
                TABLE,
                Query.partition(userPoolId + "#memberof#" + sub)
                        .withLimit(limit)
                        .after(cursor.orElse(null)));
    }

    /** Every group of the user that still exists (a user is in at most 100). */
    List<Group> allGroupsOf(String userPoolId, String sub) {
        List<Group> groups = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page page = groupsOf(userPoolId, sub, 100, cursor);
            page.items().forEach(item -> find(userPoolId, item.key().sort()).ifPresent(groups::add));
            cursor = page.cursor();
        } while (cursor.isPresent());
        return groups;
    }

    /** Removes every group item of the pool: groups and memberships, page by page. */
    void deletePool(String userPoolId) {
        Optional<String> cursor = Optional.empty();
        do {
            Page page = list(userPoolId, 50, cursor);
            for (Item item : page.items()) {
                delete(fromItem(userPoolId, item));
            }
            cursor = page.cursor();
        } while (cursor.isPresent());
    }

    private static Item toItem(Group group) {
        Map<String, String> a = new HashMap<>();
        if (group.description() != null) {
            a.put("description", group.description());
        }
        if (group.roleArn() != null) {
            a.put("roleArn", group.roleArn());
        }
        if (group.precedence() != null) {
            a.put("precedence", Long.toString(group.precedence()));
        }
        a.put("created", Long.toString(group.created().toEpochMilli()));
        a.put("modified", Long.toString(group.modified().toEpochMilli()));
        return Item.of(groupKey(group.userPoolId(), group.name()), a);
    }

    private static Key groupKey(String userPoolId, String name) {
        return Key.of(userPoolId + "#group", name);
    }

    private static String membersPartition(String userPoolId, String groupName) {
        return userPoolId + "#members#" + groupName;
    }

    private static Key memberOfKey(String userPoolId, String sub, String groupName) {
        return Key.of(userPoolId + "#memberof#" + sub, groupName);
    }
}
