package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creating and confirming users and resetting passwords with emailed codes: SignUp, ConfirmSignUp,
 * ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword, AdminCreateUser, AdminConfirmSignUp.
 */
final class Registration {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+[0-9]{4,20}");

    private final PoolContext ctx;

    Registration(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    /** SignUp: an UNCONFIRMED user, and a confirmation code when the pool auto-verifies email. */
    ObjectNode signUp(
            String clientId,
            Optional<String> secretHash,
            String username,
            String password,
            Map<String, String> attributes,
            Map<String, String> validationData,
            Map<String, String> clientMetadata) {
        ClientConfig client = ctx.directory.client(clientId);
        PoolConfig pool = ctx.directory.pool(client.userPoolId());
        PoolContext.checkSecretHash(client, secretHash, username);
        if (pool.adminCreateUserOnly()) {
            throw UserPoolErrors.notAuthorized("SignUp is not permitted for this user pool");
        }
        for (String name : attributes.keySet()) {
            // Only a code, or an administrator, verifies an email or phone number.
            if (name.endsWith("_verified")) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
        }
        Instant now = ctx.now();
        User user = newUser(pool, username, attributes, User.Status.UNCONFIRMED, now);
        pool.passwordPolicy().check(password);
        UserTriggers.SignUpAnswer answer = ctx.userTriggers.preSignUp(
                pool, "PreSignUp_SignUp", user, Optional.of(clientId), validationData, clientMetadata);
        applyPreSignUp(user, answer);
        ctx.setPassword(pool, user, password);
        Optional<OneTimeCode.Issued> code = Optional.empty();
        if (user.status == User.Status.UNCONFIRMED
                && pool.autoVerifiedAttributes().contains("email")
                && user.email().isPresent()) {
            code = Optional.of(OneTimeCode.issue(ctx.random, now, OneTimeCode.SIGN_UP_VALIDITY));
            user.confirmCode = code.get().stored();
        }
        ctx.users.create(pool, user, existsMessage(pool));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        if (code.isPresent()) {
            // The first code spends the budget too (never refused: the user was just made).
            ctx.budgets.record(pool, User.CodeKind.CONFIRM, user.username, now);
            response.set(
                    "CodeDeliveryDetails",
                    ctx.delivery.send(
                            "SIGN_UP",
                            pool,
                            user,
                            user.email().orElseThrow(),
                            pool.emailSubject(),
                            pool.emailMessage(),
                            code.get().code()));
        }
        response.put("UserConfirmed", user.status == User.Status.CONFIRMED);
        response.put("UserSub", user.sub);
        return response;
    }

    /** PreSignUp's answer: a confirmed user, a verified email or phone (which the user must have). */
    private static void applyPreSignUp(User user, UserTriggers.SignUpAnswer answer) {
        if (answer.autoVerifyEmail()) {
            if (user.email().isEmpty()) {
                throw UserPoolErrors.invalidParameter("Cannot auto verify email: the user has no email.");
            }
            user.attributes.put("email_verified", "true");
        }
        if (answer.autoVerifyPhone()) {
            if (user.attribute("phone_number").isEmpty()) {
                throw UserPoolErrors.invalidParameter("Cannot auto verify phone_number: the user has no phone_number.");
            }
            user.attributes.put("phone_number_verified", "true");
        }
        if (answer.autoConfirmUser()) {
            user.status = User.Status.CONFIRMED;
        }
    }

    /** ConfirmSignUp: the code makes the user CONFIRMED and its email verified. */
    void confirmSignUp(
            String clientId,
            Optional<String> secretHash,
            String username,
            String code,
            boolean forceAlias,
            Map<String, String> clientMetadata) {
        Target target = target(clientId, secretHash, username);
        PoolConfig pool = target.pool();
        Instant now = ctx.now();
        User user = target.charged(ctx.budgets, User.CodeKind.CONFIRM, username, now)
                .orElseThrow(UserPoolErrors::codeMismatch);
        if (user.status != User.Status.UNCONFIRMED) {
            throw UserPoolErrors.notAuthorized("User cannot be confirmed. Current status is " + user.status);
        }
        User current = ctx.useCode(pool, user, User.CodeKind.CONFIRM, code, now);
        if (current.status != User.Status.UNCONFIRMED) {
            throw UserPoolErrors.notAuthorized("User cannot be confirmed. Current status is " + current.status);
        }
        current.confirmCode = null;
        current.status = User.Status.CONFIRMED;
        if (current.email().isPresent()) {
            current.attributes.put("email_verified", "true");
        }
        ctx.users.update(pool, current, now, forceAlias);
        ctx.userTriggers.postConfirmation(
                pool, "PostConfirmation_ConfirmSignUp", current, Optional.of(clientId), clientMetadata);
    }

    /** ResendConfirmationCode: a new code replaces the old one. */
    ObjectNode resendConfirmationCode(String clientId, Optional<String> secretHash, String username) {
        Target target = target(clientId, secretHash, username);
        PoolConfig pool = target.pool();
        Instant now = ctx.now();
        Optional<User> found = target.charged(ctx.budgets, User.CodeKind.CONFIRM, username, now);
        if (found.isEmpty()) {
            return simulated(pool, User.CodeKind.CONFIRM, username, now);
        }
        User user = found.get();
        if (user.status != User.Status.UNCONFIRMED) {
            throw UserPoolErrors.invalidParameter("User is already confirmed.");
        }
        if (!pool.autoVerifiedAttributes().contains("email") || user.email().isEmpty()) {
            throw UserPoolErrors.invalidParameter("Cannot resend codes. Auto verification not turned on.");
        }
        OneTimeCode.Issued code = OneTimeCode.issue(ctx.random, now, OneTimeCode.SIGN_UP_VALIDITY);
        user.confirmCode = code.stored();
        ctx.users.update(pool, user, now, false);
        return wrap(deliver(target.client(), "RESEND_CODE", pool, user, code.code()));
    }

    /** ForgotPassword: a reset code, valid one hour, to the user's verified email. */
    ObjectNode forgotPassword(String clientId, Optional<String> secretHash, String username) {
        Target target = target(clientId, secretHash, username);
        PoolConfig pool = target.pool();
        if (pool.adminOnlyRecovery()) {
            throw UserPoolErrors.notAuthorized("Contact administrator to reset password.");
        }
        Instant now = ctx.now();
        Optional<User> found = target.charged(ctx.budgets, User.CodeKind.RESET, username, now);
        if (found.isEmpty()) {
            return simulated(pool, User.CodeKind.RESET, username, now);
        }
        User user = found.get();
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        if (user.email().isEmpty() || !user.emailVerified()) {
            throw UserPoolErrors.invalidParameter(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number");
        }
        OneTimeCode.Issued code = OneTimeCode.issue(ctx.random, now, OneTimeCode.RESET_VALIDITY);
        user.resetCode = code.stored();
        ctx.users.update(pool, user, now, false);
        return wrap(deliver(target.client(), "FORGOT_PASSWORD", pool, user, code.code()));
    }

    /** ConfirmForgotPassword: the reset code sets the new password. */
    void confirmForgotPassword(
            String clientId,
            Optional<String> secretHash,
            String username,
            String code,
            String password,
            Map<String, String> clientMetadata) {
        Target target = target(clientId, secretHash, username);
        PoolConfig pool = target.pool();
        // Checked first, so a weak password answers alike for unknown and existing users and spends nothing.
        pool.passwordPolicy().check(password);
        Instant now = ctx.now();
        User user = target.charged(ctx.budgets, User.CodeKind.RESET, username, now)
                .orElseThrow(UserPoolErrors::codeMismatch);
        User current = ctx.useCode(pool, user, User.CodeKind.RESET, code, now);
        String usedSalt = java.util.Objects.requireNonNull(current.resetCode, "a used code is stored")
                .salt();
        ctx.setPassword(pool, current, password);
        String hash = current.passwordHash;
        String verifier = current.srpVerifier;
        // The same code sent twice at once: the first to save wins, the other finds the code gone, whatever else
        // (another attempt's charge) changed the user meanwhile.
        User saved = ctx.users.modify(pool, current, now, u -> {
            OneTimeCode still = u.resetCode;
            if (still == null || !still.salt().equals(usedSalt)) {
                throw UserPoolErrors.expiredCode();
            }
            u.resetCode = null;
            u.passwordHash = hash;
            u.srpVerifier = verifier;
            u.passwordExpiresAt = null;
            if (u.status == User.Status.RESET_REQUIRED || u.status == User.Status.FORCE_CHANGE_PASSWORD) {
                u.status = User.Status.CONFIRMED;
            }
            u.failedSignIns = 0;
            u.lockedUntil = null;
        });
        ctx.userTriggers.postConfirmation(
                pool, "PostConfirmation_ConfirmForgotPassword", saved, Optional.of(clientId), clientMetadata);
    }

    /** AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password, invited by email. */
    ObjectNode adminCreateUser(
            String userPoolId,
            String username,
            Map<String, String> attributes,
            Optional<String> temporaryPassword,
            Optional<String> messageAction,
            Map<String, String> validationData,
            Map<String, String> clientMetadata) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        Instant now = ctx.now();
        String password =
                temporaryPassword.orElseGet(() -> TemporaryPasswords.generate(ctx.random, pool.passwordPolicy()));
        pool.passwordPolicy().check(password);
        Instant expires = now.plus(Duration.ofDays(pool.passwordPolicy().temporaryPasswordValidityDays()));
        User user;
        if (messageAction.filter("RESEND"::equals).isPresent()) {
            user = ctx.users.find(pool, username).orElseThrow(UserPoolErrors::userNotFound);
            if (user.status != User.Status.FORCE_CHANGE_PASSWORD) {
                throw UserPoolErrors.error(
                        "UnsupportedUserStateException",
                        "Resend not possible. " + user.username + " status is not FORCE_CHANGE_PASSWORD.");
            }
            ctx.setPassword(pool, user, password);
            user.passwordExpiresAt = expires;
            ctx.users.update(pool, user, now, false);
        } else {
            user = newUser(pool, username, attributes, User.Status.FORCE_CHANGE_PASSWORD, now);
            // Its answer is ignored for AdminCreateUser: only a refusal counts.
            ctx.userTriggers.preSignUp(
                    pool, "PreSignUp_AdminCreateUser", user, Optional.empty(), validationData, clientMetadata);
            ctx.setPassword(pool, user, password);
            user.passwordExpiresAt = expires;
            ctx.users.create(
                    pool, user, pool.signsInByAttribute() ? existsMessage(pool) : "User account already exists");
        }
        if (messageAction.filter("SUPPRESS"::equals).isEmpty() && user.email().isPresent()) {
            ctx.delivery.send(
                    "ADMIN_CREATE_USER",
                    pool,
                    user,
                    user.email().orElseThrow(),
                    pool.inviteSubject(),
                    pool.inviteMessage().replace("{username}", username),
                    password);
        }
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("User", PoolContext.userType(user, Optional.empty()));
        return response;
    }

    /** AdminConfirmSignUp: CONFIRMED without a code; nothing becomes verified. */
    void adminConfirmSignUp(String userPoolId, String username, Map<String, String> clientMetadata) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        User user = ctx.users.find(pool, username).orElseThrow(UserPoolErrors::userNotFound);
        if (user.status != User.Status.UNCONFIRMED) {
            throw UserPoolErrors.notAuthorized("User cannot be confirmed. Current status is " + user.status);
        }
        user.status = User.Status.CONFIRMED;
        user.confirmCode = null;
        ctx.users.update(pool, user, ctx.now(), false);
        ctx.userTriggers.postConfirmation(
                pool, "PostConfirmation_ConfirmSignUp", user, Optional.empty(), clientMetadata);
    }

