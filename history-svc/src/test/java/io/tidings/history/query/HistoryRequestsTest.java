package io.tidings.history.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.HistoryRequest;
import org.junit.jupiter.api.Test;

class HistoryRequestsTest {

    private static HistoryRequest withCount(int count) {
        return HistoryRequest.newBuilder().setCount(count).build();
    }

    @Test
    void zeroCountMeansTwenty() {
        assertThat(HistoryRequests.count(withCount(0))).isEqualTo(20);
    }

    @Test
    void maximumCountAccepted() {
        assertThat(HistoryRequests.count(withCount(100))).isEqualTo(100);
    }

    @Test
    void countAboveMaximumRejected() {
        assertThatThrownBy(() -> HistoryRequests.count(withCount(101)))
                .isInstanceOfSatisfying(TidingsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("count 101");
    }

    @Test
    void hugeUnsignedCountRejectedAsUnsigned() {
        // uint32 4000000000 arrives in Java as a negative int.
        assertThatThrownBy(() -> HistoryRequests.count(withCount((int) 4_000_000_000L)))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("count 4000000000");
    }

    @Test
    void negativeBeforeTimeRejected() {
        HistoryRequest request = HistoryRequest.newBuilder().setBeforeTime(-5).build();
        assertThatThrownBy(() -> HistoryRequests.beforeTime(request))
                .isInstanceOfSatisfying(TidingsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("before_time -5");
    }

    @Test
    void missingConversationRejected() {
        assertThatThrownBy(() -> HistoryRequests.conversationKey("requester_id", "alice", HistoryRequest.getDefaultInstance()))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("conversation is missing");
    }

    @Test
    void unspecifiedTypeRejected() {
        HistoryRequest request = HistoryRequest.newBuilder()
                .setConversation(Conversation.newBuilder().setTargetId("bob"))
                .build();
        assertThatThrownBy(() -> HistoryRequests.conversationKey("requester_id", "alice", request))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("conversation.type");
    }

    @Test
    void invalidTargetRejected() {
        HistoryRequest request = HistoryRequest.newBuilder()
                .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("p:a:b"))
                .build();
        assertThatThrownBy(() -> HistoryRequests.conversationKey("requester_id", "alice", request))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("conversation.target_id 'p:a:b'");
    }

    @Test
    void privateKeyFromRequesterView() {
        HistoryRequest request = HistoryRequest.newBuilder()
                .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("alice"))
                .build();
        assertThat(HistoryRequests.conversationKey("requester_id", "bob", request)).isEqualTo("p:alice:bob");
    }

    @Test
    void groupKeyNeedsNoUser() {
        Conversation group = Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId("team").build();
        assertThat(HistoryRequests.conversationKey("user_id", "", group)).isEqualTo("g:team");
    }

    @Test
    void privateKeyNeedsUser() {
        Conversation peer = Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("bob").build();
        assertThatThrownBy(() -> HistoryRequests.conversationKey("user_id", "", peer))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("user_id ''");
    }
}
