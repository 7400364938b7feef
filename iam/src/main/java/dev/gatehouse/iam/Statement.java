package dev.gatehouse.iam;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One parsed statement. {@code actions} are either the Action or the NotAction entries ({@code notAction} says which),
 * likewise {@code resources}.
 */
record Statement(
        @Nullable String sid,
        boolean allow,
        List<Glob> actions,
        boolean notAction,
        List<PolicyString> resources,
        boolean notResource,
        List<Condition> conditions) {

    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    Optional<String> optionalSid() {
        return Optional.ofNullable(sid);
    }

    /** Action, Resource and every Condition match. */
    boolean applies(RequestContext context) {
        if (!actionMatches(context.action()) || !resourceMatches(context)) {
            return false;
        }
        for (Condition condition : conditions) {
            if (!condition.holds(context)) {
                return false;
            }
        }
        return true;
    }

    private boolean actionMatches(String action) {
        // Action names are case-insensitive: iam:ListAccessKeys = IAM:listaccesskeys.
        boolean listed = false;
        for (Glob glob : actions) {
            if (glob.matches(action, true)) {
                listed = true;
                break;
            }
        }
        return listed != notAction;
    }

    private boolean resourceMatches(RequestContext context) {
        boolean listed = false;
        for (PolicyString entry : resources) {
            Optional<Glob> glob = entry.resolve(context);
            if (glob.isEmpty()) {
                // A variable without a value. In Resource the entry matches nothing (IAM's rule). In NotResource IAM
                // documents
                // nothing, so Gatehouse fails closed: an Allow statement does not apply at all, and for a Deny the
                // entry
                // excludes nothing (the deny still covers the resource).
                if (notResource && allow) {
                    return false;
                }
                continue;
            }
            if (glob.get().matchesArn(context.resource())) {
                listed = true;
                break;
            }
        }
        return listed != notResource;
    }
}
