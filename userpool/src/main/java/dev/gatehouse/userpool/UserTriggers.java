package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The triggers of sign-up, confirmation, sign-in and messages, each with the event its page of the Cognito developer
 * guide documents, and what the pool does with the answer:
 *
 * <ul>
 *   <li>PreSignUp ({@code PreSignUp_SignUp}, {@code PreSignUp_AdminCreateUser}): before the user is stored; a throw
 *       refuses the sign-up, {@code autoConfirmUser}/{@code autoVerifyEmail}/{@code autoVerifyPhone} are applied on
 *       SignUp and ignored on AdminCreateUser.
 *   <li>PostConfirmation ({@code PostConfirmation_ConfirmSignUp}, {@code PostConfirmation_ConfirmForgotPassword}):
 *       after the confirmation is stored; a throw fails the call, the user stays confirmed.
 *   <li>PreAuthentication ({@code PreAuthentication_Authentication}): before the password or SRP proof; a throw
 *       refuses the sign-in.
 *   <li>CustomMessage ({@code CustomMessage_*}): the emailed subject and text, with the code placeholder.
 * </ul>
 */
final class UserTriggers {

    /** The placeholder CustomMessage answers must contain where the code goes. */
    static final String CODE_PARAMETER = "{####}";
    /** The placeholder of the username, in AdminCreateUser's invitation. */
    static final String USERNAME_PARAMETER = "{username}";

    private final Triggers triggers;

    UserTriggers(Triggers triggers) {
        this.triggers = Objects.requireNonNull(triggers, "triggers cannot be null");
    }

    /** What a PreSignUp function answered; all false when the pool has none. */
    record SignUpAnswer(boolean autoConfirmUser, boolean autoVerifyEmail, boolean autoVerifyPhone) {
        static final SignUpAnswer NONE = new SignUpAnswer(false, false, false);
    }

    /**
     * PreSignUp, before the user is stored.
     *
     * @param source {@code PreSignUp_SignUp} or {@code PreSignUp_AdminCreateUser}
     * @param user the user about to be stored (its attributes are the event's {@code userAttributes})
     * @param validationData the operation's {@code ValidationData}
     */
    SignUpAnswer preSignUp(
            PoolConfig pool,
            String source,
            User user,
            Optional<String> clientId,
            Map<String, String> validationData,
            Map<String, String> clientMetadata) {
        if (!Triggers.configured(pool, Triggers.PRE_SIGN_UP)) {
            return SignUpAnswer.NONE;
        }
        ObjectNode event = Triggers.event(pool, source, user.username, clientId);
        ObjectNode request = (ObjectNode) event.get("request");
        ObjectNode attributes = request.putObject("userAttributes");
        user.attributes.forEach(attributes::put);
        if (validationData.isEmpty()) {
            request.putNull("validationData");
        } else {
            ObjectNode data = request.putObject("validationData");
            validationData.forEach(data::put);
        }
        Triggers.clientMetadata(request, clientMetadata);
        ((ObjectNode) event.get("response"))
                .put("autoConfirmUser", false)
                .put("autoVerifyEmail", false)
                .put("autoVerifyPhone", false);
        ObjectNode answer = triggers.invoke(pool, Triggers.PRE_SIGN_UP, event).orElseThrow();
        return new SignUpAnswer(
                flag(answer, "autoConfirmUser"), flag(answer, "autoVerifyEmail"), flag(answer, "autoVerifyPhone"));
    }

    /** A response flag: JSON {@code true}, or the text {@code "true"} as a Java handler's String field sends it. */
    private static boolean flag(ObjectNode response, String name) {
        JsonNode value = response.path(name);
        return value.isBoolean() ? value.booleanValue() : "true".equalsIgnoreCase(value.asText(""));
    }

    /**
     * PostConfirmation, after the confirmation was stored.
     *
     * @param source {@code PostConfirmation_ConfirmSignUp} or {@code PostConfirmation_ConfirmForgotPassword}
     */
    void postConfirmation(
            PoolConfig pool, String source, User user, Optional<String> clientId, Map<String, String> clientMetadata) {
        if (!Triggers.configured(pool, Triggers.POST_CONFIRMATION)) {
            return;
        }
        ObjectNode event = Triggers.event(pool, source, user.username, clientId);
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("userAttributes", Triggers.userAttributes(user));
        Triggers.clientMetadata(request, clientMetadata);
        triggers.invoke(pool, Triggers.POST_CONFIRMATION, event);
    }

