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
 *       per user and pool, whoever creates it first wins (the put is conditioned on absence).</li>
 * </ul>
 */
final class IdentityRepository {

    static final String IDENTITIES = "identity-identities";
    static final String MEMBERS = "identity-pool-members";
    static final String LOGINS = "identity-logins";

    /** One identity. */
    record Identity(String identityId, String identityPoolId, List<String> logins, Instant created, Instant modified) {
        boolean authenticated() {
            return !logins.isEmpty();
        }
    }

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
        return store.get(LOGINS, loginKey(identityPoolId, providerName, sub)).flatMap(i -> i.attribute("identityId"));
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
                loginKey(identity.identityPoolId(), providerName, sub), Map.of("identityId", identity.identityId()));
        try {
            store.transact(List.of(
                    Write.put(LOGINS, login, Condition.notExists()),
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
                                    Map.of("identityId", identity.identityId())),
                            Condition.notExists()),
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
