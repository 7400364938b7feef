package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

/** With {@code --smtp-*} flags the codes arrive by mail (an embedded GreenMail server) instead of the outbox file. */
class SmtpDeliveryIT {

    private static final String FROM = "gatehouse@example.com";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private static @Nullable GreenMail mail;
    private static @Nullable GatehouseProcess gatehouse;

    @BeforeAll
    static void startMailAndServer() {
        GreenMail started = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        started.start();
        mail = started;
        GatehouseProcess server = GatehouseProcess.create(
                "smtp",
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                Integer.toString(started.getSmtp().getPort()),
                "--smtp-tls",
                "none",
                "--smtp-from",
                FROM);
        gatehouse = server;
        server.start();
    }

    @AfterAll
    static void stopServerAndMail() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private static GatehouseProcess gatehouse() {
        assertThat(gatehouse).isNotNull();
        return gatehouse;
    }

    @Test
    void signUpWhenSmtpConfiguredThenTheCodeArrivesByMailAndConfirms() throws Exception {
        GatehouseProcess server = gatehouse();
        String email = TestUsers.email("smtp");

        new Journeys(server).signUp(email, TestUsers.PASSWORD);

        MimeMessage message = awaitMailTo(email, 1).get(0);
        assertThat(message.getFrom()[0].toString()).contains(FROM);
        String code = codeIn(message);
        server.client().confirmSignUp(r -> r.clientId(server.outputs().userPoolClientId())
                .username(email)
                .confirmationCode(code));
        assertThat(server.adminClient()
                        .adminGetUser(
                                r -> r.userPoolId(server.outputs().userPoolId()).username(email))
                        .userStatus())
                .isEqualTo(UserStatusType.CONFIRMED);
        assertThat(server.outbox().count(email))
                .as("nothing for this user in the outbox file")
                .isZero();
    }

    @Test
    void forgotPasswordWhenSmtpConfiguredThenTheResetCodeArrivesByMail() throws Exception {
        GatehouseProcess server = gatehouse();
        String email = TestUsers.email("smtp-reset");
        new Journeys(server).signUp(email, TestUsers.PASSWORD);
        String signUpCode = codeIn(awaitMailTo(email, 1).get(0));
        server.client().confirmSignUp(r -> r.clientId(server.outputs().userPoolClientId())
                .username(email)
                .confirmationCode(signUpCode));

        server.client().forgotPassword(r -> r.clientId(server.outputs().userPoolClientId())
                .username(email));

        String resetCode = codeIn(awaitMailTo(email, 2).get(1));
        server.client().confirmForgotPassword(r -> r.clientId(server.outputs().userPoolClientId())
                .username(email)
                .confirmationCode(resetCode)
                .password(TestUsers.OTHER_PASSWORD));
        assertThat(new Journeys(server).signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotBlank();
    }

    /** Waits (bounded) until {@code count} messages to {@code address} have arrived; returns them in arrival order. */
    private static List<MimeMessage> awaitMailTo(String address, int count) throws Exception {
        GreenMail server = mail;
        assertThat(server).isNotNull();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            List<MimeMessage> messages = Arrays.stream(server.getReceivedMessages())
                    .filter(m -> isTo(m, address))
                    .toList();
            if (messages.size() >= count) {
                return messages;
            }
            assertThat(System.nanoTime())
                    .as("mail number %d to %s", count, address)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static boolean isTo(MimeMessage message, String address) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> a.toString().equalsIgnoreCase(address));
        } catch (Exception e) {
            return false;
        }
    }

    private static String codeIn(MimeMessage message) {
        Matcher m = CODE.matcher(GreenMailUtil.getBody(message));
        assertThat(m.find()).as("a six-digit code in the mail body").isTrue();
        return m.group(1);
    }
}
