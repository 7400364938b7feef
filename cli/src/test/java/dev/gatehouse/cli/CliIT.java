package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;

/**
 * The CLI jar against the server jar, both as processes: the recipe's three steps in one command, the admin
 * conveniences, and the failures a user meets (wrong password, unconfirmed user, a request the API refuses).
 */
class CliIT {

    @RegisterExtension
    static final StackProcess STACK = new StackProcess("cli");

    private static final String PASSWORD = "Passw0rd!";
    private static final String LS = System.lineSeparator();
    private static final String PROGRESS =
            "Authenticating with User Pool" + LS + "Getting temporary credentials" + LS + "Making API request" + LS;
    private static final Pattern HELLO =
            Pattern.compile("data: 'Hello (us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})!'");

    private static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID() + "@example.com";
    }

    private static String outputs() {
        return "--outputs-file=" + STACK.outputsFile();
    }

    private static StackProcess.Run createUser(String username, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("create-user", outputs(), "--username", username, "--password", PASSWORD));
        args.addAll(List.of(extra));
        return STACK.cli(args.toArray(String[]::new));
    }

    /** The main command with the outputs file and the user's sign-in, then {@code more}. */
    private static StackProcess.Run call(String username, String password, String... more) {
        List<String> args = new ArrayList<>(List.of(outputs(), "--username=" + username, "--password=" + password));
        args.addAll(List.of(more));
        return STACK.cli(args.toArray(String[]::new));
    }

    @Test
    void createUserThenCallPrivateWhenSignedInThenStatus200WithTheCallersIdentityId() {
        String user = email("private");
        StackProcess.Run created = createUser(user);
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).contains("Created user " + user);

        StackProcess.Run run = call(user, PASSWORD, "--path-template=/private");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith(PROGRESS + "{" + LS + "  status: 200," + LS + "  statusText: 'OK'," + LS);
        Matcher hello = HELLO.matcher(run.stdout());
        assertThat(hello.find()).as(run.stdout()).isTrue();
        // the same user gets the same identity id on every sign-in
        StackProcess.Run again = call(user, PASSWORD, "--path-template=/private");
        assertThat(again.stdout()).contains("data: 'Hello " + hello.group(1) + "!'");
    }

    @Test
    void callWhenWrongPasswordThenCognitosMessageAndSignInExitCode() {
        String user = email("wrong");
        assertThat(createUser(user).exitCode()).isZero();

        StackProcess.Run run = call(user, "Wr0ng-Passw0rd!", "--path-template=/private");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.SIGN_IN);
        assertThat(run.stdout()).isEqualTo("Authenticating with User Pool" + LS);
        assertThat(run.stderr()).startsWith("Sign-in failed: NotAuthorizedException: Incorrect username or password.");
    }

    @Test
    void callWhenUserNotConfirmedThenSaysSoUntilConfirmUser() {
        String user = email("unconfirmed");
        try (CognitoIdentityProviderClient app = AwsClients.userPool(
                "us-east-1",
                Optional.of(URI.create(STACK.output(StackOutputs.AWS_ENDPOINT))),
                AnonymousCredentialsProvider.create())) {
            app.signUp(r -> r.clientId(STACK.output(StackOutputs.USER_POOL_CLIENT_ID))
                    .username(user)
                    .password(PASSWORD)
                    .userAttributes(
                            AttributeType.builder().name("email").value(user).build()));
        }

        StackProcess.Run refused = call(user, PASSWORD, "--path-template=/private");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SIGN_IN);
        assertThat(refused.stderr()).contains("UserNotConfirmedException").contains("confirm-user");

        StackProcess.Run confirmed = STACK.cli("confirm-user", outputs(), "--username", user);
        assertThat(confirmed.exitCode()).as(confirmed.stderr()).isZero();
        assertThat(call(user, PASSWORD, "--path-template=/private").exitCode()).isZero();
    }

    @Test
    void createUserWhenAdminCreateThenSignsInWithThePermanentPassword() {
        String user = email("admin-create");
        StackProcess.Run created = createUser(user, "--admin-create");
        assertThat(created.exitCode()).as(created.stderr()).isZero();

        StackProcess.Run run = call(user, PASSWORD, "--path-template=/private");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("status: 200");
    }

    @Test
    void callWhenSignedForAnotherRegionThenTheApisRefusalAndApiErrorExitCode() {
        String user = email("region");
        assertThat(createUser(user).exitCode()).isZero();

        StackProcess.Run run = call(user, PASSWORD, "--path-template=/private", "--api-gateway-region=eu-west-1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.API_ERROR);
        assertThat(run.stdout()).startsWith(PROGRESS).contains("status: 403,", "statusText: 'Forbidden',", "eu-west-1");
        assertThat(run.stderr()).startsWith("The API answered 403 Forbidden to GET ");
    }

    @Test
    void callWhenTheRecipesPostNotesThenStatus200WithTheNote() {
        String user = email("notes");
        assertThat(createUser(user).exitCode()).isZero();
        Matcher hello =
                HELLO.matcher(call(user, PASSWORD, "--path-template=/private").stdout());
        assertThat(hello.find()).isTrue();

        StackProcess.Run run = call(
                user,
                PASSWORD,
                "--path-template=/notes",
                "--method=POST",
                "--body={\"content\":\"hello world\",\"attachment\":\"hello.jpg\"}");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .startsWith(PROGRESS + "{" + LS + "  status: 200," + LS + "  statusText: 'OK',")
                .contains("userId: '" + hello.group(1) + "'", "content: 'hello world'", "attachment: 'hello.jpg'")
                .containsPattern("noteId: '[0-9a-f-]{36}'")
                .containsPattern("createdAt: [0-9]{13}");
    }

    @Test
    void rotateSigningKeysWhenAdminThenTheJwksListsTwoNewKidsAndSignInStillWorks() throws Exception {
        String jwksUri = STACK.output("AwsEndpoint").replaceAll("/*$", "") + "/" + STACK.output("UserPoolId")
                + "/.well-known/jwks.json";
        List<String> before = kids(jwksUri);

        StackProcess.Run run = STACK.cli("rotate-signing-keys", outputs());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> after = kids(jwksUri);
        assertThat(after).containsAll(before).hasSize(before.size() + 2);
        assertThat(run.stdout()).contains(after.get(after.size() - 1));
        String user = email("rotated");
        assertThat(createUser(user).exitCode()).isZero();
        assertThat(call(user, PASSWORD, "--path-template=/private").exitCode()).isZero();
    }

    @Test
    void rotateSigningKeysWhenNotTheAdminKeyThenAdminExitCodeAndTheRefusal() throws Exception {
        java.nio.file.Path wrong = java.nio.file.Files.createTempFile("wrong-admin", ".ini");
        try {
            java.nio.file.Files.writeString(
                    wrong, "[default]\naws_access_key_id = AKIAWRONGWRONGWRONG0\naws_secret_access_key = nope\n");

            StackProcess.Run run =
                    STACK.cli("rotate-signing-keys", outputs(), "--admin-credentials-file", wrong.toString());

            assertThat(run.exitCode()).isEqualTo(ExitCodes.ADMIN);
            assertThat(run.stderr()).contains("UnrecognizedClientException");
        } finally {
            java.nio.file.Files.deleteIfExists(wrong);
        }
    }

    private static List<String> kids(String jwksUri) throws Exception {
        java.net.http.HttpResponse<String> jwks = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(URI.create(jwksUri))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(jwks.body())
                .findValuesAsText("kid");
    }

    @Test
    void outputsWhenGetThenTheValue() {
        StackProcess.Run run = STACK.cli("outputs", outputs(), "--get", "ApiEndpoint");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout().strip()).isEqualTo(STACK.output(StackOutputs.API_ENDPOINT));
    }
}
