package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.functions.ExampleFunctions;
import dev.gatehouse.functions.FunctionRegistry;
import dev.gatehouse.functions.FunctionSpec;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST API whose routes are a real Java function (examples/java-functions, {@code example.Whoami}) in a worker JVM
 * with Amazon's runtime interface client: the caller's identity reaches the handler where AWS puts it, a throwing
 * handler is API Gateway's 502 (its trace in the log only), a handler past its timeout is 504 and its worker is
 * replaced, and a killed worker is replaced for the next request.
 */
class FunctionRoutesTests {

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static FunctionRegistry functions;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        ExampleFunctions.build(dir);
        vertx = Vertx.vertx();
        functions = FunctionRegistry.builder(vertx, dir.resolve("work")).build();
        functions.deploy(FunctionSpec.builder("whoami", "java17", "example.Whoami", dir.resolve("classes"))
                .timeout(Duration.ofSeconds(2))
                .build());
        Integration whoami = Integration.function(functions, "whoami", PayloadFormat.V1_0);
        gateway = Gateway.builder(Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .stage("Prod")
                        .defaultAuthorization(Authorization.awsIam())
                        .route("GET /me", whoami)
                        .route("GET /fail", whoami, Authorization.none())
                        .route("GET /slow", whoami, Authorization.none())
                        .route("GET /open", whoami, Authorization.none())
                        .build())
                .accountId(TestCallers.ACCOUNT)
                .credentialResolver(TestCallers.alice(Clock.systemUTC().instant(), "r1e2s3t4a5"))
                .build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        functions.close();
        vertx.close();
    }

    @Test
    void routeWhenSignedByAnIdentityPoolCallerThenTheFunctionSeesItsIdentityId() {
        GatewayResponse response =
                call(gateway, TestCallers.signedByAlice(Clock.systemUTC().instant(), "/Prod/me"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).contains("text/plain");
        assertThat(response.bodyText()).isEqualTo("identity=" + TestCallers.IDENTITY + " email=null path=/me");
    }

    @Test
    void routeWhenTheHandlerThrowsThen502WithoutTheTrace() {
        GatewayResponse response = call(gateway, get("/Prod/fail"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).isEqualTo("{\"message\": \"Internal server error\"}");
    }

    @Test
    void routeWhenTheHandlerRunsPastItsTimeoutThen504AndTheNextRequestIsServed() {
        GatewayResponse response = call(gateway, get("/Prod/slow"));

        assertThat(response.status()).isEqualTo(504);
        assertThat(call(gateway, get("/Prod/open")).status()).isEqualTo(200);
    }

    @Test
    void routeWhenTheWorkerWasKilledThenAReplacementAnswers() throws Exception {
        assertThat(call(gateway, get("/Prod/open")).status()).isEqualTo(200);
        List<Long> pids = functions.workerPids("whoami");
        for (long pid : pids) {
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().get(10, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (functions.workerPids("whoami").stream().anyMatch(pids::contains) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the registry notices the exit on its own
        }

        GatewayResponse response = call(gateway, get("/Prod/open"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(functions.workerPids("whoami")).doesNotContainAnyElementsOf(pids);
    }
}
