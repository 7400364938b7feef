package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Input;
import dev.gatehouse.protocol.Operation;
import dev.gatehouse.store.ItemStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The Cognito user-pool API ({@code AWSCognitoIdentityProviderService}) over the item store. Each operation reads and
 * validates its input, calls the service that holds the rules ({@link Registration}, {@link Authentication},
 * {@link Accounts}, {@link PoolDirectory}) and returns the response body. Operations block (password hashing is slow
 * by design): dispatch them off the event loop.
 *
 * <pre>{@code
 * UserPoolApi api = new UserPoolApi(store, tokenService, messageSender, Clock.systemUTC(), "us-east-1", accountId);
 * DefaultStack ids = api.ensureDefaultStack();
 * api.registerOn(cognitoService);   // new AwsJsonService("AWSCognitoIdentityProviderService", "cognito-idp", sigv4)
 * }</pre>
 */
public final class UserPoolApi {

    /** Name of the default stack's pool and client in the store. */
    static final String DEFAULT_STACK = "default";

    private final PoolContext ctx;
    private final Registration registration;
    private final Authentication authentication;
    private final Accounts accounts;
    private final GroupRepository groups;
    private final PoolResources resources;
    private final String accountId;

    /**
     * @param store where pools, clients, users and challenge sessions live
     * @param tokens issues and verifies the pool's tokens
     * @param sender delivers codes and invitations
     * @param region the region in pool ids and ARNs, such as {@code us-east-1}
     * @param accountId the 12-digit account id in pool ARNs
     */
    public UserPoolApi(
            ItemStore store, TokenService tokens, MessageSender sender, Clock clock, String region, String accountId) {
        this(store, tokens, sender, clock, region, accountId, LambdaTriggers.NONE);
    }

    /** @param triggers invokes the functions a pool's {@code LambdaConfig} names */
    public UserPoolApi(
            ItemStore store,
            TokenService tokens,
            MessageSender sender,
            Clock clock,
            String region,
            String accountId,
            LambdaTriggers triggers) {
        this(
                store,
                tokens,
                sender,
                clock,
                region,
                accountId,
                new PasswordHasher(),
                new SecureRandom(),
                CodeDelivery.background(),
                AuthEvents.background(),
                triggers);
    }

    /**
     * Codes sent to clients hiding user existence, and auth events, are written on the calling thread (tests read them
     * at once).
     */
    UserPoolApi(
            ItemStore store,
            TokenService tokens,
            MessageSender sender,
            Clock clock,
            String region,
            String accountId,
            PasswordHasher hasher,
            SecureRandom random) {
        this(store, tokens, sender, clock, region, accountId, hasher, random, LambdaTriggers.NONE);
    }

    /** As above, with the functions the pools' triggers name. */
    UserPoolApi(
            ItemStore store,
            TokenService tokens,
            MessageSender sender,
            Clock clock,
            String region,
            String accountId,
            PasswordHasher hasher,
            SecureRandom random,
            LambdaTriggers triggers) {
        this(store, tokens, sender, clock, region, accountId, hasher, random, Runnable::run, Runnable::run, triggers);
    }

    private UserPoolApi(
            ItemStore store,
            TokenService tokens,
            MessageSender sender,
            Clock clock,
            String region,
            String accountId,
            PasswordHasher hasher,
            SecureRandom random,
            java.util.concurrent.Executor detached,
            java.util.concurrent.Executor eventWrites,
            LambdaTriggers triggers) {
        PoolDirectory directory = new PoolDirectory(store, clock, random, region, accountId);
        Triggers poolTriggers = new Triggers(triggers);
        this.groups = new GroupRepository(store);
        this.resources = new PoolResources(store);
        this.accountId = accountId;
        ProofGate gate = new ProofGate();
        this.ctx = new PoolContext(
                directory,
                new UserRepository(store),
                new AuthSessions(store, random),
                new CodeBudget(store, gate),
                gate,
                hasher,
                new GroupClaims(
                        Objects.requireNonNull(tokens, "tokens cannot be null"),
                        groups,
                        new TokenTriggers(poolTriggers, directory)),
                new CodeDelivery(sender, detached, new UserTriggers(poolTriggers)),
                clock,
                random,
                SrpKeys.loadOrCreate(store, random),
                new AuthEvents(store, eventWrites),
                poolTriggers);
        this.registration = new Registration(ctx);
        this.authentication = new Authentication(ctx);
        this.accounts = new Accounts(ctx);
    }

