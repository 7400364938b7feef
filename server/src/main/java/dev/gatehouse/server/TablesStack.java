package dev.gatehouse.server;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.tables.DynamoDbService;
import dev.gatehouse.tables.TablesAuthorizer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The app's tables: DynamoDB's API ({@code dynamodb} signing name) on the AWS endpoint. Requests are SigV4-verified
 * with the admin key (allowed everything) or identity-pool credentials (their role's policies are evaluated for
 * {@code dynamodb:<Operation>} on the table or index ARN). Wired in one place: {@link #service}.
 */
final class TablesStack {

    /** DynamoDB accepts signatures up to 15 minutes off. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    private static final String CORAL = "com.amazon.coral.service#";

    /** Who signed: the admin, or an identity-pool session with its role's policies. */
    private record TableCaller(String arn, @Nullable IamPrincipal principal) {}

    private TablesStack() {}

    /** The DynamoDB service over {@code store}, authorizing as described above. */
    static DynamoDbService service(
            ItemStore store,
            StackState state,
            CredentialResolver<IamPrincipal> identityCallers,
            String region,
            Clock clock) {
        SigV4Verifier<TableCaller> verifier = SigV4Verifier.builder(callers(state, identityCallers))
                .service("dynamodb")
                .region(region)
                .clock(clock)
                .maxClockSkew(MAX_CLOCK_SKEW)
                .build();
        return new DynamoDbService(store, clock, region, state.accountId(), authorizer(verifier, clock));
    }

    private static TablesAuthorizer authorizer(SigV4Verifier<TableCaller> verifier, Clock clock) {
        return (request, operation, permissions) -> {
            try {
                authorize(verifier.verify(signed(request)).principal(), request, permissions, clock);
            } catch (SignatureException e) {
                AwsError error = AdminRequestAuthenticator.error(e);
                throw new ServiceException(AwsError.sender(CORAL + error.code(), error.message()));
            }
        };
    }

    private static void authorize(
            TableCaller caller, AwsRequest request, List<TablesAuthorizer.Permission> permissions, Clock clock) {
        IamPrincipal principal = caller.principal();
        if (principal == null) {
            return;
        }
        for (TablesAuthorizer.Permission permission : permissions) {
            Decision decision = PolicyEvaluator.evaluate(
                    principal.policies(),
                    principal.requestContext(
                            permission.action(), permission.resourceArn(), clock.instant(), request.sourceIp()));
            if (!decision.allowed()) {
                String why = decision instanceof Decision.ExplicitDeny
                        ? "with an explicit deny in an identity-based policy"
                        : "because no identity-based policy allows the " + permission.action() + " action";
                throw new ServiceException(AwsError.sender(
                        CORAL + "AccessDeniedException",
                        "User: " + caller.arn()
                                + " is not authorized to perform: " + permission.action() + " on resource: "
                                + permission.resourceArn()
                                + " " + why));
            }
        }
    }

    private static SignedRequest signed(AwsRequest request) {
        return new SignedRequest(
                request.method(), request.rawPath(), request.rawQuery(), request.headers(), request.body());
    }

    private static CredentialResolver<TableCaller> callers(StackState state, CredentialResolver<IamPrincipal> pool) {
        String adminKey = state.admin().accessKeyId();
        SigningCredential<TableCaller> admin = SigningCredential.permanent(
                SecretBytes.ofUtf8(state.admin().secretAccessKey()), new TableCaller(state.adminArn(), null));
        return (accessKeyId, sessionToken) -> {
            if (accessKeyId.equals(adminKey)) {
                return sessionToken == null ? Optional.of(admin) : Optional.empty();
            }
            return pool.resolve(accessKeyId, sessionToken).flatMap(credential -> credential
                    .expiration()
                    .map(expiration -> SigningCredential.temporary(
                            credential.secretKey(),
                            expiration,
                            new TableCaller(credential.principal().userArn(), credential.principal()))));
        };
    }
}
