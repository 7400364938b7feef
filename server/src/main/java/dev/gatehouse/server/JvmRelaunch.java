package dev.gatehouse.server;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** JNA's system library directories; when unset, JNA runs {@code ldconfig -p} to find them. */
    private static final String JNA_DIRECTORIES = "jna.platform.library.path";

    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_BYTES = 128;

    /**
     * Options that may hide other options from the command line (argument files, option files): with one of them the
     * JVM's own list is read instead.
     */
    private static final List<String> INDIRECT = List.of("@", "-XX:Flags=", "-XX:VMOptionsFile=");

    private JvmRelaunch() {}

    /** Returns only when the JVM was not replaced. */
    static void execIfUseful(String[] args) {
        if (!wanted(args)) {
            return;
        }
        try {
            List<String> inputs = givenOptions(args);
            // an anonymous class, not a method reference: see givenOptions
            List<String> settings = JvmSettings.forOptions(inputs, new java.util.function.Function<>() {
                @Override
                public List<String> apply(List<String> options) {
                    return ClassArchive.optionsFor(options);
                }
            });
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

    /**
     * The options this JVM was started with, as the operator gave them: read from the command line ({@code
     * /proc/self/cmdline}: the tokens before {@code -jar <jar>} or before the main class), which costs nothing,
     * unless an environment variable or an argument file adds options, when the JVM's own list is asked for (its
     * management interface takes tens of milliseconds to load). The launcher's code avoids lambdas and streams for the
     * same reason: a JVM's first one costs milliseconds.
     */
    static List<String> givenOptions(String[] args) {
        Map<String, String> environment = System.getenv();
        for (String name : CONSUMED_ENVIRONMENT) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return ManagementFactory.getRuntimeMXBean().getInputArguments();
            }
        }
        List<String> tokens = commandLine();
        Optional<List<String>> options = tokens.isEmpty()
                ? Optional.empty()
                : optionsBefore(tokens.subList(1, tokens.size()), args, System.getProperty("sun.java.command", ""));
        return options.isPresent()
                ? options.get()
                : ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** This process's command line, {@code argv[0]} first; empty when it cannot be read. */
    static List<String> commandLine() {
        try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> tokens = new ArrayList<>();
            int start = 0;
            for (int end = all.indexOf('\0'); end >= 0; end = all.indexOf('\0', start)) {
                tokens.add(all.substring(start, end));
                start = end + 1;
            }
            return tokens;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The JVM options among a {@code java} command's tokens (without {@code argv[0]}): those before the main class, or
     * before {@code -jar <jar>}, given that the command ends with the main class or jar ({@code command}'s first word)
     * and {@code args}. Empty when the tokens do not read that way or an option names more options elsewhere.
     */
    static Optional<List<String>> optionsBefore(List<String> tokens, String[] args, String command) {
        int main = tokens.size() - args.length - 1;
        if (main < 0
                || !command.startsWith(tokens.get(main))
                || !tokens.subList(main + 1, tokens.size()).equals(Arrays.asList(args))) {
            return Optional.empty();
        }
        int end = main > 0 && tokens.get(main - 1).equals("-jar") ? main - 1 : main;
        List<String> options = tokens.subList(0, end);
        for (String option : options) {
            for (String indirect : INDIRECT) {
                if (option.startsWith(indirect)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(List.copyOf(options));
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
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            if (!CONSUMED_ENVIRONMENT.contains(variable.getKey())) {
                entries.add(variable.getKey() + "=" + variable.getValue());
            }
        }
        if (!environment.containsKey("MALLOC_ARENA_MAX")) {
            entries.add("MALLOC_ARENA_MAX=2");
        }
        return entries.toArray(String[]::new);
    }

    /** The {@code java} this JVM was started with ({@code /proc/self/exe}), else the one in {@code java.home}. */
    static String javaExecutable() {
        try {
            File running = new File("/proc/self/exe").getCanonicalFile();
            if (running.canExecute()) {
                return running.getPath();
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: the JVM's own home below
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The directories JNA would search, as it lists them itself but without asking ldconfig: the multiarch ones for
     * this machine, then the plain ones, those that exist.
     */
    static String libraryDirectories() {
        String arch = System.getProperty("os.arch", "");
        String tuple = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        List<String> directories = new ArrayList<>();
        for (String candidate : List.of(
                "/usr/lib/" + tuple + "-linux-gnu",
                "/lib/" + tuple + "-linux-gnu",
                "/usr/lib64",
                "/lib64",
                "/usr/lib",
                "/lib")) {
            if (new File(candidate).isDirectory()) {
                directories.add(candidate);
            }
        }
        return String.join(File.pathSeparator, directories);
    }

    private static void exec(List<String> command, String[] environment) {
        // libc by its file name and its functions called directly; JNA's library directories given, else JNA runs
        // ldconfig to list them (a process of its own, on every start).
        if (System.getProperty(JNA_DIRECTORIES) == null) {
            System.setProperty(JNA_DIRECTORIES, libraryDirectories());
        }
        NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        Function sigprocmask = libc.getFunction("sigprocmask");
        Function execve = libc.getFunction("execve");
        // execve keeps the calling thread's blocked signals; the JVM blocks some in its threads.
        Memory none = new Memory(SIGSET_BYTES);
        none.clear();
        sigprocmask.invokeInt(new Object[] {SIG_SETMASK, none, null});
        System.out.flush();
        System.err.flush();
        execve.invokeInt(new Object[] {command.get(0), command.toArray(String[]::new), environment});
    }
}