    /** The app client, its pool and the named user (if any) of a call made by a user who is not signed in. */
    private record Target(ClientConfig client, PoolConfig pool, Optional<User> user) {
        /**
         * Spends one attempt of the user's budget for this kind of code and returns the user. An unknown user is
         * {@code UserNotFoundException}, unless the client hides existence: then the name asked for spends a budget of
         * its own, so that it meets the same limit, and the result is empty.
         */
        Optional<User> charged(CodeBudget budgets, User.CodeKind kind, String username, Instant now) {
            if (user.isEmpty() && !client.preventUserExistenceErrors()) {
                throw UserPoolErrors.userNotFound();
            }
            budgets.charge(pool, kind, user.map(u -> u.username).orElse(username), now);
            return user;
        }
    }

    /** Opens a call: the client and its pool, the secret hash checked, the user looked up. */
    private Target target(String clientId, Optional<String> secretHash, String username) {
        ClientConfig client = ctx.directory.client(clientId);
        PoolConfig pool = ctx.directory.pool(client.userPoolId());
        PoolContext.checkSecretHash(client, secretHash, username);
        return new Target(client, pool, ctx.users.find(pool, username));
    }

    private User newUser(PoolConfig pool, String username, Map<String, String> given, User.Status status, Instant now) {
        Map<String, String> attributes = new LinkedHashMap<>(given);
        PoolContext.checkAttributes(pool, attributes);
        String sub = UUID.randomUUID().toString();
        String internal = username;
        if (pool.signsInByAttribute()) {
            boolean email = pool.usernameAttributes().contains("email")
                    && EMAIL.matcher(username).matches();
            boolean phone = pool.usernameAttributes().contains("phone_number")
                    && PHONE.matcher(username).matches();
            if (!email && !phone) {
                throw UserPoolErrors.invalidParameter(
                        pool.usernameAttributes().size() > 1
                                ? "Username should be either an email or a phone number."
                                : pool.usernameAttributes().contains("email")
                                        ? "Username should be an email."
                                        : "Username should be a phone number.");
            }
            attributes.put(email ? "email" : "phone_number", username);
            internal = sub;
        } else if (pool.aliasAttributes().contains("email")
                && EMAIL.matcher(username).matches()) {
            throw UserPoolErrors.invalidParameter(
                    "Username cannot be of email format, since user pool is configured for email alias.");
        } else if (pool.aliasAttributes().contains("phone_number")
                && PHONE.matcher(username).matches()) {
            throw UserPoolErrors.invalidParameter(
                    "Username cannot be of phone number format, since user pool is configured for phone_number alias.");
        }
        for (String required : pool.requiredAttributes()) {
            if (!attributes.containsKey(required) && status == User.Status.UNCONFIRMED) {
                throw UserPoolErrors.invalidParameter("Attributes did not conform to the schema: " + required
                        + ": The attribute " + required + " is required");
            }
        }
        User user = new User(pool.id(), internal, sub, status, now);
        attributes.forEach(user.attributes::putIfAbsent);
        return user;
    }

