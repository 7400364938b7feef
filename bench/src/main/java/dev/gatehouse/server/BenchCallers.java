package dev.gatehouse.server;

import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.Authorization;
import dev.gatehouse.gateway.CorsConfig;
import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.gateway.Invocation;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.store.InMemoryItemStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Bench-only access to the server's package-private {@link IdentityPoolCallers} and {@link HelloHandlers}, so the JMH
 * benchmarks resolve callers and answer requests exactly as the server does (same package on the class path; nothing
 * in the server depends on this class).
 */
public final class BenchCallers {

    private BenchCallers() {}

    /** Callers whose role {@code roleArn} has {@code policy}, held in memory and warmed. */
    public static CredentialResolver<IamPrincipal> identityPoolCallers(
            SessionTokenCredentialResolver sessions, String roleArn, String policy) {
        Clock clock = Clock.systemUTC();
        RolePolicies policies = new RolePolicies(new InMemoryItemStore(clock), clock);
        policies.put(roleArn, policy);
        return new IdentityPoolCallers(sessions, policies, Runnable::run, clock, Duration.ofHours(1)).warm(roleArn);
    }

    /**
     * The default stack's {@code GET /public} (NONE) and {@code GET /private} (AWS_IAM) routes, with its hello handlers,
     * its CORS configuration and {@link Invocation#NON_BLOCKING}, as the built-in recipe template declares them.
     */
    public static Api helloApi(String apiId) {
        return Api.builder("notes", apiId)
                .defaultAuthorization(Authorization.awsIam())
                .cors(CorsConfig.builder()
                        .allowOrigins("*")
                        .allowMethods("*")
                        .allowHeaders("*")
                        .exposeHeaders(NotesApi.NEXT_CURSOR_HEADER, "etag")
                        .build())
                .route("GET /public", new HelloHandlers.PublicHello(), Authorization.none(), Invocation.NON_BLOCKING)
                .route("GET /private", new HelloHandlers.PrivateHello(), Invocation.NON_BLOCKING)
                .build();
    }
}
