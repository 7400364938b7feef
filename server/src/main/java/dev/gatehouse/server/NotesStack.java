package dev.gatehouse.server;

import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.gateway.Api;
import dev.gatehouse.gateway.Authorization;
import dev.gatehouse.gateway.CorsConfig;
import dev.gatehouse.gateway.Invocation;
import dev.gatehouse.gateway.JwksSource;
import dev.gatehouse.gateway.JwtAuthorizer;
import dev.gatehouse.notes.NotesApi;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import dev.gatehouse.userpool.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default stack, declared in Java (DESIGN.md §5) after the recipe: an HTTP API whose routes are AWS_IAM unless they
 * say otherwise, CORS open to every origin, and the user pool's JWT authorizer.
 * <ul>
 *   <li>{@code GET /public} (NONE): {@code Hello stranger!}</li>
 *   <li>{@code GET /private} (AWS_IAM): {@code Hello <identityId>!}</li>
 *   <li>{@code GET /api/helloWorld} (NONE) and {@code GET /api/helloWorldSecured} (JWT: the default user pool's
 *       issuer and app client): the recipe's Cognito-authorizer example.</li>
 *   <li>The notes API (AWS_IAM, the default): {@code POST /notes}, {@code GET /notes}, {@code GET /notes/{id}},
 *       {@code PUT /notes/{id}}, {@code DELETE /notes/{id}}, handled by {@link NotesApi} (docs/notes-api.md).</li>
 * </ul>
 */
final class NotesStack {

  private static final Logger LOG = LoggerFactory.getLogger(NotesStack.class);

  /** The API's name, in logs and in its worker threads' names. */
  static final String API_NAME = "notes";
  /** SST's default CORS and the recipe's `cors: true` plus its 4XX/5XX gateway responses: any origin, any header. */
  static final CorsConfig CORS = CorsConfig.builder().allowOrigins("*").allowMethods("*").allowHeaders("*")
      // so a browser client can page through GET /notes and send If-Match
      .exposeHeaders(NotesApi.NEXT_CURSOR_HEADER, "etag").build();

  private static final Key API_ID_KEY = Key.of("stack", "api");
  private static final Pattern API_ID = Pattern.compile("[a-z0-9]{10}");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private NotesStack() {
  }

  /**
   * The stack's API.
   *
   * @param apiId from {@link #apiId}
   * @param pool the default user pool and app client, whose id tokens the JWT route accepts
   * @param tokens the pools' token service: the JWT authorizer takes the pool's keys from it in-process
   * @param refresher runs the re-reads of the pool's keys, off the event loop
   * @param notes the notes handlers, over the stack's store
   */
  static Api api(String apiId, UserPools.DefaultPool pool, TokenService tokens, Executor refresher, NotesApi notes) {
    Objects.requireNonNull(pool, "pool cannot be null");
    Objects.requireNonNull(tokens, "tokens cannot be null");
    Objects.requireNonNull(notes, "notes cannot be null");
    JwksSource keys = new PoolKeys(tokens, pool.userPoolId(), refresher);
    JwtAuthorizer cognito = JwtAuthorizer.of("cognito", tokens.issuer(pool.userPoolId()), List.of(pool.clientId()), keys);
    return Api.builder(API_NAME, apiId)
        .defaultAuthorization(Authorization.awsIam())
        .cors(CORS)
        // The hello functions only format a string from their event: they run where the request was authorized
        // (Invocation.NON_BLOCKING). The notes functions use the store and run on their own bounded pools.
        .route("GET /public", new HelloHandlers.PublicHello(), Authorization.none(), Invocation.NON_BLOCKING)
        .route("GET /private", new HelloHandlers.PrivateHello(), Invocation.NON_BLOCKING)
        .route("GET /api/helloWorld", new HelloHandlers.HelloWorld(), Authorization.none(), Invocation.NON_BLOCKING)
        .route("GET /api/helloWorldSecured", new HelloHandlers.HelloWorldSecured(), Authorization.jwt(cognito),
            Invocation.NON_BLOCKING)
        .route("POST /notes", notes.create())
        .route("GET /notes", notes.list())
        .route("GET /notes/{id}", notes.get())
        .route("PUT /notes/{id}", notes.update())
        .route("DELETE /notes/{id}", notes.delete())
        .build();
  }

  /**
   * The API's id, created on the first start of a data dir and the same on every later start: 10 lowercase letters
   * and digits, as API Gateway's. Created with a conditional put, so two processes on one store agree. Blocking.
   */
  static String apiId(ItemStore store, SecureRandom random) {
    return store.get(StackState.TABLE, API_ID_KEY).flatMap(item -> item.attribute("apiId")).map(NotesStack::checked)
        .orElseGet(() -> {
          StringBuilder id = new StringBuilder();
          for (int i = 0; i < 10; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          }
          try {
            store.put(StackState.TABLE, Item.of(API_ID_KEY, Map.of("apiId", id.toString())), Condition.notExists());
            return id.toString();
          } catch (ConditionFailedException e) {
            return store.get(StackState.TABLE, API_ID_KEY).flatMap(item -> item.attribute("apiId"))
                .map(NotesStack::checked)
                .orElseThrow(() -> new IllegalStateException("the API id vanished after a conflict", e));
          }
        });
  }

  /** The ARN of every route of every stage of the API, for policies: {@code arn:aws:execute-api:…:<apiId>/*}. */
  static String executeApiArn(String region, String accountId, String apiId) {
    return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId + "/*";
  }

  /**
   * The pool's keys for the JWT authorizer, which asks on the event loop when a token names an unknown {@code kid}:
   * read once here (blocking, at start-up), then every fetch answers from memory and re-reads in the background, so
   * a rotated key is accepted from the next refresh on.
   */
  private static final class PoolKeys implements JwksSource {
    private final TokenService tokens;
    private final String poolId;
    private final Executor refresher;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile JWKSet current;

    PoolKeys(TokenService tokens, String poolId, Executor refresher) {
      this.tokens = tokens;
      this.poolId = poolId;
      this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
      try {
        this.current = read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public JWKSet fetch() {
      if (reading.compareAndSet(false, true)) {
        try {
          refresher.execute(() -> {
            try {
              current = read();
            } catch (IOException | RuntimeException e) {
              LOG.warn("could not re-read the keys of {}: {}", poolId, e.toString());
            } finally {
              reading.set(false);
            }
          });
        } catch (RuntimeException e) {
          reading.set(false);
        }
      }
      return current;
    }

    private JWKSet read() throws IOException {
      try {
        return JWKSet.parse(tokens.jwks(poolId));
      } catch (ParseException e) {
        throw new IOException("the pool's JWKS does not parse", e);
      }
    }
  }

  private static String checked(String apiId) {
    if (!API_ID.matcher(apiId).matches()) {
      throw new IllegalStateException("the stored API id is not 10 lowercase letters and digits");
    }
    return apiId;
  }
}
