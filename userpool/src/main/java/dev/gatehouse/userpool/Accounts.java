package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed-in user's own account (GetUser, UpdateUserAttributes, ChangePassword, GlobalSignOut, DeleteUser, by access
 * token) and the administrator's view of users (AdminGetUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
 * AdminSetUserPassword, AdminUserGlobalSignOut, ListUsers).
 */
final class Accounts {

    static final String USER_ADMIN_SCOPE = "aws.cognito.signin.user.admin";

    private final PoolContext ctx;

    Accounts(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    /** How {@link #signedIn} reads the token's session and the user. */
    private enum Reads {
        /** From the store: for operations that change the user. */
        STORED,
        /** At most {@link RecentReads#DEFAULT_TTL} old (changes through this node at once): for answers only. */
        RECENT,
        /** As RECENT, from this node's memos only, without blocking; {@link CacheMiss} when the store is needed. */
        MEMOS
    }

    /** A verified access token with the user-admin scope, of a user that still exists and is enabled. */
    Signed signedIn(String accessToken) {
        return signedIn(accessToken, Reads.STORED);
    }

    private Signed signedIn(String accessToken, Reads reads) {
        VerifiedAccessToken token = reads == Reads.MEMOS
                ? ctx.tokens.verifyAccessTokenFromMemos(accessToken)
                : ctx.tokens.verifyAccessToken(accessToken);
        if (!token.scopes().contains(USER_ADMIN_SCOPE)) {
            throw UserPoolErrors.notAuthorized("Access Token does not have required scopes");
        }
        PoolConfig pool = reads == Reads.MEMOS
                ? ctx.directory.cachedPool(token.userPoolId())
                : ctx.directory
                        .findPool(token.userPoolId())
                        .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid Access Token"));
        User user = (reads == Reads.STORED
                        ? ctx.users.findByUsername(pool, token.username())
                        : ctx.users.findRecentByUsername(pool, token.username(), reads == Reads.MEMOS))
                .filter(u -> u.sub.equals(token.sub()))
                .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        return new Signed(pool, user);
    }

    record Signed(PoolConfig pool, User user) {}

    ObjectNode getUser(String accessToken) {
        return getUser(signedIn(accessToken, Reads.RECENT).user());
    }

    /**
     * GetUser answered from this node's memos (the verified token, its session, the pool and the user, each within
     * its bound), without blocking: for the event loop. Empty when any of it would need the store, a signature check
     * or an error answer: then the request takes the ordinary path, which decides it.
     */
    Optional<ObjectNode> getUserWithoutBlocking(String accessToken) {
        try {
            return Optional.of(getUser(signedIn(accessToken, Reads.MEMOS).user()));
        } catch (CacheMiss | ServiceException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode getUser(User user) {
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("Username", user.username);
        response.set("UserAttributes", PoolContext.attributeList(user.attributes));
        MfaApi.addSettings(response, user);
        return response;
    }

    /** Changing email makes it unverified and, when the pool auto-verifies email, sends a code. */
    ObjectNode updateUserAttributes(String accessToken, Map<String, String> attributes) {
        Signed signed = signedIn(accessToken);
        PoolConfig pool = signed.pool();
        User user = signed.user();
        PoolContext.checkAttributes(pool, attributes);
        for (String name : attributes.keySet()) {
            if (name.endsWith("_verified") || name.startsWith("dev:") || !pool.isMutable(name)) {
                throw UserPoolErrors.notAuthorized("A client attempted to write unauthorized attribute");
            }
        }
        Instant now = ctx.now();
        Optional<String> oldEmail = user.email();
        boolean emailChanged =
                attributes.containsKey("email") && !attributes.get("email").equals(oldEmail.orElse(""));
        if (emailChanged && pool.autoVerifiedAttributes().contains("email")) {
            // A new address asks for a verification code: it spends the budget (else a new address refills it).
            ctx.budgets.charge(pool, User.CodeKind.VERIFY, user.username, now);
        }
        String oldPhone = user.phoneNumber().orElse("");
        user.attributes.putAll(attributes);
        AttributeEdits.unverifyChangedPhone(user, attributes, oldPhone);
        ArrayNode deliveries = AwsJson.mapper().createArrayNode();
        Optional<OneTimeCode.Issued> code = Optional.empty();
        if (emailChanged) {
            user.attributes.put("email_verified", "false");
            if (pool.autoVerifiedAttributes().contains("email")) {
                code = Optional.of(OneTimeCode.issue(ctx.random, now, OneTimeCode.SIGN_UP_VALIDITY));
                user.verifyCode = code.get().stored();
            }
        }
        ctx.users.update(pool, user, now, false);
        if (code.isPresent()) {
            deliveries.add(ctx.delivery.send(
                    "UPDATE_ATTRIBUTE",
                    pool,
                    user,
                    user.email().orElseThrow(),
                    pool.emailSubject(),
                    pool.emailMessage(),
                    code.get().code()));
        }
        ObjectNode response = AwsJson.mapper().createObjectNode();
        if (!deliveries.isEmpty()) {
            response.set("CodeDeliveryDetailsList", deliveries);
        }
        return response;
    }

    /** DeleteUserAttributes: removes mutable, non-required attributes of the signed-in user. */
    void deleteUserAttributes(String accessToken, java.util.List<String> names) {
        Signed signed = signedIn(accessToken);
        AttributeEdits.delete(signed.pool(), signed.user(), names, false);
        ctx.users.update(signed.pool(), signed.user(), ctx.now(), false);
    }

    /** GetUserAttributeVerificationCode: a new code for the user's email. */
    ObjectNode getUserAttributeVerificationCode(String accessToken, String attributeName) {
        Signed signed = signedIn(accessToken);
        User user = signed.user();
        if (!"email".equals(attributeName) || user.email().isEmpty()) {
            throw UserPoolErrors.invalidParameter("Invalid attribute name or no value to verify: " + attributeName);
        }
        Instant now = ctx.now();
        ctx.budgets.charge(signed.pool(), User.CodeKind.VERIFY, user.username, now);
        OneTimeCode.Issued code = OneTimeCode.issue(ctx.random, now, OneTimeCode.SIGN_UP_VALIDITY);
        user.verifyCode = code.stored();
        ctx.users.update(signed.pool(), user, now, false);
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.set(
                "CodeDeliveryDetails",
                ctx.delivery.send(
                        "VERIFY_ATTRIBUTE",
                        signed.pool(),
                        user,
                        user.email().orElseThrow(),
                        signed.pool().emailSubject(),
                        signed.pool().emailMessage(),
                        code.code()));
        return response;
    }

    /** VerifyUserAttribute: the code marks the email verified (and, in alias pools, makes it a sign-in alias). */
    void verifyUserAttribute(String accessToken, String attributeName, String code) {
        Signed signed = signedIn(accessToken);
        User user = signed.user();
        if (!"email".equals(attributeName)) {
            throw UserPoolErrors.invalidParameter("Invalid attribute name: " + attributeName);
        }
        Instant now = ctx.now();
        ctx.budgets.charge(signed.pool(), User.CodeKind.VERIFY, user.username, now);
        User current = ctx.useCode(signed.pool(), user, User.CodeKind.VERIFY, code, now);
        current.verifyCode = null;
        current.attributes.put("email_verified", "true");
        ctx.users.update(signed.pool(), current, now, false);
    }

    /** Wrong previous passwords count toward the sign-in lockout; one user's checks run one at a time (as sign-ins). */
    void changePassword(String accessToken, Optional<String> previous, String proposed) {
        Signed signed = signedIn(accessToken);
        User current = ctx.proofs.oneAtATime(
                signed.pool().id(), signed.user().username, () -> checkPreviousPassword(signed, previous));
        signed.pool().passwordPolicy().check(proposed);
        ctx.setPassword(signed.pool(), current, proposed);
        ctx.users.update(signed.pool(), current, ctx.now(), false);
        ctx.events.passed(signed.pool(), current, "PasswordChange", ctx.now());
    }

    /** As in sign-in: the attempt is saved as a failure before the previous password is checked; a match clears it. */
    private User checkPreviousPassword(Signed signed, Optional<String> previous) {
        Instant now = ctx.now();
        User user = ctx.users
                .findByUsername(signed.pool(), signed.user().username)
                .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
        boolean[] locked = {false};
        User current = ctx.users.modify(signed.pool(), user, now, u -> {
            locked[0] = SignInThrottle.lockedOut(u, now);
            if (!locked[0]) {
                SignInThrottle.recordFailure(u, now);
            }
        });
        if (locked[0]) {
            throw UserPoolErrors.limitExceeded();
        }
        String hash = current.passwordHash;
        if (previous.isEmpty() || hash == null || !ctx.hasher.verify(previous.get(), hash)) {
            throw UserPoolErrors.incorrectCredentials();
        }
        return ctx.users.modify(signed.pool(), current, now, u -> SignInThrottle.recordSuccess(u, now));
    }

    void globalSignOut(String accessToken) {
        Signed signed = signedIn(accessToken);
        ctx.tokens.revokeAll(signed.pool().id(), signed.user().username);
    }

    void deleteUser(String accessToken) {
        Signed signed = signedIn(accessToken);
        ctx.users.delete(signed.pool(), signed.user());
        ctx.tokens.revokeAll(signed.pool().id(), signed.user().username);
        ctx.events.forget(signed.pool(), signed.user());
    }

    ObjectNode adminGetUser(String userPoolId, String username) {
        User user = adminFind(userPoolId, username).user();
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("Username", user.username);
        response.set("UserAttributes", PoolContext.attributeList(user.attributes));
        response.put("UserCreateDate", PoolConfig.epoch(user.created));
        response.put("UserLastModifiedDate", PoolConfig.epoch(user.modified));
        response.put("Enabled", user.enabled);
        response.put("UserStatus", user.status.name());
        MfaApi.addSettings(response, user);
        return response;
    }

    void adminDeleteUser(String userPoolId, String username) {
        Signed found = adminFind(userPoolId, username);
        ctx.users.delete(found.pool(), found.user());
        ctx.tokens.revokeAll(found.pool().id(), found.user().username);
        ctx.events.forget(found.pool(), found.user());
    }

    void adminSetEnabled(String userPoolId, String username, boolean enabled) {
        Signed found = adminFind(userPoolId, username);
        found.user().enabled = enabled;
        ctx.users.update(found.pool(), found.user(), ctx.now(), false);
        if (!enabled) {
            ctx.tokens.revokeAll(found.pool().id(), found.user().username);
        }
    }

    void adminSetUserPassword(String userPoolId, String username, String password, boolean permanent) {
        Signed found = adminFind(userPoolId, username);
        PoolConfig pool = found.pool();
        User user = found.user();
        pool.passwordPolicy().check(password);
        Instant now = ctx.now();
        ctx.setPassword(pool, user, password);
        user.failedSignIns = 0;
        user.lockedUntil = null;
        if (permanent) {
            user.status = User.Status.CONFIRMED;
            user.passwordExpiresAt = null;
        } else {
            user.status = User.Status.FORCE_CHANGE_PASSWORD;
            user.passwordExpiresAt =
                    now.plus(Duration.ofDays(pool.passwordPolicy().temporaryPasswordValidityDays()));
        }
        ctx.users.update(pool, user, now, false);
    }

    void adminUserGlobalSignOut(String userPoolId, String username) {
        Signed found = adminFind(userPoolId, username);
        ctx.tokens.revokeAll(found.pool().id(), found.user().username);
    }

    /** ListUsers through the filter index; the pagination token wraps the store's cursor. */
    ObjectNode listUsers(
            String userPoolId,
            String filter,
            int limit,
            Optional<String> paginationToken,
            Optional<List<String>> attributesToGet) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        Optional<UserFilter> parsed = UserFilter.parse(filter);
        String scope = userPoolId + "|" + filter + "|";
        Optional<String> cursor = paginationToken.map(token -> {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw UserPoolErrors.invalidParameter("Invalid pagination token.");
            }
            if (!decoded.startsWith(scope)) {
                throw UserPoolErrors.invalidParameter("Invalid pagination token.");
            }
            return decoded.substring(scope.length());
        });
        UserRepository.ListPage page = ctx.users.list(pool, parsed, limit == 0 ? 60 : limit, cursor);
        ObjectNode response = AwsJson.mapper().createObjectNode();
        ArrayNode users = response.putArray("Users");
        page.users().forEach(u -> users.add(PoolContext.userType(u, attributesToGet)));
        page.cursor()
                .ifPresent(next -> response.put(
                        "PaginationToken",
                        Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString((scope + next).getBytes(StandardCharsets.UTF_8))));
        return response;
    }

    Signed adminFind(String userPoolId, String username) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        User user = ctx.users.find(pool, username).orElseThrow(UserPoolErrors::userNotFound);
        return new Signed(pool, user);
    }
}
