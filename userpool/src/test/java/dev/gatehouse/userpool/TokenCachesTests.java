package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GetUser's caches (verified tokens, sessions, the user read) against every change that must reach them: on the node
 * that made the change at once, on another node over the same store within one second (docs/caches.md).
 */
class TokenCachesTests {

    private static final long ONE_SECOND_NANOS = 1_000_000_000L;

    private final PoolFixture a = new PoolFixture();
    /** A second node: own API, token service and caches, same store. */
    private final PoolFixture b = new PoolFixture(a);

    private String poolId = "";
    private String clientId = "";

    @BeforeEach
    void setUp() {
        String[] pool = a.emailPool("");
        poolId = pool[0];
        clientId = pool[1];
    }

    @Test
    void getUserWhenGlobalSignOutOnThisNodeThenRefusedAtOnce() {
        String access = signedInAndRead("g1@example.com", a);
        a.call("GlobalSignOut", token(access)).ok();
        assertThat(getUser(a, access).message()).isEqualTo("Access Token has been revoked");
    }

    @Test
    void getUserWhenGlobalSignOutOnOtherNodeThenRefusedWithinOneSecond() {
        String access = signedInAndRead("g2@example.com", b);
        a.call("GlobalSignOut", token(access)).ok();
        assertRefusedWithinOneSecond(b, access, "Access Token has been revoked");
    }

    @Test
    void getUserWhenAdminUserGlobalSignOutThenRefusedHereAtOnceAndThereWithinOneSecond() {
        String access = signedInAndRead("g3@example.com", a);
        getUser(b, access).ok();
        a.call("AdminUserGlobalSignOut", user("g3@example.com")).ok();
        assertThat(getUser(a, access).message()).isEqualTo("Access Token has been revoked");
        assertRefusedWithinOneSecond(b, access, "Access Token has been revoked");
    }

    @Test
    void getUserWhenRefreshTokenRevokedThenRefusedHereAtOnceAndThereWithinOneSecond() {
        a.signedUpAndIn(clientId, "r1@example.com");
        JsonNode result =
                a.signIn(clientId, "r1@example.com", PoolFixture.PASSWORD).ok().get("AuthenticationResult");
        String access = result.path("AccessToken").asText();
        getUser(a, access).ok();
        getUser(b, access).ok();
        a.call(
                        "RevokeToken",
                        "{\"Token\":\"" + result.path("RefreshToken").asText() + "\",\"ClientId\":\"" + clientId
                                + "\"}")
                .ok();
        assertThat(getUser(a, access).message()).isEqualTo("Access Token has been revoked");
        assertRefusedWithinOneSecond(b, access, "Access Token has been revoked");
    }

    @Test
    void getUserWhenUserDisabledThenRefusedHereAtOnceAndThereWithinOneSecond() {
        assertRefusedHereAndThereAfter("d1@example.com", "AdminDisableUser", user("d1@example.com"));
    }

    @Test
    void getUserWhenUserDeletedThenRefusedHereAtOnceAndThereWithinOneSecond() {
        assertRefusedHereAndThereAfter("x1@example.com", "AdminDeleteUser", user("x1@example.com"));
    }

    @Test
    void getUserWhenPoolDeletedThenRefusedHereAtOnceAndThereWithinOneSecond() {
        assertRefusedHereAndThereAfter("p1@example.com", "DeleteUserPool", "{\"UserPoolId\":\"" + poolId + "\"}");
    }

