package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.append;
import static io.tidings.offline.InboxFixtures.group;
import static io.tidings.offline.InboxFixtures.message;
import static io.tidings.offline.InboxFixtures.privateWith;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.AppendReply;
import io.tidings.protocol.internal.AppendRequest;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAckRequest;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.InboxMarkReadRequest;
import io.tidings.protocol.internal.InboxServiceGrpc.InboxServiceBlockingStub;
import io.tidings.protocol.internal.InboxServiceGrpc;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.internal.UnreadReply;
import io.tidings.protocol.internal.UnreadRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.support.GrpcErrors;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC InboxService over the HTTP port: round trips, argument checks and error mapping. */
@QuarkusTest
@WithTestResource(RedisResource.class)
class InboxGrpcServiceTest {

    @TestHTTPResource("/")
    URL url;

    @Inject
    MeterRegistry registry;

    private ManagedChannel channel;
    private InboxServiceBlockingStub inbox;

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", url.getPort()).usePlaintext().build();
        inbox = InboxServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private SyncReply sync(String userId, String deviceId, long cursor) {
        return inbox.sync(InboxSyncRequest.newBuilder().setUserId(userId).setDeviceId(deviceId)
                .setRequest(SyncRequest.newBuilder().setCursor(cursor)).build());
    }

    private AppendReply appendAll(InboxAppend... appends) {
        return inbox.append(AppendRequest.newBuilder().addAllAppends(List.of(appends)).build());
    }