    /**
     * The default pool (email is the username, email auto-verified, Cognito's default policy) and its app client (no
     * secret; USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, ADMIN_USER_PASSWORD_AUTH), created on the first
     * call for a store and the same ids on every later call, from any node.
     */
    public DefaultStack ensureDefaultStack() {
        return ctx.directory.ensure(DEFAULT_STACK, directory -> {
            ObjectNode pool = AwsJson.mapper().createObjectNode();
            pool.put("PoolName", "gatehouse");
            pool.putArray("UsernameAttributes").add("email");
            pool.putArray("AutoVerifiedAttributes").add("email");
            pool.putObject("UsernameConfiguration").put("CaseSensitive", false);
            pool.putArray("Schema")
                    .addObject()
                    .put("Name", "email")
                    .put("Required", true)
                    .put("Mutable", true);
            String poolId = directory.createPool(pool).id();
            ObjectNode client = AwsJson.mapper().createObjectNode();
            client.put("UserPoolId", poolId);
            client.put("ClientName", "gatehouse-web");
            client.putArray("ExplicitAuthFlows")
                    .add("ALLOW_USER_PASSWORD_AUTH")
                    .add("ALLOW_USER_SRP_AUTH")
                    .add("ALLOW_REFRESH_TOKEN_AUTH")
                    .add("ALLOW_ADMIN_USER_PASSWORD_AUTH");
            client.put("PreventUserExistenceErrors", "ENABLED");
            return new DefaultStack(poolId, directory.createClient(client).clientId());
        });
    }

    /**
     * Creates a pool from a CreateUserPool request, for a stack's {@code AWS::Cognito::UserPool}; returns its id. The
     * template's {@code EnabledMfas} (with {@code EmailAuthenticationMessage} and {@code EmailAuthenticationSubject})
     * then configures MFA as SetUserPoolMfaConfig does. Bad settings throw
     * {@link dev.gatehouse.protocol.ServiceException} as those operations answer them. Blocking.
     */
    public String createPool(ObjectNode request) {
        ObjectNode create = request.deepCopy();
        Optional<ObjectNode> mfa = MfaApi.templateMfa(create);
        PoolConfig pool = ctx.directory.createPool(create);
        mfa.ifPresent(config -> ctx.directory.updatePool(MfaApi.withTemplateMfa(pool, config, ctx.now())));
        return pool.id();
    }

    /**
     * Sets a pool's triggers to {@code lambdaConfig} (UpdateUserPool's {@code LambdaConfig}), for a stack whose
     * template names them: applied on every start, so a trigger added to the template takes effect on a pool created
     * before. Bad settings throw {@link dev.gatehouse.protocol.ServiceException} as UpdateUserPool answers them.
     * Blocking.
     */
    public void setLambdaConfig(String userPoolId, ObjectNode lambdaConfig) {
        ObjectNode request = AwsJson.mapper().createObjectNode().put("UserPoolId", userPoolId);
        request.set("LambdaConfig", lambdaConfig);
        ModelInput.validate("UpdateUserPool", request);
        ObjectNode doc = ctx.directory.pool(userPoolId).document();
        ObjectNode config = Triggers.lambdaConfig(lambdaConfig);
        if (!config.equals(doc.path("LambdaConfig"))) {
            doc.set("LambdaConfig", config);
            ctx.directory.updatePool(new PoolConfig(doc));
        }
    }

    /** Creates an app client from a CreateUserPoolClient request; returns its id. Blocking. */
    public String createClient(ObjectNode request) {
        return ctx.directory.createClient(request).clientId();
    }