    /** A token read on both nodes; {@code operation} on node a; refused on a at once and on b within one second. */
    private void assertRefusedHereAndThereAfter(String username, String operation, String body) {
        String access = signedInAndRead(username, a);
        getUser(b, access).ok();
        a.call(operation, body).ok();
        assertThat(getUser(a, access).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertRefusedWithinOneSecond(b, access, null);
    }

    @Test
    void getUserWhenAttributesUpdatedWithTokenThenNewValueHereAtOnceAndThereWithinOneSecond() {
        String access = signedInAndRead("u1@example.com", a);
        getUser(b, access).ok();
        a.call(
                        "UpdateUserAttributes",
                        "{\"AccessToken\":\"" + access
                                + "\",\"UserAttributes\":[{\"Name\":\"name\",\"Value\":\"New\"}]}")
                .ok();
        assertThat(name(getUser(a, access))).isEqualTo("New");
        assertWithinOneSecond(b, access, reply -> "New".equals(name(reply)));
    }

    @Test
    void getUserWhenAttributesUpdatedByAdminThenNewValueHereAtOnce() {
        String access = signedInAndRead("u2@example.com", a);
        a.call(
                        "AdminUpdateUserAttributes",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"u2@example.com\","
                                + "\"UserAttributes\":[{\"Name\":\"name\",\"Value\":\"Admin\"}]}")
                .ok();
        assertThat(name(getUser(a, access))).isEqualTo("Admin");
    }

    @Test
    void getUserWithoutBlockingWhenTokenReadBeforeThenAnsweredFromMemosElseNot() {
        String access = a.signedUpAndIn(clientId, "m1@example.com");
        assertThat(a.withoutBlocking("GetUser", token(access))).isEmpty();
        Reply stored = a.unsigned("GetUser", token(access)).ok();
        Reply memo = a.withoutBlocking("GetUser", token(access)).orElseThrow();
        assertThat(memo.status()).isEqualTo(200);
        assertThat(memo.body()).isEqualTo(stored.body());
        assertThat(b.withoutBlocking("GetUser", token(access))).isEmpty();
        a.call("AdminDisableUser", user("m1@example.com")).ok();
        assertThat(a.withoutBlocking("GetUser", token(access))).isEmpty();
    }

    @Test
    void getUserWhenTokenAlteredAfterAHitThenRefused() {
        String access = signedInAndRead("t1@example.com", a);
        int dot = access.lastIndexOf('.');
        String tampered =
                access.substring(0, dot + 1) + (access.charAt(dot + 1) == 'A' ? 'B' : 'A') + access.substring(dot + 2);
        assertThat(getUser(a, tampered).message()).isEqualTo("Invalid Access Token");
    }

    private String signedInAndRead(String username, PoolFixture node) {
        String access = a.signedUpAndIn(clientId, username);
        getUser(node, access).ok();
        getUser(node, access).ok();
        return access;
    }

    /** As the AWS endpoint runs it: from memos on the event loop when they answer, else on a worker. */
    private static Reply getUser(PoolFixture node, String access) {
        return node.asEndpoint("GetUser", token(access));
    }

    private static String token(String access) {
        return "{\"AccessToken\":\"" + access + "\"}";
    }

    private String user(String username) {
        return "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + username + "\"}";
    }

    private static String name(Reply reply) {
        for (JsonNode attribute : reply.get("UserAttributes")) {
            if ("name".equals(attribute.path("Name").asText())) {
                return attribute.path("Value").asText();
            }
        }
        return "";
    }

    /** Refused (NotAuthorizedException, with {@code message} when given) within one second of now. */
    private static void assertRefusedWithinOneSecond(PoolFixture node, String access, @Nullable String message) {
        assertWithinOneSecond(
                node,
                access,
                reply -> UserPoolErrors.NOT_AUTHORIZED.equals(reply.code())
                        && (message == null || message.equals(reply.message())));
    }

    private static void assertWithinOneSecond(PoolFixture node, String access, Predicate<Reply> expected) {
        long start = System.nanoTime();
        Reply last = getUser(node, access);
        while (!expected.test(last) && System.nanoTime() - start < ONE_SECOND_NANOS) {
            pause();
            last = getUser(node, access);
        }
        long took = System.nanoTime() - start;
        assertThat(expected.test(last))
                .as("GetUser after %d ms: %s", took / 1_000_000, last.body())
                .isTrue();
        assertThat(took).isLessThan(ONE_SECOND_NANOS);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
