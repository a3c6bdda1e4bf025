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
import java.util.List;

/**
 * Appends inbox copies through offline-svc's InboxService.Append, in batches of
 * {@code tidings.routing.fanout.inbox-batch-size} with a few batches in flight at once. Append is
 * idempotent by (user, message id), so appending a record again after a failure or restart is safe.
 */
@ApplicationScoped
public class InboxAppender {

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
        List<List<InboxAppend>> batches = new ArrayList<>();
        for (int start = 0; start < appends.size(); start += batchSize) {
            batches.add(appends.subList(start, Math.min(appends.size(), start + batchSize)));
        }
        List<List<AppendResult>> replies = Await.await(
                Multi.createFrom().range(0, batches.size())
                        .onItem().transformToUni(index -> appendBatch(index, batches.get(index)))
                        .merge(concurrency)
                        .collect().asList()
                        .map(indexed -> order(indexed, batches.size())),
                callTimeout.multipliedBy(batches.size() + 1L),
                "appending " + appends.size() + " inbox copies");
        List<AppendResult> results = new ArrayList<>(appends.size());
        replies.forEach(results::addAll);
        return results;
    }

    /** Returns a user's unread count over all conversations. Blocks. */
    public long unreadTotal(String userId) {
        return Await.await(
                inbox.getUnread(UnreadRequest.newBuilder().setUserId(userId).build())
                        .ifNoItem().after(callTimeout).failWith(() -> timeout("GetUnread"))
                        .onFailure().transform(GrpcErrors::fromStatus),
                callTimeout.plusSeconds(1), "reading the unread count of " + userId).getTotal();
    }

    private Uni<Indexed> appendBatch(int index, List<InboxAppend> batch) {
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

    private static List<List<AppendResult>> order(List<Indexed> indexed, int count) {
        List<List<AppendResult>> ordered = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ordered.add(null);
        }
        indexed.forEach(batch -> ordered.set(batch.index(), batch.results()));
        return ordered;
    }

    private TidingsException timeout(String call) {
        return new TidingsException(ErrorCode.TIMEOUT, "offline-svc InboxService." + call + " did not respond within "
                + callTimeout.toMillis() + " ms");
    }

    private record Indexed(int index, List<AppendResult> results) {
    }
}