    /**
     * Updates a pool as UpdateUserPool does ({@code UserPoolId} and UpdateUserPool's members; what is left out goes
     * back to its default), for a stack whose template changed. Bad settings throw
     * {@link dev.gatehouse.protocol.ServiceException} as UpdateUserPool answers them. Blocking.
     */
    public void updatePool(ObjectNode request) {
        lifecycle().updatePool(ModelInput.validate("UpdateUserPool", request));
    }

    /** Adds custom attributes to a pool as AddCustomAttributes does (names without {@code custom:}). Blocking. */
    public void addCustomAttributes(String userPoolId, java.util.List<ObjectNode> attributes) {
        PoolConfig pool = ctx.directory.pool(userPoolId);
        ctx.directory.updatePool(pool.withCustomAttributes(attributes, ctx.now()));
    }

    /** Updates an app client as UpdateUserPoolClient does, for a stack whose template changed. Blocking. */
    public void updateClient(ObjectNode request) {
        lifecycle().updateClient(ModelInput.validate("UpdateUserPoolClient", request));
    }

    private PoolLifecycleApi lifecycle() {
        return new PoolLifecycleApi(
                ctx, groups, new IdentityProviderApi(ctx, resources), new ResourceServerApi(ctx, resources), resources);
    }

    /** The default pool and client a data dir got before stacks were read from templates, if it has them. */
    public Optional<DefaultStack> existingDefaultStack() {
        return ctx.directory.find(DEFAULT_STACK);
    }

    /** Whether a pool with this id exists, for routes such as {@code /<poolId>/.well-known/jwks.json}. Blocking. */
    public boolean poolExists(String userPoolId) {
        return Fields.POOL_ID.matcher(userPoolId).matches()
                && userPoolId.length() <= 55
                && ctx.directory.findPool(userPoolId).isPresent();
    }

    /** Registers every user-pool operation on {@code service}; admin operations require SigV4. */
    public void registerOn(AwsJsonService service) {
        registerUserOperations(service);
        IdentityProviderApi providers = new IdentityProviderApi(ctx, resources);
        ResourceServerApi servers = new ResourceServerApi(ctx, resources);
        new AdminApi(ctx, registration, authentication, accounts, providers::exists, servers::scopeExists)
                .registerOn(service);
        new GroupApi(ctx, groups).registerOn(service);
        new PoolLifecycleApi(ctx, groups, providers, servers, resources).registerOn(service);
        providers.registerOn(service);
        servers.registerOn(service);
        new DomainApi(ctx, resources, accountId).registerOn(service);
        new AttributesApi(ctx, accounts).registerOn(service);
        new PasswordResetApi(ctx).registerOn(service);
        new MfaApi(ctx, accounts).registerOn(service);
        new AuthEventsApi(ctx, ctx.events).registerOn(service);
        new PoolMetadataApi(ctx).registerOn(service);
    }