    /**
     * Sends a code by email; without waiting for the delivery when the client hides user existence, since the answer
     * for an unknown user cannot imitate one.
     */
    private ObjectNode deliver(ClientConfig client, String purpose, PoolConfig pool, User user, String code) {
        String email = user.email().orElseThrow();
        return client.preventUserExistenceErrors()
                ? ctx.delivery.sendDetached(purpose, pool, user, email, pool.emailSubject(), pool.emailMessage(), code)
                : ctx.delivery.send(purpose, pool, user, email, pool.emailSubject(), pool.emailMessage(), code);
    }

    /**
     * A pretend delivery for an unknown user whose client hides existence, after the work a real one does in the store
     * (a code issued and saved, as a decoy that expires with it), so that neither answer nor time tells them apart.
     */
    private ObjectNode simulated(PoolConfig pool, User.CodeKind kind, String username, Instant now) {
        OneTimeCode.Issued decoy = OneTimeCode.issue(
                ctx.random,
                now,
                kind == User.CodeKind.RESET ? OneTimeCode.RESET_VALIDITY : OneTimeCode.SIGN_UP_VALIDITY);
        ctx.budgets.decoy(pool, kind, username, decoy.stored(), now);
        return wrap(CodeDelivery.details(username.contains("@") ? username : username + "@example.com"));
    }

    private static ObjectNode wrap(ObjectNode details) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set("CodeDeliveryDetails", details);
        return response;
    }

    private static String existsMessage(PoolConfig pool) {
        return pool.signsInByAttribute() ? "An account with the given email already exists." : "User already exists";
    }
}
