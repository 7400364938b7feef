package dev.gatehouse.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Input;
import dev.gatehouse.protocol.InputShapes;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.userpool.TokenService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The Cognito identity-pool API ({@code AWSCognitoIdentityService}, signing name {@code cognito-identity}) over the
 * item store: GetId, GetCredentialsForIdentity and GetOpenIdToken without a signature (the Logins prove the caller),
 * CreateIdentityPool, DescribeIdentityPool, ListIdentityPools, SetIdentityPoolRoles, GetIdentityPoolRoles,
 * ListIdentities and DescribeIdentity with SigV4. Credentials are sealed into their session token
 * ({@link SessionTokenSealer}), so {@link #credentialResolver()} verifies requests signed with them without a store
 * read. Operations block: dispatch them off the event loop.
 *
 * <pre>{@code
 * IdentityPoolApi api = new IdentityPoolApi(store, tokenService, Clock.systemUTC(), "us-east-1", accountId);
 * DefaultIdentityPool ids = api.ensureDefault(userPoolId, clientId);
 * api.registerOn(identityService);   // new AwsJsonService("AWSCognitoIdentityService", "cognito-identity", sigv4)
 * api.rolePolicies().put(ids.authenticatedRoleArn(), policyJson);
 * }</pre>
 */
public final class IdentityPoolApi {

    /** X-Amz-Target prefix of the identity-pool API. */
    public static final String TARGET_PREFIX = "AWSCognitoIdentityService";
    /** SigV4 service name of the identity-pool API. */
    public static final String SIGNING_NAME = "cognito-identity";
    /** Name of the default stack's identity pool. */
    static final String DEFAULT_STACK = "default";

    private static final Pattern ID = Pattern.compile("[\\w-]+:[0-9a-f-]+");
    private static final Pattern POOL_NAME = Pattern.compile("[\\w\\s+=,.@-]+");
    private static final Pattern ROLE_TYPE = Pattern.compile("(un)?authenticated");
    private static final Pattern PROVIDER_NAME = Pattern.compile("[\\w._:/-]+");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\w_]+");
    private static final Pattern DEVELOPER_PROVIDER = Pattern.compile("[\\w._-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d+");
    private static final Pattern NEXT_TOKEN = Pattern.compile("[\\S]+");

    private final IdentityPools pools;
    private final PoolRepository poolRepository;
    private final IdentityRepository identities;
    private final IdentityKeyStore keys;
    private final SessionTokenSealer sealer;
    private final OpenIdTokens openIdTokens;
    private final RolePolicies rolePolicies;
    private final String region;
    private final String accountId;

    /**
     * An API whose keys (session-token keys, OpenID signing key) are stored in clear: protect the data dir.
     *
     * @param tokens verifies the user pools' id tokens presented in {@code Logins}
     * @param region the region in identity and pool ids, such as {@code us-east-1}
     * @param accountId the 12-digit account of the default roles
     */
    public IdentityPoolApi(ItemStore store, TokenService tokens, Clock clock, String region, String accountId) {
        this(store, tokens, clock, region, accountId, new SecureRandom(), Duration.ofMinutes(1), null);
    }

    /** An API that stores its keys encrypted under {@code keyEncryptionKey} (AES-256); every node needs the same. */
    public IdentityPoolApi(
            ItemStore store,
            TokenService tokens,
            Clock clock,
            String region,
            String accountId,
            SecretKey keyEncryptionKey) {
        this(
                store,
                tokens,
                clock,
                region,
                accountId,
                new SecureRandom(),
                Duration.ofMinutes(1),
                requireAes256(keyEncryptionKey));
    }

    IdentityPoolApi(
            ItemStore store,
            TokenService tokens,
            Clock clock,
            String region,
            String accountId,
            SecureRandom random,
            Duration keyCacheTtl,
            @Nullable SecretKey keyEncryptionKey) {
        Objects.requireNonNull(store, "store cannot be null");
        Objects.requireNonNull(tokens, "tokens cannot be null");
        Objects.requireNonNull(clock, "clock cannot be null");
        this.region = Objects.requireNonNull(region, "region cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
        this.keys = new IdentityKeyStore(store, clock, random, keyCacheTtl, keyEncryptionKey);
        this.sealer = new SessionTokenSealer(keys, random);
        this.openIdTokens = new OpenIdTokens(keys, region, accountId);
        this.poolRepository = new PoolRepository(store);
        this.identities = new IdentityRepository(store);
        this.pools = new IdentityPools(
                poolRepository, identities, new LoginVerifier(tokens), sealer, openIdTokens, clock, region, accountId);
        this.rolePolicies = new RolePolicies(store, clock);
    }

    private static SecretKey requireAes256(SecretKey key) {
        Objects.requireNonNull(key, "keyEncryptionKey cannot be null");
        byte[] encoded = key.getEncoded();
        if (!"AES".equals(key.getAlgorithm()) || encoded == null || encoded.length != 32) {
            throw new IllegalArgumentException("keyEncryptionKey must be a 256-bit AES key");
        }
        return key;
    }

    /**
     * The default identity pool, trusting {@code clientId} of {@code userPoolId}, guests not allowed, with roles
     * {@code arn:aws:iam::<account>:role/gatehouse-auth} and {@code …/gatehouse-unauth}: created on the first call for a
     * store, the same ids on every later call, from any node.
     */
    public DefaultIdentityPool ensureDefault(String userPoolId, String clientId) {
        return poolRepository.ensure(DEFAULT_STACK, () -> {
            ObjectNode description = AwsJson.mapper().createObjectNode();
            description.put("IdentityPoolName", "gatehouse");
            description.put("AllowUnauthenticatedIdentities", false);
            description.put("AllowClassicFlow", false);
            description.putObject("SupportedLoginProviders");
            description
                    .putArray("CognitoIdentityProviders")
                    .addObject()
                    .put("ProviderName", LoginVerifier.canonicalName(userPoolId))
                    .put("ClientId", clientId)
                    .put("ServerSideTokenCheck", false);
            description.putArray("OpenIdConnectProviderARNs");
            description.putArray("SamlProviderARNs");
            description.putObject("IdentityPoolTags");
            String poolId = pools.create(description).id();
            DefaultIdentityPool ids =
                    new DefaultIdentityPool(poolId, roleArn("gatehouse-auth"), roleArn("gatehouse-unauth"));
            ObjectNode roles = AwsJson.mapper().createObjectNode();
            roles.putObject("Roles")
                    .put("authenticated", ids.authenticatedRoleArn())
                    .put("unauthenticated", ids.unauthenticatedRoleArn());
            pools.setRoles(poolId, roles);
            return ids;
        });
    }

    /**
     * Creates an identity pool from a CreateIdentityPool request, for a stack's {@code AWS::Cognito::IdentityPool};
     * returns its id. Blocking.
     */
    public String createPool(ObjectNode description) {
        return pools.create(description).id();
    }

    /**
     * Replaces a pool's description as UpdateIdentityPool does (its id, identities and roles stay), for a stack whose
     * template changed. {@code description} is CreateIdentityPool's shape. Blocking.
     */
    public void updatePool(String identityPoolId, ObjectNode description) {
        StoredPool pool = pools.pool(identityPoolId);
        ObjectNode replaced = description.deepCopy();
        replaced.put("IdentityPoolId", pool.id());
        if (!poolRepository.replaceDescription(pool, replaced)) {
            throw IdentityErrors.poolNotFound(pool.id());
        }
    }

    /**
     * Sets a pool's roles and role mappings as SetIdentityPoolRoles does
     * ({@code {"Roles": {"authenticated": arn, …}, "RoleMappings": {provider: mapping, …}}}), with the same checks and
     * errors. Blocking.
     *
     * @throws dev.gatehouse.protocol.ServiceException as SetIdentityPoolRoles answers a wrong request
     */
    public void setRoles(String identityPoolId, ObjectNode roles) {
        pools.setRoles(identityPoolId, roles(Input.of(roles), roles));
    }

    /** The default pool a data dir got before stacks were read from templates, if it has one. */
    public Optional<DefaultIdentityPool> existingDefault() {
        return poolRepository.findBootstrap(DEFAULT_STACK);
    }

    /** Resolves the {@code ASIA…} keys this API issues by opening their session token; no store read per request. */
    public SessionTokenCredentialResolver credentialResolver() {
        return new SessionTokenCredentialResolver(sealer);
    }

    /** The sealer of session tokens (keys in the store, table {@code identity-keys}). */
    public SessionTokenSealer sealer() {
        return sealer;
    }

    /** The roles' policy documents, for the stack definition (writes) and the gateway (evaluates). */
    public RolePolicies rolePolicies() {
        return rolePolicies;
    }

    /** The public key of GetOpenIdToken's tokens as a JWKS document. */
    public String openIdJwks() {
        return openIdTokens.jwks();
    }

    /** Adds a new active session-token key; credentials sealed under the previous keys keep working until they expire. */
    public void rotateSessionKeys() {
        keys.rotateSessionKey();
    }

    /**
     * The member types of the cognito-identity model ({@code input-shapes.json} next to this class), for
     * {@link AwsJsonService#setInputShapes}: a member of the wrong JSON type is then a {@code SerializationException}.
     * Read once per JVM (it is never changed after loading).
     */
    public static InputShapes inputShapes() {
        return Shapes.LOADED;
    }

    private static final class Shapes {
        static final InputShapes LOADED = InputShapes.load(Objects.requireNonNull(
                IdentityPoolApi.class.getResource("input-shapes.json"), "identity input-shapes.json is missing"));
    }

    /** Registers every identity-pool operation on {@code service}; admin operations require SigV4. */
    public void registerOn(AwsJsonService service) {
        registerPublic(service);
        registerAdmin(service);
        new PoolLifecycle(poolRepository, pools).registerOn(service);
        new DeveloperIdentities(pools).registerOn(service);
        new IdentityLinks(pools, identities).registerOn(service);
        new IdentityPoolTags(poolRepository, region, accountId).registerOn(service);
    }

    private void registerPublic(AwsJsonService service) {
        Operation.Auth none = Operation.Auth.NONE;
        service.register("GetId", none, (body, c) -> {
            Input in = Input.of(body);
            Optional<String> account = in.optionalString("AccountId", 1, 15);
            in.checkPattern("AccountId", account, ACCOUNT_ID);
            String poolId = id(in, "IdentityPoolId");
            Map<String, String> logins = logins(in);
            in.validate();
            return AwsJson.mapper().createObjectNode().put("IdentityId", pools.getId(poolId, logins));
        });
        service.register("GetCredentialsForIdentity", none, (body, c) -> {
            Input in = Input.of(body);
            String identityId = id(in, "IdentityId");
            Map<String, String> logins = logins(in);
            Optional<String> customRole = in.optionalString("CustomRoleArn", 20, 2048);
            in.validate();
            return pools.credentials(identityId, logins, customRole.orElse(null));
        });
        service.register("GetOpenIdToken", none, (body, c) -> {
            Input in = Input.of(body);
            String identityId = id(in, "IdentityId");
            Map<String, String> logins = logins(in);
            in.validate();
            return pools.openIdToken(identityId, logins);
        });
    }

    private void registerAdmin(AwsJsonService service) {
        Operation.Auth sigv4 = Operation.Auth.SIGV4;
        service.register("CreateIdentityPool", sigv4, (body, c) -> {
            ObjectNode description = poolDescription(Input.of(body), body);
            return pools.create(description).description();
        });
        service.register("DescribeIdentityPool", sigv4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = id(in, "IdentityPoolId");
            in.validate();
            return pools.pool(poolId).description();
        });
        service.register("ListIdentityPools", sigv4, (body, c) -> {
            Input in = Input.of(body);
            int max = maxResults(in);
            Optional<String> next = nextToken(in);
            in.validate();
            return pools.listPools(max, next.orElse(null));
        });
        service.register("SetIdentityPoolRoles", sigv4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = id(in, "IdentityPoolId");
            ObjectNode roles = roles(in, body);
            in.validate();
            pools.setRoles(poolId, roles);
            return AwsJson.mapper().createObjectNode();
        });
        service.register("GetIdentityPoolRoles", sigv4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = id(in, "IdentityPoolId");
            in.validate();
            StoredPool pool = pools.pool(poolId);
            ObjectNode out = AwsJson.mapper().createObjectNode().put("IdentityPoolId", pool.id());
            out.set(
                    "Roles",
                    pool.roles().has("Roles")
                            ? pool.roles().get("Roles")
                            : AwsJson.mapper().createObjectNode());
            if (pool.roles().has("RoleMappings")) {
                out.set("RoleMappings", pool.roles().get("RoleMappings"));
            }
            return out;
        });
        service.register("ListIdentities", sigv4, (body, c) -> {
            Input in = Input.of(body);
            String poolId = id(in, "IdentityPoolId");
            int max = maxResults(in);
            Optional<String> next = nextToken(in);
            in.optionalBoolean("HideDisabled");
            in.validate();
            return pools.listIdentities(poolId, max, next.orElse(null));
        });
        service.register("DescribeIdentity", sigv4, (body, c) -> {
            Input in = Input.of(body);
            String identityId = id(in, "IdentityId");
            in.validate();
            return pools.describeIdentity(identityId);
        });
    }

    private static String id(Input in, String name) {
        String value = in.requiredString(name, 1, 55);
        in.checkPattern(name, Optional.of(value), ID);
        return value;
    }

    private static Map<String, String> logins(Input in) {
        Map<String, String> logins = in.stringMap("Logins");
        if (logins.size() > 10) {
            in.addViolation("Logins", "Member must have length less than or equal to 10");
        }
        for (Map.Entry<String, String> login : logins.entrySet()) {
            if (login.getKey().isEmpty() || login.getKey().length() > 128) {
                in.addViolation("Logins", "Map keys must have length between 1 and 128");
            }
            if (login.getValue().isEmpty() || login.getValue().length() > 50000) {
                in.addViolation("Logins", "Map value must have length between 1 and 50000");
            }
        }
        return logins;
    }

    private static int maxResults(Input in) {
        Optional<Long> max = in.optionalLong("MaxResults", 1, 60);
        if (max.isEmpty()) {
            in.addViolation("MaxResults", "Member must not be null");
        }
        return (int) Math.max(1, Math.min(60, max.orElse(1L)));
    }

    private static Optional<String> nextToken(Input in) {
        Optional<String> next = in.optionalString("NextToken", 1, 65535);
        in.checkPattern("NextToken", next, NEXT_TOKEN);
        return next;
    }

    /** The IdentityPool description of a CreateIdentityPool request, every member checked against the model. */
    static ObjectNode poolDescription(Input in, ObjectNode body) {
        String name = in.requiredString("IdentityPoolName", 1, 128);
        in.checkPattern("IdentityPoolName", Optional.of(name), POOL_NAME);
        Optional<Boolean> allowUnauthenticated = in.optionalBoolean("AllowUnauthenticatedIdentities");
        if (allowUnauthenticated.isEmpty()) {
            in.addViolation("AllowUnauthenticatedIdentities", "Member must not be null");
        }
        boolean classic = in.optionalBoolean("AllowClassicFlow").orElse(false);
        Map<String, String> supported = in.stringMap("SupportedLoginProviders");
        Optional<String> developer = in.optionalString("DeveloperProviderName", 1, 128);
        in.checkPattern("DeveloperProviderName", developer, DEVELOPER_PROVIDER);
        List<String> oidc = in.stringList("OpenIdConnectProviderARNs");
        List<String> saml = in.stringList("SamlProviderARNs");
        Map<String, String> tags = in.stringMap("IdentityPoolTags");
        ObjectNode out = AwsJson.mapper().createObjectNode();
        out.put("IdentityPoolName", name);
        out.put("AllowUnauthenticatedIdentities", allowUnauthenticated.orElse(false));
        out.put("AllowClassicFlow", classic);
        ObjectNode supportedNode = out.putObject("SupportedLoginProviders");
        supported.forEach(supportedNode::put);
        developer.ifPresent(d -> out.put("DeveloperProviderName", d));
        ArrayNode oidcNode = out.putArray("OpenIdConnectProviderARNs");
        oidc.forEach(oidcNode::add);
        ArrayNode providers = out.putArray("CognitoIdentityProviders");
        for (ObjectNode provider : in.objectList("CognitoIdentityProviders")) {
            Input p = Input.of(provider);
            Optional<String> providerName = p.optionalString("ProviderName", 1, 128);
            p.checkPattern("ProviderName", providerName, PROVIDER_NAME);
            Optional<String> clientId = p.optionalString("ClientId", 1, 128);
            p.checkPattern("ClientId", clientId, CLIENT_ID);
            boolean check = p.optionalBoolean("ServerSideTokenCheck").orElse(false);
            p.validate();
            ObjectNode node = providers.addObject();
            providerName.ifPresent(v -> node.put("ProviderName", v));
            clientId.ifPresent(v -> node.put("ClientId", v));
            node.put("ServerSideTokenCheck", check);
        }
        ArrayNode samlNode = out.putArray("SamlProviderARNs");
        saml.forEach(samlNode::add);
        ObjectNode tagNode = out.putObject("IdentityPoolTags");
        tags.forEach(tagNode::put);
        in.validate();
        return out;
    }

    /**
     * The {@code {"Roles": …, "RoleMappings": …}} of a SetIdentityPoolRoles request, each mapping checked and written
     * back in its canonical form; whether the mappings' providers are configured is checked by {@link IdentityPools}.
     */
    private static ObjectNode roles(Input in, ObjectNode body) {
        Map<String, String> roles = in.stringMap("Roles");
        if (!body.has("Roles")) {
            in.addViolation("Roles", "Member must not be null");
        }
        if (roles.size() > 2) {
            in.addViolation("Roles", "Member must have length less than or equal to 2");
        }
        ObjectNode out = AwsJson.mapper().createObjectNode();
        ObjectNode rolesNode = out.putObject("Roles");
        for (Map.Entry<String, String> role : roles.entrySet()) {
            if (!ROLE_TYPE.matcher(role.getKey()).matches()) {
                in.addViolation(
                        "Roles",
                        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: "
                                + ROLE_TYPE.pattern() + "]");
            }
            if (!RolePolicies.isRoleArn(role.getValue())) {
                in.addViolation("Roles", "Map value must be a role ARN arn:aws:iam::<account>:role/<name>");
            }
            rolesNode.put(role.getKey(), role.getValue());
        }
        Optional<ObjectNode> mappings = in.optionalObject("RoleMappings");
        if (mappings.isPresent() && mappings.get().size() > 10) {
            in.addViolation("RoleMappings", "Member must have length less than or equal to 10");
        }
        in.validate();
        if (mappings.isPresent()) {
            ObjectNode mappingsNode = out.putObject("RoleMappings");
            mappings.get().fields().forEachRemaining(entry -> {
                if (!entry.getValue().isNull()) {
                    mappingsNode.set(
                            entry.getKey(),
                            RoleMapping.read(entry.getKey(), entry.getValue()).toJson());
                }
            });
        }
        return out;
    }

    private String roleArn(String name) {
        return "arn:aws:iam::" + accountId + ":role/" + name;
    }

    /** The region in this API's ids. */
    public String region() {
        return region;
    }
}
