package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outputs}: prints the stack outputs (all, as JSON, or one value for scripts). */
@Command(
        name = "outputs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints the stack's outputs: Name: value lines, the JSON file, or one value (--get NAME).")
final class OutputsCommand implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    /** The name README's start command gives the file (server {@code --outputs-file outputs.json}). */
    static final String DEFAULT_FILE = "outputs.json";

    @Option(
            names = "--outputs-file",
            paramLabel = "FILE",
            defaultValue = DEFAULT_FILE,
            description = "The stack's outputs file (server --outputs-file). Default: ${DEFAULT-VALUE} in the working"
                    + " directory")
    @Nullable
    Path outputsFile = Path.of(DEFAULT_FILE);

    @Option(names = "--json", description = "Print the file's JSON as it is.")
    boolean json;

    @Option(names = "--get", paramLabel = "NAME", description = "Print only this output's value, such as ApiEndpoint.")
    @Nullable
    String name;

    @Override
    public Integer call() {
        Path file = outputsFile;
        if (file == null) {
            throw new CliException(ExitCodes.USAGE, "Missing --outputs-file");
        }
        StackOutputs outputs = StackOutputs.read(file);
        String text;
        if (name != null) {
            String wanted = name;
            text = outputs.get(wanted)
                            .orElseThrow(() -> new CliException(
                                    ExitCodes.USAGE,
                                    "The outputs file " + file + " has no " + wanted + " (it has: "
                                            + String.join(", ", outputs.values().keySet()) + ")"))
                    + "\n";
        } else if (json) {
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new CliException(
                        ExitCodes.USAGE, "Cannot read the outputs file " + file + ": " + e.getMessage(), e);
            }
        } else {
            text = outputs.toText();
        }
        CommandSpec s = spec;
        if (s == null) {
            System.out.print(text);
        } else {
            s.commandLine().getOut().print(text);
            s.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
