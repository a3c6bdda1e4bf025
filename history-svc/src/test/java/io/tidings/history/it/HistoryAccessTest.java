package io.tidings.history.it;

import static io.tidings.history.it.HistoryTestKit.errorCode;
import static io.tidings.history.it.HistoryTestKit.group;
import static io.tidings.history.it.HistoryTestKit.message;
import static io.tidings.history.it.HistoryTestKit.peer;
import static io.tidings.history.it.HistoryTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.server.AdminHistoryRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Message;
import io.tidings.testsupport.HBaseResource;
import io.tidings.testsupport.KafkaResource;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(HBaseResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeRouting.class)
class HistoryAccessTest {

    @TestHTTPResource
    URL app;

    private HistoryTestKit kit;

    @BeforeEach
    void connect() {
        kit = new HistoryTestKit(app.getPort());
        kit.awaitConsuming();
    }

    @AfterEach
    void close() {
        kit.close();
    }

    /** Sends ten group messages one second apart, waits until history contains them and returns them oldest first. */
    private List<Message> tenGroupMessages(String groupId, String senderId, long firstTime) {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(message(senderId, group(groupId), firstTime + i * 1_000L));
        }
        kit.produce(sent);
        await().atMost(Duration.ofSeconds(60)).until(() -> kit.readAll("", group(groupId)).size() == 10);
        return sent;
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::getMessageId).toList();
    }

    private static List<String> newestFirstIds(List<Message> oldestFirst) {
        List<String> ids = new ArrayList<>(ids(oldestFirst));
        Collections.reverse(ids);
        return ids;
    }

    private StatusRuntimeException queryFailure(HistoryQuery query) {
        return catchThrowableOfType(StatusRuntimeException.class, () -> kit.query(query));
    }

    private static HistoryQuery query(String requesterId, Conversation conversation, long beforeTime, int count) {
        return HistoryQuery.newBuilder()
                .setRequesterId(requesterId)
                .setRequest(HistoryRequest.newBuilder()
                        .setConversation(conversation)
                        .setBeforeTime(beforeTime)
                        .setCount(count))
                .build();
    }

    @Test
    void memberReadsFromJoin() {
        String groupId = unique("team");
        String owner = unique("owner");
        String newcomer = unique("newcomer");
        long first = System.currentTimeMillis() - 60_000;
        List<Message> sent = tenGroupMessages(groupId, owner, first);
        FakeRouting.setMembership(groupId, owner, true, first - 1_000, 0);
        FakeRouting.setMembership(groupId, newcomer, true, first + 4_000, 0);

        HistoryReply ownerPage = kit.query(owner, group(groupId), 0, 0);
        HistoryReply newcomerPage = kit.query(newcomer, group(groupId), 0, 0);

        assertThat(ids(ownerPage.getMessagesList())).isEqualTo(newestFirstIds(sent));
        assertThat(ids(newcomerPage.getMessagesList())).isEqualTo(newestFirstIds(sent.subList(4, 10)));
        assertThat(newcomerPage.getHasMore()).isFalse();
    }

    @Test
    void nonMemberDenied() {
        String groupId = unique("team");
        String owner = unique("owner");
        String outsider = unique("outsider");
        tenGroupMessages(groupId, owner, System.currentTimeMillis() - 60_000);

        StatusRuntimeException failure = queryFailure(query(outsider, group(groupId), 0, 0));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(errorCode(failure)).isEqualTo("PERMISSION_DENIED");
        assertThat(failure.getStatus().getDescription()).contains(outsider).contains(groupId);
    }

    @Test
    void removedMemberSeesNothingAfterRemoval() {
        String groupId = unique("team");
        String owner = unique("owner");
        String removed = unique("removed");
        long first = System.currentTimeMillis() - 60_000;
        List<Message> sent = tenGroupMessages(groupId, owner, first);
        // Removed at the time of the 7th message: it and the six before stay readable.
        FakeRouting.setMembership(groupId, removed, false, first - 1_000, first + 6_000);

        HistoryReply newest = kit.query(removed, group(groupId), 0, 0);
        HistoryReply paged = kit.query(removed, group(groupId), first + 3_000, 0);
        HistoryReply afterRemoval = kit.query(removed, group(groupId), first + 9_500, 2);

        assertThat(ids(newest.getMessagesList())).isEqualTo(newestFirstIds(sent.subList(0, 7)));
        assertThat(newest.getHasMore()).isFalse();
        assertThat(ids(paged.getMessagesList())).isEqualTo(newestFirstIds(sent.subList(0, 3)));
        assertThat(ids(afterRemoval.getMessagesList())).isEqualTo(newestFirstIds(sent.subList(5, 7)));
        assertThat(afterRemoval.getHasMore()).isTrue();
    }

    @Test
    void strangerGetsOwnEmptyConversation() {
        String alice = unique("alice");
        String bob = unique("bob");
        String mallory = unique("mallory");
        kit.produce(List.of(message(alice, peer(bob), System.currentTimeMillis() - 1_000)));
        await().atMost(Duration.ofSeconds(60)).until(() -> kit.readAll(alice, peer(bob)).size() == 1);

        // A private conversation is addressed by its peer, so mallory naming alice or bob reaches
        // the conversation mallory-alice or mallory-bob, never alice-bob.
        HistoryReply withAlice = kit.query(mallory, peer(alice), 0, 0);
        HistoryReply withBob = kit.query(mallory, peer(bob), 0, 0);

        assertThat(withAlice.getMessagesList()).isEmpty();
        assertThat(withBob.getMessagesList()).isEmpty();
    }

    @Test
    void routingFailureUnavailable() {
        String groupId = FakeRouting.FAILING_GROUP_PREFIX + unique("team");

        StatusRuntimeException failure = queryFailure(query(unique("user"), group(groupId), 0, 0));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(errorCode(failure)).isEqualTo("UNAVAILABLE");
        assertThat(failure.getStatus().getDescription()).contains("GetMembership").contains(groupId);
    }

    @Test
    void countAboveMaximumRejected() {
        StatusRuntimeException failure = queryFailure(query(unique("alice"), peer(unique("bob")), 0, 101));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(failure)).isEqualTo("INVALID_ARGUMENT");
        assertThat(failure.getStatus().getDescription()).contains("count 101");
    }

    @Test
    void negativeBeforeTimeRejected() {
        StatusRuntimeException failure = queryFailure(query(unique("alice"), peer(unique("bob")), -1, 0));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(failure)).isEqualTo("INVALID_ARGUMENT");
        assertThat(failure.getStatus().getDescription()).contains("before_time -1");
    }

    @Test
    void missingConversationRejected() {
        HistoryQuery noConversation = HistoryQuery.newBuilder()
                .setRequesterId(unique("alice"))
                .setRequest(HistoryRequest.newBuilder().setCount(10))
                .build();

        StatusRuntimeException failure = queryFailure(noConversation);

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(failure)).isEqualTo("INVALID_ARGUMENT");
        assertThat(failure.getStatus().getDescription()).contains("conversation is missing");
    }

    @Test
    void invalidRequesterRejected() {
        StatusRuntimeException failure = queryFailure(query("", peer(unique("bob")), 0, 0));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure.getStatus().getDescription()).contains("requester_id ''");
    }

    @Test
    void adminWithoutSecretRejected() {
        AdminHistoryRequest request = AdminHistoryRequest.newBuilder()
                .setRequest(HistoryRequest.newBuilder().setConversation(group(unique("team"))))
                .build();

        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> kit.admin(null).queryConversation(request));
        StatusRuntimeException wrong = catchThrowableOfType(StatusRuntimeException.class,
                () -> kit.admin("not-the-app-secret-at-all").queryConversation(request));

        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(errorCode(missing)).isEqualTo("UNAUTHENTICATED");
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void adminCountAboveMaximumRejected() {
        AdminHistoryRequest request = AdminHistoryRequest.newBuilder()
                .setRequest(HistoryRequest.newBuilder().setConversation(group(unique("team"))).setCount(500))
                .build();

        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                () -> kit.admin().queryConversation(request));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure.getStatus().getDescription()).contains("count 500");
    }
}
