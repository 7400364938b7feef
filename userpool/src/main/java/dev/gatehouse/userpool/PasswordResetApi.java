package dev.gatehouse.userpool;

import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import java.time.Instant;
import java.util.Objects;

/**
 * AdminResetUserPassword: the user's password stops working (sign-in answers {@code PasswordResetRequiredException})
 * and a reset code goes to the user's verified email, to be used with ConfirmForgotPassword, as Cognito documents.
 */
final class PasswordResetApi {

    private final PoolContext ctx;

    PasswordResetApi(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register("AdminResetUserPassword", Operation.Auth.SIGV4, (body, c) -> {
            ModelInput in = ModelInput.validate("AdminResetUserPassword", body);
            reset(in.string("UserPoolId"), in.string("Username"));
            return UserPoolApi.empty();
        });
    }

    private void reset(String userPoolId, String username) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        User user = ctx.users.find(pool, username).orElseThrow(UserPoolErrors::userNotFound);
        if (user.email().isEmpty() || !user.emailVerified()) {
            throw UserPoolErrors.invalidParameter(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number");
        }
        Instant now = ctx.now();
        OneTimeCode.Issued code = OneTimeCode.issue(ctx.random, now, OneTimeCode.RESET_VALIDITY);
        user.resetCode = code.stored();
        user.status = User.Status.RESET_REQUIRED;
        ctx.users.update(pool, user, now, false);
        ctx.delivery.send(
                "FORGOT_PASSWORD",
                pool,
                user,
                user.email().orElseThrow(),
                pool.emailSubject(),
                pool.emailMessage(),
                code.code());
    }
}
