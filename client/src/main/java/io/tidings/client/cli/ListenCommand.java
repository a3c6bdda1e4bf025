package io.tidings.client.cli;

import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsListener;
import io.tidings.client.sync.CursorStore;
import io.tidings.client.sync.MessageListener;
import io.tidings.client.sync.MessageSync;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Stays connected as one device and prints every message as it arrives, until Ctrl-C or the session ends. */
@Command(name = "listen",
        mixinStandardHelpOptions = true,
        description = {
            "Print messages as they arrive, until Ctrl-C.",
            "Connects as a device and prints every inbox entry in inbox order, each message once: first what the"
                    + " inbox holds after the cursor, then new messages. The SDK's sync loop merges pushed"
                    + " messages with pulls, and after a lost connection the client reconnects and pulls what it"
                    + " missed.",
            "Connection state changes go to stderr. The first connection must succeed within --timeout."
                    + " listen ends by itself when the session ends for good: a token error (exit 3), or the"
                    + " server ending the session, for example because the same user logged in on another device"
                    + " of the same platform class (Kicked, exit 4; exit 3 when the tokens were revoked).",
            "Output lines are those of sync: SERVER_TIME CONVERSATION SENDER: TEXT  (message_id=... sync_time=...),"
                    + " or with --json {\"entry\":InboxEntry,\"text\":...}.",
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  tidings-cli listen --url ws://127.0.0.1:7100/ws --token \"$BOB_TOKEN\" \\",
            "      --device bob-cli",
        })
final class ListenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private CursorOptions cursorOptions;

    @Override
    public Integer call() throws InterruptedException {
        TidingsCli cli = TidingsCli.of(spec);
        Output output = cli.output(spec);
        Duration timeout = cli.timeout();
        CursorStore cursors = CursorOptions.storeOf(cursorOptions, output::warning);
        SessionEnd sessionEnd = new SessionEnd(output);

        TidingsClient client = connection.newClient(timeout, true, sessionEnd);
        MessageSync sync = MessageSync.attach(client, cursors, new MessageListener() {
            @Override
            public void onMessage(InboxEntry entry) {
                output.inboxEntry(entry);
            }

            @Override
            public void onSyncFailed(Throwable failure) {
                TidingsException cause = Failures.translate(failure);
                output.warning("pulling the inbox failed with " + cause.code() + ": " + cause.getMessage()
                        + "; the sync loop retries UNAVAILABLE, TIMEOUT, INTERNAL and RATE_LIMITED, and every reconnect pulls again");
            }
        });
        // Ctrl-C runs the shutdown hooks: close the WebSocket normally so the server ends the
        // session at once instead of after the heartbeat timeout.
        Thread closeOnExit = new Thread(() -> {
            client.close();
            sync.close();
        }, "tidings-cli-close");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        try {
            Failures.await(client.connect(), timeout, "connecting to " + connection.url());
            return sessionEnd.await();
        } finally {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
            client.close();
            sync.close();
        }
    }

    /** Prints each state change and completes when the session reaches a state it does not leave by itself. */
    private static final class SessionEnd implements TidingsListener {
        private final Output output;
        private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

        SessionEnd(Output output) {
            this.output = output;
        }

        @Override
        public void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
            output.state(state, code, detail);
            if (!state.isTerminal()) {
                return;
            }
            if (code != null) {
                // Token errors, TOKEN_REVOKED kicks and rejected Connects: the failure handler
                // prints the code and maps it to the exit code.
                exitCode.completeExceptionally(new TidingsException(code, detail));
            } else if (state == ConnectionState.KICKED) {
                // NEW_LOGIN or LOGGED_OUT, which have no ErrorCode: the state line above names the reason.
                exitCode.complete(ExitCodes.REJECTED);
            } else {
                // CLOSED without a code: the CLI closed the client itself.
                exitCode.complete(ExitCodes.OK);
            }
        }

        /** Waits for the end of the session and returns the exit code, or throws the failure that ended it. */
        int await() throws InterruptedException {
            try {
                return exitCode.get();
            } catch (ExecutionException e) {
                throw Failures.translate(e.getCause());
            }
        }
    }
}
