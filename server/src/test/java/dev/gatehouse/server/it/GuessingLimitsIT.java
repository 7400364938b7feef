package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.UserJourneyIT.otherCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.SrpTestClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;

/**
 * What an attacker tries against codes and sign-in (issue 12): guessing codes by asking for new ones, parallel sign-ins,
 * SRP answered without {@code Session} (as pycognito does), and telling existing users from unknown ones.
 */
class GuessingLimitsIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("guessing-limits");

    private static final String INCORRECT = "Incorrect username or password.";
    private static final String LIMIT = CodeBudgets.LIMIT;

    private final Journeys journeys = new Journeys(GATEHOUSE);

    @Test
    void forgotPasswordWhenAskedAgainAfterEachWrongGuessThenLimitExceededAndNoNewCodeRefillsIt() {
        String email = TestUsers.email("reset-guess");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);

        String app = journeys.clientId();
        int rounds = CodeBudgets.roundsUntilLimit(
                () -> journeys.client().forgotPassword(r -> r.clientId(app).username(email)),
                () -> journeys.client().confirmForgotPassword(r -> r.clientId(app)
                        .username(email)
                        .confirmationCode("000000")
                        .password(TestUsers.OTHER_PASSWORD)));

        // one ask and one guess per round: 10 attempts in the hour
        assertThat(rounds).isEqualTo(5);
        assertAwsError(
                () -> journeys.client()
                        .forgotPassword(r -> r.clientId(journeys.clientId()).username(email)),
                LIMIT,
                "Attempt limit exceeded, please try after some time.");
        String latest = GATEHOUSE.outbox().latestCode(email);
        assertAwsError(
                () -> journeys.client().confirmForgotPassword(r -> r.clientId(journeys.clientId())
                        .username(email)
                        .confirmationCode(latest)
                        .password(TestUsers.OTHER_PASSWORD)),
                LIMIT);
        assertThat(journeys.signIn(email, TestUsers.PASSWORD).accessToken()).isNotBlank();
    }

    @Test
    void forgotPasswordWhenAskedTwiceAndATypoThenTheRightCodeStillWorks() {
        String email = TestUsers.email("reset-legit");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);

        journeys.client().forgotPassword(r -> r.clientId(journeys.clientId()).username(email));
        GATEHOUSE.outbox().awaitNth(email, "FORGOT_PASSWORD", 1);
        journeys.client().forgotPassword(r -> r.clientId(journeys.clientId()).username(email));
        String code = GATEHOUSE.outbox().awaitNth(email, "FORGOT_PASSWORD", 2).code();
        assertAwsError(
                () -> journeys.client().confirmForgotPassword(r -> r.clientId(journeys.clientId())
                        .username(email)
                        .confirmationCode(otherCode(code))
                        .password(TestUsers.OTHER_PASSWORD)),
                "CodeMismatchException");
        journeys.client().confirmForgotPassword(r -> r.clientId(journeys.clientId())
                .username(email)
                .confirmationCode(code)
                .password(TestUsers.OTHER_PASSWORD));

        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
    }

    @Test
    void forgotPasswordWhenUnknownUserAndExistenceHiddenThenTheSameLimitAsAKnownUser() {
        String hiding = journeys.passwordClient(PreventUserExistenceErrorTypes.ENABLED);
        String ghost = TestUsers.email("reset-ghost");

        int rounds = CodeBudgets.roundsUntilLimit(
                () -> journeys.client().forgotPassword(r -> r.clientId(hiding).username(ghost)),
                () -> journeys.client().confirmForgotPassword(r -> r.clientId(hiding)
                        .username(ghost)
                        .confirmationCode("000000")
                        .password(TestUsers.OTHER_PASSWORD)));

        assertThat(rounds).isEqualTo(5);
        assertThat(GATEHOUSE.outbox().count(ghost)).isZero();
    }

    @Test
    void confirmSignUpWhenCodeResentAfterEachWrongGuessThenLimitExceeded() {
        String email = TestUsers.email("confirm-guess");
        journeys.signUp(email, TestUsers.PASSWORD);

        String app = journeys.clientId();
        int rounds = CodeBudgets.roundsUntilLimit(
                () -> journeys.client()
                        .resendConfirmationCode(r -> r.clientId(app).username(email)),
                () -> journeys.client()
                        .confirmSignUp(r -> r.clientId(app).username(email).confirmationCode("000000")));

        // sign-up's own code spent one attempt of the ten
        assertThat(rounds).isEqualTo(4);
        String latest = GATEHOUSE.outbox().latestCode(email);
        assertAwsError(
                () -> journeys.client()
                        .confirmSignUp(r ->
                                r.clientId(journeys.clientId()).username(email).confirmationCode(latest)),
                LIMIT);
    }

    @Test
    void verifyUserAttributeWhenCodeRequestedAfterEachWrongGuessThenLimitExceeded() {
        String email = TestUsers.email("verify-guess");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        String token = journeys.signIn(email, TestUsers.PASSWORD).accessToken();

        int rounds = CodeBudgets.roundsUntilLimit(
                () -> journeys.client().getUserAttributeVerificationCode(r -> r.accessToken(token)
                        .attributeName("email")),
                () -> journeys.client()
                        .verifyUserAttribute(
                                r -> r.accessToken(token).attributeName("email").code("000000")));

        assertThat(rounds).isEqualTo(5);
    }

    @Test
    void forgotPasswordWhenLimitMetThenItHoldsAcrossARestart() {
        String email = TestUsers.email("reset-restart");
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);
        for (int i = 0; i < 10; i++) {
            journeys.client()
                    .forgotPassword(r -> r.clientId(journeys.clientId()).username(email));
        }
        assertAwsError(
                () -> journeys.client()
                        .forgotPassword(r -> r.clientId(journeys.clientId()).username(email)),
                LIMIT);

        GATEHOUSE.stop();
        GATEHOUSE.start();

        assertAwsError(
                () -> journeys.client()
                        .forgotPassword(r -> r.clientId(journeys.clientId()).username(email)),
                LIMIT);
    }

    @Test
    void initiateAuthWhenTwelveParallelSignInsWithTheRightPasswordThenAllSucceed() throws Exception {
        String email = TestUsers.email("parallel-right");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        List<Outcome> outcomes =
                inParallel(12, () -> journeys.initiatePasswordAuth(journeys.clientId(), email, TestUsers.PASSWORD));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("error").isNull());
    }

    @Test
    void initiateAuthWhenFortyParallelWrongPasswordsThenNoMoreAreCheckedThanTheLockoutAllows() throws Exception {
        String legacy = journeys.passwordClient(PreventUserExistenceErrorTypes.LEGACY);
        String email = TestUsers.email("parallel-wrong");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);

        long started = System.nanoTime();
        List<Outcome> outcomes =
                inParallel(40, () -> journeys.initiatePasswordAuth(legacy, email, TestUsers.OTHER_PASSWORD));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(outcomes)
                .allSatisfy(o -> assertThat(o.error()).as("error").isIn(INCORRECT, "Password attempts exceeded"));
        // Five failures, then locks of 1, 2, 4… s: a slow run may see a lock run out and one more failure per lock.
        int locksOver = (int) Math.floor(Math.log(seconds + 1) / Math.log(2));
        assertThat(outcomes.stream().filter(o -> INCORRECT.equals(o.error())))
                .as("checked in %.1f s", seconds)
                .hasSizeBetween(1, 5 + locksOver);
        assertAwsError(
                () -> journeys.initiatePasswordAuth(legacy, email, TestUsers.PASSWORD),
                "NotAuthorizedException",
                "Password attempts exceeded");
    }

    @Test
    void initiateAuthWhenSixWrongPasswordsAndExistenceHiddenThenEveryAnswerIsAnUnknownUsersAnswer() {
        String hiding = journeys.passwordClient(PreventUserExistenceErrorTypes.ENABLED);
        String email = TestUsers.email("hidden-lockout");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String ghost = TestUsers.email("hidden-ghost");

        for (int i = 1; i <= 7; i++) {
            AwsServiceException known = assertAwsError(
                    () -> journeys.initiatePasswordAuth(hiding, email, TestUsers.OTHER_PASSWORD),
                    "NotAuthorizedException");
            AwsServiceException unknown = assertAwsError(
                    () -> journeys.initiatePasswordAuth(hiding, ghost, TestUsers.OTHER_PASSWORD),
                    "NotAuthorizedException");
            assertThat(known.awsErrorDetails().errorMessage())
                    .as("attempt %d", i)
                    .isEqualTo(unknown.awsErrorDetails().errorMessage())
                    .isEqualTo(INCORRECT);
            assertThat(known.statusCode()).isEqualTo(unknown.statusCode());
        }
    }

    @Test
    void respondToAuthChallengeWhenPasswordVerifierWithoutSessionThenTokensAndTheAnswerIsSingleUse() {
        String email = TestUsers.email("srp-no-session");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        SrpTestClient srp = SrpTestClient.random(new SecureRandom());
        Map<String, String> answer = pycognitoAnswer(srp, journeys.clientId(), email, TestUsers.PASSWORD);

        RespondToAuthChallengeResponse tokens = respondWithoutSession(journeys.clientId(), answer);

        assertThat(tokens.authenticationResult().accessToken()).isNotBlank();
        assertAwsError(() -> respondWithoutSession(journeys.clientId(), answer), "NotAuthorizedException");
    }

    @Test
    void respondToAuthChallengeWhenWithoutSessionForAnotherClientOrUserThenNotAuthorized() {
        String email = TestUsers.email("srp-bound");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String other = journeys.passwordClient(PreventUserExistenceErrorTypes.ENABLED);
        SrpTestClient srp = SrpTestClient.random(new SecureRandom());
        Map<String, String> answer = pycognitoAnswer(srp, journeys.clientId(), email, TestUsers.PASSWORD);
        Map<String, String> otherUser = new HashMap<>(answer);
        otherUser.put("USERNAME", TestUsers.email("srp-someone-else"));

        assertAwsError(() -> respondWithoutSession(other, answer), "NotAuthorizedException");
        assertAwsError(
                () -> respondWithoutSession(journeys.clientId(), otherUser),
                "NotAuthorizedException",
                "Invalid session for the user.");
        // any answer for the right client uses the challenge up
        assertAwsError(() -> respondWithoutSession(journeys.clientId(), answer), "NotAuthorizedException");
    }

    /** What pycognito's authenticate_user sends: USER_SRP_AUTH, then the answer with no Session and empty metadata. */
    private Map<String, String> pycognitoAnswer(SrpTestClient srp, String clientId, String username, String password) {
        InitiateAuthResponse challenge = journeys.client().initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_SRP_AUTH)
                .authParameters(Map.of("USERNAME", username, "SRP_A", srp.srpA())));
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        return SrpAnswers.passwordVerifier(srp, journeys.poolId(), password, challenge.challengeParameters());
    }

    private RespondToAuthChallengeResponse respondWithoutSession(String clientId, Map<String, String> answer) {
        return journeys.client().respondToAuthChallenge(r -> r.clientId(clientId)
                .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                .challengeResponses(answer)
                .clientMetadata(Map.of()));
    }

    /** The message of a failed call, or null for a success. */
    private record Outcome(@org.jspecify.annotations.Nullable String error) {}

    /** Runs {@code call} from {@code count} threads released at once. */
    private static List<Outcome> inParallel(int count, Callable<?> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    try {
                        call.call();
                        return new Outcome(null);
                    } catch (AwsServiceException e) {
                        return new Outcome(e.awsErrorDetails().errorMessage());
                    }
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }
}
