package dev.gatehouse.server;

import dev.gatehouse.functions.FunctionRegistry;
import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.iam.AccessKeys;
import dev.gatehouse.identity.IdentityPoolApi;
import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.objects.ObjectStore;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.stack.Stack;
import dev.gatehouse.stack.TemplateReader;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.tables.DynamoDbService;
import dev.gatehouse.userpool.JwtTokenService;
import dev.gatehouse.userpool.TokenService;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack in one process: data dir, store, stack state, the AWS endpoint and its services. Usable from
 * {@link Main} and in-process from tests ({@code new GatehouseServer(config).start()}, then {@link #stop()}).
 *
 * <p>Start-up is a sequence of steps over one {@link Held} holder: data dir (owner-only), store, stack state and admin
 * credentials file; the template read (so a bad one fails before any port is bound); worker pool, Vert.x and listeners
 * bound (so a port of 0 is known); services wired; the stack applied (DESIGN.md §5); endpoints served; and only then
 * the outputs file is written: a reader that sees the outputs file can call every endpoint in it.
 *
 * <p>A {@code --template} is then watched ({@link StackReloader}): a saved change is applied again while running
 * ({@link #reapply}), keeping users, identities and data; a template that no longer reads or applies leaves the last
 * good stack serving.
 */
public final class GatehouseServer {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);

    /** The Cognito user-pool service's {@code X-Amz-Target} prefix and signing name. */
    static final String COGNITO_IDP_TARGET = "AWSCognitoIdentityProviderService";

    static final String COGNITO_IDP_SIGNING_NAME = "cognito-idp";
    private static final int EVENT_LOOPS = 2;
    /** How long a gateway replaced by a re-apply lives on: past the longest integration timeout (30 s). */
    private static final Duration RETIRED_GATEWAY_GRACE = Duration.ofSeconds(35);

    private final ServerConfig config;
    private final StackConfig stackConfig;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private final StoreFactory storeFactory;
    /** Everything start-up acquired, released in reverse by {@link #stop()}. */
    private final Held held = new Held();

    private volatile @Nullable DynamoDbService tables;
    private volatile @Nullable StackOutputs outputs;
    /** What a re-apply of the template reuses, and the stack applied last; set once started. */
    private volatile @Nullable Running running;

    private volatile @Nullable StackReloader reloader;
    private volatile Consumer<StackOutputs> reappliedListener = applied -> {};
    private boolean started;
    private boolean stopping;

    public GatehouseServer(ServerConfig config) {
        this(config, Clock.systemUTC());
    }

    public GatehouseServer(ServerConfig config, Clock clock) {
        this(config, clock, StoreFactory.SQLITE);
    }

    GatehouseServer(ServerConfig config, Clock clock, StoreFactory storeFactory) {
        this(config, clock, storeFactory, StackConfig.builtIn());
    }

    /** A server running the app {@code stack} names (a template, parameters, a stage). */
    public GatehouseServer(ServerConfig config, Clock clock, StoreFactory storeFactory, StackConfig stack) {
        this.config = Objects.requireNonNull(config, "config cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory cannot be null");
        this.stackConfig = Objects.requireNonNull(stack, "stack cannot be null");
    }

    /**
     * Starts the stack and returns its outputs once every listener serves; with {@code --outputs-file}, the file has
     * been written by then. Throws when the stack cannot start (a {@link dev.gatehouse.stack.TemplateException} for a
     * template that cannot run), having released what it acquired.
     */
    public StackOutputs start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("the server was already started");
            }
            started = true;
            try {
                return startUp();
            } catch (RuntimeException | Error e) {
                stop();
                throw e;
            }
        }
    }

    /** Start-up as steps over {@link #held}; each step only adds to it. */
    private StackOutputs startUp() {
        Instant begin = clock.instant();
        // Read on a thread of its own while the rest starts: finding the files in the jar's ~25,000 entries takes
        // tens of milliseconds, and only the web endpoint's first file request needs them.
        CompletableFuture<WebAssets> web =
                StartThreads.begin("web-assets", () -> WebAssets.fromClasspath(GatehouseServer.class.getClassLoader()));
        // Vert.x and the listeners come up on a second thread while this one opens the store and reads the template.
        CompletableFuture<Urls> listening = StartThreads.begin("listeners", this::bindListeners);
        Storage storage;
        StackReloader.Stamp stamp;
        Stack stack;
        try {
            storage = openStorage();
            // Taken before the template is read: a save while it is read is then seen as a change and applied again.
            stamp = stackConfig.template().map(StackReloader.Stamp::of).orElse(StackReloader.Stamp.MISSING);
            stack = stackConfig.read(config.region(), storage.state().accountId(), System.getenv());
        } catch (RuntimeException | Error e) {
            StartThreads.settle(listening); // what it holds is released by stop(), once it is held
            throw e;
        }
        Urls urls = StartThreads.join(listening);
        Services services = wireServices(storage, urls);
        IdentityPoolCallers callers = new IdentityPoolCallers(
                services.identityPools().credentialResolver(),
                services.identityPools().rolePolicies(),
                services.offLoop(),
                clock,
                RolePolicies.DEFAULT_CACHE_TTL);
        DynamoDbService dynamoDb =
                TablesStack.service(storage.items(), storage.state(), callers, config.region(), clock);
        StackApplier.Applied applied = applyStack(stack, storage, urls, services, dynamoDb);
        new PhysicalIds(storage.items(), stack.stage()).logNotIn(stack, stackConfig.fileName());
        applied.roleArns().forEach(callers::warm);
        AwsEndpoint aws = serveAws(storage, services, applied, callers, dynamoDb);
        serveApi(storage, applied, callers);
        Running now = new Running(storage, urls, services, callers, dynamoDb, aws, web, stack, applied);
        running = now;
        storage.startWrites().close(); // every write of the start on disk before anyone is told it is ready
        StackOutputs result = publish(now, applied);
        watchTemplate(stamp, aws);
        aws.setReady(() -> StoreProbe.answers(storage.items()));
        LOG.info(
                "Gatehouse ready in {} ms: stack {} (stage {}), AWS endpoint {}, API endpoint {}, web app {}, account {},"
                        + " data dir {}",
                Duration.between(begin, clock.instant()).toMillis(),
                stack.name(),
                stack.stage(),
                urls.aws(),
                urls.api(),
                urls.web(),
                storage.state().accountId(),
                storage.dataDir().root());
        return result;
    }

    private record Storage(
            DataDirectory dataDir, ItemStore items, StackState state, ItemStore.Durability startWrites) {}

    /** What start-up wired, reused by a re-apply; {@code stack} and {@code applied} are the ones serving. */
    private record Running(
            Storage storage,
            Urls urls,
            Services services,
            IdentityPoolCallers callers,
            DynamoDbService tables,
            AwsEndpoint aws,
            CompletableFuture<WebAssets> web,
            Stack stack,
            StackApplier.Applied applied) {

        Running with(Stack newStack, StackApplier.Applied newApplied) {
            return new Running(storage, urls, services, callers, tables, aws, web, newStack, newApplied);
        }
    }

    private record Urls(String aws, String api, String web) {}

    private record Services(
            TokenService tokens,
            AwsJsonService cognito,
            UserPools userPools,
            AwsJsonService identity,
            AwsJsonService admin,
            IdentityPoolApi identityPools,
            Executor offLoop,
            NotesApi notes,
            ObjectStore objects) {}

    /** Data dir (owner-only), store, stack state and the admin credentials file. */
    private Storage openStorage() {
        DataDirectory dataDir = DataDirectory.open(config.dataDir());
        held.lock(DataDirectoryLock.acquire(dataDir.root(), stackConfig.stage()));
        ItemStore items = held.store(storeFactory.open(dataDir.privateDatabase(), clock));
        // the start's writes are made durable once, before it is ready, not one by one (ItemStore.deferDurability)
        ItemStore.Durability startWrites = items.deferDurability();
        StackState state = StackState.loadOrCreate(items, AccessKeys.create(), new SecureRandom(), clock.instant());
        state.admin().writeTo(dataDir.adminCredentials());
        return new Storage(dataDir, items, state, startWrites);
    }

    /** The worker pool, Vert.x and the three listeners, bound so that a port of 0 is known. */
    private Urls bindListeners() {
        held.workers(new WorkerPool("gatehouse-worker", config.workerThreads(), config.workerQueue()));
        Vertx runtime = held.vertx(EventLoops.start(EVENT_LOOPS));
        HttpListener aws = held.aws(HttpListener.bind(runtime, config.host(), config.awsPort()));
        // One server per event loop: the gateway's authorizers run on the event loop, so one loop would cap it at a
        // core.
        HttpListener api = held.api(HttpListener.bind(runtime, config.host(), config.apiPort(), EVENT_LOOPS));
        HttpListener web = held.web(HttpListener.bind(runtime, config.host(), config.webPort()));
        return new Urls(url(aws), url(api), url(web));
    }

    private String url(HttpListener listener) {
        return listener.url(config.host());
    }

    /** Tokens, the Cognito services and the notes handlers over the stage's data. */
    private Services wireServices(Storage storage, Urls urls) {
        ItemStore items = storage.items();
        String accountId = storage.state().accountId();
        JwtTokenService tokens = new JwtTokenService(
                items,
                clock,
                config.issuerStyle() == ServerConfig.IssuerStyle.AWS
                        ? JwtTokenService.awsIssuer(config.region())
                        : JwtTokenService.issuerUnder(urls.aws()));
        AwsJsonService cognito = new AwsJsonService(
                COGNITO_IDP_TARGET,
                COGNITO_IDP_SIGNING_NAME,
                AdminRequestAuthenticator.forStack(storage.state(), config.region(), clock));
        // The registry exists once the stack deployed a function; a trigger invoked before that is not found.
        FunctionTriggers triggers =
                new FunctionTriggers(held::functions, config.region(), accountId, FunctionTriggers.COGNITO_WAIT);
        UserPools pools = UserPools.wire(
                cognito,
                items,
                tokens,
                MessageSenders.forConfig(config.mail(), storage.dataDir(), clock),
                config.region(),
                accountId,
                clock,
                triggers);
        AwsJsonService identity = new AwsJsonService(
                IdentityPoolApi.TARGET_PREFIX,
                IdentityPoolApi.SIGNING_NAME,
                AdminRequestAuthenticator.forStack(storage.state(), config.region(), clock));
        IdentityPoolApi identityPools = new IdentityPoolApi(items, tokens, clock, config.region(), accountId);
        identityPools.registerOn(identity);
        identity.setInputShapes(IdentityPoolApi.inputShapes());
        WorkerPool pool = held.workers();
        // Store reads the endpoints would otherwise do on the event loop (keys, role policies) run on the worker pool.
        Executor offLoop = work -> pool.submit(() -> {
            work.run();
            return Boolean.TRUE;
        });
        ObjectStore objectStore =
                ObjectStore.open(items, storage.dataDir().root().resolve("objects"), clock, storeFactory.shared());
        // The app's data is the stage's; a note's attachment is deleted from the stack's bucket with the note.
        ItemStore appData = StagedItemStore.of(items, stackConfig.stage(), TemplateReader.DEFAULT_STAGE);
        NotesApi notes = new NotesApi(appData, clock, (identityId, attachment) -> held.attachments()
                .ifPresent(bucket -> bucket.delete(identityId, attachment)));
        AwsJsonService admin = GatehouseAdminApi.service(
                AdminRequestAuthenticator.forStack(storage.state(), config.region(), clock), tokens, pools::exists);
        return new Services(tokens, cognito, pools, identity, admin, identityPools, offLoop, notes, objectStore);
    }

    /** The stack applied: its resources created or found, its APIs built, its functions deployed. */
    private StackApplier.Applied applyStack(
            Stack stack, Storage storage, Urls urls, Services services, DynamoDbService dynamoDb) {
        String accountId = storage.state().accountId();
        Supplier<FunctionRegistry> functions = () -> held.functions()
                .orElseGet(() -> held.functions(FunctionRegistry.builder(
                                held.vertx(),
                                storage.dataDir().root().resolve("functions").resolve(stack.stage()))
                        .credentials(
                                new RoleCredentials(services.identityPools().sealer(), accountId, clock))
                        .endpointUrl(urls.aws())
                        .build()));
        StackApplier.Services applyTo = new StackApplier.Services(
                storage.items(),
                services.userPools().api(),
                services.identityPools(),
                services.tokens(),
                services.offLoop(),
                new BuiltinFunctions(services.notes()),
                functions,
                config.region(),
                accountId,
                new SecureRandom());
        StackApplier.Endpoints endpoints = new StackApplier.Endpoints(
                urls.aws(),
                urls.api(),
                // One instance: Vert.x shares a port-0 server among instances bound alike, which would join the API
                // endpoint.
                index -> url(held.moreApi(index, () -> HttpListener.bind(held.vertx(), config.host(), 0))),
                urls.web(),
                storage.dataDir().adminCredentials().toString());
        try {
            return new StackApplier(stack, applyTo, endpoints)
                    .tables(dynamoDb)
                    .apply(stackConfig.isBuiltIn() && TemplateReader.DEFAULT_STAGE.equals(stack.stage()));
        } catch (StackException e) {
            throw new StackException(stackConfig.fileName() + ": " + e.getMessage(), e);
        } catch (StackPlan.Refused e) {
            throw new StackException(e.describe(stackConfig.fileName(), stackConfig.text()), e);
        }
    }

    /** The AWS endpoint: Cognito, Cognito Identity, the pools' well-known documents and the stack's buckets. */
    private AwsEndpoint serveAws(
            Storage storage,
            Services services,
            StackApplier.Applied applied,
            IdentityPoolCallers callers,
            DynamoDbService dynamoDb) {
        AwsEndpoint endpoint = held.awsEndpoint(new AwsEndpoint(
                List.of(services.cognito(), services.identity(), services.admin()),
                Optional.of(new WellKnownDocuments(services.tokens(), services.userPools()::exists)),
                held.workers(),
                config.maxBodyBytes()));
        if (!applied.buckets().isEmpty()) {
            serveBuckets(storage, services, applied, callers, endpoint);
        }
        // The template's tables were created (or updated) by the apply.
        tables = dynamoDb;
        endpoint.setTables(dynamoDb);
        held.aws().serve(endpoint);
        return endpoint;
    }

    /** The stack's buckets on the AWS endpoint; the first holds the built-in notes' attachments. */
    private void serveBuckets(
            Storage storage,
            Services services,
            StackApplier.Applied applied,
            IdentityPoolCallers callers,
            AwsEndpoint endpoint) {
        held.attachments(
                new LocalAttachments(services.objects(), applied.buckets().get(0)));
        endpoint.setObjects(AttachmentsStack.endpoint(
                held.vertx(),
                services.objects(),
                applied.buckets(),
                storage.state(),
                callers,
                config.region(),
                held.workers(),
                config.maxObjectSize(),
                clock));
    }

    /**
     * The stack's APIs behind the gateway: the first on the API endpoint, each further one on its own listener (an API
     * with no routes on the API endpoint when the stack has none).
     */
    private void serveApi(Storage storage, StackApplier.Applied applied, IdentityPoolCallers callers) {
        List<Api> apis = applied.apis();
        // A listener whose API left the template (or a stack without APIs) serves an API with no routes.
        int served = Math.max(Math.max(1, apis.size()), held.apiEndpointCount());
        for (int i = 0; i < served; i++) {
            Api api = i < apis.size()
                    ? apis.get(i)
                    : Api.builder("none", "none00none").build();
            Gateway gateway = held.gateway(
                    Gateway.builder(api)
                            .region(config.region())
                            .accountId(storage.state().accountId())
                            .clock(clock)
                            .credentialResolver(callers)
                            .build(),
                    api.apiId());
            if (i < held.apiEndpointCount()) {
                // Swapped whole: a request meets the old API or the new one. The old gateway closes once what it
                // runs has had the integration timeout to finish.
                Gateway replaced = held.apiEndpointAt(i).swap(gateway);
                held.vertx().setTimer(RETIRED_GATEWAY_GRACE.toMillis(), id -> replaced.close());
            } else {
                ApiEndpoint endpoint = held.apiEndpoint(new ApiEndpoint(gateway, Gateway.MAX_PAYLOAD_BYTES));
                StackReloader watching = reloader;
                if (watching != null) {
                    endpoint.gate(watching);
                }
                held.apiListener(i).serve(endpoint);
            }
        }
    }

    /** Serves the outputs: the web app's config, the outputs file, {@link #outputs()}. */
    private StackOutputs publish(Running now, StackApplier.Applied applied) {
        StackOutputs result = applied.outputs();
        held.web().serve(new WebEndpoint(now.web(), result));
        config.outputs().ifPresent(result::writeJson);
        outputs = result;
        return result;
    }

    /**
     * With a {@code --template} (and unless {@code --no-watch}), re-applies it when it changes: endpoints ask the
     * reloader before each request. {@code GET /_gatehouse/stack} tells how the last apply went.
     */
    private void watchTemplate(StackReloader.Stamp stamp, AwsEndpoint aws) {
        if (stackConfig.template().isEmpty() || !stackConfig.watch()) {
            String state = StackReloader.unwatchedStatus(
                    stackConfig.template().map(Path::toString).orElse(StackConfig.BUILT_IN));
            aws.setStack(Optional.empty(), () -> state);
            return;
        }
        StackReloader watching = new StackReloader(stackConfig.template().get(), stamp, this::reapply, clock);
        reloader = watching;
        held.apiEndpoints().forEach(endpoint -> endpoint.gate(watching));
        aws.setStack(Optional.of(watching), watching::statusJson);
        watching.watch();
    }

    /**
     * Reads and applies the template again (on the reloader's thread), then serves the result: new and changed
     * resources as {@link StackApplier} leaves them, each API swapped whole, functions and role policies that left the
     * template removed, pools and tables that left it kept (logged), outputs published again. A template that does not
     * read or apply throws before anything that serves has changed.
     */
    private void reapply() {
        Running before = Objects.requireNonNull(running, "the server is started");
        Stack stack = stackConfig.read(config.region(), before.storage().state().accountId(), System.getenv());
        StackApplier.Applied applied =
                applyStack(stack, before.storage(), before.urls(), before.services(), before.tables());
        StackPlan.Removed removed = StackPlan.removed(before.stack(), stack);
        removed.kept()
                .forEach((logicalId, kind) -> LOG.warn(
                        "{}: {} {} left the template; Gatehouse keeps it with its data (see docs/your-own-app.md,"
                                + " \"Changing the template\")",
                        stackConfig.fileName(),
                        kind,
                        logicalId));
        RolePolicies policies = before.services().identityPools().rolePolicies();
        before.applied().roleArns().stream()
                .filter(arn -> !applied.roleArns().contains(arn))
                .forEach(policies::remove);
        before.applied().roleArns().forEach(before.callers()::warm);
        applied.roleArns().forEach(before.callers()::warm);
        if (held.attachments().isEmpty() && !applied.buckets().isEmpty()) {
            serveBuckets(before.storage(), before.services(), applied, before.callers(), before.aws());
        } else if (!applied.buckets().equals(before.applied().buckets())) {
            LOG.warn(
                    "{}: the buckets changed; {} are served until Gatehouse restarts",
                    stackConfig.fileName(),
                    before.applied().buckets());
        }
        serveApi(before.storage(), applied, before.callers());
        held.functions().ifPresent(registry -> registry.names().stream()
                .filter(name -> !applied.functionNames().contains(name))
                .forEach(name -> {
                    registry.remove(name);
                    LOG.info("{}: function {} left the template: its workers end", stackConfig.fileName(), name);
                }));
        Running now = before.with(stack, applied);
        running = now;
        reappliedListener.accept(publish(now, applied));
    }

    /** Called with the outputs after each re-apply of the template (Main prints them, as at start). */
    public void onReapplied(Consumer<StackOutputs> listener) {
        this.reappliedListener = Objects.requireNonNull(listener, "listener cannot be null");
    }

    /** The outputs, once started. */
    public Optional<StackOutputs> outputs() {
        synchronized (lifecycle) {
            return Optional.ofNullable(outputs);
        }
    }

    /** The AWS endpoint's bound port, once started. */
    public int awsPort() {
        synchronized (lifecycle) {
            return held.aws().port();
        }
    }

    /** The API endpoint's bound port, once started. */
    public int apiPort() {
        synchronized (lifecycle) {
            return held.api().port();
        }
    }

    /** The web endpoint's bound port, once started. */
    public int webPort() {
        synchronized (lifecycle) {
            return held.web().port();
        }
    }

    /**
     * The app's tables (DynamoDB's API on the AWS endpoint), once started: the template's tables are created with
     * {@link DynamoDbService#createTableIfMissing}.
     */
    public Optional<DynamoDbService> tables() {
        return Optional.ofNullable(tables);
    }

    /** The id of the stack's API (in its ARNs), once started. */
    Optional<String> apiId() {
        synchronized (lifecycle) {
            return held.apiId();
        }
    }

    /** Requests on the AWS and API endpoints accepted and not yet answered; 0 before start. */
    int inFlight() {
        return held.inFlight();
    }

    /**
     * Stops gracefully: new requests are refused, in-flight ones finish (up to the configured grace), then the listener,
     * the worker pool, Vert.x and the store close. Idempotent; safe from a shutdown hook.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            if (outputs != null) {
                LOG.info("Gatehouse shutting down"); // not when start-up failed: its error is the one line to read
            }
            StackReloader watching = reloader;
            if (watching != null) {
                watching.close();
            }
            Instant deadline = clock.instant().plus(config.shutdownGrace());
            held.drain();
            waitForInFlight(deadline);
            held.release(remaining(deadline));
            if (outputs != null) {
                LOG.info("Gatehouse stopped");
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitForInFlight(Instant deadline) {
        // Polling with a short park is fine here: it runs once, at shutdown, and is bounded by the grace period.
        while (inFlight() > 0 && clock.instant().isBefore(deadline)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight() > 0) {
            LOG.warn("{} requests still in flight after the shutdown grace period", inFlight());
        }
    }

    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