    /**
     * PreAuthentication, before the user's password or SRP proof is checked.
     *
     * @param user the user signing in; empty for an unknown user of a client that hides user existence (the event
     *     then says {@code userNotFound}, with {@code asked} as its {@code userName})
     * @param validationData the sign-in's {@code ClientMetadata}, which Cognito hands this trigger as
     *     {@code validationData}
     */
    void preAuthentication(
            PoolConfig pool,
            ClientConfig client,
            Optional<User> user,
            String asked,
            Map<String, String> validationData) {
        // An unknown user of a client that tells so is refused before any trigger.
        if (!Triggers.configured(pool, Triggers.PRE_AUTHENTICATION)
                || (user.isEmpty() && !client.preventUserExistenceErrors())) {
            return;
        }
        ObjectNode event = Triggers.event(
                pool,
                "PreAuthentication_Authentication",
                user.map(u -> u.username).orElse(asked),
                Optional.of(client.clientId()));
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("userAttributes", user.map(Triggers::userAttributes).orElseGet(() -> request.objectNode()));
        if (!validationData.isEmpty()) {
            ObjectNode data = request.putObject("validationData");
            validationData.forEach(data::put);
        }
        if (client.preventUserExistenceErrors()) {
            request.put("userNotFound", user.isEmpty());
        }
        triggers.invoke(pool, Triggers.PRE_AUTHENTICATION, event);
    }

    /** The subject and text of a message after CustomMessage; the pool's own when it has no such trigger. */
    record Message(String subject, String template) {}

    /**
     * CustomMessage: the function may replace the emailed subject and text. The text it answers must contain
     * {@link #CODE_PARAMETER} (and, for an invitation, {@link #USERNAME_PARAMETER}), as Cognito requires.
     *
     * @param source {@code CustomMessage_SignUp}, {@code _ResendCode}, {@code _ForgotPassword},
     *     {@code _AdminCreateUser}, {@code _VerifyUserAttribute}, {@code _UpdateUserAttribute} or
     *     {@code _Authentication}
     */
    Message customMessage(PoolConfig pool, String source, User user, Message message) {
        if (!Triggers.configured(pool, Triggers.CUSTOM_MESSAGE)) {
            return message;
        }
        boolean invitation = "CustomMessage_AdminCreateUser".equals(source);
        ObjectNode event = Triggers.event(pool, source, user.username, Optional.empty());
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("userAttributes", Triggers.userAttributes(user));
        request.put("codeParameter", CODE_PARAMETER);
        request.put("linkParameter", "{##Click Here##}");
        if (invitation) {
            request.put("usernameParameter", USERNAME_PARAMETER);
        } else {
            request.putNull("usernameParameter");
        }
        ((ObjectNode) event.get("response"))
                .putNull("smsMessage")
                .putNull("emailMessage")
                .putNull("emailSubject");
        ObjectNode answer =
                triggers.invoke(pool, Triggers.CUSTOM_MESSAGE, event).orElseThrow();
        String subject = text(answer, "emailSubject").orElse(message.subject());
        Optional<String> template = text(answer, "emailMessage");
        if (template.isPresent()) {
            checkPlaceholders(template.get(), invitation);
        }
        return new Message(subject, template.orElse(message.template()));
    }

    private static void checkPlaceholders(String template, boolean invitation) {
        if (!template.contains(CODE_PARAMETER)) {
            throw Triggers.invalidResponse("Invalid lambda response: emailMessage must contain " + CODE_PARAMETER);
        }
        if (invitation && !template.contains(USERNAME_PARAMETER)) {
            throw Triggers.invalidResponse("Invalid lambda response: emailMessage must contain " + USERNAME_PARAMETER);
        }
    }

    private static Optional<String> text(ObjectNode response, String name) {
        JsonNode value = response.path(name);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}
