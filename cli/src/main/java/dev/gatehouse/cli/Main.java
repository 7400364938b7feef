package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * {@code java -jar gatehouse-cli.jar}: runs {@link ApiTestCommand} or one of its subcommands and exits with its code
 * ({@link ExitCodes}). A {@link CliException} is printed as its message alone, on stderr; anything else is a bug and
 * is printed with its type.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** The parser for a command: {@code @FILE} arguments stay as they are (the tool's {@code --body @FILE}). */
    static CommandLine commandLine(Object command) {
        return new CommandLine(command).setExpandAtFiles(false);
    }

    /** Parses and runs; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine(new ApiTestCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getOut().flush();
            if (e instanceof CliException failure) {
                cmd.getErr().println(failure.getMessage());
                cmd.getErr().flush();
                return failure.exitCode();
            }
            cmd.getErr().println("Unexpected error: " + e);
            cmd.getErr().flush();
            return ExitCodes.INTERNAL;
        });
        return commandLine.execute(args);
    }
}
