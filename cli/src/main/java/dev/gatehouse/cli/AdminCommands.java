package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

/**
 * Admin conveniences against a local stack: create a user that can sign in at once, and confirm a signed-up user.
 * Admin operations are signed with the stack's admin key pair (its {@code AdminCredentialsFile}).
 */
final class AdminCommands {

    private AdminCommands() {}

    /** {@code create-user}: the recipe's sign-up + admin-confirm-sign-up, or AdminCreateUser + a permanent password. */
    @Command(
            name = "create-user",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Creates a confirmed user that can sign in with the password at once.",
                "Default: SignUp (as an app would) then AdminConfirmSignUp, as the recipe does; --admin-create uses"
                        + " AdminCreateUser (no invitation) then AdminSetUserPassword --permanent."
            })
    static final class CreateUser implements Callable<Integer> {

        @Spec
        @Nullable
        CommandSpec spec;

        @Mixin
        StackOptions stack = new StackOptions();

        @Option(names = "--username", required = true, description = "Username; an email address in the default pool.")
        String username = "";

        @Option(names = "--password", required = true, description = "The user's permanent password.")
        String password = "";

        @Option(
                names = "--email",
                description = "The email attribute. Default: the username if it is an email address.")
        @Nullable
        String email;

        @Option(names = "--admin-create", description = "Use AdminCreateUser + AdminSetUserPassword instead of SignUp.")
        boolean adminCreate;

        @Override
        public Integer call() {
            URI endpoint = stack.endpoint();
            String pool = stack.userPoolId();
            List<AttributeType> attributes = new ArrayList<>();
            Optional.ofNullable(email)
                    .or(() -> Optional.of(username).filter(u -> u.contains("@")))
                    .ifPresent(e -> attributes.add(
                            AttributeType.builder().name("email").value(e).build()));
            try (CognitoIdentityProviderClient admin =
                    AwsClients.userPool(stack.region(), Optional.of(endpoint), stack.adminCredentials())) {
                if (adminCreate) {
                    List<AttributeType> withVerified = new ArrayList<>(attributes);
                    if (!attributes.isEmpty()) {
                        withVerified.add(AttributeType.builder()
                                .name("email_verified")
                                .value("true")
                                .build());
                    }
                    invokeAdmin(
                            endpoint,
                            () -> admin.adminCreateUser(r -> r.userPoolId(pool)
                                    .username(username)
                                    .messageAction(MessageActionType.SUPPRESS)
                                    .userAttributes(withVerified)));
                    invokeAdmin(
                            endpoint,
                            () -> admin.adminSetUserPassword(r -> r.userPoolId(pool)
                                    .username(username)
                                    .password(password)
                                    .permanent(true)));
                } else {
                    String client = stack.appClientId();
                    try (CognitoIdentityProviderClient app = AwsClients.userPool(
                            stack.region(), Optional.of(endpoint), AnonymousCredentialsProvider.create())) {
                        invokeAdmin(
                                endpoint,
                                () -> app.signUp(r -> r.clientId(client)
                                        .username(username)
                                        .password(password)
                                        .userAttributes(attributes)));
                    }
                    invokeAdmin(
                            endpoint,
                            () -> admin.adminConfirmSignUp(
                                    r -> r.userPoolId(pool).username(username)));
                }
            }
            PrintWriter out = out(spec);
            out.println("Created user " + username + " in " + pool + " (confirmed; signs in with the given password)");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code confirm-user}: AdminConfirmSignUp, or ConfirmSignUp with the emailed code. */
    @Command(
            name = "confirm-user",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = "Confirms a signed-up user: as the admin (AdminConfirmSignUp), or with the emailed --code"
                    + " (ConfirmSignUp).")
    static final class ConfirmUser implements Callable<Integer> {

        @Spec
        @Nullable
        CommandSpec spec;

        @Mixin
        StackOptions stack = new StackOptions();

        @Option(names = "--username", required = true, description = "The user to confirm.")
        String username = "";

        @Option(names = "--code", description = "The confirmation code (from the email or the outbox file).")
        @Nullable
        String code;

        @Override
        public Integer call() {
            URI endpoint = stack.endpoint();
            String given = code;
            if (given == null) {
                String pool = stack.userPoolId();
                try (CognitoIdentityProviderClient admin =
                        AwsClients.userPool(stack.region(), Optional.of(endpoint), stack.adminCredentials())) {
                    invokeAdmin(
                            endpoint,
                            () -> admin.adminConfirmSignUp(
                                    r -> r.userPoolId(pool).username(username)));
                }
            } else {
                String client = stack.appClientId();
                try (CognitoIdentityProviderClient app = AwsClients.userPool(
                        stack.region(), Optional.of(endpoint), AnonymousCredentialsProvider.create())) {
                    invokeAdmin(
                            endpoint,
                            () -> app.confirmSignUp(
                                    r -> r.clientId(client).username(username).confirmationCode(given)));
                }
            }
            PrintWriter out = out(spec);
            out.println("Confirmed user " + username);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code rotate-signing-keys}: Gatehouse's own admin operation, on any node of the stack (docs/deploy.md). */
    @Command(
            name = "rotate-signing-keys",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Adds new token-signing keys (and a refresh-token sealing key) to the user pool's key set, shared by every"
                        + " node: GatehouseAdmin.RotateSigningKeys, signed with the stack's admin key.",
                "Tokens signed before stay valid; every node signs with the new keys within 10 seconds."
            })
    static final class RotateSigningKeys implements Callable<Integer> {

        @Spec
        @Nullable
        CommandSpec spec;

        @Mixin
        StackOptions stack = new StackOptions();

        @Override
        public Integer call() {
            URI endpoint = stack.endpoint();
            String body = "{\"UserPoolId\":\"" + stack.userPoolId() + "\"}";
            HttpResponse<String> response =
                    GatehouseAdmin.post(endpoint, "RotateSigningKeys", body, stack.adminCredentials(), stack.region());
            if (response.statusCode() != 200) {
                throw new CliException(
                        ExitCodes.ADMIN,
                        "Failed: HTTP " + response.statusCode() + " from " + endpoint + ": " + response.body());
            }
            PrintWriter out = out(spec);
            out.println(response.body());
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void invokeAdmin(URI endpoint, Runnable operation) {
        try {
            operation.run();
        } catch (SdkException e) {
            String code = Failures.errorCode(e).orElse("");
            String hint =
                    switch (code) {
                        case "UnrecognizedClientException",
                                "InvalidSignatureException",
                                "IncompleteSignature",
                                "SignatureDoesNotMatch" -> "\nThe admin key pair was refused: use the stack's AdminCredentialsFile.";
                        case "ResourceNotFoundException" -> "\nCheck --user-pool-id / --app-client-id (or --outputs-file).";
                        default -> "";
                    };
            throw new CliException(ExitCodes.ADMIN, "Failed: " + Failures.describe(e, Optional.of(endpoint)) + hint, e);
        }
    }

    private static PrintWriter out(@Nullable CommandSpec spec) {
        return spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
    }
}
