package dev.gatehouse.notes.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code gatehouse-notes-lambda.jar} on its own, as Lambda's Java runtime uses it: the function class
 * is loaded from the jar alone (no test or build classpath behind it), the event is deserialized with the runtime's
 * serializer for the jar's own event class, and the response serialized back.
 */
class LambdaJarIT {

    private static final String PACKAGE = "dev.gatehouse.notes.lambda.";
    private static final List<String> FUNCTIONS = List.of(
            "CreateNoteFunction", "GetNoteFunction", "UpdateNoteFunction", "DeleteNoteFunction", "ListNotesFunction");

    @Test
    void jarHoldsTheFiveFunctionsAndNoServerCode() throws IOException {
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (String function : FUNCTIONS) {
                assertThat(jar.getEntry((PACKAGE + function).replace('.', '/') + ".class"))
                        .as(function)
                        .isNotNull();
            }
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names)
                    .noneMatch(n -> n.startsWith("io/vertx/")
                            || n.startsWith("io/netty/")
                            || n.startsWith("dev/gatehouse/server/")
                            || n.startsWith("dev/gatehouse/gateway/")
                            || n.startsWith("org/apache/hc/")
                            || n.startsWith("com/amazonaws/services/dynamodbv2/local/"));
        }
    }

    @Test
    void functionWhenLoadedFromTheJarAloneThenAnswersApiGatewayEvent() throws Exception {
        try (MotoServer dynamoDb = MotoServer.start();
                URLClassLoader loader =
                        new URLClassLoader(new URL[] {jar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Object api = containerApi(
                    loader,
                    Map.of(
                            "ATTACHMENTS_BUCKET",
                            "notes-attachments",
                            "TABLE_PREFIX",
                            "jar-it-",
                            "AWS_REGION",
                            "us-east-1",
                            "DYNAMODB_ENDPOINT",
                            dynamoDb.endpoint().toString()));
            Class<?> functionClass = loader.loadClass(PACKAGE + "CreateNoteFunction");
            Constructor<?> constructor =
                    functionClass.getDeclaredConstructor(loader.loadClass("dev.gatehouse.notes.NotesApi"));
            constructor.setAccessible(true);
            Object function = constructor.newInstance(api);
            assertThat(functionClass.getConstructor()).isNotNull();

            Class<?> eventClass =
                    loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent");
            Class<?> responseClass =
                    loader.loadClass("com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse");
            String identityId = "us-east-1:" + UUID.randomUUID();
            Object event = serializer(eventClass, loader).fromJson(createEvent(identityId));
            Method handle = functionClass.getMethod(
                    "handleRequest", eventClass, loader.loadClass("com.amazonaws.services.lambda.runtime.Context"));
            Object response = handle.invoke(function, event, null);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer(responseClass, loader).toJson(response, out);
            JsonNode json = new ObjectMapper().readTree(out.toByteArray());
            assertThat(json.path("statusCode").asInt()).as("%s", json).isEqualTo(200);
            assertThat(new ObjectMapper()
                            .readTree(json.path("body").asText())
                            .path("userId")
                            .asText())
                    .isEqualTo(identityId);
        }
    }

    /** The jar's own {@code NotesContainer.create(NotesLambdaSettings.fromEnvironment(env), clock)}. */
    private static Object containerApi(ClassLoader loader, Map<String, String> env) throws Exception {
        Class<?> settingsClass = loader.loadClass(PACKAGE + "NotesLambdaSettings");
        Method fromEnvironment = settingsClass.getDeclaredMethod("fromEnvironment", Map.class);
        fromEnvironment.setAccessible(true);
        Object settings = fromEnvironment.invoke(null, env);
        Method create =
                loader.loadClass(PACKAGE + "NotesContainer").getDeclaredMethod("create", settingsClass, Clock.class);
        create.setAccessible(true);
        return create.invoke(null, settings, Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        return LambdaEventSerializers.serializerFor((Class<Object>) type, loader);
    }

    private static String createEvent(String identityId) throws IOException {
        try (InputStream in = LambdaJarIT.class.getResourceAsStream("/events/create-note.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${identityId}", identityId)
                    .replace("${sub}", UUID.randomUUID().toString());
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("notes.lambda.jar", "target/gatehouse-notes-lambda.jar"));
        assertThat(Files.isRegularFile(jar))
                .as("%s exists (mvn package builds it)", jar)
                .isTrue();
        return jar;
    }
}
