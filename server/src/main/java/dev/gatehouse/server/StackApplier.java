package dev.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.functions.FunctionRegistry;
import dev.gatehouse.functions.FunctionSpec;
import dev.gatehouse.gateway.Api;
import dev.gatehouse.identity.IdentityPoolApi;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.stack.Resource;
import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.Value;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.tables.DynamoDbService;
import dev.gatehouse.tables.TableSpec;
import dev.gatehouse.userpool.TokenService;
import dev.gatehouse.userpool.UserPoolApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Stack} to Gatehouse's services (DESIGN.md §5), idempotently by stage and logical id
 * ({@link PhysicalIds}): a resource recorded before is found, not created again, so users and data stay; what
 * Gatehouse holds per start (role policies, an identity pool's roles, the API's routes) is written from the template
 * on every apply, so a changed template takes effect. A user pool, app client, identity pool or table whose settings
 * changed since they were last applied is updated in place as {@link StackPlan} decides; a change that would need the
 * resource replaced is refused.
 *
 * <p>Two phases, so that a refused or broken template changes nothing that runs: the first walks the resources,
 * creating only what is new (harmless: nothing refers to it yet) and checking everything; the second, reached only
 * when nothing was refused, updates existing resources, writes role policies and deploys changed functions.
 *
 * <p>Resources are applied in the stack's order (each after what it refers to); ids that only Gatehouse chooses (API
 * ids, generated bucket and role names) are allocated first, so a role's policy can name an API declared after it.
 */
final class StackApplier {

    private static final Logger LOG = LoggerFactory.getLogger(StackApplier.class);
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Pattern EXECUTE_API_URL =
            Pattern.compile("https://([a-z0-9]{10})\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com(/.*)?");

    /** What the stack is applied to. */
    record Services(
            ItemStore store,
            UserPoolApi userPools,
            IdentityPoolApi identityPools,
            TokenService tokens,
            Executor offLoop,
            BuiltinFunctions builtins,
            Supplier<FunctionRegistry> functions,
            String region,
            String accountId,
            SecureRandom random) {}

    /**
     * Gatehouse's own endpoints: the {@code Gatehouse::*} pseudo parameters, and where API URLs point.
     *
     * @param apiUrl the API endpoint, which serves the stack's first API
     * @param moreApiUrl binds a listener for the stack's n-th API (n ≥ 1) and answers its URL
     */
    record Endpoints(
            String awsUrl, String apiUrl, IntFunction<String> moreApiUrl, String webUrl, String adminCredentialsFile) {}

    /**
     * The applied stack.
     *
     * @param apis the gateway's APIs, built from the template's
     * @param buckets the stack's buckets, in template order (the first holds the built-in notes' attachments)
     * @param roleArns every role with a policy, to warm the policy cache
     * @param tables the template's tables by logical id, to create unless they exist
     * @param functionNames the functions deployed, by name (a worker-run function the registry has beyond these was
     *     removed from the template)
     */
    record Applied(
            List<Api> apis,
            List<String> buckets,
            List<String> roleArns,
            Map<String, TableSpec> tables,
            StackOutputs outputs,
            List<String> functionNames) {

        /** The stack's first bucket, where the built-in notes keep attachments. */
        Optional<String> bucket() {
            return buckets.stream().findFirst();
        }
    }

    private final Stack stack;
    private final Services services;
    private final Endpoints endpoints;
    private final PhysicalIds ids;
    private final Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
    private final Map<String, Resource.Function> functions = new LinkedHashMap<>();
    private final Map<String, String> apiUrls = new LinkedHashMap<>();
    private final List<String> roleArns = new ArrayList<>();
    private final List<String> buckets = new ArrayList<>();
    private final Map<String, TableSpec> tables = new LinkedHashMap<>();
    private final List<Api> apis = new ArrayList<>();
    private final StackChanges changes;
    private final List<String> deployed = new ArrayList<>();
    private Optional<DynamoDbService> tableService = Optional.empty();

    StackApplier(Stack stack, Services services, Endpoints endpoints) {
        this.stack = stack;
        this.services = services;
        this.endpoints = endpoints;
        this.ids = new PhysicalIds(services.store(), stack.stage());
        this.changes = new StackChanges(ids);
    }

