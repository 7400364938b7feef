package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two nodes over one store, and parallel requests on one user: uniqueness and counters hold. */
class ConcurrencyTests {

    private final PoolFixture f = new PoolFixture();
    private final String[] ids = f.emailPool("");

    private List<Reply> inParallel(int count, Callable<Reply> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(call));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signUpWhenSameEmailOnTwoNodesAtOnceThenExactlyOneUser() throws Exception {
        UserPoolApi otherNode = new UserPoolApi(
                f.store,
                f.tokens,
                f.mail,
                f.clock,
                "us-east-1",
                "123456789012",
                new PasswordHasher(64, 1, new SecureRandom()),
                new SecureRandom());
        AwsJsonService second = new AwsJsonService(
                "AWSCognitoIdentityProviderService", "cognito-idp", (request, name, op) -> PoolFixture.ADMIN);
        otherNode.registerOn(second);
        int[] turn = {0};
        List<Reply> replies = inParallel(8, () -> {
            boolean first;
            synchronized (turn) {
                first = turn[0]++ % 2 == 0;
            }
            if (first) {
                return f.signUp(ids[1], "race@example.com", PoolFixture.PASSWORD);
            }
            AwsResponse response = second.dispatch(new AwsRequest(
                    "POST",
                    "/",
                    "",
                    Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.SignUp")),
                    ("{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"race@example.com\",\"Password\":\"Passw0rd!\"}")
                            .getBytes(StandardCharsets.UTF_8),
                    "127.0.0.1",
                    "r"));
            return new Reply(response.status(), AwsJson.mapper().readTree(response.body()));
        });
        assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(1);
        assertThat(replies.stream().filter(r -> r.code().equals(UserPoolErrors.USERNAME_EXISTS)))
                .hasSize(7);
        assertThat(f.userCount(ids[0])).isEqualTo(1);
    }

    @Test
    void signInWhenParallelWrongPasswordsThenEveryFailureCounts() throws Exception {
        f.signedUpAndIn(ids[1], "target@example.com");
        List<Reply> replies = inParallel(4, () -> f.signIn(ids[1], "target@example.com", "Wrong0rd!"));
        assertThat(replies).allSatisfy(r -> assertThat(r.message()).isEqualTo("Incorrect username or password."));
        // Four failures counted: the fifth locks the user out at once.
        assertThat(f.signIn(ids[1], "target@example.com", "Wrong0rd!").message())
                .isEqualTo("Incorrect username or password.");
        assertThat(f.signIn(ids[1], "target@example.com", PoolFixture.PASSWORD).message())
                .isEqualTo("Password attempts exceeded");
    }

