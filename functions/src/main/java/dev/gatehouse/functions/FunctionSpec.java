package dev.gatehouse.functions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * One Lambda function as a stack declares it ({@code AWS::Lambda::Function}, {@code AWS::Serverless::Function}, a
 * serverless.yml function). Immutable; build with {@link #builder(String, String, String, Path)}.
 *
 * @param name the function's name ({@code FunctionName}), in its ARN, log lines and {@code AWS_LAMBDA_FUNCTION_NAME}
 * @param runtime Lambda's runtime id: {@code java11}, {@code java17}, {@code java21}, {@code nodejs18.x}, …
 * @param handler {@code package.Class}, {@code package.Class::method} (Java) or {@code file.export} (Node.js)
 * @param code the code ({@code CodeUri}): a classes directory, a jar or zip (unpacked as Lambda unpacks it), or the
 *     directory of a Node.js function
 * @param memoryMb {@code MemorySize}, 128 to 10240; the worker's heap bound
 * @param timeout {@code Timeout}, 1 s to 900 s; the worker is ended when an invocation runs longer
 * @param environment the function's own {@code Environment.Variables}; none may be a name Lambda reserves
 * @param roleArn the execution role, whose temporary credentials the worker gets; empty: none
 * @param reservedConcurrency {@code ReservedConcurrentExecutions}: at most this many workers; empty: the registry's
 *     bound
 * @param region the function's region, in its ARN and {@code AWS_REGION}
 * @param accountId the account in its ARN
 */
public record FunctionSpec(
        String name,
        String runtime,
        String handler,
        Path code,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment,
        Optional<String> roleArn,
        OptionalInt reservedConcurrency,
        String region,
        String accountId) {

    /** Lambda's defaults for a function that sets none: 128 MB, 3 s. */
    public static final int DEFAULT_MEMORY_MB = 128;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * The names Lambda sets itself and refuses in a function's environment (Lambda's "reserved keys"); the
     * {@code AWS_ENDPOINT_URL} Gatehouse sets is not among them, so a function may point its SDK elsewhere.
     */
    public static final Set<String> RESERVED_NAMES = Set.of(
            "_HANDLER",
            "_X_AMZN_TRACE_ID",
            "AWS_DEFAULT_REGION",
            "AWS_REGION",
            "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE",
            "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API",
            "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");

    private static final List<String> RUNTIMES = List.of(
            "java8.al2",
            "java11",
            "java17",
            "java21",
            "nodejs10.x",
            "nodejs12.x",
            "nodejs14.x",
            "nodejs16.x",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x");

    /**
     * Checks every part.
     *
     * @throws IllegalArgumentException for an unsupported runtime, an empty handler, memory or timeout outside Lambda's
     *     bounds, a reserved environment name, or a reserved concurrency below 0
     */
    public FunctionSpec {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(runtime, "runtime cannot be null");
        Objects.requireNonNull(handler, "handler cannot be null");
        Objects.requireNonNull(code, "code cannot be null");
        Objects.requireNonNull(timeout, "timeout cannot be null");
        Objects.requireNonNull(roleArn, "roleArn cannot be null");
        Objects.requireNonNull(reservedConcurrency, "reservedConcurrency cannot be null");
        Objects.requireNonNull(region, "region cannot be null");
        Objects.requireNonNull(accountId, "accountId cannot be null");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("function name must be 1 to 64 letters, digits, '-' or '_': " + name);
        }
        if (!RUNTIMES.contains(runtime)) {
            throw new IllegalArgumentException(
                    "function " + name + ": runtime " + runtime + " is not supported (one of " + RUNTIMES + ")");
        }
        if (handler.isBlank()) {
            throw new IllegalArgumentException("function " + name + ": the handler cannot be empty");
        }
        if (memoryMb < 128 || memoryMb > 10240) {
            throw new IllegalArgumentException("function " + name + ": MemorySize must be between 128 and 10240 MB");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofSeconds(900)) > 0) {
            throw new IllegalArgumentException("function " + name + ": Timeout must be between 1 and 900 seconds");
        }
        Set<String> reserved = new TreeSet<>(environment.keySet());
        reserved.retainAll(RESERVED_NAMES);
        if (!reserved.isEmpty()) {
            // Lambda's own refusal, UpdateFunctionConfiguration's InvalidParameterValueException
            throw new IllegalArgumentException("function " + name + ": Lambda was unable to configure your environment "
                    + "variables because the environment variables you have provided contains reserved keys that are currently "
                    + "not supported for modification. Reserved keys used in this request: "
                    + String.join(", ", reserved));
        }
        if (reservedConcurrency.isPresent() && reservedConcurrency.getAsInt() < 0) {
            throw new IllegalArgumentException(
                    "function " + name + ": ReservedConcurrentExecutions cannot be negative");
        }
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * Starts a spec with Lambda's defaults: 128 MB, 3 s, no environment, no role, no reserved concurrency,
     * {@code us-east-1}, account {@code 000000000000}.
     */
    public static Builder builder(String name, String runtime, String handler, Path code) {
        return new Builder(name, runtime, handler, code);
    }

    /** {@code arn:aws:lambda:<region>:<account>:function:<name>}. */
    public String arn() {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    /** Whether the runtime is a Java one (a worker JVM with the runtime interface client). */
    public boolean isJava() {
        return runtime.startsWith("java");
    }

    /** A copy for {@code code} replaced, the rest equal. */
    public FunctionSpec withCode(Path newCode) {
        return new FunctionSpec(
                name,
                runtime,
                handler,
                newCode,
                memoryMb,
                timeout,
                environment,
                roleArn,
                reservedConcurrency,
                region,
                accountId);
    }

    /** Builds a {@link FunctionSpec}. */
    public static final class Builder {
        private final String name;
        private final String runtime;
        private final String handler;
        private final Path code;
        private int memoryMb = DEFAULT_MEMORY_MB;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Map<String, String> environment = Map.of();
        private Optional<String> roleArn = Optional.empty();
        private OptionalInt reservedConcurrency = OptionalInt.empty();
        private String region = "us-east-1";
        private String accountId = "000000000000";

        private Builder(String name, String runtime, String handler, Path code) {
            this.name = name;
            this.runtime = runtime;
            this.handler = handler;
            this.code = code;
        }

        public Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout cannot be null");
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment cannot be null");
            return this;
        }

        public Builder roleArn(String roleArn) {
            this.roleArn = Optional.of(roleArn);
            return this;
        }

        public Builder reservedConcurrency(int reservedConcurrency) {
            this.reservedConcurrency = OptionalInt.of(reservedConcurrency);
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region cannot be null");
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
            return this;
        }

        /** @throws IllegalArgumentException as {@link FunctionSpec}'s constructor */
        public FunctionSpec build() {
            return new FunctionSpec(
                    name,
                    runtime,
                    handler,
                    code,
                    memoryMb,
                    timeout,
                    environment,
                    roleArn,
                    reservedConcurrency,
                    region,
                    accountId);
        }
    }
}
