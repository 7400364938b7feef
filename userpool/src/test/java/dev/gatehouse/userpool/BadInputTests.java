package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.PoolFixture.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation answers bad input with a 400 and an AWS error, never an internal error. */
class BadInputTests {

    private final PoolFixture f = new PoolFixture();

    @Test
    void everyOperationWhenBadBodiesThenClientErrorNotInternal() {
        String[] ids = f.emailPool("");
        List<String> bodies = List.of(
                "{}",
                "{\"ClientId\":5}",
                "{\"UserPoolId\":[]}",
                "{\"AccessToken\":{}}",
                "{\"Username\":\"x\",\"UserPoolId\":\"us-east-1_abc\",\"ClientId\":\"abc\",\"AccessToken\":\"a.b.c\"}",
                "{\"UserPoolId\":\"" + ids[0] + "\",\"ClientId\":\"" + ids[1] + "\",\"Username\":\""
                        + "\u00e9".repeat(128)
                        + "\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"x\",\"PASSWORD\":\"y\"},"
                        + "\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Token\":\"a.b.c.d.e\",\"AccessToken\":\"a.b.c\","
                        + "\"Session\":\"" + "s".repeat(40) + "\",\"ChallengeResponses\":{\"USERNAME\":\"x\","
                        + "\"NEW_PASSWORD\":\"Passw0rd!\"},\"ConfirmationCode\":\"1\",\"Password\":\"Passw0rd!\","
                        + "\"ProposedPassword\":\"Passw0rd!\",\"PoolName\":\"p\",\"ClientName\":\"c\",\"MaxResults\":1,"
                        + "\"UserAttributes\":[{\"Name\":\"x\"}],\"AttributeName\":\"email\",\"Code\":\"1\"}",
                "[1]",
                "{\"Filter\":\"bad\",\"UserPoolId\":\"" + ids[0] + "\",\"PaginationToken\":\"%%%\"}");
        assertThat(f.service.operationNames()).hasSizeGreaterThanOrEqualTo(30);
        for (String operation : f.service.operationNames()) {
            if (operation.equals("CreateUserPool") || operation.equals("CreateUserPoolClient")) {
                continue;
            }
            for (String body : bodies) {
                Reply reply = f.call(operation, body);
                // Bodies naming the real pool are well-formed for some operations (ListUsers, DescribeUserPool…).
                assertThat(reply.status())
                        .as("%s %s -> %s", operation, body, reply.body())
                        .isIn(200, 400);
                if (!body.contains(ids[0])) {
                    assertThat(reply.status())
                            .as("%s %s -> %s", operation, body, reply.body())
                            .isEqualTo(400);
                }
                assertThat(reply.code()).as("%s %s", operation, body).isNotEqualTo("InternalErrorException");
            }
        }
    }
}