    @Test
    void signInWhenMoreParallelWrongPasswordsThanFreeFailuresThenOnlyFiveAreChecked() throws Exception {
        AwsJsonService slow = slowNode();
        slow.dispatch(new AwsRequest(
                "POST",
                "/",
                "",
                Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.SignUp")),
                ("{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"flood@example.com\",\"Password\":\"Passw0rd!\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "r"));
        f.confirm(ids[1], "flood@example.com", f.lastCode()).ok();
        List<Reply> replies = inParallel(12, () -> {
            AwsResponse response = slow.dispatch(new AwsRequest(
                    "POST",
                    "/",
                    "",
                    Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.InitiateAuth")),
                    ("{\"ClientId\":\"" + ids[1] + "\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":"
                                    + "{\"USERNAME\":\"flood@example.com\",\"PASSWORD\":\"Wrong0rd!\"}}")
                            .getBytes(StandardCharsets.UTF_8),
                    "127.0.0.1",
                    "r"));
            return new Reply(response.status(), AwsJson.mapper().readTree(response.body()));
        });
        assertThat(replies.stream()
                        .filter(r -> r.message().equals("Incorrect username or password."))
                        .count())
                .isEqualTo(5);
        assertThat(replies.stream()
                        .filter(r -> r.message().equals("Password attempts exceeded"))
                        .count())
                .isEqualTo(7);
    }

    @Test
    void confirmForgotPasswordWhenSameCodeSentInParallelThenExactlyOneSucceeds() throws Exception {
        f.signedUpAndIn(ids[1], "reset@example.com");
        f.call("ForgotPassword", "{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"reset@example.com\"}")
                .ok();
        String code = f.lastCode();
        List<Reply> replies = inParallel(
                4,
                () -> f.call(
                        "ConfirmForgotPassword",
                        "{\"ClientId\":\"" + ids[1]
                                + "\",\"Username\":\"reset@example.com\",\"ConfirmationCode\":\"" + code
                                + "\",\"Password\":\"Newpassw0rd!\"}"));
        assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(1);
        assertThat(replies.stream().filter(r -> r.status() != 200))
                .allSatisfy(r -> assertThat(r.code()).isEqualTo(UserPoolErrors.EXPIRED_CODE));
        assertThat(f.signIn(ids[1], "reset@example.com", "Newpassw0rd!").status())
                .isEqualTo(200);
    }

    @Test
    void changePasswordWhenMoreParallelWrongPreviousPasswordsThanFreeFailuresThenOnlyFiveAreChecked() throws Exception {
        AwsJsonService slow = slowNode();
        slow.dispatch(new AwsRequest(
                "POST",
                "/",
                "",
                Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.SignUp")),
                ("{\"ClientId\":\"" + ids[1] + "\",\"Username\":\"change@example.com\",\"Password\":\"Passw0rd!\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "r"));
        f.confirm(ids[1], "change@example.com", f.lastCode()).ok();
        AwsResponse signIn = slow.dispatch(new AwsRequest(
                "POST",
                "/",
                "",
                Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.InitiateAuth")),
                ("{\"ClientId\":\"" + ids[1] + "\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":"
                                + "{\"USERNAME\":\"change@example.com\",\"PASSWORD\":\"Passw0rd!\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "r"));
        String accessToken = AwsJson.mapper()
                .readTree(signIn.body())
                .path("AuthenticationResult")
                .path("AccessToken")
                .asText();
        List<Reply> replies = inParallel(12, () -> {
            AwsResponse response = slow.dispatch(new AwsRequest(
                    "POST",
                    "/",
                    "",
                    Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService.ChangePassword")),
                    ("{\"AccessToken\":\"" + accessToken + "\",\"PreviousPassword\":\"Wrong0rd!\","
                                    + "\"ProposedPassword\":\"N3w-Passw0rd!\"}")
                            .getBytes(StandardCharsets.UTF_8),
                    "127.0.0.1",
                    "r"));
            return new Reply(response.status(), AwsJson.mapper().readTree(response.body()));
        });
        assertThat(replies.stream()
                        .filter(r -> r.message().equals("Incorrect username or password."))
                        .count())
                .isEqualTo(5);
        assertThat(replies.stream()
                        .filter(r -> r.message().startsWith("Attempt limit exceeded"))
                        .count())
                .isEqualTo(7);
    }

    /** A node hashing as the server does, so parallel attempts overlap while the password is checked. */
    private AwsJsonService slowNode() {
        UserPoolApi node = new UserPoolApi(
                f.store,
                f.tokens,
                f.mail,
                f.clock,
                "us-east-1",
                "123456789012",
                new PasswordHasher(19 * 1024, 2, new SecureRandom()),
                new SecureRandom());
        AwsJsonService service = new AwsJsonService(
                "AWSCognitoIdentityProviderService", "cognito-idp", (request, name, op) -> PoolFixture.ADMIN);
        node.registerOn(service);
        return service;
    }

    @Test
    void confirmWhenParallelWrongGuessesThenAtMostFiveAreCheckedAndTheCodeDies() throws Exception {
        f.signUp(ids[1], "guess@example.com", PoolFixture.PASSWORD).ok();
        String code = f.lastCode();
        String wrong = code.equals("000000") ? "111111" : "000000";
        List<Reply> replies = inParallel(8, () -> f.confirm(ids[1], "guess@example.com", wrong));
        assertThat(replies.stream()
                        .filter(r -> r.code().equals(UserPoolErrors.CODE_MISMATCH))
                        .count())
                .isEqualTo(5);
        assertThat(replies.stream()
                        .filter(r -> r.code().equals(UserPoolErrors.LIMIT_EXCEEDED))
                        .count())
                .isEqualTo(3);
        assertThat(f.confirm(ids[1], "guess@example.com", code).code()).isEqualTo(UserPoolErrors.LIMIT_EXCEEDED);
    }
}
