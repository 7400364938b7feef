package dev.gatehouse.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/** The options every admin command shares: where the stack is, its user pool, and the admin key pair. */
final class StackOptions {

    @Option(
            names = "--outputs-file",
            paramLabel = "FILE",
            description = "The stack's outputs file (server --outputs-file): fills the options not given.")
    @Nullable
    Path outputsFile;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description =
                    "AWS endpoint of the stack, such as http://127.0.0.1:9229. Default: the outputs file's AwsEndpoint.")
    @Nullable
    String endpoint;

    @Option(names = "--user-pool-id", description = "User pool id. Default: the outputs file's UserPoolId.")
    @Nullable
    String userPoolId;

    @Option(names = "--app-client-id", description = "App client id. Default: the outputs file's UserPoolClientId.")
    @Nullable
    String appClientId;

    @Option(
            names = {"--cognito-region", "--region"},
            description = "The stack's region (admin requests are signed for it). Default: the outputs file's Region,"
                    + " else " + ApiTestCommand.DEFAULT_REGION + ".")
    @Nullable
    String region;

    @Option(
            names = "--admin-credentials-file",
            paramLabel = "FILE",
            description = "AWS shared-credentials file with the admin key pair ([default]). Default: the outputs file's"
                    + " AdminCredentialsFile.")
    @Nullable
    Path adminCredentialsFile;

    private @Nullable StackOutputs outputs;

    StackOutputs outputs() {
        StackOutputs read = outputs;
        if (read == null) {
            read = outputsFile == null ? StackOutputs.none() : StackOutputs.read(outputsFile);
            outputs = read;
        }
        return read;
    }

    /** The stack's AWS endpoint; admin commands only talk to a local stack. */
    URI endpoint() {
        return ApiTestCommand.first(endpoint, outputs().get(StackOutputs.AWS_ENDPOINT))
                .map(ApiTestCommand::endpointUri)
                .orElseThrow(() -> missing("--endpoint", "AwsEndpoint"));
    }

    String userPoolId() {
        return ApiTestCommand.first(userPoolId, outputs().get(StackOutputs.USER_POOL_ID))
                .orElseThrow(() -> missing("--user-pool-id", "UserPoolId"));
    }

    String appClientId() {
        return ApiTestCommand.first(appClientId, outputs().get(StackOutputs.USER_POOL_CLIENT_ID))
                .orElseThrow(() -> missing("--app-client-id", "UserPoolClientId"));
    }

    String region() {
        return ApiTestCommand.first(region, outputs().get(StackOutputs.REGION)).orElse(ApiTestCommand.DEFAULT_REGION);
    }

    /** Signs with the {@code [default]} profile of the admin credentials file. */
    AwsCredentialsProvider adminCredentials() {
        Path file = Optional.ofNullable(adminCredentialsFile)
                .or(() -> outputs().adminCredentialsFile())
                .orElseThrow(() -> missing("--admin-credentials-file", "AdminCredentialsFile"));
        if (!Files.isReadable(file)) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "Cannot read the admin credentials file " + file
                            + " (the stack writes it in its data directory, readable by its owner only).");
        }
        ProfileFile profiles = ProfileFile.builder()
                .content(file)
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        if (profiles.profile("default").isEmpty()) {
            throw new CliException(
                    ExitCodes.USAGE, "The admin credentials file " + file + " has no [default] profile.");
        }
        return ProfileCredentialsProvider.builder()
                .profileFile(profiles)
                .profileName("default")
                .build();
    }

    private CliException missing(String option, String output) {
        return new CliException(
                ExitCodes.USAGE,
                "Missing " + option
                        + (outputsFile == null
                                ? " (or --outputs-file FILE, whose " + output + " it defaults to)"
                                : " (the outputs file " + outputsFile + " has no " + output + ")"));
    }
}
