package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The triggers that run when tokens are issued: PostAuthentication ({@code PostAuthentication_Authentication}, after
 * every sign-in, before its tokens; not on refresh) and PreTokenGeneration, whose answer changes the tokens.
 *
 * <p>PreTokenGeneration's event version is the pool's {@code PreTokenGenerationConfig.LambdaVersion}: {@code V1_0}
 * answers {@code claimsOverrideDetails} (id token claims as strings, and groups); {@code V2_0}/{@code V3_0} answer
 * {@code claimsAndScopeOverrideDetails} (id and access token claims of any JSON type, access token scopes, groups).
 * Claims Cognito does not let a trigger change are left as they are. Trigger sources:
 * {@code TokenGeneration_Authentication}, {@code TokenGeneration_NewPasswordChallenge},
 * {@code TokenGeneration_RefreshTokens}.
 */
final class TokenTriggers {

    static final String AUTHENTICATION = "TokenGeneration_Authentication";
    static final String NEW_PASSWORD_CHALLENGE = "TokenGeneration_NewPasswordChallenge";
    static final String REFRESH_TOKENS = "TokenGeneration_RefreshTokens";

    /** Claims no pre token generation answer changes (the developer guide's list; groups go by group overrides). */
    private static final Set<String> FIXED = Set.of(
            "acr",
            "amr",
            "aud",
            "at_hash",
            "auth_time",
            "azp",
            "cognito:username",
            "exp",
            "iat",
            "identities",
            "iss",
            "jti",
            "nbf",
            "nonce",
            "origin_jti",
            "sub",
            "token_use",
            "event_id",
            "cognito:groups",
            "cognito:roles",
            "cognito:preferred_role");
    /** And in the access token: its scopes change only through scopesToAdd/scopesToSuppress. */
    private static final Set<String> FIXED_ACCESS = Set.of("client_id", "scope", "username", "version");
    /** Id-token claims whose value must stay a string (V2: no complex values). */
    private static final Set<String> SIMPLE_ID =
            Set.of("email_verified", "phone_number_verified", "updated_at", "address");

    /** The source of tokens issued on this thread, when not a plain sign-in (a scope, see {@link #during}). */
    private static final ThreadLocal<@Nullable String> SOURCE = new ThreadLocal<>();

    private final Triggers triggers;
    private final PoolDirectory directory;

    TokenTriggers(Triggers triggers, PoolDirectory directory) {
        this.triggers = Objects.requireNonNull(triggers, "triggers cannot be null");
        this.directory = Objects.requireNonNull(directory, "directory cannot be null");
    }

    /** Runs {@code work}, tokens it issues counting as {@code source} (such as the new-password challenge's). */
    static <T> T during(String source, Supplier<T> work) {
        @Nullable String outer = SOURCE.get();
        SOURCE.set(source);
        try {
            return work.get();
        } finally {
            SOURCE.set(outer);
        }
    }

    /** A sign-in's tokens: PostAuthentication, then PreTokenGeneration; the subject with the trigger's changes. */
    TokenSubject signedIn(TokenSubject subject, TokenClient client) {
        Optional<PoolConfig> pool = poolWithTriggers(subject);
        if (pool.isEmpty()) {
            return subject;
        }
        postAuthentication(pool.get(), subject, client);
        String source = Optional.ofNullable(SOURCE.get()).orElse(AUTHENTICATION);
        return preTokenGeneration(pool.get(), subject, client, source);
    }

    /** A refresh's tokens: PreTokenGeneration only. */
    TokenSubject refreshed(TokenSubject subject, TokenClient client) {
        return poolWithTriggers(subject)
                .map(pool -> preTokenGeneration(pool, subject, client, REFRESH_TOKENS))
                .orElse(subject);
    }

    private Optional<PoolConfig> poolWithTriggers(TokenSubject subject) {
        PoolConfig pool = directory.pool(subject.userPoolId());
        return Triggers.configured(pool, Triggers.POST_AUTHENTICATION)
                        || Triggers.configured(pool, Triggers.PRE_TOKEN_GENERATION)
                ? Optional.of(pool)
                : Optional.empty();
    }

    private void postAuthentication(PoolConfig pool, TokenSubject subject, TokenClient client) {
        if (!Triggers.configured(pool, Triggers.POST_AUTHENTICATION)) {
            return;
        }
        ObjectNode event = Triggers.event(
                pool, "PostAuthentication_Authentication", subject.username(), Optional.of(client.clientId()));
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("userAttributes", userAttributes(subject));
        request.put("newDeviceUsed", false);
        triggers.invoke(pool, Triggers.POST_AUTHENTICATION, event);
    }

