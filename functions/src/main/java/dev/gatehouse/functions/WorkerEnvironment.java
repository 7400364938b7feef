package dev.gatehouse.functions;

import dev.gatehouse.iam.TemporaryCredentials;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The environment Lambda gives a function's process (lambda-and-templates.md §2), plus the function's own. */
final class WorkerEnvironment {

    private WorkerEnvironment() {}

    /**
     * The whole environment of one worker: nothing of Gatehouse's own environment but {@code PATH}.
     *
     * @param runtimeApi {@code host:port} of the worker's Runtime API
     * @param endpointUrl Gatehouse's AWS endpoint, for {@code AWS_ENDPOINT_URL}; the function's environment may override it
     */
    static Map<String, String> of(
            FunctionSpec function,
            String runtimeApi,
            Path taskRoot,
            Path runtimeDir,
            String logStream,
            Optional<TemporaryCredentials> credentials,
            Optional<String> endpointUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        endpointUrl.ifPresent(url -> env.put("AWS_ENDPOINT_URL", url));
        env.putAll(function.environment());
        env.put("_HANDLER", function.handler());
        env.put("AWS_REGION", function.region());
        env.put("AWS_DEFAULT_REGION", function.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        credentials.ifPresent(keys -> {
            env.put("AWS_ACCESS_KEY_ID", keys.accessKeyId());
            env.put("AWS_ACCESS_KEY", keys.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", keys.secretKey());
            env.put("AWS_SESSION_TOKEN", keys.sessionToken());
        });
        return env;
    }
}