    /** Asserts INVALID_ARGUMENT with the tidings-error-code trailer and a description containing each fragment. */
    private static void assertInvalidArgument(Runnable call, String... fragments) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            Metadata trailers = e.getTrailers();
            assertThat(trailers).isNotNull();
            assertThat(trailers.get(GrpcErrors.ERROR_CODE_KEY)).isEqualTo("INVALID_ARGUMENT");
            assertThat(e.getStatus().getDescription()).contains(fragments);
        });
    }

    @Test
    void appendSyncAckAndUnreadRoundTrip() {
        String userId = uniqueId("u");
        AppendReply appended = appendAll(
                append(userId, "m-1", group("team"), "alice"),
                append(userId, "m-2", privateWith("bob"), "bob"));

        assertThat(appended.getResultsCount()).isEqualTo(2);
        assertThat(appended.getResults(1).getPrevSyncTime()).isEqualTo(appended.getResults(0).getSyncTime());
        assertThat(appended.getResults(1).getUnreadTotal()).isEqualTo(2);

        SyncReply page = sync(userId, "phone", 0);
        assertThat(page.getEntriesList()).extracting(InboxEntry::getSyncTime)
                .containsExactly(appended.getResults(0).getSyncTime(), appended.getResults(1).getSyncTime());

        inbox.ack(InboxAckRequest.newBuilder().setUserId(userId).setDeviceId("phone")
                .setCursor(appended.getResults(0).getSyncTime()).build());
        SyncReply fromStored = inbox.sync(InboxSyncRequest.newBuilder().setUserId(userId).setDeviceId("phone")
                .setRequest(SyncRequest.newBuilder().setFromStoredCursor(true)).build());
        assertThat(fromStored.getEntriesList()).extracting(e -> e.getMessage().getMessageId()).containsExactly("m-2");

        inbox.markRead(InboxMarkReadRequest.newBuilder().setUserId(userId).setConversation(group("team")).build());
        UnreadReply unread = inbox.getUnread(UnreadRequest.newBuilder().setUserId(userId).build());
        assertThat(unread.getTotal()).isEqualTo(1);
        assertThat(unread.getByConversationMap()).containsOnlyKeys(ConversationKeys.privateKey(userId, "bob"));
    }

    @Test
    void appendOfSeveralMegabytesIsAccepted() {
        // A fan-out chunk of 60 copies of a 100 KiB message, above gRPC's default 4 MiB limit.
        List<InboxAppend> appends = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Message big = InboxFixtures.message("big-" + i, group("team"), "alice")
                    .setContent(ByteString.copyFrom(new byte[100 * 1024])).build();
            appends.add(InboxFixtures.append(uniqueId("u"), big, group("team"), false));
        }

        AppendReply reply = inbox.append(AppendRequest.newBuilder().addAllAppends(appends).build());

        assertThat(reply.getResultsCount()).isEqualTo(60);
        assertThat(reply.getResultsList()).extracting(AppendResult::getDuplicate).containsOnly(false);
    }

    @Test
    void appendMetricsCountStoredAndDuplicates() {
        String userId = uniqueId("u");
        double storedBefore = registry.counter("tidings.offline.entries.stored").count();
        double duplicatesBefore = registry.counter("tidings.offline.entries.duplicates").count();
        double pulledBefore = registry.counter("tidings.offline.entries.pulled").count();
        long writesBefore = registry.timer("tidings.offline.inbox.write.latency").count();
        long syncsBefore = registry.timer("tidings.offline.sync.latency").count();

        InboxAppend one = append(userId, "m-1", group("team"), "alice");
        appendAll(one);
        appendAll(one);
        sync(userId, "phone", 0);

        // Other test classes of this JVM may run at the same time, so the counts may only be higher.
        assertThat(registry.counter("tidings.offline.entries.stored").count()).isGreaterThanOrEqualTo(storedBefore + 1);
        assertThat(registry.counter("tidings.offline.entries.duplicates").count()).isGreaterThanOrEqualTo(duplicatesBefore + 1);
        assertThat(registry.counter("tidings.offline.entries.pulled").count()).isGreaterThanOrEqualTo(pulledBefore + 1);
        assertThat(registry.timer("tidings.offline.inbox.write.latency").count()).isGreaterThanOrEqualTo(writesBefore + 2);
        assertThat(registry.timer("tidings.offline.sync.latency").count()).isGreaterThanOrEqualTo(syncsBefore + 1);
        assertThat(registry.find("tidings.offline.entries.evicted").counter()).isNotNull();
        assertThat(registry.find("tidings.offline.entries.trimmed").counter()).isNotNull();
    }

    @Test
    void prometheusShowsInboxMeters() throws Exception {
        appendAll(append(uniqueId("u"), "m-1", group("team"), "alice"));

        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()).resolve("/q/metrics")).GET().build();
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        for (String name : List.of("tidings_offline_entries_stored_total", "tidings_offline_entries_duplicates_total",
                "tidings_offline_entries_pulled_total", "tidings_offline_entries_evicted_total",
                "tidings_offline_entries_trimmed_total", "tidings_offline_inbox_write_latency_seconds_bucket",
                "tidings_offline_sync_latency_seconds_bucket")) {
            assertThat(metrics.body()).as("Prometheus output").contains(name);
        }
    }

    @Test
    void invalidAppendRejectedBeforeAnyWrite() {
        String userId = uniqueId("u");
        AppendReply stored = appendAll(append(userId, "m-1", group("team"), "alice"));
        InboxAppend valid = append(userId, "m-2", group("team"), "alice");
        InboxAppend missingId = append(userId, message("", group("team"), "alice").build(), group("team"), false);

        assertInvalidArgument(() -> appendAll(valid, missingId), "appends[1].entry.message.message_id is missing");

        SyncReply page = sync(userId, "phone", 0);
        assertThat(page.getEntriesList()).extracting(e -> e.getMessage().getMessageId())
                .as("the stored entry is kept and the valid entry of the rejected batch is not written")
                .containsExactly("m-1");
        assertThat(page.getEntries(0).getSyncTime()).isEqualTo(stored.getResults(0).getSyncTime());
        assertThat(inbox.getUnread(UnreadRequest.newBuilder().setUserId(userId).build()).getTotal()).isEqualTo(1);
    }

    @Test
    void appendArgumentsNamedInErrors() {
        String userId = uniqueId("u");
        Conversation team = group("team");
        InboxAppend valid = append(userId, "m-1", team, "alice");

        assertInvalidArgument(() -> appendAll(valid.toBuilder().clearUserId().build()), "appends[0].user_id is missing");
        assertInvalidArgument(() -> appendAll(valid.toBuilder().setUserId("bad:user").build()),
                "appends[0].user_id", "'bad:user'");
        assertInvalidArgument(() -> appendAll(valid.toBuilder().clearEntry().build()), "appends[0].entry is missing");
        assertInvalidArgument(() -> appendAll(valid.toBuilder().setEntry(valid.getEntry().toBuilder().clearMessage()).build()),
                "appends[0].entry.message is missing");
        assertInvalidArgument(() -> appendAll(append(userId, "bad id", team, "alice")),
                "appends[0].entry.message.message_id", "'bad id'");
        assertInvalidArgument(() -> appendAll(valid.toBuilder().setEntry(valid.getEntry().toBuilder().clearConversation()).build()),
                "appends[0].entry.conversation is missing");
        assertInvalidArgument(() -> appendAll(append(userId, "m-2",
                        Conversation.newBuilder().setType(ConversationType.CONVERSATION_TYPE_UNSPECIFIED).setTargetId("x").build(), "alice")),
                "appends[0].entry.conversation.type", "CONVERSATION_TYPE_UNSPECIFIED");
        assertInvalidArgument(() -> appendAll(append(userId, "m-3", group(""), "alice")),
                "appends[0].entry.conversation.target_id is missing");
        assertInvalidArgument(() -> appendAll(append(userId, "m-4", group("a:b"), "alice")),
                "appends[0].entry.conversation.target_id", "'a:b'");
        assertInvalidArgument(() -> appendAll(append(userId, message("m-5", team, "alice")
                        .setFlags(MessageFlags.newBuilder().setStatusOnly(true)).build(), team, false)),
                "appends[0].entry.message.flags.status_only", "m-5");
        assertInvalidArgument(() -> appendAll(append(userId, message("m-6", team, "alice")
                        .setFlags(MessageFlags.newBuilder().setCounted(true)).build(), team, false)),
                "appends[0].entry.message.flags.persisted is false", "m-6");

        assertThat(sync(userId, "phone", 0).getEntriesCount()).as("nothing stored by rejected appends").isZero();
    }

    @Test
    void syncAndAckArgumentsNamedInErrors() {
        String userId = uniqueId("u");
        appendAll(append(userId, "m-1", group("team"), "alice"));

        assertInvalidArgument(() -> sync("", "phone", 0), "user_id is missing");
        assertInvalidArgument(() -> sync(userId, "", 0), "device_id", "''");
        assertInvalidArgument(() -> sync(userId, "phone", -5), "request.cursor -5 is negative");
        assertInvalidArgument(() -> inbox.ack(InboxAckRequest.newBuilder().setUserId(userId).setDeviceId("phone")
                .setCursor(-1).build()), "cursor -1 is negative");
        assertInvalidArgument(() -> inbox.ack(InboxAckRequest.newBuilder().setDeviceId("phone").setCursor(1).build()),
                "user_id is missing");

        assertThat(sync(userId, "phone", 0).getEntriesCount()).as("the stored entry is kept").isEqualTo(1);
    }

    @Test
    void unreadArgumentsNamedInErrors() {
        String userId = uniqueId("u");
        appendAll(append(userId, "m-1", group("team"), "alice"));

        assertInvalidArgument(() -> inbox.markRead(InboxMarkReadRequest.newBuilder().setUserId(userId).build()),
                "conversation is missing");
        assertInvalidArgument(() -> inbox.markRead(InboxMarkReadRequest.newBuilder().setUserId(userId)
                        .setConversation(Conversation.newBuilder().setTypeValue(99).setTargetId("team")).build()),
                "conversation.type", "UNRECOGNIZED");
        assertInvalidArgument(() -> inbox.markRead(InboxMarkReadRequest.newBuilder().setConversation(group("team")).build()),
                "user_id is missing");
        assertInvalidArgument(() -> inbox.getUnread(UnreadRequest.newBuilder().setUserId("bad user").build()),
                "user_id", "'bad user'");

        assertThat(inbox.getUnread(UnreadRequest.newBuilder().setUserId(userId).build()).getTotal())
                .as("unread kept after rejected calls").isEqualTo(1);
    }
}