    /** Applies the stack; {@code adoptLegacyIds} for the built-in recipe, whose data dirs predate templates. Blocking. */
    Applied apply(boolean adoptLegacyIds) {
        if (adoptLegacyIds) {
            LegacyIds.adopt(services, ids);
        }
        allocate();
        for (Resource resource : stack.resources()) {
            StackChanges.run(resource.logicalId(), () -> applyOne(resource));
        }
        changes.commitAll();
        return new Applied(
                List.copyOf(apis),
                List.copyOf(buckets),
                List.copyOf(roleArns),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables)),
                outputs(),
                List.copyOf(deployed));
    }

    /**
     * Where the template's tables are created and updated (during the apply, so a table the template cannot have
     * fails it like any resource); without one, tables are only described in {@link Applied#tables}.
     */
    StackApplier tables(DynamoDbService service) {
        this.tableService = Optional.of(service);
        return this;
    }

    /** The ids Gatehouse alone chooses, before anything refers to them. */
    private void allocate() {
        for (Resource resource : stack.resources()) {
            if (resource instanceof Resource.Api api) {
                String id = ids.ensure(api.logicalId(), "", () -> random(LOWER_ALNUM, 10))
                        .id();
                String url = apiUrls.isEmpty()
                        ? endpoints.apiUrl()
                        : endpoints.moreApiUrl().apply(apiUrls.size());
                apiUrls.put(id, url);
                attributes.put(
                        api.logicalId(),
                        Map.of("Ref", id, "ApiId", id, "RestApiId", id, "ApiEndpoint", url, "RootResourceId", id));
            } else if (resource instanceof Resource.Bucket bucket
                    && bucket.bucketName().isEmpty()) {
                String name = ids.ensure(
                                bucket.logicalId(),
                                "",
                                () -> BucketNames.generated(stack.name(), bucket.logicalId(), random(LOWER_ALNUM, 12)))
                        .id();
                bucketAttributes(bucket.logicalId(), name);
            } else if (resource instanceof Resource.Function function) {
                String name = function.functionName().orElseGet(() -> ids.ensure(
                                function.logicalId(),
                                "",
                                () -> stack.name() + "-" + function.logicalId() + "-" + random(UPPER_ALNUM, 12))
                        .id());
                attributes.put(
                        function.logicalId(),
                        Map.of(
                                "Ref",
                                name,
                                "Arn",
                                "arn:aws:lambda:" + services.region() + ":" + services.accountId() + ":function:"
                                        + name));
            }
        }
    }

    private void applyOne(Resource resource) {
        if (resource instanceof Resource.UserPool pool) {
            userPool(pool);
        } else if (resource instanceof Resource.UserPoolClient client) {
            client(client);
        } else if (resource instanceof Resource.IdentityPool pool) {
            identityPool(pool);
        } else if (resource instanceof Resource.IdentityPoolRoleAttachment attachment) {
            roleAttachment(attachment);
        } else if (resource instanceof Resource.Role role) {
            role(role);
        } else if (resource instanceof Resource.Bucket bucket) {
            bucket(bucket);
        } else if (resource instanceof Resource.Table table) {
            table(table);
        } else if (resource instanceof Resource.Function function) {
            function(function);
        } else if (resource instanceof Resource.Permission permission) {
            permission(permission);
        } else if (resource instanceof Resource.Api api) {
            apis.add(new StackApis(services, functions, this::attribute, this::render).build(api));
        }
        // A GatewayResponseResource is attached to its API by the reader.
    }

    private void userPool(Resource.UserPool pool) {
        ObjectNode request = json(pool.properties());
        ObjectNode triggers = request.has("LambdaConfig")
                ? (ObjectNode) request.get("LambdaConfig")
                : AwsJson.mapper().createObjectNode();
        new StackFunctions(stack, this::attribute).checkTriggers(pool.logicalId(), triggers);
        // The triggers are set on every apply (below), so changing them is no change of the pool's settings.
        ObjectNode settings = request.deepCopy();
        settings.remove("LambdaConfig");
        String poolId = changes.ensure(
                pool.logicalId(),
                settings,
                () -> services.userPools().createPool(request),
                (id, before) -> StackPlan.userPool(pool.logicalId(), id, before, settings),
                (id, change) -> {
                    if (!change.added().isEmpty()) {
                        services.userPools().addCustomAttributes(id, change.added());
                    }
                    change.requests().forEach(services.userPools()::updatePool);
                });
        changes.commit(pool.logicalId(), () -> services.userPools().setLambdaConfig(poolId, triggers));
        String providerName = "cognito-idp." + services.region() + ".amazonaws.com/" + poolId;
        attributes.put(
                pool.logicalId(),
                Map.of(
                        "Ref",
                        poolId,
                        "UserPoolId",
                        poolId,
                        "ProviderName",
                        providerName,
                        "ProviderURL",
                        "https://" + providerName,
                        "Arn",
                        "arn:aws:cognito-idp:" + services.region() + ":" + services.accountId() + ":userpool/"
                                + poolId));
    }

    /** {@code AWS::Lambda::Permission}: its function must be the stack's; the permission itself is not enforced. */
    private void permission(Resource.Permission permission) {
        String function = render(permission.functionName());
        if (new StackFunctions(stack, this::attribute).byArn(function).isEmpty()) {
            throw new StackException("resource " + permission.logicalId() + ", property FunctionName: " + function
                    + " is not a function of this stack");
        }
        permission.sourceArn().ifPresent(this::render);
        attributes.put(permission.logicalId(), Map.of("Ref", permission.logicalId()));
    }

    private void client(Resource.UserPoolClient client) {
        ObjectNode request = json(client.properties());
        request.put("UserPoolId", render(client.userPoolId()));
        String clientId = changes.ensure(
                client.logicalId(),
                request,
                () -> services.userPools().createClient(request),
                (id, before) -> StackPlan.client(client.logicalId(), id, before, request),
                (id, change) -> change.requests().forEach(services.userPools()::updateClient));
        attributes.put(
                client.logicalId(),
                Map.of(
                        "Ref",
                        clientId,
                        "ClientId",
                        clientId,
                        "Name",
                        request.path("ClientName").asText()));
    }

    private void identityPool(Resource.IdentityPool pool) {
        ObjectNode description = AwsJson.mapper().createObjectNode();
        String name = pool.name().orElse((stack.name() + " " + pool.logicalId()).replaceAll("[^\\w ]", "_"));
        description.put("IdentityPoolName", name);
        description.put("AllowUnauthenticatedIdentities", pool.allowUnauthenticated());
        description.put("AllowClassicFlow", pool.allowClassicFlow());
        description.putObject("SupportedLoginProviders");
        var providers = description.putArray("CognitoIdentityProviders");
        pool.providers().forEach(p -> providers
                .addObject()
                .put("ProviderName", render(p.providerName()))
                .put("ClientId", render(p.clientId()))
                .put("ServerSideTokenCheck", p.serverSideTokenCheck()));
        description.putArray("OpenIdConnectProviderARNs");
        description.putArray("SamlProviderARNs");
        description.putObject("IdentityPoolTags");
        String poolId = changes.ensure(
                pool.logicalId(),
                description,
                () -> services.identityPools().createPool(description),
                (id, before) -> new StackPlan.Change(List.of(), List.of(description), List.of()),
                (id, change) -> services.identityPools().updatePool(id, description));
        attributes.put(pool.logicalId(), Map.of("Ref", poolId, "Id", poolId, "Name", name));
    }

    private void roleAttachment(Resource.IdentityPoolRoleAttachment attachment) {
        ObjectNode roles = RoleAttachmentRequest.of(attachment, this::render);
        String identityPoolId = render(attachment.identityPoolId());
        changes.commit(attachment.logicalId(), () -> services.identityPools().setRoles(identityPoolId, roles));
        attributes.put(attachment.logicalId(), Map.of("Ref", attachment.logicalId()));
    }

    private void role(Resource.Role role) {
        String name = role.roleName().map(this::render).orElseGet(() -> ids.ensure(
                        role.logicalId(),
                        "",
                        () -> stack.name() + "-" + role.logicalId() + "-" + random(UPPER_ALNUM, 12))
                .id());
        String arn = "arn:aws:iam::" + services.accountId() + ":role/" + name;
        attributes.put(
                role.logicalId(),
                Map.of(
                        "Ref",
                        name,
                        "Arn",
                        arn,
                        "RoleId",
                        "AROA" + digest(arn).substring(0, 17).toUpperCase(Locale.ROOT)));
        if (!role.policies().isEmpty()) {
            String document = policyDocument(role);
            changes.commit(
                    role.logicalId(),
                    () -> services.identityPools().rolePolicies().put(arn, document));
            roleArns.add(arn);
        }
    }

    /** One document of every inline policy's statements: Gatehouse evaluates a role as one policy. */
    private String policyDocument(Resource.Role role) {
        if (role.policies().size() == 1) {
            return json(role.policies().get(0).document()).toString();
        }
        ObjectNode merged = AwsJson.mapper().createObjectNode().put("Version", "2012-10-17");
        var statements = merged.putArray("Statement");
        for (Resource.InlinePolicy policy : role.policies()) {
            var statement = json(policy.document()).path("Statement");
            if (statement.isArray()) {
                statement.forEach(statements::add);
            } else {
                statements.add(statement);
            }
        }
        return merged.toString();
    }

    private void bucket(Resource.Bucket bucket) {
        bucket.bucketName().ifPresent(name -> bucketAttributes(bucket.logicalId(), render(name)));
        buckets.add(BucketNames.check(bucket.logicalId(), attribute(bucket.logicalId(), "Ref"), buckets));
    }

    private void bucketAttributes(String logicalId, String name) {
        attributes.put(
                logicalId,
                Map.of(
                        "Ref",
                        name,
                        "Arn",
                        "arn:aws:s3:::" + name,
                        "DomainName",
                        name + ".s3.amazonaws.com",
                        "RegionalDomainName",
                        name + ".s3." + services.region() + ".amazonaws.com"));
    }

    private void table(Resource.Table table) {
        String name = table.properties()
                .get("TableName")
                .filter(Value.Text.class::isInstance)
                .map(v -> render((Value.Text) v))
                .orElseGet(() -> ids.ensure(
                                table.logicalId(),
                                "",
                                () -> stack.name() + "-" + table.logicalId() + "-" + random(UPPER_ALNUM, 12))
                        .id());
        attributes.put(
                table.logicalId(),
                Map.of(
                        "Ref",
                        name,
                        "Arn",
                        "arn:aws:dynamodb:" + services.region() + ":" + services.accountId() + ":table/" + name));
        ObjectNode properties = json(table.properties());
        TableSpec spec = StackTables.spec(table.logicalId(), table.type(), name, properties);
        tables.put(table.logicalId(), spec);
        tableService.ifPresent(service -> ensureTable(table.logicalId(), spec, properties, service));
    }

    /** Creates the table unless it exists; updates it in place when its settings changed since last applied. */
    private void ensureTable(String logicalId, TableSpec spec, ObjectNode properties, DynamoDbService service) {
        ObjectNode settings = ((ObjectNode) spec.properties()).deepCopy().put("TableName", spec.tableName());
        if (properties.has("TimeToLiveSpecification")) {
            settings.set("TimeToLiveSpecification", properties.get("TimeToLiveSpecification"));
        }
        JsonNode ttl = settings.path("TimeToLiveSpecification");
        changes.commit(logicalId, () -> {
            if (service.createTableIfMissing(spec) && ttl.path("Enabled").asBoolean(false)) {
                service.updateTimeToLive(AwsJson.mapper()
                        .createObjectNode()
                        .put("TableName", spec.tableName())
                        .set("TimeToLiveSpecification", ttl));
            }
        });
        changes.ensure(
                logicalId,
                settings,
                spec::tableName,
                (id, before) -> StackPlan.table(logicalId, before, settings),
                (id, change) -> {
                    change.requests().forEach(request -> {
                        if (request.has("TimeToLiveSpecification")) {
                            service.updateTimeToLive(request);
                        } else {
                            service.updateTable(request);
                        }
                    });
                });
    }

    private void function(Resource.Function function) {
        functions.put(function.logicalId(), function);
        if ("builtin".equals(function.runtime())) {
            if (services.builtins().find(function.handler()).isEmpty()) {
                throw new StackException("resource " + function.logicalId() + ", property Handler: no built-in handler "
                        + function.handler() + " (" + services.builtins().names() + ")");
            }
            return;
        }
        Path code = Path.of(function.codeUri().orElseThrow());
        HandlerCheck.check(function.logicalId(), function.runtime(), function.handler(), code);
        Map<String, String> environment = new LinkedHashMap<>();
        function.environment().forEach((name, value) -> environment.put(name, render(value)));
        FunctionSpec.Builder spec = FunctionSpec.builder(
                        attribute(function.logicalId(), "Ref"), function.runtime(), function.handler(), code)
                .memoryMb(function.memoryMb())
                .timeout(Duration.ofSeconds(function.timeoutSeconds()))
                .environment(environment)
                .region(services.region())
                .accountId(services.accountId());
        function.role().ifPresent(role -> spec.roleArn(render(role)));
        function.reservedConcurrency().ifPresent(spec::reservedConcurrency);
        FunctionSpec built;
        try {
            built = spec.build();
        } catch (IllegalArgumentException e) {
            throw new StackException("resource " + function.logicalId() + ": " + e.getMessage(), e);
        }
        deployed.add(built.name());
        FunctionRegistry registry = services.functions().get();
        if (!registry.function(built.name()).equals(Optional.of(built))) {
            // A function whose code, configuration or environment changed gets fresh workers; one unchanged keeps its
            // own.
            boolean replaced = registry.function(built.name()).isPresent();
            changes.commit(function.logicalId(), () -> {
                registry.deploy(built);
                if (replaced) {
                    LOG.info(
                            "{} ({}) changed in the template: the next invocations run in new workers",
                            function.logicalId(),
                            built.name());
                }
            });
        }
    }

    private StackOutputs outputs() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Stack.Output output : stack.outputs()) {
            values.put(output.name(), localUrl(render(output.value())));
        }
        // What clients are pointed at, printed for every stack (the built-in template names them itself).
        values.putIfAbsent("AwsEndpoint", endpoints.awsUrl());
        if (!apiUrls.isEmpty()) {
            values.putIfAbsent("ApiEndpoint", endpoints.apiUrl());
        }
        values.putIfAbsent("AdminCredentialsFile", endpoints.adminCredentialsFile());
        values.putIfAbsent("WebEndpoint", endpoints.webUrl());
        return StackOutputs.of(values);
    }

    /** An execute-api URL of this stack's API, as a template writes its endpoint, points at the local API endpoint. */
    private String localUrl(String value) {
        Matcher url = EXECUTE_API_URL.matcher(value);
        if (url.matches() && apiUrls.containsKey(url.group(1))) {
            return apiUrls.get(url.group(1)) + (url.group(2) == null ? "" : url.group(2));
        }
        return value;
    }

    private String render(Value.Text text) {
        return text.render(this::lookup);
    }

    private ObjectNode json(Value value) {
        Object plain = Value.render(value, this::lookup);
        return AwsJson.mapper().valueToTree(plain);
    }

    private String lookup(Value.Part part) {
        if (part instanceof Value.Part.Ref ref) {
            return switch (ref.logicalId()) {
                case "Gatehouse::AwsEndpoint" -> endpoints.awsUrl();
                case "Gatehouse::ApiEndpoint" -> endpoints.apiUrl();
                case "Gatehouse::WebEndpoint" -> endpoints.webUrl();
                case "Gatehouse::AdminCredentialsFile" -> endpoints.adminCredentialsFile();
                default -> attribute(ref.logicalId(), "Ref");
            };
        }
        Value.Part.Att att = (Value.Part.Att) part;
        return attribute(att.logicalId(), att.attribute());
    }

    private String attribute(String logicalId, String name) {
        Map<String, String> known = attributes.get(logicalId);
        String value = known == null ? null : known.get(name);
        if (value == null) {
            throw new StackException("resource " + logicalId + ": " + ("Ref".equals(name) ? "Ref" : name)
                    + " is not known when it is needed (is the resource created by this stack?)");
        }
        return value;
    }

    private String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(services.random().nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * Data dirs created before stacks were templates hold the recipe's ids under fixed keys: the first apply of the
     * built-in template in stage {@code dev} records those, so the pool, its users, the API id and the bucket stay.
     */
    private static final class LegacyIds {
        private LegacyIds() {}

        static void adopt(Services services, PhysicalIds ids) {
            services.userPools().existingDefaultStack().ifPresent(pool -> {
                adoptOne(ids, "UserPool", pool.userPoolId());
                adoptOne(ids, "UserPoolClient", pool.clientId());
            });
            services.identityPools()
                    .existingDefault()
                    .ifPresent(pool -> adoptOne(ids, "IdentityPool", pool.identityPoolId()));
            services.store()
                    .get(StackState.TABLE, Key.of("stack", "api"))
                    .flatMap(i -> i.attribute("apiId"))
                    .ifPresent(id -> adoptOne(ids, "NotesApi", id));
            services.store()
                    .get(StackState.TABLE, Key.of("stack", "attachments-bucket"))
                    .flatMap(i -> i.attribute("bucket"))
                    .ifPresent(name -> adoptOne(ids, "Attachments", name));
        }

        private static void adoptOne(PhysicalIds ids, String logicalId, String id) {
            if (ids.find(logicalId).isEmpty()) {
                ids.record(logicalId, id, "");
            }
        }
    }
}
