package io.tidings.client.cli;

import io.tidings.client.sync.CursorStore;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The start cursor of sync and listen: --cursor N or --cursor-file FILE, at most one of them. */
final class CursorOptions {

    @Option(names = "--cursor", paramLabel = "N", converter = OptionValues.NonNegativeLong.class,
            description = "Start after this sync time: the cursor that the last sync printed. Default: 0, which"
                    + " returns every entry the inbox retains.")
    private Long cursor;

    @Option(names = "--cursor-file", paramLabel = "FILE",
            description = "Read the start cursor from FILE (0 when it does not exist) and write the newest cursor"
                    + " back after each entry, so the next run continues where this one ended.")
    private Path file;

    /** Returns the store for these options, or an in-memory cursor 0 when {@code options} is null. */
    static CursorStore storeOf(CursorOptions options, Consumer<String> writeFailures) {
        if (options == null) {
            return CursorStore.inMemory(0);
        }
        if (options.file != null) {
            return FileCursorStore.open(options.file, writeFailures);
        }
        return CursorStore.inMemory(options.cursor);
    }
}
