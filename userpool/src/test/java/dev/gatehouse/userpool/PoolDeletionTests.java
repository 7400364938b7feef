package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Query;
import org.junit.jupiter.api.Test;

class PoolDeletionTests {

    private final PoolFixture f = new PoolFixture();

    @Test
    void deleteUserPoolWhenUsersSignedInThenKeysAndSessionsGoneAndTokensRefused() {
        String[] ids = f.emailPool("");
        String access = f.signedUpAndIn(ids[1], "ann@example.com");
        String refresh = f.signIn(ids[1], "ann@example.com", PoolFixture.PASSWORD)
                .ok()
                .get("AuthenticationResult")
                .path("RefreshToken")
                .asText();
        assertThat(f.store.get(SigningKeyStore.TABLE, Key.of(ids[0], "keys"))).isPresent();
        String username = f.tokens.verifyAccessToken(access).username();

        f.call("DeleteUserPool", "{\"UserPoolId\":\"" + ids[0] + "\"}").ok();

        assertThat(f.store.get(SigningKeyStore.TABLE, Key.of(ids[0], "keys"))).isEmpty();
        assertThat(f.store
                        .query(TokenSessions.TABLE, Query.partition(ids[0] + "#" + username))
                        .items())
                .isEmpty();
        PoolFixture.Reply getUser = f.unsigned("GetUser", "{\"AccessToken\":\"" + access + "\"}");
        assertThat(getUser.code()).isEqualTo("NotAuthorizedException");
        assertThatThrownBy(() -> f.tokens.openRefreshToken(refresh, ids[0], ids[1]))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.error().code()).isEqualTo("NotAuthorizedException"));
    }
}
