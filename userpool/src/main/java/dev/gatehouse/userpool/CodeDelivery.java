package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a pool's templated messages and describes where they went ({@code CodeDeliveryDetails}). */
final class CodeDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CodeDelivery.class);

    /** CustomMessage's trigger source for each purpose of a message. */
    private static final Map<String, String> MESSAGE_SOURCES = Map.of(
            "SIGN_UP", "CustomMessage_SignUp",
            "RESEND_CODE", "CustomMessage_ResendCode",
            "FORGOT_PASSWORD", "CustomMessage_ForgotPassword",
            "ADMIN_CREATE_USER", "CustomMessage_AdminCreateUser",
            "VERIFY_ATTRIBUTE", "CustomMessage_VerifyUserAttribute",
            "UPDATE_ATTRIBUTE", "CustomMessage_UpdateUserAttribute");

    private final MessageSender sender;
    private final Executor detached;
    private final UserTriggers triggers;

    /**
     * @param detached runs the sends of {@link #sendDetached}: {@link #background()} in a server, the calling thread in
     *     tests that read the message right after the call
     * @param triggers the pool's CustomMessage, which may replace subject and text before the code goes in
     */
    CodeDelivery(MessageSender sender, Executor detached, UserTriggers triggers) {
        this.sender = Objects.requireNonNull(sender, "sender cannot be null");
        this.detached = Objects.requireNonNull(detached, "detached cannot be null");
        this.triggers = Objects.requireNonNull(triggers, "triggers cannot be null");
    }

    /**
     * One daemon thread with a bounded queue (a full queue sends on the caller's thread instead: slower, nothing lost).
     * Messages still queued when the process stops are not sent; the user asks for a code again.
     */
    static Executor background() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1024),
                r -> {
                    Thread thread = new Thread(r, "gatehouse-code-delivery");
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        return executor;
    }

    /** Sends {@code template} with {@code {####}} replaced by the code; {@code CodeDeliveryFailureException} on failure. */
    ObjectNode send(
            String purpose,
            PoolConfig pool,
            User user,
            String destination,
            String subject,
            String template,
            String code) {
        try {
            sender.send(message(purpose, pool, user, destination, subject, template, code));
        } catch (MessageDeliveryException e) {
            // the caller learns only CodeDeliveryFailureException; the operator needs the cause (refused, auth, TLS)
            LOG.warn("{}", e.getMessage());
            throw UserPoolErrors.error(UserPoolErrors.CODE_DELIVERY_FAILURE, "Unable to deliver the message.");
        }
        return details(destination);
    }

    /**
     * Sends without waiting for the delivery, for clients that hide user existence: their answer for an unknown user
     * cannot imitate a delivery (an SMTP round trip takes milliseconds), so the answer for a real one must not wait for
     * it, nor tell that it failed. A failure is logged (without the code).
     */
    ObjectNode sendDetached(
            String purpose,
            PoolConfig pool,
            User user,
            String destination,
            String subject,
            String template,
            String code) {
        OutgoingMessage message = message(purpose, pool, user, destination, subject, template, code);
        detached.execute(() -> {
            try {
                sender.send(message);
            } catch (MessageDeliveryException e) {
                LOG.warn("Could not deliver a {} message of pool {}: {}", purpose, pool.id(), e.getMessage());
            }
        });
        return details(destination);
    }

    /** The message, after the pool's CustomMessage trigger (on the caller's thread: its failure fails the call). */
    private OutgoingMessage message(
            String purpose,
            PoolConfig pool,
            User user,
            String destination,
            String subject,
            String template,
            String code) {
        UserTriggers.Message message = new UserTriggers.Message(subject, template);
        String source = MESSAGE_SOURCES.get(purpose);
        if (source != null) {
            message = triggers.customMessage(pool, source, user, message);
        }
        String body = message.template()
                .replace(UserTriggers.CODE_PARAMETER, code)
                .replace(UserTriggers.USERNAME_PARAMETER, user.username);
        return new OutgoingMessage(purpose, pool.id(), user.username, destination, message.subject(), body, code);
    }

    /** {@code {"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}} */
    static ObjectNode details(String email) {
        ObjectNode node = AwsJson.mapper().createObjectNode();
        node.put("Destination", mask(email));
        node.put("DeliveryMedium", "EMAIL");
        node.put("AttributeName", "email");
        return node;
    }

    /** Cognito's mask: first letter of the local part and of the domain, then three stars each. */
    static String mask(String email) {
        int at = email.indexOf('@');
        String local = at > 0 ? email.substring(0, 1) : email.isEmpty() ? "x" : email.substring(0, 1);
        String domain = at >= 0 && at + 1 < email.length() ? email.substring(at + 1, at + 2) : "e";
        return local + "***@" + domain + "***";
    }
}
