package io.tidings.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import org.junit.jupiter.api.Test;

class ConversationKeysTest {

    private static Conversation privateWith(String peer) {
        return Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(peer).build();
    }

    @Test
    void privateKeyIsSameForBothUsers() {
        assertEquals("p:alice:bob", ConversationKeys.of("alice", privateWith("bob")));
        assertEquals("p:alice:bob", ConversationKeys.of("bob", privateWith("alice")));
    }

    @Test
    void groupKeyIgnoresViewer() {
        Conversation group = Conversation.newBuilder()
                .setType(ConversationType.GROUP).setTargetId("team").build();
        assertEquals("g:team", ConversationKeys.of("alice", group));
        assertEquals("g:team", ConversationKeys.of("bob", group));
    }

    @Test
    void unspecifiedTypeIsRejected() {
        TidingsException e = assertThrows(TidingsException.class,
                () -> ConversationKeys.of("alice", Conversation.getDefaultInstance()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("CONVERSATION_TYPE_UNSPECIFIED"), e.getMessage());
    }

    @Test
    void viewOfPrivateSwapsTarget() {
        assertEquals(privateWith("alice"), ConversationKeys.viewOf("bob", "alice", privateWith("bob")));
        assertEquals(privateWith("bob"), ConversationKeys.viewOf("alice", "alice", privateWith("bob")));
    }

    @Test
    void idsRejectColonAndEmpty() {
        assertTrue(Ids.isValidId("user-1.a@b_c"));
        assertFalse(Ids.isValidId("a:b"));
        assertFalse(Ids.isValidId(""));
        assertFalse(Ids.isValidId(null));
        TidingsException e = assertThrows(TidingsException.class, () -> Ids.requireId("user_id", "a b"));
        assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
    }
}
