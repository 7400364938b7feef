package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Operation;
import java.util.Objects;

/**
 * AdminListUserAuthEvents and AdminUpdateAuthEventFeedback over {@link AuthEvents}: both need threat protection
 * (AUDIT or ENFORCED), else {@code UserPoolAddOnNotEnabledException}. UpdateAuthEventFeedback is not served: its
 * FeedbackToken comes from the risk notification emails, which Gatehouse never sends.
 */
final class AuthEventsApi {

    private static final int DEFAULT_PAGE = 60;

    private final PoolContext ctx;
    private final AuthEvents events;

    AuthEventsApi(PoolContext ctx, AuthEvents events) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.events = Objects.requireNonNull(events, "events cannot be null");
    }

    void registerOn(AwsJsonService service) {
        service.register(
                "AdminListUserAuthEvents",
                Operation.Auth.SIGV4,
                (body, c) -> list(ModelInput.validate("AdminListUserAuthEvents", body)));
        service.register("AdminUpdateAuthEventFeedback", Operation.Auth.SIGV4, (body, c) -> {
            feedback(ModelInput.validate("AdminUpdateAuthEventFeedback", body));
            return UserPoolApi.empty();
        });
    }

    private ObjectNode list(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        AuthEvents.requireActive(pool);
        User user = user(pool, in);
        int limit = in.optionalLong("MaxResults")
                .filter(l -> l > 0)
                .map(Long::intValue)
                .orElse(DEFAULT_PAGE);
        return events.list(pool, user, limit, in.optionalString("NextToken"));
    }

    private void feedback(ModelInput in) {
        PoolConfig pool = ctx.directory.pool(in.string("UserPoolId"));
        AuthEvents.requireActive(pool);
        User user = user(pool, in);
        if (!events.feedback(pool, user, in.string("EventId"), in.string("FeedbackValue"), "Admin", ctx.now())) {
            throw UserPoolErrors.error(UserPoolErrors.RESOURCE_NOT_FOUND, "Event not found.");
        }
    }

    private User user(PoolConfig pool, ModelInput in) {
        return ctx.users.find(pool, in.string("Username")).orElseThrow(UserPoolErrors::userNotFound);
    }
}
