package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.iam.TemporaryCredentials;
import dev.gatehouse.identity.IdentityRepository.Identity;
import dev.gatehouse.identity.LoginVerifier.Login;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The rules of the identity-pool operations; inputs are already validated against the model. */
final class IdentityPools {

    /** Credentials are valid one hour, as Cognito's. */
    static final Duration CREDENTIALS_VALIDITY = Duration.ofHours(1);

    private final PoolRepository pools;
    private final IdentityRepository identities;
    private final LoginVerifier logins;
    private final SessionTokenSealer sealer;
    private final OpenIdTokens openIdTokens;
    private final Clock clock;
    private final String region;
    private final String accountId;

    IdentityPools(
            PoolRepository pools,
            IdentityRepository identities,
            LoginVerifier logins,
            SessionTokenSealer sealer,
            OpenIdTokens openIdTokens,
            Clock clock,
            String region,
            String accountId) {
        this.pools = pools;
        this.identities = identities;
        this.logins = logins;
        this.sealer = sealer;
        this.openIdTokens = openIdTokens;
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
    }

    String newId() {
        return region + ":" + UUID.randomUUID();
    }

    StoredPool pool(String identityPoolId) {
        return pools.find(identityPoolId).orElseThrow(() -> IdentityErrors.poolNotFound(identityPoolId));
    }

    StoredPool create(ObjectNode description) {
        description.put("IdentityPoolId", newId());
        StoredPool pool = new StoredPool(description, AwsJson.mapper().createObjectNode());
        pools.create(pool);
        return pool;
    }

    /** Sets the pool's roles; every RoleMappings key must name a user pool and app client the pool trusts. */
    void setRoles(String identityPoolId, ObjectNode roles) {
        StoredPool pool = pool(identityPoolId);
        roles.path("RoleMappings").fieldNames().forEachRemaining(provider -> {
            if (!configured(pool, provider)) {
                throw IdentityErrors.roleMappingProviderInvalid(provider);
            }
        });
        pools.setRoles(pool, roles);
    }

    /** Whether {@code provider} is {@code <user pool provider name>:<clientId>} of one of the pool's providers. */
    private boolean configured(StoredPool pool, String provider) {
        return mappedClient(provider)
                .filter(client -> pool.providers().stream()
                        .anyMatch(p -> p.clientId().equals(client.clientId())
                                && logins.userPoolOf(p.providerName())
                                        .filter(client.userPoolId()::equals)
                                        .isPresent()))
                .isPresent();
    }

    /** A user pool's app client, as a RoleMappings key names it. */
    private record MappedClient(String userPoolId, String clientId) {}

    private Optional<MappedClient> mappedClient(String provider) {
        int colon = provider.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String clientId = provider.substring(colon + 1);
        return logins.userPoolOf(provider.substring(0, colon))
                .filter(pool -> !clientId.isEmpty())
                .map(pool -> new MappedClient(pool, clientId));
    }

    /** A provider name as links store it: a user pool named in either accepted form becomes Cognito's name. */
    String canonicalProvider(String providerName) {
        return logins.userPoolOf(providerName).map(LoginVerifier::canonicalName).orElse(providerName);
    }

    /** The pool's role mapping for the user pool and app client of {@code login}, if it has one. */
    private Optional<RoleMapping> mappingFor(StoredPool pool, Login login) {
        MappedClient client = new MappedClient(login.userPoolId(), login.clientId());
        var mappings = pool.roles().path("RoleMappings").fields();
        while (mappings.hasNext()) {
            var mapping = mappings.next();
            if (mappedClient(mapping.getKey()).filter(client::equals).isPresent()) {
                try {
                    return Optional.of(RoleMapping.read(mapping.getKey(), mapping.getValue()));
                } catch (ServiceException e) {
                    // Stored before SetIdentityPoolRoles checked mappings: a configuration error, not the caller's.
                    throw IdentityErrors.noRole();
                }
            }
        }
        return Optional.empty();
    }

    /** GetId: the identity of the login (created on first use), or a new unauthenticated identity. */
    String getId(String identityPoolId, Map<String, String> loginMap) {
        StoredPool pool = pool(identityPoolId);
        Optional<Login> login = logins.verify(pool, loginMap);
        Instant now = now();
        if (login.isPresent()) {
            Optional<String> existing = identities.findLiveByLogin(
                    pool.id(), login.get().providerName(), login.get().sub());
            if (existing.isPresent()) {
                return existing.get();
            }
            Identity identity =
                    new Identity(newId(), pool.id(), List.of(login.get().providerName()), now, now);
            return identities.createForLogin(
                    identity, login.get().providerName(), login.get().sub());
        }
        if (!pool.allowUnauthenticated()) {
            throw IdentityErrors.notAuthorized(IdentityErrors.UNAUTHENTICATED_NOT_SUPPORTED);
        }
        Identity identity = new Identity(newId(), pool.id(), List.of(), now, now);
        identities.createUnauthenticated(identity);
        return identity.identityId();
    }

