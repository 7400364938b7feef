package dev.gatehouse.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.identity.IdentityPoolApi;
import dev.gatehouse.stack.TemplateException;
import dev.gatehouse.store.dynamodb.DynamoDbSettings;
import dev.gatehouse.store.postgres.PostgresSettings;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code java -jar gatehouse.jar}: parses flags (each also settable by an environment variable named
 * {@code GATEHOUSE_} + the flag in upper snake case, such as {@code GATEHOUSE_DATA_DIR}), starts the stack, prints
 * its outputs, and runs until SIGTERM or Ctrl-C, which shut it down gracefully.
 */
@Command(
        name = "gatehouse",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "gatehouse 0.1.0",
        description = "Cognito user pools on your machine: starts the stack and prints its outputs.",
        footer =
                "%nEvery option can also be set by an environment variable: GATEHOUSE_ + the option in upper snake case,"
                        + " such as GATEHOUSE_DATA_DIR or GATEHOUSE_SMTP_PASSWORD. Flags win over the environment.")
public final class Main implements Callable<Integer> {

    /** Not a static field: logging is set up by the start's second thread while this one parses the options. */
    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    @Option(
            names = "--data-dir",
            defaultValue = ServerConfig.DEFAULT_DATA_DIR,
            paramLabel = "DIR",
            description = "Where the stack keeps its state (created owner-only). Default: ${DEFAULT-VALUE}")
    Path dataDir = Path.of(ServerConfig.DEFAULT_DATA_DIR);

    @Option(
            names = "--outputs-file",
            paramLabel = "FILE",
            description = "Write the stack outputs to FILE as one JSON object once the stack is ready to serve.")
    @Nullable
    Path outputsFile;

