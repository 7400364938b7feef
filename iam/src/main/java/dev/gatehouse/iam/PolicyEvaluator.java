package dev.gatehouse.iam;

import java.util.List;
import java.util.Objects;

/**
 * Evaluates identity-based policies for one request.
 *
 * <p>Design note. IAM's single-account logic reduced to what a role's own policies decide: every statement of every
 * policy is checked; one matching Deny ends the evaluation ({@link Decision.ExplicitDeny}, which beats any Allow), else
 * a matching Allow gives {@link Decision.Allow}, else {@link Decision.ImplicitDeny}. A statement matches when its
 * Action (or NotAction), its Resource (or NotResource) and all of its Conditions match:
 * <ul>
 *   <li>Actions compare case-insensitively with {@code *}/{@code ?} wildcards ({@link Glob}).
 *   <li>Resources compare case-sensitively, part by part for the five ARN prefix parts, the resource part as one string,
 *       in which {@code *} spans {@code /} and {@code :} ({@link Glob#matchesArn}). Nothing is normalised: the caller
 *       passes the resource as the service canonicalises it (see {@link RequestContext}).
 *   <li>Policy variables are substituted per request ({@link PolicyString}); substituted text is always literal. A
 *       Resource entry whose variable has no value matches nothing.
 *   <li>Conditions follow {@link Condition}: operators AND, values OR, IAM's rules for absent keys and set operators.
 * </ul>
 * All parsing and validation happens in {@link Policy#parse}, so evaluation never throws for a loaded policy and costs
 * only string matching. Not modelled: resource-based policies, permissions boundaries, SCPs and session policies (a
 * caller with a session policy evaluates it separately and needs Allow from both).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">Policy evaluation logic</a>
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {}

    /** The decision of {@code policies} (all identity policies of the caller) for {@code context}. */
    public static Decision evaluate(List<Policy> policies, RequestContext context) {
        Objects.requireNonNull(policies, "policies cannot be null");
        Objects.requireNonNull(context, "context cannot be null");
        Decision allow = null;
        for (Policy policy : policies) {
            for (Statement statement : policy.statements()) {
                if (!statement.applies(context)) {
                    continue;
                }
                if (!statement.allow()) {
                    return new Decision.ExplicitDeny(statement.optionalSid());
                }
                if (allow == null) {
                    allow = new Decision.Allow(statement.optionalSid());
                }
            }
        }
        return allow != null ? allow : Decision.IMPLICIT_DENY;
    }
}
