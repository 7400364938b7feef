package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The rolling per-user code budget (CodeBudget) on a moved clock, and the work a pretended send does. */
class CodeBudgetTests {

    private final PoolFixture f = new PoolFixture();
    private final String[] ids = f.emailPool("\"PreventUserExistenceErrors\":\"ENABLED\"");
    private final String clientId = ids[1];

    private Reply forgot(String username) {
        return f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + username + "\"}");
    }

    @Test
    void forgotPasswordWhenBudgetSpentThenLimitExceededUntilTheOldestAttemptIsAnHourOld() {
        f.signedUpAndIn(clientId, "roll@example.com");
        forgot("roll@example.com").ok();
        f.clock.advance(Duration.ofMinutes(30));
        for (int i = 1; i < CodeBudget.ATTEMPTS; i++) {
            forgot("roll@example.com").ok();
        }
        assertThat(forgot("roll@example.com").code()).isEqualTo(UserPoolErrors.LIMIT_EXCEEDED);

        // the first attempt leaves the window exactly one hour after it was made: one more is allowed, then none
        f.clock.advance(Duration.ofMinutes(30));
        forgot("roll@example.com").ok();
        assertThat(forgot("roll@example.com").code()).isEqualTo(UserPoolErrors.LIMIT_EXCEEDED);
        f.clock.advance(Duration.ofMinutes(30));
        forgot("roll@example.com").ok();
    }

    @Test
    void forgotPasswordWhenLimitMetThenRefusalChangesNothingStored() {
        f.signedUpAndIn(clientId, "full@example.com");
        for (int i = 0; i < CodeBudget.ATTEMPTS; i++) {
            forgot("full@example.com").ok();
        }
        int sent = f.mail.sent.size();

        assertThat(forgot("full@example.com").message())
                .isEqualTo("Attempt limit exceeded, please try after some time.");
        assertThat(f.mail.sent.size()).isEqualTo(sent);
    }

    @Test
    void forgotPasswordWhenUserUnknownAndExistenceHiddenThenTheStoreDoesTheWorkOfARealSend() {
        f.signedUpAndIn(clientId, "real@example.com");
        forgot("real@example.com").ok();
        forgot("ghost@example.com").ok();

        int readsBefore = f.counted.reads.get();
        int writesBefore = f.counted.writes.get();
        forgot("real@example.com").ok();
        int realReads = f.counted.reads.get() - readsBefore;
        int realWrites = f.counted.writes.get() - writesBefore;
        readsBefore = f.counted.reads.get();
        writesBefore = f.counted.writes.get();
        forgot("ghost@example.com").ok();
        int ghostReads = f.counted.reads.get() - readsBefore;
        int ghostWrites = f.counted.writes.get() - writesBefore;

        assertThat(ghostWrites).isEqualTo(realWrites);
        assertThat(ghostReads).isEqualTo(realReads);
    }

    @Test
    void forgotPasswordWhenMailFailsAndExistenceHiddenThenAnsweredAsForAnUnknownUser() {
        f.signedUpAndIn(clientId, "nomail@example.com");
        f.mail.failing = true;

        Reply real = forgot("nomail@example.com").ok();
        Reply ghost = forgot("nomail-ghost@example.com").ok();

        assertThat(real.get("CodeDeliveryDetails").size())
                .isEqualTo(ghost.get("CodeDeliveryDetails").size());
    }

    @Test
    void forgotPasswordWhenFortyAtOnceOnTwoNodesThenTheBudgetIsSpentExactlyOnce() throws Exception {
        f.signedUpAndIn(clientId, "nodes@example.com");
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
        String body = "{\"ClientId\":\"" + clientId + "\",\"Username\":\"nodes@example.com\"}";
        ExecutorService threads = Executors.newFixedThreadPool(40);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                boolean first = i % 2 == 0;
                answers.add(threads.submit(() -> first
                        ? forgot("nodes@example.com").code()
                        : AwsJson.mapper()
                                .readTree(second.dispatch(new AwsRequest(
                                                "POST",
                                                "/",
                                                "",
                                                Map.of(
                                                        "x-amz-target",
                                                        List.of("AWSCognitoIdentityProviderService.ForgotPassword")),
                                                body.getBytes(StandardCharsets.UTF_8),
                                                "127.0.0.1",
                                                "r"))
                                        .body())
                                .path("__type")
                                .asText()));
            }
            List<String> codes = new ArrayList<>();
            for (Future<String> answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes.stream().filter(UserPoolErrors.LIMIT_EXCEEDED::equals))
                    .hasSize(40 - CodeBudget.ATTEMPTS);
        } finally {
            threads.shutdownNow();
        }
    }
}
