package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListUsersTests {

    private final PoolFixture f = new PoolFixture();
    private final String poolId = f.createPool("{\"PoolName\":\"list\"}");

    private void user(String username, String email, String givenName) {
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + username + "\","
                                + "\"MessageAction\":\"SUPPRESS\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\""
                                + email + "\"},"
                                + "{\"Name\":\"given_name\",\"Value\":\"" + givenName + "\"}]}")
                .ok();
    }

    private List<String> usernames(String filter) {
        Reply reply = f.call(
                        "ListUsers",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Filter\":\"" + filter.replace("\"", "\\\"") + "\"}")
                .ok();
        List<String> names = new ArrayList<>();
        reply.get("Users").forEach(u -> names.add(u.path("Username").asText()));
        return names;
    }

    @Test
    void listUsersWhenFiltersThenExactAndPrefixMatchesByIndex() {
        user("ann", "ann@example.com", "Ann");
        user("anna", "anna@example.org", "Anna");
        user("bob", "bob@example.com", "Bob");
        assertThat(usernames("")).containsExactly("ann", "anna", "bob");
        assertThat(usernames("email = \"ann@example.com\"")).containsExactly("ann");
        assertThat(usernames("email ^= \"ann\"")).containsExactlyInAnyOrder("ann", "anna");
        assertThat(usernames("given_name = \"BOB\"")).containsExactly("bob");
        assertThat(usernames("username ^= \"an\"")).containsExactly("ann", "anna");
        assertThat(usernames("username = \"an\"")).isEmpty();
        assertThat(usernames("cognito:user_status = \"FORCE_CHANGE_PASSWORD\"")).hasSize(3);
        f.call("AdminDisableUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"bob\"}")
                .ok();
        assertThat(usernames("status = \"Disabled\"")).containsExactly("bob");
        assertThat(usernames("status = \"Enabled\"")).containsExactly("ann", "anna");
        f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"anna\"}")
                .ok();
        assertThat(usernames("email ^= \"ann\"")).containsExactly("ann");
    }

    @Test
    void listUsersWhenSubFilterThenThatUser() {
        user("cal", "cal@example.com", "Cal");
        String sub = f.call("AdminGetUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"cal\"}")
                .ok()
                .get("UserAttributes")
                .get(0)
                .path("Value")
                .asText();
        assertThat(usernames("sub = \"" + sub + "\"")).containsExactly("cal");
    }

    @Test
    void listUsersWhenLimitThenPagesWithTokenAndAttributesToGet() {
        for (int i = 0; i < 5; i++) {
            user("u" + i, "u" + i + "@example.com", "U");
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String body = "{\"UserPoolId\":\"" + poolId + "\",\"Limit\":2,\"AttributesToGet\":[\"email\"]"
                    + (token == null ? "" : ",\"PaginationToken\":\"" + token + "\"") + "}";
            Reply reply = f.call("ListUsers", body).ok();
            for (JsonNode u : reply.get("Users")) {
                seen.add(u.path("Username").asText());
                assertThat(u.path("Attributes")).hasSize(1);
                assertThat(u.path("Attributes").get(0).path("Name").asText()).isEqualTo("email");
                assertThat(u.path("UserStatus").asText()).isEqualTo("FORCE_CHANGE_PASSWORD");
            }
            token = reply.get("PaginationToken").isMissingNode()
                    ? null
                    : reply.get("PaginationToken").asText();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactly("u0", "u1", "u2", "u3", "u4");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void listUsersWhenBadFilterLimitOrTokenThenInvalidParameter() {
        assertThat(f.call("ListUsers", "{\"UserPoolId\":\"" + poolId + "\",\"Filter\":\"email == x\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call("ListUsers", "{\"UserPoolId\":\"" + poolId + "\",\"Filter\":\"custom:x = \\\"1\\\"\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call("ListUsers", "{\"UserPoolId\":\"" + poolId + "\",\"Limit\":61}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call("ListUsers", "{\"UserPoolId\":\"" + poolId + "\",\"PaginationToken\":\"bm90LWEtdG9rZW4\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call("ListUsers", "{\"UserPoolId\":\"" + poolId + "\",\"Limit\":\"2\"}")
                        .code())
                .isEqualTo("SerializationException");
    }

    @Test
    void userFilterWhenEscapedQuoteThenValueUnescaped() {
        UserFilter filter = UserFilter.parse("family_name ^= \"O\\\"Brien\"").orElseThrow();
        assertThat(filter.attribute()).isEqualTo("family_name");
        assertThat(filter.value()).isEqualTo("O\"Brien");
        assertThat(filter.prefix()).isTrue();
        assertThat(UserFilter.parse("  ")).isEmpty();
    }
}