    private TokenSubject preTokenGeneration(PoolConfig pool, TokenSubject subject, TokenClient client, String source) {
        if (!Triggers.configured(pool, Triggers.PRE_TOKEN_GENERATION)) {
            return subject;
        }
        String version = Triggers.preTokenVersion(pool);
        boolean v1 = "V1_0".equals(version);
        ObjectNode event = Triggers.event(pool, source, subject.username(), Optional.of(client.clientId()));
        event.put("version", v1 ? "1" : version.substring(1, 2));
        ObjectNode request = (ObjectNode) event.get("request");
        request.set("userAttributes", userAttributes(subject));
        ObjectNode groups = request.putObject("groupConfiguration");
        subject.groups().forEach(groups.putArray("groupsToOverride")::add);
        subject.roles().forEach(groups.putArray("iamRolesToOverride")::add);
        groups.put("preferredRole", subject.preferredRole());
        if (!v1) {
            request.putArray("scopes").add(JwtTokenService.USER_ADMIN_SCOPE);
        }
        ObjectNode response = (ObjectNode) event.get("response");
        response.putNull(v1 ? "claimsOverrideDetails" : "claimsAndScopeOverrideDetails");
        ObjectNode answer =
                triggers.invoke(pool, Triggers.PRE_TOKEN_GENERATION, event).orElseThrow();
        JsonNode details = answer.path(v1 ? "claimsOverrideDetails" : "claimsAndScopeOverrideDetails");
        if (!details.isObject()) {
            return subject;
        }
        TokenOverrides overrides = v1 ? v1Overrides(details) : v2Overrides(details);
        return withGroups(subject, details.path("groupOverrideDetails"), overrides);
    }

    private static ObjectNode userAttributes(TokenSubject subject) {
        ObjectNode attributes = AwsJson.mapper().createObjectNode();
        attributes.put("sub", subject.sub());
        subject.attributes().forEach(attributes::put);
        // Tokens are issued to confirmed users only.
        attributes.put("cognito:user_status", User.Status.CONFIRMED.name());
        return attributes;
    }

    /** V1: claims of the id token, strings only. */
    private static TokenOverrides v1Overrides(JsonNode details) {
        Map<String, Object> claims = new LinkedHashMap<>();
        details.path("claimsToAddOrOverride").fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode()) {
                throw Triggers.invalidResponse(Triggers.UNRECOGNIZABLE_OUTPUT);
            }
            if (!entry.getValue().isNull()) {
                claims.put(entry.getKey(), entry.getValue().asText());
            }
        });
        claims.keySet().removeAll(FIXED);
        return new TokenOverrides(claims, suppressed(details, FIXED), Map.of(), Set.of(), List.of(), Set.of());
    }

    /** V2/V3: claims of both tokens, of any JSON type, and the access token's scopes. */
    private static TokenOverrides v2Overrides(JsonNode details) {
        JsonNode id = details.path("idTokenGeneration");
        JsonNode access = details.path("accessTokenGeneration");
        Map<String, Object> idClaims = claims(id, FIXED);
        for (String name : SIMPLE_ID) {
            if (idClaims.get(name) instanceof Map || idClaims.get(name) instanceof List) {
                throw Triggers.invalidResponse(Triggers.UNRECOGNIZABLE_OUTPUT);
            }
        }
        Set<String> fixedAccess = new LinkedHashSet<>(FIXED);
        fixedAccess.addAll(FIXED_ACCESS);
        return new TokenOverrides(
                idClaims,
                suppressed(id, FIXED),
                claims(access, fixedAccess),
                suppressed(access, fixedAccess),
                strings(access.path("scopesToAdd")),
                Set.copyOf(strings(access.path("scopesToSuppress"))));
    }

    private static Map<String, Object> claims(JsonNode token, Set<String> fixed) {
        Map<String, Object> claims = new LinkedHashMap<>();
        token.path("claimsToAddOrOverride").fields().forEachRemaining(entry -> {
            if (!fixed.contains(entry.getKey()) && !entry.getValue().isNull()) {
                claims.put(entry.getKey(), AwsJson.mapper().convertValue(entry.getValue(), Object.class));
            }
        });
        return claims;
    }

    private static Set<String> suppressed(JsonNode token, Set<String> fixed) {
        Set<String> names = new LinkedHashSet<>(strings(token.path("claimsToSuppress")));
        names.removeAll(fixed);
        return names;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(item -> {
                if (item.isTextual()) {
                    out.add(item.asText());
                }
            });
        }
        return out;
    }

    /** {@code groupOverrideDetails}, when answered, replaces the groups, roles and preferred role. */
    private static TokenSubject withGroups(TokenSubject subject, JsonNode groups, TokenOverrides overrides) {
        boolean override = groups.isObject();
        JsonNode preferred = groups.path("preferredRole");
        return new TokenSubject(
                subject.userPoolId(),
                subject.sub(),
                subject.username(),
                subject.attributes(),
                override ? strings(groups.path("groupsToOverride")) : subject.groups(),
                override ? strings(groups.path("iamRolesToOverride")) : subject.roles(),
                override ? (preferred.isTextual() ? preferred.asText() : null) : subject.preferredRole(),
                overrides);
    }
}
