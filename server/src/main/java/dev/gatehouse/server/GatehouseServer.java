package dev.gatehouse.server;

import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.iam.AccessKeys;
import dev.gatehouse.identity.DefaultIdentityPool;
import dev.gatehouse.identity.IdentityPoolApi;
import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.objects.ObjectStore;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.Caller;
import dev.gatehouse.protocol.RequestAuthenticator;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.userpool.JwtTokenService;
import dev.gatehouse.userpool.MessageSender;
import dev.gatehouse.userpool.OutboxMessageSender;
import dev.gatehouse.userpool.SmtpMessageSender;
import dev.gatehouse.userpool.SmtpSettings;
import dev.gatehouse.userpool.TokenService;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack in one process: data dir, store, stack state, the AWS endpoint and its services. Usable from
 * {@link Main} and in-process from tests ({@code new GatehouseServer(config).start()}, then {@link #stop()}).
 *
 * <p>Start-up order: data dir (owner-only), store, worker pool, listener bound (so a port of 0 is known), stack state
 * and admin credentials file, services wired, handler installed, and only then the outputs file is written: a reader
 * that sees the outputs file can call every endpoint in it.
 */
public final class GatehouseServer {

  private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);

  /** The Cognito user-pool service's {@code X-Amz-Target} prefix and signing name. */
  static final String COGNITO_IDP_TARGET = "AWSCognitoIdentityProviderService";
  static final String COGNITO_IDP_SIGNING_NAME = "cognito-idp";
  /**
   * The auth role's policy: it may invoke the stack's API and use its own {@code private/<identity id>/} part of the
   * attachments bucket, nothing else ({@code %s}: the API's ARN, then {@link AttachmentsStack#authRoleStatements}).
   */
  private static final String AUTH_ROLE_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"%s\"},%s]}";
  private static final int EVENT_LOOPS = 2;
  /** What the health check reads: nothing is ever written there, so the read is a round trip and nothing more. */
  private static final String HEALTH_TABLE = "gatehouse_health";
  private static final Key HEALTH_KEY = Key.of("probe", "probe");

  private final ServerConfig config;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object lifecycle = new Object();

  private final StoreFactory storeFactory;

  private @Nullable DataDirectoryLock dataDirLock;
  private @Nullable ItemStore store;
  private @Nullable Vertx vertx;
  private @Nullable WorkerPool workers;
  private @Nullable HttpListener awsListener;
  private @Nullable HttpListener apiListener;
  private @Nullable HttpListener webListener;
  private volatile @Nullable AwsEndpoint awsEndpoint;
  private volatile @Nullable ApiEndpoint apiEndpoint;
  private @Nullable Gateway gateway;
  private @Nullable String apiId;
  private @Nullable StackOutputs outputs;
  private boolean started;
  private boolean stopping;

  public GatehouseServer(ServerConfig config) {
    this(config, Clock.systemUTC());
  }

  public GatehouseServer(ServerConfig config, Clock clock) {
    this(config, clock, StoreFactory.SQLITE);
  }

  GatehouseServer(ServerConfig config, Clock clock, StoreFactory storeFactory) {
    this.config = Objects.requireNonNull(config, "config cannot be null");
    this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory cannot be null");
  }

  /**
   * Starts the stack and returns its outputs once every listener serves; with {@code --outputs-file}, the file has
   * been written by then. Throws when the stack cannot start, having released what it acquired.
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

  private StackOutputs startUp() {
    Instant begin = clock.instant();
    DataDirectory dataDir = DataDirectory.open(config.dataDir());
    dataDirLock = DataDirectoryLock.acquire(dataDir.root());
    ItemStore items = storeFactory.open(dataDir.privateDatabase(), clock);
    store = items;
    WorkerPool pool = new WorkerPool("gatehouse-worker", config.workerThreads(), config.workerQueue());
    workers = pool;
    Vertx runtime = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(2)
        .setInternalBlockingPoolSize(2));
    vertx = runtime;
    HttpListener listener = HttpListener.bind(runtime, config.host(), config.awsPort());
    awsListener = listener;
    String awsUrl = "http://" + urlHost(config.host()) + ":" + listener.port();
    // One server per event loop: the gateway's authorizers run on the event loop, so one loop would cap it at a core.
    HttpListener api = HttpListener.bind(runtime, config.host(), config.apiPort(), EVENT_LOOPS);
    apiListener = api;
    String apiUrl = "http://" + urlHost(config.host()) + ":" + api.port();
    HttpListener web = HttpListener.bind(runtime, config.host(), config.webPort());
    webListener = web;
    String webUrl = "http://" + urlHost(config.host()) + ":" + web.port();

    StackState state = StackState.loadOrCreate(items, AccessKeys.create(), new SecureRandom(), clock.instant());
    state.admin().writeTo(dataDir.adminCredentials());
    TokenService tokens = new JwtTokenService(items, clock, config.issuerStyle() == ServerConfig.IssuerStyle.AWS
        ? JwtTokenService.awsIssuer(config.region()) : JwtTokenService.issuerUnder(awsUrl));
    AwsJsonService cognito = new AwsJsonService(COGNITO_IDP_TARGET, COGNITO_IDP_SIGNING_NAME, authenticator(state));
    UserPools pools = UserPools.wire(cognito, items, tokens, messageSender(dataDir), config.region(),
        state.accountId(), clock);
    UserPools.DefaultPool defaultPool = pools.defaultPool()
        .orElseThrow(() -> new IllegalStateException("the stack has no default user pool"));
    AwsJsonService identity = new AwsJsonService(IdentityPoolApi.TARGET_PREFIX, IdentityPoolApi.SIGNING_NAME,
        authenticator(state));
    IdentityPoolApi identityPools = new IdentityPoolApi(items, tokens, clock, config.region(), state.accountId());
    DefaultIdentityPool defaultIdentityPool = identityPools.ensureDefault(defaultPool.userPoolId(), defaultPool.clientId());
    identityPools.registerOn(identity);
    identity.setInputShapes(IdentityPoolApi.inputShapes());
    String notesApiId = NotesStack.apiId(items, new SecureRandom());
    apiId = notesApiId;
    // auth.attachPermissionsForAuthUsers(api): written on every start, so the policy always names this stack's API.
    String attachmentsBucket = AttachmentsStack.bucketName(items, new SecureRandom());
    identityPools.rolePolicies().put(defaultIdentityPool.authenticatedRoleArn(), String.format(Locale.ROOT,
        AUTH_ROLE_POLICY, NotesStack.executeApiArn(config.region(), state.accountId(), notesApiId),
        AttachmentsStack.authRoleStatements(attachmentsBucket)));

    // Store reads the endpoints would otherwise do on the event loop (keys, role policies) run on the worker pool.
    Executor offLoop = work -> pool.submit(() -> {
      work.run();
      return Boolean.TRUE;
    });
    // One resolver for identity-pool callers, shared by the bucket and the API: one policy cache, warmed once.
    IdentityPoolCallers callers = new IdentityPoolCallers(identityPools.credentialResolver(),
        identityPools.rolePolicies(), offLoop, clock, RolePolicies.DEFAULT_CACHE_TTL)
        .warm(defaultIdentityPool.authenticatedRoleArn()).warm(defaultIdentityPool.unauthenticatedRoleArn());

    AwsEndpoint endpoint = new AwsEndpoint(List.of(cognito, identity),
        Optional.of(new WellKnownDocuments(tokens, pools::exists)), pool, config.maxBodyBytes());
    awsEndpoint = endpoint;
    ObjectStore objectStore = ObjectStore.open(items, dataDir.root().resolve("objects"), clock,
        storeFactory.shared());
    endpoint.setObjects(AttachmentsStack.endpoint(runtime, objectStore, attachmentsBucket, state, callers,
        config.region(), pool, config.maxObjectSize(), clock));
    listener.serve(endpoint);

    // Deleting a note deletes its attachment, private/<identityId>/<attachment>, from the attachments bucket.
    NotesApi notesHandlers = new NotesApi(items, clock, new LocalAttachments(objectStore, attachmentsBucket));
    Api notes = NotesStack.api(notesApiId, defaultPool, tokens, offLoop, notesHandlers);
    Gateway notesGateway = Gateway.builder(notes).region(config.region()).accountId(state.accountId()).clock(clock)
        .credentialResolver(callers)
        .build();
    gateway = notesGateway;
    ApiEndpoint apiHandler = new ApiEndpoint(notesGateway, Gateway.MAX_PAYLOAD_BYTES);
    apiEndpoint = apiHandler;
    api.serve(apiHandler);

    StackOutputs result = outputs(awsUrl, apiUrl, webUrl, pools, defaultIdentityPool.identityPoolId(), dataDir,
        attachmentsBucket);
    web.serve(new WebEndpoint(WebAssets.fromClasspath(GatehouseServer.class.getClassLoader()), result));
    config.outputs().ifPresent(result::writeJson);
    outputs = result;
    endpoint.setReady(() -> storeAnswers(items));
    LOG.info("Gatehouse ready in {} ms: AWS endpoint {}, API endpoint {} (API {}), web app {}, account {}, data dir {}",
        Duration.between(begin, clock.instant()).toMillis(), awsUrl, apiUrl, notesApiId, webUrl, state.accountId(),
        dataDir.root());
    return result;
  }

  /** Whether the store answers a read (the health check's probe); a failure is logged, never shown. */
  private static boolean storeAnswers(ItemStore items) {
    try {
      items.get(HEALTH_TABLE, HEALTH_KEY);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("Health check: the store did not answer: {}", e.toString());
      return false;
    }
  }

  /** SigV4 for the admin operations, with the stack's admin key as the one known credential. */
  private RequestAuthenticator authenticator(StackState state) {
    Caller admin = new Caller(state.admin().accessKeyId(), state.accountId(), state.adminArn());
    SecretBytes secret = SecretBytes.ofUtf8(state.admin().secretAccessKey());
    InMemoryCredentialResolver<Caller> keys = new InMemoryCredentialResolver<Caller>()
        .put(admin.accessKeyId(), SigningCredential.permanent(secret, admin));
    return new AdminRequestAuthenticator(keys, config.region(), clock);
  }

  private StackOutputs outputs(String awsUrl, String apiUrl, String webUrl, UserPools pools, String identityPoolId,
      DataDirectory dataDir, String attachmentsBucket) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Region", config.region());
    values.put("AwsEndpoint", awsUrl);
    values.put("ApiEndpoint", apiUrl);
    pools.defaultPool().ifPresent(ids -> {
      values.put("UserPoolId", ids.userPoolId());
      values.put("UserPoolClientId", ids.clientId());
    });
    values.put("IdentityPoolId", identityPoolId);
    values.put("AttachmentsBucket", attachmentsBucket);
    values.put("AdminCredentialsFile", dataDir.adminCredentials().toString());
    values.put("WebEndpoint", webUrl);
    return StackOutputs.of(values);
  }

  private MessageSender messageSender(DataDirectory dataDir) {
    Optional<ServerConfig.Smtp> smtp = config.mail();
    if (smtp.isEmpty()) {
      OutboxMessageSender outbox = OutboxMessageSender.inDataDir(dataDir.root(), clock);
      LOG.info("No SMTP server configured: emails (with their codes) go to {} and this log", outbox.file());
      return outbox;
    }
    ServerConfig.Smtp mail = smtp.get();
    SmtpSettings settings = SmtpSettings.of(mail.host(), mail.port(), SmtpSettings.Tls.parse(mail.tls()), mail.from());
    if (mail.username().isPresent() && mail.secret().isPresent()) {
      settings = settings.withCredentials(mail.username().get(), mail.secret().get());
    }
    LOG.info("Emails are delivered by SMTP via {}:{} ({})", mail.host(), mail.port(), mail.tls());
    return new SmtpMessageSender(settings, clock);
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
      return Objects.requireNonNull(awsListener, "the server is not started").port();
    }
  }

  /** The API endpoint's bound port, once started. */
  public int apiPort() {
    synchronized (lifecycle) {
      return Objects.requireNonNull(apiListener, "the server is not started").port();
    }
  }

  /** The web endpoint's bound port, once started. */
  public int webPort() {
    synchronized (lifecycle) {
      return Objects.requireNonNull(webListener, "the server is not started").port();
    }
  }

  /** The id of the stack's API (in its ARNs), once started. */
  Optional<String> apiId() {
    synchronized (lifecycle) {
      return Optional.ofNullable(apiId);
    }
  }

  /** Requests on the AWS and API endpoints accepted and not yet answered; 0 before start. */
  int inFlight() {
    AwsEndpoint endpoint = awsEndpoint;
    ApiEndpoint api = apiEndpoint;
    return (endpoint == null ? 0 : endpoint.inFlight()) + (api == null ? 0 : api.inFlight());
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
      Instant deadline = clock.instant().plus(config.shutdownGrace());
      AwsEndpoint endpoint = awsEndpoint;
      ApiEndpoint api = apiEndpoint;
      if (endpoint != null) {
        endpoint.drain();
      }
      if (api != null) {
        api.drain();
      }
      waitForInFlight(deadline);
      HttpListener listener = awsListener;
      if (listener != null) {
        listener.close(Duration.ofSeconds(5));
      }
      HttpListener apiServer = apiListener;
      if (apiServer != null) {
        apiServer.close(Duration.ofSeconds(5));
      }
      HttpListener webServer = webListener;
      if (webServer != null) {
        webServer.close(Duration.ofSeconds(5));
      }
      Gateway notesGateway = gateway;
      if (notesGateway != null) {
        notesGateway.close();
      }
      WorkerPool pool = workers;
      if (pool != null) {
        pool.shutdown(remaining(deadline));
      }
      Vertx runtime = vertx;
      if (runtime != null) {
        closeVertx(runtime);
      }
      ItemStore items = store;
      if (items != null) {
        items.close();
      }
      DataDirectoryLock lock = dataDirLock;
      if (lock != null) {
        lock.close();
      }
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

  private static void closeVertx(Vertx runtime) {
    try {
      runtime.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }

  /** The host clients use in URLs: a wildcard bind address is reached over loopback; IPv6 literals get brackets. */
  static String urlHost(String host) {
    if ("0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
