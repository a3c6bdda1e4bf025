package io.tidings.client.sync;

import io.tidings.protocol.v1.SyncReply;
import java.util.concurrent.CompletableFuture;

/** The two server calls the sync loop makes. {@link io.tidings.client.TidingsClient} provides both. */
public interface SyncTransport {

    /** Returns inbox entries with a sync time above {@code cursor}, oldest first. */
    CompletableFuture<SyncReply> sync(long cursor);

    /** Records on the server that this device has every entry up to {@code cursor}. */
    CompletableFuture<Void> syncAck(long cursor);
}
