package dev.gatehouse.server;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Replaces the running JVM, in the same process, by one with {@link JvmSettings}: {@code execve(2)} of the same
 * {@code java} with the settings, then every option this JVM was given (so the operator's win), then {@link Main} and
 * the arguments. Linux only; nothing happens when turned off ({@code -Dgatehouse.relaunch=false}), when this JVM is
 * already the relaunched one, for {@code --help}/{@code --version}, or when the settings would add nothing. A failed
 * switch leaves this JVM running {@code Main} as before and says why in {@link #FAILED} (logged once logging is up).
 */
final class JvmRelaunch {

    /** {@code false} turns the relaunch off. */
    static final String SWITCH = "gatehouse.relaunch";

    /** Set on the relaunched JVM. */
    static final String LAUNCHED = "gatehouse.launched";

    /** Why a relaunch was attempted and failed, for the log. */
    static final String FAILED = "gatehouse.relaunch.failed";

    /** Environment variables whose options the JVM already took into its input arguments. */
    private static final Set<String> CONSUMED_ENVIRONMENT = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_BYTES = 128;

    /** The two C calls, through JNA (already in the jar for libargon2). */
    interface LibC extends Library {
        int execve(String path, String[] argv, String[] envp);

        int sigprocmask(int how, Pointer set, @Nullable Pointer old);
    }

    private JvmRelaunch() {}

    /** Returns only when the JVM was not replaced. */
    static void execIfUseful(String[] args) {
        if (!wanted(args)) {
            return;
        }
        try {
            List<String> inputs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            List<String> settings = JvmSettings.forOptions(inputs, ClassArchive::optionsFor);
            if (settings.isEmpty()) {
                return;
            }
            List<String> command = command(javaExecutable(), settings, inputs, args);
            exec(command, childEnvironment(System.getenv()));
            System.setProperty(FAILED, "execve of " + command.get(0) + " failed (errno " + Native.getLastError() + ")");
        } catch (RuntimeException | LinkageError e) {
            System.setProperty(FAILED, e.toString());
        }
    }

    static boolean wanted(String[] args) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || "false".equalsIgnoreCase(System.getProperty(SWITCH, "true"))
                || System.getProperty(LAUNCHED) != null) {
            return false;
        }
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return false;
            }
        }
        return true;
    }

    /** {@code java <settings> <this JVM's options> -Dgatehouse.launched=true -cp <class path> Main <args>}. */
    static List<String> command(String java, List<String> settings, List<String> inputs, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(settings);
        command.addAll(inputs);
        command.add("-D" + LAUNCHED + "=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path", ""));
        command.add("dev.gatehouse.server.Main"); // by name: loading Main here would set up logging
        command.addAll(List.of(args));
        return command;
    }

    /** The environment minus what the JVM already consumed; glibc limited to two malloc arenas unless set. */
    static String[] childEnvironment(Map<String, String> environment) {
        List<String> entries = new ArrayList<>();
        environment.forEach((name, value) -> {
            if (!CONSUMED_ENVIRONMENT.contains(name)) {
                entries.add(name + "=" + value);
            }
        });
        if (!environment.containsKey("MALLOC_ARENA_MAX")) {
            entries.add("MALLOC_ARENA_MAX=2");
        }
        return entries.toArray(String[]::new);
    }

    /** The {@code java} this JVM was started with. */
    static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElseGet(() ->
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void exec(List<String> command, String[] environment) {
        LibC libc = Native.load("c", LibC.class);
        // execve keeps the calling thread's blocked signals; the JVM blocks some in its threads.
        Memory none = new Memory(SIGSET_BYTES);
        none.clear();
        libc.sigprocmask(SIG_SETMASK, none, null);
        System.out.flush();
        System.err.flush();
        libc.execve(command.get(0), command.toArray(String[]::new), environment);
    }
}
