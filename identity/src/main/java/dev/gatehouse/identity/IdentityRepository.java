package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.SortCondition;
import dev.gatehouse.store.Write;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Identities in the store, written together in one transaction:
 * <ul>
 *   <li>{@value #IDENTITIES}: ({@code <identityId>}, {@code "identity"}) with {@code pool}, {@code logins} (JSON list
 *       of provider names), {@code created}, {@code modified} (epoch seconds): DescribeIdentity and
 *       GetCredentialsForIdentity find an identity by its id alone;</li>
 *   <li>{@value #MEMBERS}: ({@code <identityPoolId>}, {@code <identityId>}), the same attributes: ListIdentities;</li>
 *   <li>{@value #LOGINS}: ({@code <identityPoolId>}, {@code <providerName>#<sub>}) with {@code identityId}: one identity
 *       per user and pool, whoever creates it first wins (the put is conditioned on absence);</li>
 *   <li>{@value #LINKS}: ({@code <identityId>}, {@code <providerName>#<sub>}): the same links seen from the identity,
 *       for LookupDeveloperIdentity, merges, unlinking and deletion. Identities linked before this table existed have
 *       none; their login items are found by the login, and a login left pointing at a deleted identity is treated as
 *       unlinked ({@link #findLiveByLogin}).</li>
 * </ul>
 */
final class IdentityRepository {

    static final String IDENTITIES = "identity-identities";
    static final String MEMBERS = "identity-pool-members";
    static final String LOGINS = "identity-logins";
    static final String LINKS = "identity-links";

    /** One identity. */
    record Identity(String identityId, String identityPoolId, List<String> logins, Instant created, Instant modified) {
        boolean authenticated() {
            return !logins.isEmpty();
        }
    }

    private static final String IDENTITY_ID = "identityId";

    /** One login linked to an identity: the provider's name and the user's id there. */
    record Link(String providerName, String sub) {}

    private final ItemStore store;

    IdentityRepository(ItemStore store) {
        this.store = store;
    }

    Optional<Identity> find(String identityId) {
        return store.get(IDENTITIES, Key.of(identityId, "identity"))
                .map(item -> identity(identityId, item.attribute("pool").orElse(""), item));
    }

    /** The identity linked to a login, if any. */
    Optional<String> findByLogin(String identityPoolId, String providerName, String sub) {
        return store.get(LOGINS, loginKey(identityPoolId, providerName, sub)).flatMap(i -> i.attribute(IDENTITY_ID));
    }

    /**
     * The identity linked to a login if it still exists; a login item left pointing at a deleted identity (linked
     * before {@value #LINKS} existed) is removed, so the login counts as new.
     */
    Optional<String> findLiveByLogin(String identityPoolId, String providerName, String sub) {
        Optional<String> linked = findByLogin(identityPoolId, providerName, sub);
        if (linked.isEmpty() || find(linked.get()).isPresent()) {
            return linked;
        }
        try {
            store.delete(
                    LOGINS,
                    loginKey(identityPoolId, providerName, sub),
                    Condition.attributeEquals(IDENTITY_ID, linked.get()));
        } catch (ConditionFailedException e) {
            return findLiveByLogin(identityPoolId, providerName, sub);
        }
        return Optional.empty();
    }

    /** Creates an unauthenticated identity. */
    void createUnauthenticated(Identity identity) {
        store.transact(List.of(
                Write.put(IDENTITIES, identityItem(identity), Condition.notExists()),
                Write.put(MEMBERS, memberItem(identity), Condition.notExists())));
    }

    /**
     * Creates {@code identity} for the login unless the login already has one; returns the login's identity id either
     * way.
     */
    String createForLogin(Identity identity, String providerName, String sub) {
        Item login = Item.of(
                loginKey(identity.identityPoolId(), providerName, sub), Map.of(IDENTITY_ID, identity.identityId()));
        try {
            store.transact(List.of(
                    Write.put(LOGINS, login, Condition.notExists()),
                    Write.put(LINKS, linkItem(identity.identityId(), new Link(providerName, sub)), Condition.none()),
                    Write.put(IDENTITIES, identityItem(identity), Condition.notExists()),
                    Write.put(MEMBERS, memberItem(identity), Condition.notExists())));
            return identity.identityId();
        } catch (ConditionFailedException e) {
            return findByLogin(identity.identityPoolId(), providerName, sub).orElseThrow(() -> e);
        }
    }

    /**
     * Links a login to an existing identity (an authenticated identity gains a login; a guest becomes authenticated).
     * False when the login is already linked, or the identity changed meanwhile.
     */
    boolean link(Identity identity, String providerName, String sub, Instant now) {
        List<String> logins = new ArrayList<>(identity.logins());
        if (!logins.contains(providerName)) {
            logins.add(providerName);
        }
        Identity linked = new Identity(
                identity.identityId(), identity.identityPoolId(), List.copyOf(logins), identity.created(), now);
        try {
            store.transact(List.of(
                    Write.put(
                            LOGINS,
                            Item.of(
                                    loginKey(identity.identityPoolId(), providerName, sub),
                                    Map.of(IDENTITY_ID, identity.identityId())),
                            Condition.notExists()),
                    Write.put(LINKS, linkItem(identity.identityId(), new Link(providerName, sub)), Condition.none()),
                    Write.put(
                            IDENTITIES,
                            identityItem(linked),
                            Condition.attributeEquals(
                                    "modified",
                                    Long.toString(identity.modified().getEpochSecond()))),
                    Write.put(MEMBERS, memberItem(linked), Condition.exists())));
            return true;
        } catch (ConditionFailedException e) {
            return false;
        }
    }

    /** One page of a pool's identities. */
    record IdentityPage(List<Identity> identities, Optional<String> cursor) {}

    IdentityPage list(String identityPoolId, int limit, @Nullable String cursor) {
        Page page = store.query(
                MEMBERS, Query.partition(identityPoolId).withLimit(limit).after(cursor));
        List<Identity> identities = new ArrayList<>();
        page.items().forEach(item -> identities.add(identity(item.key().sort(), identityPoolId, item)));
        return new IdentityPage(identities, page.cursor());
    }

    /** Every login linked to the identity, in provider-then-sub order. */
    List<Link> links(String identityId) {
        List<Link> links = new ArrayList<>();
        @Nullable String cursor = null;
        do {
            Page page = store.query(
                    LINKS, Query.partition(identityId).withLimit(100).after(cursor));
            page.items().forEach(item -> links.add(link(item.key().sort())));
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        return links;
    }

    /** One page of the identity's users of {@code providerName}. */
    record SubPage(List<String> subs, Optional<String> cursor) {}

    SubPage subs(String identityId, String providerName, int limit, @Nullable String cursor) {
        Page page = store.query(
                LINKS,
                Query.partition(identityId)
                        .withSort(SortCondition.beginsWith(providerName + "#"))
                        .withLimit(limit)
                        .after(cursor));
        List<String> subs = new ArrayList<>();
        page.items().forEach(item -> subs.add(link(item.key().sort()).sub()));
        return new SubPage(subs, page.cursor());
    }

    /**
     * Moves {@code moved} (the source identity's links) onto {@code target} and deletes {@code source}, in one
     * transaction; false when either identity or a moved login changed meanwhile.
     */
    boolean merge(Identity source, List<Link> moved, Identity target, Instant now) {
        List<String> providers = new ArrayList<>(target.logins());
        moved.stream()
                .map(Link::providerName)
                .filter(p -> !providers.contains(p))
                .forEach(providers::add);
        Identity merged = new Identity(
                target.identityId(), target.identityPoolId(), List.copyOf(providers), target.created(), now);
        List<Write> writes = new ArrayList<>();
        for (Link link : moved) {
            writes.add(Write.put(
                    LOGINS,
                    Item.of(
                            loginKey(source.identityPoolId(), link.providerName(), link.sub()),
                            Map.of(IDENTITY_ID, target.identityId())),
                    Condition.attributeEquals(IDENTITY_ID, source.identityId())));
            writes.add(Write.put(LINKS, linkItem(target.identityId(), link), Condition.none()));
        }
        writes.addAll(replaceIdentity(target, merged));
        writes.addAll(deleteIdentity(source, moved, false));
        return transact(writes);
    }

    /**
     * Removes {@code removed} from the identity's links; an identity left without a login is deleted (Cognito: it
     * becomes inaccessible). False when the identity or a removed login changed meanwhile.
     */
    boolean unlink(Identity identity, List<Link> links, List<Link> removed, Instant now) {
        List<Link> left = links.stream().filter(l -> !removed.contains(l)).toList();
        if (left.isEmpty()) {
            return transact(deleteIdentity(identity, removed, true));
        }
        List<String> providers = identity.logins().stream()
                .filter(p -> left.stream().anyMatch(l -> l.providerName().equals(p))
                        || removed.stream().noneMatch(l -> l.providerName().equals(p)))
                .toList();
        Identity unlinked =
                new Identity(identity.identityId(), identity.identityPoolId(), providers, identity.created(), now);
        List<Write> writes = new ArrayList<>(replaceIdentity(identity, unlinked));
        for (Link link : removed) {
            writes.add(Write.delete(
                    LOGINS,
                    loginKey(identity.identityPoolId(), link.providerName(), link.sub()),
                    Condition.attributeEquals(IDENTITY_ID, identity.identityId())));
            writes.add(Write.delete(LINKS, linkKey(identity.identityId(), link), Condition.none()));
        }
        return transact(writes);
    }

    /** Deletes the identity with every login linked to it; false when it changed meanwhile. */
    boolean delete(Identity identity, List<Link> links) {
        return transact(deleteIdentity(identity, links, true));
    }

    private List<Write> replaceIdentity(Identity before, Identity after) {
        return List.of(
                Write.put(
                        IDENTITIES,
                        identityItem(after),
                        Condition.attributeEquals(
                                "modified", Long.toString(before.modified().getEpochSecond()))),
                Write.put(MEMBERS, memberItem(after), Condition.exists()));
    }

    /** The writes deleting an identity and its links; its login items too when {@code logins} (a merge moves them). */
    private List<Write> deleteIdentity(Identity identity, List<Link> links, boolean logins) {
        List<Write> writes = new ArrayList<>();
        writes.add(Write.delete(
                IDENTITIES,
                Key.of(identity.identityId(), "identity"),
                Condition.attributeEquals(
                        "modified", Long.toString(identity.modified().getEpochSecond()))));
        writes.add(Write.delete(MEMBERS, Key.of(identity.identityPoolId(), identity.identityId()), Condition.none()));
        for (Link link : links) {
            if (logins) {
                writes.add(Write.delete(
                        LOGINS,
                        loginKey(identity.identityPoolId(), link.providerName(), link.sub()),
                        Condition.none()));
            }
            writes.add(Write.delete(LINKS, linkKey(identity.identityId(), link), Condition.none()));
        }
        return writes;
    }

    private boolean transact(List<Write> writes) {
        try {
            store.transact(writes);
            return true;
        } catch (ConditionFailedException e) {
            return false;
        }
    }

    private static Item linkItem(String identityId, Link link) {
        return Item.of(linkKey(identityId, link), Map.of());
    }

    private static Key linkKey(String identityId, Link link) {
        return Key.of(identityId, link.providerName() + "#" + link.sub());
    }

    /** Provider names never contain {@code #} (the model's pattern), so the first one ends the name. */
    private static Link link(String sort) {
        int hash = sort.indexOf('#');
        return new Link(sort.substring(0, hash), sort.substring(hash + 1));
    }

    private static Key loginKey(String identityPoolId, String providerName, String sub) {
        return Key.of(identityPoolId, providerName + "#" + sub);
    }

    private static Item identityItem(Identity identity) {
        Map<String, String> attributes = new HashMap<>(attributes(identity));
        attributes.put("pool", identity.identityPoolId());
        return Item.of(Key.of(identity.identityId(), "identity"), attributes);
    }

    private static Item memberItem(Identity identity) {
        return Item.of(Key.of(identity.identityPoolId(), identity.identityId()), attributes(identity));
    }

    private static Map<String, String> attributes(Identity identity) {
        ArrayNode logins = AwsJson.mapper().createArrayNode();
        identity.logins().forEach(logins::add);
        return Map.of(
                "logins",
                logins.toString(),
                "created",
                Long.toString(identity.created().getEpochSecond()),
                "modified",
                Long.toString(identity.modified().getEpochSecond()));
    }

    private static Identity identity(String identityId, String identityPoolId, Item item) {
        List<String> logins = new ArrayList<>();
        try {
            for (JsonNode login :
                    AwsJson.mapper().readTree(item.attribute("logins").orElse("[]"))) {
                logins.add(login.asText());
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable identity " + identityId, e);
        }
        return new Identity(
                identityId,
                identityPoolId,
                List.copyOf(logins),
                Instant.ofEpochSecond(Long.parseLong(item.attribute("created").orElse("0"))),
                Instant.ofEpochSecond(Long.parseLong(item.attribute("modified").orElse("0"))));
    }
}
