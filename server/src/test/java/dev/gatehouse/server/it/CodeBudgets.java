package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Spends a user's budget of code requests and wrong guesses, as a guesser would. */
final class CodeBudgets {

    static final String LIMIT = "LimitExceededException";

    /** More rounds than any budget inside Cognito's 5..20 per hour. */
    private static final int ROUNDS = 25;

    private CodeBudgets() {}

    /**
     * Asks for a code and enters a wrong one, round after round, until refused; returns the rounds that got through. A
     * refusal must be LimitExceededException; a wrong guess CodeMismatchException or ExpiredCodeException.
     */
    static int roundsUntilLimit(Runnable ask, Runnable guess) {
        for (int round = 0; round < ROUNDS; round++) {
            try {
                ask.run();
            } catch (AwsServiceException e) {
                assertThat(e.awsErrorDetails().errorCode())
                        .as("asking in round %d", round)
                        .isEqualTo(LIMIT);
                return round;
            }
            try {
                guess.run();
            } catch (AwsServiceException e) {
                if (LIMIT.equals(e.awsErrorDetails().errorCode())) {
                    return round;
                }
                assertThat(e.awsErrorDetails().errorCode())
                        .as("guessing in round %d", round)
                        .isIn("CodeMismatchException", "ExpiredCodeException");
            }
        }
        return ROUNDS;
    }
}
