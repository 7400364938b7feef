package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AwsEndpointLogTargetTests {

    /** The pattern the access log used before the character loop: the oracle. */
    private static final Pattern SAFE_TARGET = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    @Test
    void safeTargetWhenOperationNameThenKept() {
        assertThat(AwsEndpoint.safeTarget("AWSCognitoIdentityProviderService.GetUser"))
                .isEqualTo("AWSCognitoIdentityProviderService.GetUser");
        assertThat(AwsEndpoint.safeTarget("DynamoDB_20120810.GetItem")).isEqualTo("DynamoDB_20120810.GetItem");
    }

    @Test
    void safeTargetWhenLineBreakEmptyOrTooLongThenReplaced() {
        assertThat(AwsEndpoint.safeTarget("a\nINFO forged")).isEqualTo("<invalid-target>");
        assertThat(AwsEndpoint.safeTarget("")).isEqualTo("<invalid-target>");
        assertThat(AwsEndpoint.safeTarget("a".repeat(129))).isEqualTo("<invalid-target>");
        assertThat(AwsEndpoint.safeTarget("a".repeat(128))).isEqualTo("a".repeat(128));
    }

    @Test
    void safeTargetWhenRandomTextThenSameAsThePattern() {
        Random random = new Random(19);
        String alphabet = "aZ09._-/ \n\t{}%é\u0000\u2028~";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(4) == 0 ? 120 + random.nextInt(20) : random.nextInt(12);
            for (int j = 0; j < length; j++) {
                text.append(random.nextInt(3) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : 'x');
            }
            String target = text.toString();
            String expected = SAFE_TARGET.matcher(target).matches() ? target : "<invalid-target>";
            assertThat(AwsEndpoint.safeTarget(target)).as(target).isEqualTo(expected);
        }
    }
}
