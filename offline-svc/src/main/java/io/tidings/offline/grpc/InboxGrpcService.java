package io.tidings.offline.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.sync.InboxSync;
import io.tidings.offline.unread.UnreadCounter;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.AckReply;
import io.tidings.protocol.internal.AppendReply;
import io.tidings.protocol.internal.AppendRequest;
import io.tidings.protocol.internal.InboxAckRequest;
import io.tidings.protocol.internal.InboxMarkReadRequest;
import io.tidings.protocol.internal.InboxService;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.internal.UnreadReply;
import io.tidings.protocol.internal.UnreadRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.support.GrpcErrors;
import java.util.function.Supplier;

/**
 * The gRPC InboxService: translates requests to the inbox logic classes and failures to gRPC
 * statuses. It runs on the event loop, because every operation is one non-blocking Redis round
 * trip through the Vert.x client and there is no blocking work to move to a worker thread.
 */
@GrpcService
public class InboxGrpcService implements InboxService {

    private final InboxAppender appender;
    private final InboxSync sync;
    private final UnreadCounter unread;

    public InboxGrpcService(InboxAppender appender, InboxSync sync, UnreadCounter unread) {
        this.appender = appender;
        this.sync = sync;
        this.unread = unread;
    }

    @Override
    public Uni<AppendReply> append(AppendRequest request) {
        String users = request.getAppendsCount() == 1 ? request.getAppends(0).getUserId() : request.getAppendsCount() + " users";
        return call("Append", users, () -> appender.append(request.getAppendsList())
                .map(results -> AppendReply.newBuilder().addAllResults(results).build()));
    }

    @Override
    public Uni<SyncReply> sync(InboxSyncRequest request) {
        return call("Sync", request.getUserId(), () -> sync.sync(request.getUserId(), request.getDeviceId(), request.getRequest()));
    }

    @Override
    public Uni<AckReply> ack(InboxAckRequest request) {
        return call("Ack", request.getUserId(), () -> sync.ack(request.getUserId(), request.getDeviceId(), request.getCursor())
                .replaceWith(AckReply.getDefaultInstance()));
    }

    @Override
    public Uni<AckReply> markRead(InboxMarkReadRequest request) {
        return call("MarkRead", request.getUserId(), () -> unread.markRead(request.getUserId(), request.hasConversation(),
                request.getConversation()).replaceWith(AckReply.getDefaultInstance()));
    }

    @Override
    public Uni<UnreadReply> getUnread(UnreadRequest request) {
        return call("GetUnread", request.getUserId(), () -> unread.unread(request.getUserId()));
    }

    /**
     * Runs one operation, turning an exception thrown while building it (a failed argument check)
     * into a failed Uni, logging server-side failures and mapping every failure to a gRPC status.
     */
    private static <T> Uni<T> call(String operation, String userId, Supplier<Uni<? extends T>> body) {
        return Uni.createFrom().<T>deferred(body)
                .onFailure().invoke(failure -> log(operation, userId, failure))
                .onFailure().transform(GrpcErrors::toStatus);
    }

    private static void log(String operation, String userId, Throwable failure) {
        if (failure instanceof TidingsException tidings && tidings.code() == ErrorCode.INVALID_ARGUMENT) {
            Log.debugf("Rejected inbox %s userId=%s: %s", operation, userId, failure.getMessage());
        } else if (failure instanceof TidingsException tidings) {
            Log.warnf("Inbox %s failed userId=%s: %s", operation, userId, tidings);
        } else {
            Log.errorf(failure, "Inbox %s failed userId=%s", operation, userId);
        }
    }
}
