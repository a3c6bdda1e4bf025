package io.tidings.client.cli;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsClientException;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * tidings-cli, the scriptable command-line client: the entry point and the options every command
 * shares. Each command prints its results on stdout and exits with a code of {@link ExitCodes}.
 */
@Command(name = "tidings-cli",
        mixinStandardHelpOptions = true,
        versionProvider = TidingsCli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Scriptable command-line client of Tidings.",
            "token and group call the server API over gRPC with the app secret, as an app backend does."
                    + " send, listen, sync and history connect to connector-svc over a WebSocket as one device"
                    + " of a user, with a token.",
        },
        subcommands = {
            TokenCommand.class,
            SendCommand.class,
            ListenCommand.class,
            SyncCommand.class,
            HistoryCommand.class,
            GroupCommand.class,
            HelpCommand.class,
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  export TIDINGS_APP_SECRET=local-dev-app-secret-change-me",
            "  export TIDINGS_TOKEN=$(tidings-cli token --server 127.0.0.1:7100 --user alice)",
            "  tidings-cli send --url ws://127.0.0.1:7100/ws --device alice-cli \\",
            "      --to bob --text 'hello bob'",
            "Run 'tidings-cli COMMAND --help' for the options of a command.",
        })
public final class TidingsCli {

    static final String VERSION = "0.1.0";
    static final long DEFAULT_TIMEOUT_SECONDS = 30;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON object per line, for scripts. Protocol objects use the proto3 JSON"
                    + " mapping: 64-bit integers are strings and fields at their default value are present."
                    + " Errors and state changes on stderr are JSON lines too.")
    private boolean json;

    // No defaultValue: picocli would apply it again when parsing the subcommand, resetting a
    // --timeout given before the command name.
    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            converter = OptionValues.PositiveLong.class,
            description = "Time to wait for the connection and for each reply before failing with exit code 5"
                    + " (default: " + DEFAULT_TIMEOUT_SECONDS + ").")
    private Long timeoutSeconds;

    private final Map<String, String> environment;

    TidingsCli(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = run(System.getenv(), out, err, args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs one command line and returns its exit code. */
    static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        return commandLine(environment, out, err).execute(args);
    }

    static CommandLine commandLine(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new TidingsCli(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        addExitCodeHelp(commandLine);
        return commandLine;
    }

    /** Returns the root command of the command line that {@code spec} belongs to. */
    static TidingsCli of(CommandSpec spec) {
        return (TidingsCli) spec.root().userObject();
    }

    Output output(CommandSpec spec) {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds);
    }

    String environment(String name) {
        return environment.get(name);
    }

    private static void addExitCodeHelp(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.helpList());
        for (CommandLine subcommand : commandLine.getSubcommands().values()) {
            if (!(subcommand.getCommand() instanceof HelpCommand)) {
                addExitCodeHelp(subcommand);
            }
        }
    }

    /** Prints a usage error with the command's --help hint and exits with {@link ExitCodes#USAGE}. */
    private static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            if (Arrays.asList(args).contains("--json")) {
                // The options did not parse, so --json is looked for in the raw arguments.
                new Output(command.getOut(), err, true).error(ErrorCode.INVALID_ARGUMENT, e.getMessage()
                        + "; run '" + command.getCommandSpec().qualifiedName() + " --help' for the options");
                return ExitCodes.USAGE;
            }
            err.println("tidings-cli: " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /** Prints a failed command's ErrorCode and message on stderr and maps the code to the exit code. */
    private static final class FailureHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
            TidingsException failure = Failures.translate(e);
            of(command.getCommandSpec()).output(command.getCommandSpec()).error(failure.code(), failure.getMessage());
            if (!isExpected(e)) {
                e.printStackTrace(command.getErr());
                command.getErr().flush();
            }
            return ExitCodes.of(failure.code());
        }

        private static boolean isExpected(Exception e) {
            Throwable cause = Failures.unwrap(e);
            return cause instanceof TidingsException || cause instanceof TidingsClientException
                    || cause instanceof StatusRuntimeException || cause instanceof StatusException;
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tidings-cli " + VERSION + " (SDK " + TidingsClient.SDK_VERSION
                    + ", client protocol version " + TidingsClient.PROTOCOL_VERSION + ")"};
        }
    }
}