    /**
     * The identity, its pool and its {@code amr}, once {@code loginMap} has proved the caller may act as it; the login
     * that proved it for an authenticated identity.
     */
    record Proven(Identity identity, StoredPool pool, List<String> amr, Optional<Login> login) {}

    Proven prove(String identityId, Map<String, String> loginMap) {
        Identity identity = identities.find(identityId).orElseThrow(() -> IdentityErrors.identityNotFound(identityId));
        StoredPool pool =
                pools.find(identity.identityPoolId()).orElseThrow(() -> IdentityErrors.identityNotFound(identityId));
        if (!identity.authenticated()) {
            if (!loginMap.isEmpty()) {
                throw IdentityErrors.notAuthorized(IdentityErrors.LOGINS_DONT_MATCH);
            }
            if (!pool.allowUnauthenticated()) {
                throw IdentityErrors.notAuthorized(IdentityErrors.UNAUTHENTICATED_NOT_SUPPORTED);
            }
            return new Proven(identity, pool, List.of("unauthenticated"), Optional.empty());
        }
        if (loginMap.size() == 1 && loginMap.containsKey(DeveloperIdentities.COGNITO_PROVIDER)) {
            return proveByOpenIdToken(identity, pool, loginMap.get(DeveloperIdentities.COGNITO_PROVIDER));
        }
        Login login = logins.verify(pool, loginMap)
                .orElseThrow(() -> IdentityErrors.notAuthorized(IdentityErrors.LOGINS_DONT_MATCH));
        Optional<String> linked = identities.findByLogin(pool.id(), login.providerName(), login.sub());
        if (linked.isEmpty() || !linked.get().equals(identityId)) {
            throw IdentityErrors.notAuthorized(IdentityErrors.LOGINS_DONT_MATCH);
        }
        return new Proven(
                identity,
                pool,
                List.of("authenticated", login.providerName(), login.providerName() + ":CognitoSignIn:" + login.sub()),
                Optional.of(login));
    }

    /**
     * The developer-authenticated flow: a token from GetOpenIdTokenForDeveloperIdentity (or GetOpenIdToken) under
     * {@code cognito-identity.amazonaws.com} proves the identity it names; its {@code amr} is kept.
     */
    private Proven proveByOpenIdToken(Identity identity, StoredPool pool, String token) {
        var claims = openIdTokens
                .verify(token, identity.identityId(), pool.id(), now())
                .orElseThrow(() -> IdentityErrors.notAuthorized(IdentityErrors.INVALID_TOKEN));
        List<String> amr;
        try {
            amr = java.util.Objects.requireNonNullElse(claims.getStringListClaim("amr"), List.of("authenticated"));
        } catch (java.text.ParseException e) {
            throw IdentityErrors.notAuthorized(IdentityErrors.INVALID_TOKEN);
        }
        ObjectNode json = AwsJson.mapper().valueToTree(claims.toJSONObject());
        return new Proven(
                identity,
                pool,
                amr,
                Optional.of(new Login(DeveloperIdentities.COGNITO_PROVIDER, "", identity.identityId(), "", json)));
    }

    /**
     * GetOpenIdTokenForDeveloperIdentity: the identity linked to the developer's user id (created on first use), and a
     * token for it valid {@code validity}. An {@code identityId} given must be the one the user id is linked to.
     */
    ObjectNode developerToken(
            String identityPoolId, String userIdentifier, Optional<String> identityId, Duration validity) {
        StoredPool pool = pool(identityPoolId);
        String provider = pool.description().path("DeveloperProviderName").asText("");
        Instant now = now();
        String linked = identities
                .findLiveByLogin(pool.id(), provider, userIdentifier)
                .orElseGet(() -> {
                    if (identityId.isPresent()) {
                        return linkDeveloper(pool, identityId.get(), provider, userIdentifier, now);
                    }
                    Identity identity = new Identity(newId(), pool.id(), List.of(provider), now, now);
                    return identities.createForLogin(identity, provider, userIdentifier);
                });
        if (identityId.isPresent() && !identityId.get().equals(linked)) {
            throw new ServiceException(dev.gatehouse.protocol.AwsError.sender(
                    "ResourceConflictException",
                    "The developer user identifier is already linked to another identity."));
        }
        List<String> amr = List.of("authenticated", provider, provider + ":" + pool.id() + ":" + userIdentifier);
        return AwsJson.mapper()
                .createObjectNode()
                .put("IdentityId", linked)
                .put("Token", openIdTokens.issue(linked, pool.id(), amr, now, validity));
    }

    private String linkDeveloper(
            StoredPool pool, String identityId, String provider, String userIdentifier, Instant now) {
        Identity identity = identities
                .find(identityId)
                .filter(i -> i.identityPoolId().equals(pool.id()))
                .orElseThrow(() -> IdentityErrors.identityNotFound(identityId));
        if (!identities.link(identity, provider, userIdentifier, now)) {
            throw new ServiceException(dev.gatehouse.protocol.AwsError.sender(
                    "ConcurrentModificationException", "The identity was changed by another request; try again."));
        }
        return identityId;
    }

