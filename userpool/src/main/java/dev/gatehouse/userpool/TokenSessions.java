package dev.gatehouse.userpool;

import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Page;
import dev.gatehouse.store.Query;
import dev.gatehouse.store.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The live sign-in sessions, one per {@code origin_jti}.
 *
 * <p>Table {@value #TABLE}: key ({@code <userPoolId>#<username>}, {@code <originJti>}), attributes {@code clientId},
 * {@code authTime} and {@code refreshExpiresAt} (epoch seconds). A pool id never contains {@code #}, so the partition
 * is unambiguous; one partition per user lets GlobalSignOut end every session with a query, never a scan. Revoking
 * deletes the item. The item expires (store TTL) one day, the longest access-token validity, after its refresh token:
 * an access token issued by a late refresh outlives the refresh token by at most that much.
 */
final class TokenSessions {

    static final String TABLE = "userpool-sessions";

    /** Cognito's longest access-token validity. */
    static final Duration LONGEST_ACCESS_VALIDITY = Duration.ofDays(1);

    private final ItemStore store;
    /** Sessions read for token checks, served for at most {@link RecentReads#DEFAULT_TTL} (docs/caches.md). */
    private final RecentReads<Key, Session> recent = new RecentReads<>();

    /** One session: who signed in with which client, when, and until when its refresh token works. */
    record Session(
            String userPoolId,
            String username,
            String originJti,
            String clientId,
            Instant authTime,
            Instant refreshExpiresAt) {
        Session {
            Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
            Objects.requireNonNull(username, "username cannot be null");
            Objects.requireNonNull(originJti, "originJti cannot be null");
            Objects.requireNonNull(clientId, "clientId cannot be null");
            Objects.requireNonNull(authTime, "authTime cannot be null");
            Objects.requireNonNull(refreshExpiresAt, "refreshExpiresAt cannot be null");
        }
    }

    TokenSessions(ItemStore store) {
        this.store = store;
    }

    void start(Session session) {
        Item item = new Item(
                key(session.userPoolId(), session.username(), session.originJti()),
                Map.of(
                        "clientId",
                        session.clientId(),
                        "authTime",
                        Long.toString(session.authTime().getEpochSecond()),
                        "refreshExpiresAt",
                        Long.toString(session.refreshExpiresAt().getEpochSecond())),
                session.refreshExpiresAt().plus(LONGEST_ACCESS_VALIDITY));
        // origin_jti is a fresh random UUID: a clash means a broken random source, so refuse rather than overwrite
        store.put(TABLE, item, Condition.notExists());
    }

    /** The session as stored now: for refreshing, which issues new tokens. */
    Optional<Session> find(String userPoolId, String username, String originJti) {
        return read(userPoolId, username, originJti);
    }

    /**
     * The session as stored at most {@link RecentReads#DEFAULT_TTL} ago, for checking a presented access or id token:
     * ending it on this node ({@link #end}, {@link #endAll}) is seen at once, on another node within that TTL.
     */
    Optional<Session> findRecent(String userPoolId, String username, String originJti) {
        return recent.get(key(userPoolId, username, originJti), () -> read(userPoolId, username, originJti));
    }

    /** As {@link #findRecent} from this node's cache only: {@link CacheMiss} when it would read the store. */
    Optional<Session> findMemoised(String userPoolId, String username, String originJti) {
        return recent.get(key(userPoolId, username, originJti), CacheMiss::miss);
    }

    private Optional<Session> read(String userPoolId, String username, String originJti) {
        return store.get(TABLE, key(userPoolId, username, originJti))
                .map(item -> new Session(
                        userPoolId,
                        username,
                        originJti,
                        item.attribute("clientId").orElse(""),
                        Instant.ofEpochSecond(
                                Long.parseLong(item.attribute("authTime").orElse("0"))),
                        Instant.ofEpochSecond(Long.parseLong(
                                item.attribute("refreshExpiresAt").orElse("0")))));
    }

    void end(String userPoolId, String username, String originJti) {
        store.delete(TABLE, key(userPoolId, username, originJti), Condition.none());
        recent.forget(key(userPoolId, username, originJti));
    }

    /** Ends every session of the user; returns how many there were. */
    int endAll(String userPoolId, String username) {
        String partition = partition(userPoolId, username);
        int ended = 0;
        @Nullable String cursor = null;
        do {
            Page page =
                    store.query(TABLE, Query.partition(partition).withLimit(100).after(cursor));
            List<Write> deletes = new ArrayList<>();
            for (Item item : page.items()) {
                deletes.add(Write.delete(TABLE, item.key(), Condition.none()));
            }
            if (!deletes.isEmpty()) {
                store.transact(deletes);
            }
            ended += deletes.size();
            cursor = page.cursor().orElse(null);
        } while (cursor != null);
        recent.forgetIf(key -> key.partition().equals(partition));
        return ended;
    }

    private static Key key(String userPoolId, String username, String originJti) {
        return Key.of(partition(userPoolId, username), originJti);
    }

    private static String partition(String userPoolId, String username) {
        return userPoolId + "#" + username;
    }
}
