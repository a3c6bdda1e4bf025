package io.tidings.client.cli;

import io.tidings.client.TidingsClient;
import io.tidings.client.sync.CursorStore;
import io.tidings.client.sync.MessageListener;
import io.tidings.client.sync.MessageSync;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Pulls the device's inbox after a cursor until has-more is false, prints the entries and the final cursor. */
@Command(name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Pull the inbox after a cursor and print the entries.",
            "Connects as a device, pulls the inbox entries after the cursor page by page until has-more is false,"
                    + " prints each entry, acknowledges the final cursor (SyncAck) and prints it last.",
            "Text lines: SERVER_TIME CONVERSATION SENDER: TEXT  (message_id=... sync_time=...), then"
                    + " cursor=N entries=COUNT. Conversations read private:PEER, group:GROUP or system:SENDER.",
            "--json lines: {\"entry\":InboxEntry,\"text\":...} (text only for text messages),"
                    + " then {\"cursor\":\"N\",\"entries\":COUNT}.",
        },
        footer = {
            "",
            "Example against ./tidings up (desktop, so it does not end a web session of",
            "the same user):",
            "  tidings-cli sync --url ws://127.0.0.1:7100/ws --token \"$BOB_TOKEN\" \\",
            "      --device bob-cli --platform desktop --cursor-file bob.cursor",
        })
final class SyncCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private CursorOptions cursorOptions;

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        Output output = cli.output(spec);
        Duration timeout = cli.timeout();
        CompletableFuture<Void> pullFailure = new CompletableFuture<>();
        AtomicReference<String> cursorWriteFailure = new AtomicReference<>();
        AtomicInteger printed = new AtomicInteger();
        CursorStore cursors = CursorOptions.storeOf(cursorOptions, message -> cursorWriteFailure.compareAndSet(null, message));

        try (TidingsClient client = connection.newClient(timeout, false);
                MessageSync sync = MessageSync.attach(client, cursors, new MessageListener() {
                    @Override
                    public void onMessage(InboxEntry entry) {
                        output.inboxEntry(entry);
                        printed.incrementAndGet();
                    }

                    @Override
                    public void onSyncFailed(Throwable failure) {
                        // The sync loop retries some failures; the command reports the first one instead.
                        pullFailure.completeExceptionally(failure);
                    }
                })) {
            Failures.await(client.connect(), timeout, "connecting to " + connection.url());
            awaitPull(sync, pullFailure, printed, timeout);
            long cursor = sync.cursor();
            // The loop's own SyncAck is not awaited: this one makes sure the server has it before exit.
            Failures.await(client.syncAck(cursor), timeout, "acknowledging cursor " + cursor);
            if (cursorWriteFailure.get() != null) {
                throw new TidingsException(ErrorCode.INTERNAL, cursorWriteFailure.get());
            }
            output.syncEnd(cursor, printed.get());
        }
        return ExitCodes.OK;
    }

    /**
     * Waits until the sync loop has no pull left. The sync loop queued its pull when the client
     * became CONNECTED, before connect() completed, so whenIdle() covers that pull and every pull
     * it triggered. Each page has its own request timeout, so the wait fails only when no entry
     * was printed for {@code timeout}, however long a large inbox takes.
     */
    private static void awaitPull(MessageSync sync, CompletableFuture<Void> failure, AtomicInteger printed, Duration timeout) {
        CompletableFuture<Object> idle = CompletableFuture.anyOf(sync.whenIdle(), failure);
        int printedBefore = printed.get();
        while (true) {
            try {
                Failures.await(idle, timeout, "pulling the inbox");
                return;
            } catch (TidingsException e) {
                if (e.code() != ErrorCode.TIMEOUT || printed.get() == printedBefore) {
                    throw e;
                }
                printedBefore = printed.get();
            }
        }
    }
}
