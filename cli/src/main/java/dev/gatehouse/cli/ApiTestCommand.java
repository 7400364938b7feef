package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The main command: aws-api-gateway-cli-test's options and output, plus {@code --endpoint} and
 * {@code --outputs-file}. Values come from the options first, then from the outputs file, then from the tool's
 * defaults ({@code us-east-1}, {@code GET}, {@code {}}).
 */
@Command(
        name = "gatehouse-cli",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "gatehouse-cli 0.1.0",
        description = {
            "Signs in to the user pool (SRP), gets temporary credentials from the identity pool, and calls the API with a"
                    + " SigV4-signed request: the three steps of aws-api-gateway-cli-test (same options, same output), against"
                    + " a local Gatehouse stack (--outputs-file or --endpoint) or AWS."
        },
        subcommands = {
            AdminCommands.CreateUser.class,
            AdminCommands.ConfirmUser.class,
            AdminCommands.RotateSigningKeys.class,
            OutputsCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success; 2 bad options or outputs file; 3 sign-in refused; 4 credentials refused;",
            "5 API unreachable; 6 API answered 4xx/5xx; 7 admin command refused; 1 unexpected error."
        })
final class ApiTestCommand implements Callable<Integer> {

    static final String DEFAULT_REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    @Nullable
    CommandSpec spec;

    @Option(names = "--username", description = "Username (or email alias) of the user pool user.")
    @Nullable
    String username;

    @Option(names = "--password", description = "Password of the user.")
    @Nullable
    String password;

    @Option(names = "--user-pool-id", description = "Cognito user pool id. Default: the outputs file's UserPoolId.")
    @Nullable
    String userPoolId;

    @Option(
            names = "--app-client-id",
            description = "Cognito user pool app client id. Default: the outputs file's UserPoolClientId.")
    @Nullable
    String appClientId;

    @Option(
            names = "--cognito-region",
            description = "Cognito region. Default: the outputs file's Region, else " + DEFAULT_REGION + ".")
    @Nullable
    String cognitoRegion;

    @Option(
            names = "--identity-pool-id",
            description = "Cognito identity pool id. Default: the outputs file's IdentityPoolId.")
    @Nullable
    String identityPoolId;

    @Option(names = "--invoke-url", description = "API Gateway URL. Default: the outputs file's ApiEndpoint.")
    @Nullable
    String invokeUrl;

    @Option(
            names = "--api-gateway-region",
            description = "API Gateway region (signing scope). Default: the outputs file's Region, else "
                    + DEFAULT_REGION + ".")
    @Nullable
    String apiGatewayRegion;

    @Option(names = "--api-key", description = "API key, sent as x-api-key.")
    @Nullable
    String apiKey;

    @Option(names = "--path-template", description = "API path template, such as /notes/{id}.")
    @Nullable
    String pathTemplate;

    @Option(names = "--method", defaultValue = "GET", description = "API method. Default: ${DEFAULT-VALUE}")
    String method = "GET";

    @Option(
            names = "--params",
            defaultValue = "{}",
            description = "Path parameters as a JSON object, such as {\"id\":\"456\"}. Default: ${DEFAULT-VALUE}")
    String params = "{}";

    @Option(
            names = "--additional-params",
            defaultValue = "{}",
            description = "JSON object with headers, queryParams and timeout (ms). Default: ${DEFAULT-VALUE}")
    String additionalParams = "{}";

    @Option(
            names = "--body",
            defaultValue = "{}",
            description = "Request body as JSON, or @FILE to read it from a file. Default: ${DEFAULT-VALUE}")
    String body = "{}";