    @Option(
            names = "--host",
            defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address the listeners bind to. Default: ${DEFAULT-VALUE}")
    String host = ServerConfig.DEFAULT_HOST;

    @Option(
            names = "--aws-port",
            defaultValue = "" + ServerConfig.DEFAULT_AWS_PORT,
            paramLabel = "PORT",
            description =
                    "Port of the AWS endpoint (Cognito APIs, JWKS); 0 picks a free port. Default: ${DEFAULT-VALUE}")
    int awsPort = ServerConfig.DEFAULT_AWS_PORT;

    @Option(
            names = "--api-port",
            paramLabel = "PORT",
            description = "Port of the API endpoint (the stack's HTTP API); 0 picks a free port."
                    + " Default: the AWS port + 1 (" + ServerConfig.DEFAULT_API_PORT
                    + "), or a free port when --aws-port is 0")
    @Nullable
    Integer apiPort;

    @Option(
            names = "--web-port",
            paramLabel = "PORT",
            description = "Port of the web endpoint (the notes web app); 0 picks a free port."
                    + " Default: the AWS port + 2 (" + ServerConfig.DEFAULT_WEB_PORT
                    + "), or a free port when --aws-port is 0")
    @Nullable
    Integer webPort;

    @Option(
            names = "--region",
            defaultValue = ServerConfig.DEFAULT_REGION,
            description = "The stack's region. Default: ${DEFAULT-VALUE}")
    String region = ServerConfig.DEFAULT_REGION;

    @Option(
            names = "--issuer-style",
            defaultValue = ServerConfig.DEFAULT_ISSUER_STYLE,
            paramLabel = "local|aws",
            description =
                    "Token issuer: local (the URL the JWKS is served under) or aws (cognito-idp.<region>.amazonaws.com)."
                            + " Default: ${DEFAULT-VALUE}")
    String issuerStyle = ServerConfig.DEFAULT_ISSUER_STYLE;

    @Option(
            names = "--smtp-host",
            description = "SMTP server for emailed codes; without it codes go to the outbox file.")
    @Nullable
    String smtpHost;

    @Option(
            names = "--smtp-port",
            defaultValue = "" + ServerConfig.DEFAULT_SMTP_PORT,
            description = "SMTP port. Default: ${DEFAULT-VALUE}")
    int smtpPort = ServerConfig.DEFAULT_SMTP_PORT;

    @Option(
            names = "--smtp-tls",
            defaultValue = ServerConfig.DEFAULT_SMTP_TLS,
            paramLabel = "none|starttls|tls",
            description = "SMTP transport security. Default: ${DEFAULT-VALUE}")
    String smtpTls = ServerConfig.DEFAULT_SMTP_TLS;

    @Option(names = "--smtp-user", description = "SMTP login.")
    @Nullable
    String smtpUser;

    @Option(
            names = "--smtp-password",
            description = "SMTP password; prefer the GATEHOUSE_SMTP_PASSWORD environment variable.")
    @Nullable
    String smtpPassword;

    @Option(
            names = "--smtp-from",
            defaultValue = ServerConfig.DEFAULT_SMTP_FROM,
            description = "Sender address of emailed codes. Default: ${DEFAULT-VALUE}")
    String smtpFrom = ServerConfig.DEFAULT_SMTP_FROM;

    @Option(
            names = "--worker-threads",
            defaultValue = "" + ServerConfig.DEFAULT_WORKER_THREADS,
            description = "Threads serving blocking work. Default: ${DEFAULT-VALUE}")
    int workerThreads = ServerConfig.DEFAULT_WORKER_THREADS;

    @Option(
            names = "--worker-queue",
            defaultValue = "" + ServerConfig.DEFAULT_WORKER_QUEUE,
            description = "Requests that may wait for a worker; beyond it callers get TooManyRequestsException."
                    + " Default: ${DEFAULT-VALUE}")
    int workerQueue = ServerConfig.DEFAULT_WORKER_QUEUE;

    @Option(
            names = "--max-object-size",
            defaultValue = "" + ServerConfig.DEFAULT_MAX_OBJECT_SIZE,
            paramLabel = "BYTES",
            description = "Largest object the attachments bucket accepts; larger uploads get EntityTooLarge."
                    + " Default: ${DEFAULT-VALUE}")
    long maxObjectSize = ServerConfig.DEFAULT_MAX_OBJECT_SIZE;

    @Option(
            names = "--store",
            defaultValue = StoreFactory.DEFAULT_NAME,
            paramLabel = "sqlite|dynamodb|postgres",
            description =
                    "Where the stack keeps its state: sqlite (a file in the data dir), dynamodb (one table) or postgres"
                            + " (one database), the last two shared by any number of nodes. Default: ${DEFAULT-VALUE}")
    String store = StoreFactory.DEFAULT_NAME;

    @Option(
            names = "--dynamodb-endpoint",
            paramLabel = "URL",
            description = "DynamoDB endpoint, such as a local moto server's; the stack's --region signs for it."
                    + " Default: AWS, in the region of the SDK's default chain")
    @Nullable
    String dynamodbEndpoint;

    @Option(
            names = "--dynamodb-table-prefix",
            defaultValue = DynamoDbSettings.DEFAULT_TABLE_PREFIX,
            paramLabel = "PREFIX",
            description = "The DynamoDB table is PREFIX + items; nodes with the same prefix share a stack."
                    + " Default: ${DEFAULT-VALUE}")
    String dynamodbTablePrefix = DynamoDbSettings.DEFAULT_TABLE_PREFIX;

    @Option(
            names = "--template",
            paramLabel = "FILE",
            description = "Run the app this template describes: SAM/CloudFormation (YAML or JSON) or serverless.yml."
                    + " Default: the built-in recipe stack")
    @Nullable
    Path template;

    @Option(
            names = "--parameter-overrides",
            paramLabel = "NAME=VALUE",
            split = "\\s+|,(?=[A-Za-z0-9]+=)",
            description = "Template parameters, as sam deploy takes them: Name=Value, several separated by spaces.")
    Map<String, String> parameterOverrides = new java.util.LinkedHashMap<>();

    @Option(
            names = "--stage",
            defaultValue = "dev",
            paramLabel = "NAME",
            description = "The stage: its own pools, ids, data and outputs; stages share a data dir side by side."
                    + " Default: ${DEFAULT-VALUE}")
    String stage = "dev";

    @Option(
            names = "--no-watch",
            description = "Apply the --template once, at start: a change to it is not applied while running.")
    boolean noWatch;

    @Option(
            names = "--postgres-url",
            paramLabel = "JDBC-URL",
            description = "With --store postgres: jdbc:postgresql://host:port/database, driver parameters allowed"
                    + " (?sslmode=verify-full...)")
    @Nullable
    String postgresUrl;

    @Option(
            names = "--postgres-user",
            paramLabel = "ROLE",
            description = "With --store postgres: the role to log in as. Default: the URL's user parameter")
    @Nullable
    String postgresUser;

    @Option(
            names = "--postgres-password",
            paramLabel = "PASSWORD",
            description = "With --store postgres: the role's password; prefer the environment variable"
                    + " GATEHOUSE_POSTGRES_PASSWORD, which other users cannot read in the process list")
    @Nullable
    String postgresPassword;

    @Option(
            names = "--postgres-pool-size",
            defaultValue = "" + PostgresSettings.DEFAULT_POOL_SIZE,
            paramLabel = "N",
            description = "With --store postgres: the most connections this node holds open (1..100)."
                    + " Default: ${DEFAULT-VALUE}")
    int postgresPoolSize = PostgresSettings.DEFAULT_POOL_SIZE;

    private Main() {}

    public static void main(String[] args) {
        warmUp(args);
        System.exit(run(args, System.getenv(), System.out));
    }

    /**
     * Work every start does, begun on other threads while this one reads the options (start-up to ready, issue 19):
     * unless the arguments name another store, SQLite's native library (the store's open waits for it); and logging
     * set up, then the built-in template read once and a JSON value written, which loads and initialises the YAML parser,
     * the stack model and Jackson for the start's own reads; last the AWS models' input constraints, parsed as their
     * classes initialise (kept, as they would be anyway). The rest is dropped; a failure is the start's to report.
     */
    private static void warmUp(String[] args) {
        boolean otherStore = Arrays.stream(args).anyMatch(a -> a.startsWith("--store=") && !a.equals("--store=sqlite"))
                || Arrays.asList(args).indexOf("--store") >= 0
                        && !Arrays.asList(args).contains("sqlite");
        if (!otherStore) {
            // a thread of its own: the library's loader starts a process and writes a file, mostly waiting
            StartThreads.daemon("sqlite-preload", SqliteItemStore::loadNativeLibrary);
        }
        StartThreads.daemon("start-warm-up", () -> {
            LoggerFactory.getILoggerFactory(); // logging set up (LogSetup)
            try {
                StackConfig.builtIn().read(ServerConfig.DEFAULT_REGION, "000000000000", Map.of());
                new ObjectMapper().writeValueAsBytes(Map.of("warm", List.of(1)));
                // the AWS models' input constraints, parsed once per JVM when their classes initialise
                IdentityPoolApi.inputShapes();
                Class.forName("dev.gatehouse.userpool.ModelInput", true, Main.class.getClassLoader());
            } catch (RuntimeException | java.io.IOException | ClassNotFoundException e) {
                // the start reads its own template and writes its own JSON, and reports what fails there
            }
        });
    }

    /** Parses, starts and runs until shutdown; returns the process exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out) {
        return run(args, env, out, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    /** As {@link #run(String[], Map, PrintStream)}, with usage errors written to {@code err}. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintWriter err) {
        Main main = new Main();
        CommandLine commandLine = command(main, env);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Main::shortUsageError);
        commandLine.setExecutionStrategy(parseResult -> {
            if (CommandLine.printHelpIfRequested(parseResult)) {
                return 0;
            }
            ServerConfig config;
            StoreFactory storeFactory;
            StackConfig stackConfig;
            try {
                config = main.toConfig();
                storeFactory = main.storeFactory();
                stackConfig = main.stackConfig();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
            }
            return serve(config, storeFactory, stackConfig, out);
        });
        return commandLine.execute(args);
    }

    /** One line naming the mistake, a "did you mean" for a mistyped option, and where the help is: not all of it. */
    private static int shortUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("gatehouse: " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", unmatched.getSuggestions()) + "?");
        }
        err.println("Run 'java -jar gatehouse.jar --help' for every option.");
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The configuration {@code args} and {@code env} describe, or a {@link CommandLine.ParameterException}. */
    static ServerConfig parse(String[] args, Map<String, String> env) {
        return parsed(args, env, main -> {
            main.storeFactory();
            main.stackConfig();
            return main.toConfig();
        });
    }

    /** The store {@code args} and {@code env} choose, or a {@link CommandLine.ParameterException}. */
    static StoreFactory parseStore(String[] args, Map<String, String> env) {
        return parsed(args, env, Main::storeFactory);
    }

    /** The app {@code args} and {@code env} choose, or a {@link CommandLine.ParameterException}. */
    static StackConfig parseStack(String[] args, Map<String, String> env) {
        return parsed(args, env, Main::stackConfig);
    }

    /** What {@code read} makes of the parsed options; its {@link IllegalArgumentException} is an option error. */
    private static <T> T parsed(String[] args, Map<String, String> env, java.util.function.Function<Main, T> read) {
        Main main = new Main();
        CommandLine commandLine = command(main, env);
        commandLine.parseArgs(args);
        try {
            return read.apply(main);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
    }

    /** The environment variable that sets an option: {@code --smtp-host} is {@code GATEHOUSE_SMTP_HOST}. */
    static String environmentName(String option) {
        return "GATEHOUSE_" + option.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static CommandLine command(Main main, Map<String, String> env) {
        CommandLine commandLine = new CommandLine(main);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(env));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public Integer call() {
        return serve(toConfig(), storeFactory(), stackConfig(), System.out);
    }

    private static int serve(ServerConfig config, StoreFactory storeFactory, StackConfig stack, PrintStream out) {
        GatehouseServer server = new GatehouseServer(config, Clock.systemUTC(), storeFactory, stack);
        PrintStream utf8 = new PrintStream(out, true, StandardCharsets.UTF_8);
        // After each re-apply of a changed template, its outputs again, as a deploy prints them.
        server.onReapplied(applied -> {
            utf8.print(applied.toText());
            utf8.flush();
        });
        StackOutputs outputs;
        try {
            outputs = server.start();
        } catch (RuntimeException | LinkageError e) {
            if (e instanceof TemplateException || e instanceof StackException) {
                // The template's own fault: file:line, resource, property and the reason, nothing else.
                log().error("Gatehouse could not start: {}", e.getMessage());
            } else if (e.getCause() instanceof java.net.BindException) {
                // An expected operator error: one line and a hint, no stack trace.
                log().error(
                                "Gatehouse could not start: {} (another process has the port;"
                                        + " --aws-port 0, --api-port 0 and --web-port 0 pick free ones)",
                                e.getMessage());
            } else if (e instanceof DataDirectoryLock.InUseException) {
                log().error("Gatehouse could not start: {}", e.getMessage());
            } else {
                log().error("Gatehouse could not start: {}", e.getMessage(), e);
            }
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "gatehouse-shutdown"));
        utf8.print(outputs.toText());
        utf8.flush();
        String relaunchFailed = System.getProperty(JvmRelaunch.FAILED);
        if (relaunchFailed != null) {
            log().info("Running in the JVM as started (JVM settings not applied: {})", relaunchFailed);
        }
        if (ClassArchive.training()) {
            server.stop(); // a class-data archive's training start: its exit writes the archive
            return 0;
        }
        ClassArchive.afterReady();
        HeapReturn.afterReady();
        server.awaitStopped();
        return 0;
    }

    ServerConfig toConfig() {
        if (!ServerConfig.Smtp.TLS_MODES.contains(smtpTls.toLowerCase(Locale.ROOT))) {
            // checked with or without --smtp-host, so a mistyped value is never accepted silently
            throw new IllegalArgumentException("smtp tls must be none, starttls or tls, not " + smtpTls);
        }
        ServerConfig.Smtp smtp = smtpHost == null || smtpHost.isBlank()
                ? null
                : new ServerConfig.Smtp(
                        smtpHost,
                        smtpPort,
                        smtpTls.toLowerCase(Locale.ROOT),
                        blankToNull(smtpUser),
                        blankToNull(smtpPassword),
                        smtpFrom);
        ServerConfig.IssuerStyle style =
                switch (issuerStyle.toLowerCase(Locale.ROOT)) {
                    case "local" -> ServerConfig.IssuerStyle.LOCAL;
                    case "aws" -> ServerConfig.IssuerStyle.AWS;
                    default -> throw new IllegalArgumentException(
                            "issuer style must be local or aws, not " + issuerStyle);
                };
        return new ServerConfig(
                dataDir.toAbsolutePath().normalize(),
                outputsFile == null ? null : outputsFile.toAbsolutePath().normalize(),
                host,
                awsPort,
                apiPort == null ? ServerConfig.apiPortNextTo(awsPort) : apiPort,
                webPort == null ? ServerConfig.webPortNextTo(awsPort) : webPort,
                region,
                smtp,
                style,
                workerThreads,
                workerQueue,
                ServerConfig.DEFAULT_MAX_BODY_BYTES,
                ServerConfig.DEFAULT_SHUTDOWN_GRACE,
                maxObjectSize);
    }

    /** The app {@code --template}, {@code --parameter-overrides} and {@code --stage} name. */
    StackConfig stackConfig() {
        return new StackConfig(
                Optional.ofNullable(template).map(t -> t.toAbsolutePath().normalize()),
                parameterOverrides,
                stage,
                !noWatch);
    }

    /** The store {@code --store} names; see docs/storage.md. */
    StoreFactory storeFactory() {
        return switch (store.toLowerCase(Locale.ROOT)) {
            case "sqlite" -> StoreFactory.SQLITE;
            case "dynamodb" -> {
                String endpoint = blankToNull(dynamodbEndpoint);
                // With an endpoint (moto's server, a proxy) the stack's region signs; without, the SDK's chain decides.
                yield new StoreFactory.DynamoDb(
                        endpoint == null
                                ? new DynamoDbSettings(null, null, dynamodbTablePrefix)
                                : new DynamoDbSettings(URI.create(endpoint), region, dynamodbTablePrefix));
            }
            case "postgres" -> {
                String url = blankToNull(postgresUrl);
                if (url == null) {
                    throw new IllegalArgumentException("--store postgres needs --postgres-url");
                }
                yield new StoreFactory.Postgres(new PostgresSettings(
                        url, blankToNull(postgresUser), blankToNull(postgresPassword), postgresPoolSize));
            }
            default -> throw new IllegalArgumentException("store must be sqlite, dynamodb or postgres, not " + store);
        };
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Defaults from {@code GATEHOUSE_*} variables; when a variable is unset, picocli uses the annotation's default. */
    private static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

        private final Map<String, String> env;

        EnvironmentDefaults(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        @Override
        public @Nullable String defaultValue(ArgSpec argSpec) {
            if (!(argSpec instanceof OptionSpec option)) {
                return null;
            }
            String value = env.get(environmentName(option.longestName()));
            return value == null || value.isEmpty() ? null : value;
        }
    }
}
