package io.tidings.routing.support;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.tidings.protocol.internal.AppendReply;
import io.tidings.protocol.internal.AppendRequest;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.InboxServiceGrpc;
import io.tidings.protocol.internal.UnreadReply;
import io.tidings.protocol.internal.UnreadRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for offline-svc's InboxService in routing-svc's tests. It keeps inboxes in memory
 * with the contract's behaviour (idempotent by user and message id, increasing sync times per
 * user, unread counts of counted entries), records every append, and fails Append with
 * UNAVAILABLE for one chosen user until stopped.
 */
public class FakeOffline extends InboxServiceGrpc.InboxServiceImplBase {

    private final List<InboxAppend> appends = new ArrayList<>();
    private final Map<String, Map<String, AppendResult>> inboxes = new HashMap<>();
    private final Map<String, Long> lastSyncTime = new HashMap<>();
    private final Map<String, Long> unread = new HashMap<>();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private volatile String failForUserId;

    @Override
    public void append(AppendRequest request, StreamObserver<AppendReply> response) {
        if (failing(request)) {
            failedCalls.incrementAndGet();
            response.onError(Status.UNAVAILABLE.withDescription("offline-svc fake is failing on purpose").asRuntimeException());
            return;
        }
        AppendReply.Builder reply = AppendReply.newBuilder();
        synchronized (this) {
            for (InboxAppend append : request.getAppendsList()) {
                appends.add(append);
                reply.addResults(appendOne(append));
            }
        }
        response.onNext(reply.build());
        response.onCompleted();
    }

    @Override
    public synchronized void getUnread(UnreadRequest request, StreamObserver<UnreadReply> response) {
        response.onNext(UnreadReply.newBuilder().setTotal(unread.getOrDefault(request.getUserId(), 0L)).build());
        response.onCompleted();
    }

    private AppendResult appendOne(InboxAppend append) {
        String userId = append.getUserId();
        String messageId = append.getEntry().getMessage().getMessageId();
        Map<String, AppendResult> inbox = inboxes.computeIfAbsent(userId, user -> new HashMap<>());
        AppendResult existing = inbox.get(messageId);
        if (existing != null) {
            return existing.toBuilder().setDuplicate(true).build();
        }
        long previous = lastSyncTime.getOrDefault(userId, 0L);
        long syncTime = Math.max(System.currentTimeMillis(), previous + 1);
        lastSyncTime.put(userId, syncTime);
        if (append.getEntry().getMessage().getFlags().getCounted() && !append.getEntry().getOwn()) {
            unread.merge(userId, 1L, Long::sum);
        }
        AppendResult result = AppendResult.newBuilder()
                .setUserId(userId)
                .setMessageId(messageId)
                .setSyncTime(syncTime)
                .setPrevSyncTime(previous)
                .setUnreadTotal(unread.getOrDefault(userId, 0L))
                .build();
        inbox.put(messageId, result);
        return result;
    }

    private boolean failing(AppendRequest request) {
        String userId = failForUserId;
        return userId != null && request.getAppendsList().stream().anyMatch(append -> append.getUserId().equals(userId));
    }

    /** Fails every Append that contains a copy for the user, until {@link #stopFailing()}. */
    public void failAppendsFor(String userId) {
        failForUserId = userId;
    }

    public void stopFailing() {
        failForUserId = null;
    }

    public int failedCalls() {
        return failedCalls.get();
    }

    /** Returns the recorded appends of one message, in arrival order. */
    public synchronized List<InboxAppend> appendsOf(String messageId) {
        return appends.stream().filter(append -> append.getEntry().getMessage().getMessageId().equals(messageId)).toList();
    }

    /** Returns the result of the first append of a message to a user's inbox, or null. */
    public synchronized AppendResult resultOf(String userId, String messageId) {
        return inboxes.getOrDefault(userId, Map.of()).get(messageId);
    }

    /** Returns the recorded appends for one user, in arrival order. */
    public synchronized List<InboxAppend> appendsFor(String userId) {
        return appends.stream().filter(append -> append.getUserId().equals(userId)).toList();
    }
}