    ObjectNode credentials(String identityId, Map<String, String> loginMap, @Nullable String customRoleArn) {
        Proven proven = prove(identityId, loginMap);
        String roleArn = role(proven, customRoleArn);
        Instant expiration = now().plus(CREDENTIALS_VALIDITY);
        TemporaryCredentials credentials =
                sealer.issue(identityId, proven.pool().id(), roleArn, accountIdOf(roleArn), proven.amr(), expiration);
        ObjectNode out = AwsJson.mapper().createObjectNode().put("IdentityId", identityId);
        out.putObject("Credentials")
                .put("AccessKeyId", credentials.accessKeyId())
                .put("SecretKey", credentials.secretKey())
                .put("SessionToken", credentials.sessionToken())
                .put("Expiration", credentials.expiration().getEpochSecond());
        return out;
    }

    /**
     * The role of a proven identity: guests get the unauthenticated role; a login through a user pool client with a
     * role mapping gets the mapping's choice; any other login the authenticated role.
     */
    String role(Proven proven, @Nullable String customRoleArn) {
        if (proven.login().isEmpty()) {
            return defaultRole(proven, "unauthenticated", customRoleArn);
        }
        Login login = proven.login().get();
        Optional<RoleMapping> mapping = mappingFor(proven.pool(), login);
        if (mapping.isEmpty()) {
            return defaultRole(proven, "authenticated", customRoleArn);
        }
        Optional<String> chosen = mapping.get().choose(login.claims(), customRoleArn);
        if (chosen.isPresent()) {
            return chosen.get();
        }
        if (mapping.get().ambiguous() == RoleMapping.Ambiguous.DENY) {
            throw IdentityErrors.ambiguousRoleDenied(mapping.get().provider());
        }
        return proven.pool().role("authenticated").orElseThrow(IdentityErrors::noRole);
    }

    private static String defaultRole(Proven proven, String type, @Nullable String customRoleArn) {
        String roleArn = proven.pool().role(type).orElseThrow(IdentityErrors::noRole);
        if (customRoleArn != null && !customRoleArn.equals(roleArn)) {
            // Without a role mapping there is one role to choose from.
            throw IdentityErrors.customRoleDenied(
                    proven.login().map(Login::providerName).orElse("unauthenticated"));
        }
        return roleArn;
    }

    ObjectNode openIdToken(String identityId, Map<String, String> loginMap) {
        Proven proven = prove(identityId, loginMap);
        return AwsJson.mapper()
                .createObjectNode()
                .put("IdentityId", identityId)
                .put("Token", openIdTokens.issue(identityId, proven.pool().id(), proven.amr(), now()));
    }

    ObjectNode describeIdentity(String identityId) {
        return describe(identities.find(identityId).orElseThrow(() -> IdentityErrors.identityNotFound(identityId)));
    }

    ObjectNode listIdentities(String identityPoolId, int maxResults, @Nullable String nextToken) {
        StoredPool pool = pool(identityPoolId);
        IdentityRepository.IdentityPage page;
        try {
            page = identities.list(pool.id(), maxResults, nextToken);
        } catch (IllegalArgumentException e) {
            throw IdentityErrors.invalidParameter("Invalid pagination token.");
        }
        ObjectNode out = AwsJson.mapper().createObjectNode().put("IdentityPoolId", pool.id());
        ArrayNode list = out.putArray("Identities");
        page.identities().forEach(identity -> list.add(describe(identity)));
        page.cursor().ifPresent(cursor -> out.put("NextToken", cursor));
        return out;
    }

    ObjectNode listPools(int maxResults, @Nullable String nextToken) {
        PoolRepository.PoolPage page;
        try {
            page = pools.list(maxResults, nextToken);
        } catch (IllegalArgumentException e) {
            throw IdentityErrors.invalidParameter("Invalid pagination token.");
        }
        ObjectNode out = AwsJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("IdentityPools");
        page.pools().forEach(p -> list.addObject().put("IdentityPoolId", p.id()).put("IdentityPoolName", p.name()));
        page.cursor().ifPresent(cursor -> out.put("NextToken", cursor));
        return out;
    }

    private static ObjectNode describe(Identity identity) {
        ObjectNode out = AwsJson.mapper().createObjectNode().put("IdentityId", identity.identityId());
        ArrayNode list = out.putArray("Logins");
        identity.logins().forEach(list::add);
        out.put("CreationDate", identity.created().getEpochSecond());
        out.put("LastModifiedDate", identity.modified().getEpochSecond());
        return out;
    }

    private String accountIdOf(String roleArn) {
        // arn:aws:iam::<account>:role/<name>
        String[] parts = roleArn.split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : accountId;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
