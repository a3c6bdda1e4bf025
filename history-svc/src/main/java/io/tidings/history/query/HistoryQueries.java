package io.tidings.history.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.tidings.history.store.HistoryPage;
import io.tidings.history.store.HistoryReader;
import io.tidings.history.store.TombstoneWriter;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.server.AdminHistoryRequest;
import io.tidings.protocol.server.DeleteHistoryMessageRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * History queries of users (internal API) and app backends (server API), and deletions by app
 * backends. Blocking: the gRPC adapters call it on worker threads.
 */
@ApplicationScoped
public class HistoryQueries {

    private final HistoryReader reader;
    private final TombstoneWriter tombstones;
    private final ConversationAccess access;
    private final MeterRegistry registry;

    public HistoryQueries(HistoryReader reader, TombstoneWriter tombstones, ConversationAccess access,
            MeterRegistry registry) {
        this.reader = reader;
        this.tombstones = tombstones;
        this.access = access;
        this.registry = registry;
    }

    /**
     * Returns a page of a conversation that {@code requesterId} addresses from their own view
     * (PRIVATE: the peer), within the part of it they may read.
     *
     * @throws TidingsException INVALID_ARGUMENT, PERMISSION_DENIED or UNAVAILABLE
     */
    public HistoryReply query(String requesterId, HistoryRequest request) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            Ids.requireId("requester_id", requesterId);
            int count = HistoryRequests.count(request);
            long beforeTime = HistoryRequests.beforeTime(request);
            String conversationKey = HistoryRequests.conversationKey("requester_id", requesterId, request);
            ReadWindow window = access.windowFor(requesterId, conversationKey);
            HistoryReply reply = read(conversationKey, window, beforeTime, count);
            outcome = "ok";
            return reply;
        } finally {
            sample.stop(latency("user", outcome));
        }
    }

    /**
     * Returns a page of any conversation, for an app backend.
     *
     * @throws TidingsException INVALID_ARGUMENT or UNAVAILABLE
     */
    public HistoryReply queryAsAdmin(AdminHistoryRequest adminRequest) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            if (!adminRequest.hasRequest()) {
                throw TidingsException.invalidArgument("request is missing: set request.conversation");
            }
            HistoryRequest request = adminRequest.getRequest();
            int count = HistoryRequests.count(request);
            long beforeTime = HistoryRequests.beforeTime(request);
            String conversationKey = HistoryRequests.conversationKey("user_id", adminRequest.getUserId(), request);
            HistoryReply reply = read(conversationKey, ReadWindow.ALL, beforeTime, count);
            outcome = "ok";
            return reply;
        } finally {
            sample.stop(latency("admin", outcome));
        }
    }

    /**
     * Hides one message from history with a tombstone.
     *
     * @return true when history already held the message
     * @throws TidingsException INVALID_ARGUMENT or UNAVAILABLE
     */
    public boolean delete(DeleteHistoryMessageRequest request) {
        if (!request.hasConversation()) {
            throw TidingsException.invalidArgument("conversation is missing: set its type and target_id");
        }
        String conversationKey =
                HistoryRequests.conversationKey("user_id", request.getUserId(), request.getConversation());
        if (request.getMessageId().isEmpty()) {
            throw TidingsException.invalidArgument("message_id is missing: pass the id from the message's SendAck");
        }
        if (request.getServerTime() <= 0) {
            throw TidingsException.invalidArgument("server_time " + request.getServerTime()
                    + " is invalid: pass the message's server time in milliseconds from its SendAck");
        }
        try {
            boolean found = tombstones.markDeleted(conversationKey, request.getServerTime(), request.getMessageId(),
                    System.currentTimeMillis());
            Log.infof("Deleted message %s of conversation %s from history (stored before: %s)",
                    request.getMessageId(), conversationKey, found);
            return found;
        } catch (IOException e) {
            Log.warnf("Deleting message %s of conversation %s failed: %s", request.getMessageId(), conversationKey, e);
            throw new TidingsException(ErrorCode.UNAVAILABLE,
                    "history store unavailable, message " + request.getMessageId() + " not deleted: retry later", e);
        }
    }

    private HistoryReply read(String conversationKey, ReadWindow window, long beforeTime, int count) {
        long pageBefore = window.pageBefore(beforeTime);
        if (pageBefore != 0 && pageBefore <= window.notBefore()) {
            return HistoryReply.newBuilder().setHasMore(false).build();
        }
        HistoryPage page;
        try {
            page = reader.read(conversationKey, pageBefore, window.notBefore(), count);
        } catch (IOException e) {
            Log.warnf("History scan of conversation %s failed: %s", conversationKey, e);
            throw new TidingsException(ErrorCode.UNAVAILABLE,
                    "history store unavailable for conversation " + conversationKey + ": retry later", e);
        }
        return HistoryReply.newBuilder().addAllMessages(page.messages()).setHasMore(page.hasMore()).build();
    }

    private Timer latency(String api, String outcome) {
        return Timer.builder("tidings.history.query.latency")
                .description("Time to answer one history query, authorization included")
                .tag("api", api)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }
}
