package io.tidings.routing.fanout;

import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.AppendReply;
import io.tidings.protocol.internal.AppendRequest;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.InboxService;
import io.tidings.protocol.internal.UnreadRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.Await;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.metrics.RoutingMetrics;
import io.tidings.support.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends inbox copies through offline-svc's InboxService.Append, in chunks of about
 * {@code tidings.routing.fanout.inbox-batch-size} with {@code inbox-concurrency} chunks in flight
 * at once. All copies of one user go in the same chunk, in the order given, so that concurrent
 * chunks cannot change the order of one inbox. Append is idempotent by (user, message id), so
 * appending a record again after a failure or restart is safe.
 */
@ApplicationScoped
public class InboxAppender {

    /** Bytes after which a chunk takes no new user, well below gRPC's default 4 MiB message limit. */
    static final long MAX_CHUNK_BYTES = 1 << 20;

    private final InboxService inbox;
    private final RoutingMetrics metrics;
    private final int batchSize;
    private final int concurrency;
    private final Duration callTimeout;

    public InboxAppender(@GrpcClient("offline") InboxService inbox, RoutingMetrics metrics, RoutingConfig config) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.batchSize = config.fanout().inboxBatchSize();
        this.concurrency = config.fanout().inboxConcurrency();
        this.callTimeout = config.fanout().callTimeout();
    }

    /**
     * Appends the copies and returns one result per copy, in the same order. Blocks.
     *
     * @throws TidingsException when any batch fails; some batches may have been appended
     */
    public List<AppendResult> append(List<InboxAppend> appends) {
        List<List<Integer>> chunks = chunksByUser(appends, batchSize, MAX_CHUNK_BYTES);
        List<Indexed> replies = Await.await(
                Multi.createFrom().range(0, chunks.size())
                        .onItem().transformToUni(index -> appendChunk(index, chunks.get(index).stream().map(appends::get).toList()))
                        .merge(concurrency)
                        .collect().asList(),
                callTimeout.multipliedBy(chunks.size() / Math.max(1, concurrency) + 2L),
                "appending " + appends.size() + " inbox copies");
        AppendResult[] results = new AppendResult[appends.size()];
        for (Indexed reply : replies) {
            List<Integer> positions = chunks.get(reply.index());
            for (int i = 0; i < positions.size(); i++) {
                results[positions.get(i)] = reply.results().get(i);
            }
        }
        return Arrays.asList(results);
    }

    /**
     * Splits the appends into chunks of positions: a new user goes into the current chunk until
     * it contains {@code size} appends or {@code maxBytes} bytes, and every later append of a user
     * joins that user's chunk. So a chunk may grow past both when its users get many copies;
     * offline-svc accepts requests of up to 80 MiB for that case.
     */
    static List<List<Integer>> chunksByUser(List<InboxAppend> appends, int size, long maxBytes) {
        List<List<Integer>> chunks = new ArrayList<>();
        Map<String, List<Integer>> chunkOfUser = new HashMap<>();
        List<Integer> current = null;
        long currentBytes = 0;
        for (int i = 0; i < appends.size(); i++) {
            List<Integer> chunk = chunkOfUser.get(appends.get(i).getUserId());
            if (chunk == null) {
                if (current == null || current.size() >= size || currentBytes >= maxBytes) {
                    current = new ArrayList<>();
                    currentBytes = 0;
                    chunks.add(current);
                }
                chunk = current;
                chunkOfUser.put(appends.get(i).getUserId(), chunk);
            }
            chunk.add(i);
            if (chunk == current) {
                currentBytes += appends.get(i).getSerializedSize();
            }
        }
        return chunks;
    }

    /** Returns a user's unread count over all conversations. Blocks. */
    public long unreadTotal(String userId) {
        return Await.await(
                inbox.getUnread(UnreadRequest.newBuilder().setUserId(userId).build())
                        .ifNoItem().after(callTimeout).failWith(() -> timeout("GetUnread"))
                        .onFailure().transform(GrpcErrors::fromStatus),
                callTimeout.plusSeconds(1), "reading the unread count of " + userId).getTotal();
    }

    private Uni<Indexed> appendChunk(int index, List<InboxAppend> batch) {
        Timer.Sample sample = Timer.start();
        return inbox.append(AppendRequest.newBuilder().addAllAppends(batch).build())
                .ifNoItem().after(callTimeout).failWith(() -> timeout("Append"))
                .onFailure().transform(GrpcErrors::fromStatus)
                .onTermination().invoke(() -> sample.stop(metrics.inboxAppendTimer()))
                .map(reply -> new Indexed(index, checked(reply, batch)));
    }

    private static List<AppendResult> checked(AppendReply reply, List<InboxAppend> batch) {
        if (reply.getResultsCount() != batch.size()) {
            throw new TidingsException(ErrorCode.INTERNAL, "offline-svc returned " + reply.getResultsCount()
                    + " append results for " + batch.size() + " appends");
        }
        return reply.getResultsList();
    }

    private TidingsException timeout(String call) {
        return new TidingsException(ErrorCode.TIMEOUT, "offline-svc InboxService." + call + " did not respond within "
                + callTimeout.toMillis() + " ms");
    }

    private record Indexed(int index, List<AppendResult> results) {
    }
}
