package io.tidings.client.cli;

import io.tidings.client.sync.CursorStore;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * A cursor kept in a text file that contains one decimal number, so that a script's next sync or
 * listen continues where the last one ended. A missing file means cursor 0.
 */
final class FileCursorStore implements CursorStore {

    private final Path file;
    private final long initial;
    private final Consumer<String> writeFailures;

    private FileCursorStore(Path file, long initial, Consumer<String> writeFailures) {
        this.file = file;
        this.initial = initial;
        this.writeFailures = writeFailures;
    }

    /**
     * Reads the cursor from {@code file}; fails with INVALID_ARGUMENT when it contains anything but a
     * number.
     *
     * @param writeFailures receives the message of each failed write. {@link #save} cannot throw,
     *     because it runs inside the sync loop, which would stop on an exception.
     */
    static FileCursorStore open(Path file, Consumer<String> writeFailures) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return new FileCursorStore(file, 0, writeFailures);
        } catch (IOException e) {
            throw new TidingsException(ErrorCode.INVALID_ARGUMENT, "cannot read cursor file " + file + ": " + e, e);
        }
        try {
            long cursor = Long.parseLong(content);
            if (cursor < 0) {
                throw new NumberFormatException("negative");
            }
            return new FileCursorStore(file, cursor, writeFailures);
        } catch (NumberFormatException e) {
            throw new TidingsException(ErrorCode.INVALID_ARGUMENT, "cursor file " + file + " contains '" + content
                    + "', not a cursor: delete it to start from 0");
        }
    }

    @Override
    public long load() {
        return initial;
    }

    /** Writes the cursor to a temporary file and renames it, so a crash leaves the old or the new value. */
    @Override
    public void save(long cursor) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, cursor + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            writeFailures.accept("cannot write cursor " + cursor + " to " + file + ": " + e);
        }
    }
}