    @Option(names = "--access-token-header", description = "Header on which to pass the user pool access token.")
    @Nullable
    String accessTokenHeader;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description =
                    "AWS endpoint of a local stack (Cognito user and identity pools), such as http://127.0.0.1:9229."
                            + " Default: the outputs file's AwsEndpoint, else AWS's endpoints.")
    @Nullable
    String endpoint;

    @Option(
            names = "--outputs-file",
            paramLabel = "FILE",
            description = "The stack's outputs file (server --outputs-file): fills every id and endpoint not given.")
    @Nullable
    Path outputsFile;

    /** Everything one run needs, resolved and validated. */
    record Invocation(
            String username,
            String password,
            String userPoolId,
            String appClientId,
            String cognitoRegion,
            String identityPoolId,
            String apiGatewayRegion,
            Optional<URI> endpoint,
            ApiRequest request,
            Optional<String> accessTokenHeader) {
        @Override
        public String toString() {
            return "Invocation[username=" + username + ", password=redacted, userPoolId=" + userPoolId
                    + ", appClientId="
                    + appClientId + ", cognitoRegion=" + cognitoRegion + ", identityPoolId=" + identityPoolId
                    + ", apiGatewayRegion=" + apiGatewayRegion + ", endpoint=" + endpoint + ", request="
                    + request.method() + " "
                    + request.uri() + "]";
        }
    }

    @Override
    public Integer call() {
        Invocation run = resolve();
        PrintWriter out = out();
        out.println("Authenticating with User Pool");
        out.flush();
        UserPoolSignIn.Tokens tokens;
        try (CognitoIdentityProviderClient idp =
                AwsClients.userPool(run.cognitoRegion(), run.endpoint(), AnonymousCredentialsProvider.create())) {
            tokens = new UserPoolSignIn(idp, run.endpoint(), Clock.systemUTC(), new SecureRandom())
                    .signIn(run.userPoolId(), run.appClientId(), run.username(), run.password());
        }
        out.println("Getting temporary credentials");
        out.flush();
        IdentityPoolCredentials.Result credentials;
        try (CognitoIdentityClient identity = AwsClients.identityPool(run.cognitoRegion(), run.endpoint())) {
            credentials = new IdentityPoolCredentials(identity, run.endpoint())
                    .credentials(run.identityPoolId(), run.cognitoRegion(), run.userPoolId(), tokens.idToken());
        }
        out.println("Making API request");
        out.flush();
        ApiRequest request = run.accessTokenHeader()
                .map(h -> run.request().withHeader(h, tokens.accessToken()))
                .orElse(run.request());
        ApiInvoker.ApiResponse response = new ApiInvoker(ApiInvoker.defaultHttpClient(), Clock.systemUTC())
                .invoke(request, run.apiGatewayRegion(), credentials.credentials());
        out.println(render(response));
        out.flush();
        if (response.isError()) {
            throw new CliException(
                    ExitCodes.API_ERROR,
                    "The API answered " + response.status() + " " + response.statusText() + " to " + request.method()
                            + " " + request.uri() + hint(response.status()));
        }
        return ExitCodes.OK;
    }

    /** {@code { status, statusText, data }} as {@code console.dir} prints it. */
    static String render(ApiInvoker.ApiResponse response) {
        ObjectNode shown = JsonNodeFactory.instance.objectNode();
        shown.put("status", response.status());
        shown.put("statusText", response.statusText());
        shown.set("data", response.data());
        return NodeInspect.inspect(shown);
    }

    private static String hint(int status) {
        return switch (status) {
            case 403 -> "\nThe signed request was refused: the body says why (a signature, region or credentials problem,"
                    + " or the auth role may not invoke this route).";
            case 404 -> "\nNo such route: check --path-template and --method.";
            default -> "";
        };
    }

    /**
     * Merges options, the outputs file and defaults, and parses the JSON options.
     *
     * @throws CliException ({@link ExitCodes#USAGE}) naming every missing option, or the malformed one
     */
    Invocation resolve() {
        StackOutputs outputs = outputsFile == null ? StackOutputs.none() : StackOutputs.read(outputsFile);
        List<String> missing = new ArrayList<>();
        String user = required(username, Optional.empty(), "--username", missing);
        String pass = required(password, Optional.empty(), "--password", missing);
        String pool = required(userPoolId, outputs.get(StackOutputs.USER_POOL_ID), "--user-pool-id", missing);
        String client =
                required(appClientId, outputs.get(StackOutputs.USER_POOL_CLIENT_ID), "--app-client-id", missing);
        String identityPool =
                required(identityPoolId, outputs.get(StackOutputs.IDENTITY_POOL_ID), "--identity-pool-id", missing);
        String url = required(invokeUrl, outputs.get(StackOutputs.API_ENDPOINT), "--invoke-url", missing);
        String path = required(pathTemplate, Optional.empty(), "--path-template", missing);
        if (!missing.isEmpty()) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "Missing required option" + (missing.size() > 1 ? "s" : "") + ": "
                            + String.join(", ", missing)
                            + (outputsFile == null
                                    ? " (ids and URLs can also come from the stack's outputs file: --outputs-file FILE)"
                                    : ""));
        }
        String region = first(cognitoRegion, outputs.get(StackOutputs.REGION)).orElse(DEFAULT_REGION);
        String apiRegion =
                first(apiGatewayRegion, outputs.get(StackOutputs.REGION)).orElse(DEFAULT_REGION);
        Optional<URI> aws =
                first(endpoint, outputs.get(StackOutputs.AWS_ENDPOINT)).map(ApiTestCommand::endpointUri);
        JsonNode pathParams = json("--params", params);
        JsonNode additional = json("--additional-params", additionalParams);
        if (!pathParams.isObject() || !additional.isObject()) {
            throw new CliException(ExitCodes.USAGE, "--params and --additional-params must be JSON objects");
        }
        JsonNode payload = json("--body", bodyText(body));
        ApiRequest request = ApiRequest.of(url, path, method, pathParams, additional, payload);
        if (apiKey != null) {
            request = request.withHeader("x-api-key", apiKey);
        }
        return new Invocation(
                user,
                pass,
                pool,
                client,
                region,
                identityPool,
                apiRegion,
                aws,
                request,
                Optional.ofNullable(accessTokenHeader));
    }

    private PrintWriter out() {
        CommandSpec s = spec;
        return s == null ? new PrintWriter(System.out, true) : s.commandLine().getOut();
    }

    static URI endpointUri(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new CliException(ExitCodes.USAGE, "--endpoint must be a URL such as http://127.0.0.1:9229, not " + value);
    }

    private static String bodyText(String body) {
        if (!body.startsWith("@")) {
            return body;
        }
        Path file = Path.of(body.substring(1));
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "--body " + body + ": cannot read " + file + ": " + e, e);
        }
    }

    private static JsonNode json(String option, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new CliException(ExitCodes.USAGE, option + " is empty: give a JSON value such as {}");
            }
            return node;
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new CliException(ExitCodes.USAGE, option + " is not valid JSON: " + why, e);
        }
    }

    private static String required(
            @Nullable String given, Optional<String> fromOutputs, String option, List<String> missing) {
        Optional<String> value = first(given, fromOutputs);
        if (value.isEmpty()) {
            missing.add(option);
            return "";
        }
        return value.get();
    }

    static Optional<String> first(@Nullable String given, Optional<String> fallback) {
        return given != null && !given.isBlank() ? Optional.of(given) : fallback.filter(v -> !v.isBlank());
    }
}