    private void registerUserOperations(AwsJsonService service) {
        Operation.Auth none = Operation.Auth.NONE;
        service.register("SignUp", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            Optional<String> secretHash = Fields.secretHash(in);
            String username = Fields.username(in);
            String password = Fields.password(in, "Password");
            var attributes = Fields.attributes(in, "UserAttributes");
            var validationData = Fields.attributes(in, "ValidationData");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return registration.signUp(
                    clientId, secretHash, username, password, attributes, validationData, clientMetadata);
        });
        service.register("ConfirmSignUp", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            Optional<String> secretHash = Fields.secretHash(in);
            String username = Fields.username(in);
            String code = Fields.code(in);
            boolean force = in.optionalBoolean("ForceAliasCreation").orElse(false);
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            registration.confirmSignUp(clientId, secretHash, username, code, force, clientMetadata);
            return empty();
        });
        service.register("ResendConfirmationCode", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            Optional<String> secretHash = Fields.secretHash(in);
            String username = Fields.username(in);
            in.validate();
            return registration.resendConfirmationCode(clientId, secretHash, username);
        });
        service.register("ForgotPassword", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            Optional<String> secretHash = Fields.secretHash(in);
            String username = Fields.username(in);
            in.validate();
            return registration.forgotPassword(clientId, secretHash, username);
        });
        service.register("ConfirmForgotPassword", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            Optional<String> secretHash = Fields.secretHash(in);
            String username = Fields.username(in);
            String code = Fields.code(in);
            String password = Fields.password(in, "Password");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            registration.confirmForgotPassword(clientId, secretHash, username, code, password, clientMetadata);
            return empty();
        });
        service.register("InitiateAuth", none, (body, c) -> {
            Input in = Input.of(body);
            String flow = in.requiredString("AuthFlow", 1, 64);
            in.checkEnum("AuthFlow", Optional.of(flow).filter(a -> !a.isEmpty()), Authentication.AUTH_FLOWS);
            String clientId = Fields.clientId(in);
            var params = in.stringMap("AuthParameters");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return authentication.initiateAuth(Optional.empty(), clientId, flow, params, clientMetadata);
        });
        service.register("RespondToAuthChallenge", none, (body, c) -> {
            Input in = Input.of(body);
            String clientId = Fields.clientId(in);
            String challenge = in.requiredString("ChallengeName", 1, 64);
            Optional<String> session = in.optionalString("Session", 20, 2048);
            var responses = in.stringMap("ChallengeResponses");
            var clientMetadata = in.stringMap("ClientMetadata");
            in.validate();
            return authentication.respondToChallenge(
                    Optional.empty(), clientId, challenge, session, responses, clientMetadata);
        });
        service.register("RevokeToken", none, (body, c) -> {
            Input in = Input.of(body);
            String token = Fields.token(in, "Token");
            String clientId = Fields.clientId(in);
            Optional<String> secret = in.optionalString("ClientSecret", 24, 64);
            in.checkPattern("ClientSecret", secret, Fields.CLIENT_ID);
            in.validate();
            authentication.revokeToken(token, clientId, secret);
            return empty();
        });
        registerTokenOperations(service);
    }

    private void registerTokenOperations(AwsJsonService service) {
        Operation.Auth none = Operation.Auth.NONE;
        service.register("GetUser", none, (body, c) -> accounts.getUser(accessToken(body)));
        service.registerWithoutBlocking("GetUser", body -> accounts.getUserWithoutBlocking(accessToken(body)));
        service.register("GlobalSignOut", none, (body, c) -> {
            accounts.globalSignOut(accessToken(body));
            return empty();
        });
        service.register("DeleteUser", none, (body, c) -> {
            accounts.deleteUser(accessToken(body));
            return empty();
        });
        service.register("UpdateUserAttributes", none, (body, c) -> {
            Input in = Input.of(body);
            String token = Fields.token(in, "AccessToken");
            var attributes = Fields.attributes(in, "UserAttributes");
            if (!body.has("UserAttributes")) {
                in.addViolation("UserAttributes", "Member must not be null");
            }
            in.validate();
            return accounts.updateUserAttributes(token, attributes);
        });
        service.register("GetUserAttributeVerificationCode", none, (body, c) -> {
            Input in = Input.of(body);
            String token = Fields.token(in, "AccessToken");
            String attribute = in.requiredString("AttributeName", 1, 32);
            in.validate();
            return accounts.getUserAttributeVerificationCode(token, attribute);
        });
        service.register("VerifyUserAttribute", none, (body, c) -> {
            Input in = Input.of(body);
            String token = Fields.token(in, "AccessToken");
            String attribute = in.requiredString("AttributeName", 1, 32);
            String code = in.requiredString("Code", 1, 2048);
            in.validate();
            accounts.verifyUserAttribute(token, attribute, code);
            return empty();
        });
        service.register("ChangePassword", none, (body, c) -> {
            Input in = Input.of(body);
            Optional<String> previous = in.optionalString("PreviousPassword", 0, 256);
            in.checkPattern("PreviousPassword", previous, Fields.PASSWORD);
            String proposed = Fields.password(in, "ProposedPassword");
            String token = Fields.token(in, "AccessToken");
            in.validate();
            accounts.changePassword(token, previous, proposed);
            return empty();
        });
    }

    private static String accessToken(ObjectNode body) {
        Input in = Input.of(body);
        String token = Fields.token(in, "AccessToken");
        in.validate();
        return token;
    }

    static ObjectNode empty() {
        return AwsJson.mapper().createObjectNode();
    }
}
