package io.tidings.protocol;

import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;

/**
 * Canonical conversation keys: the same string for both users of a private conversation, used as
 * the Kafka key of topic tidings.messages, in Redis keys and in HBase row keys.
 *
 * <ul>
 *   <li>PRIVATE between a and b: {@code p:<smaller id>:<larger id>} (ids compared as strings)
 *   <li>GROUP g: {@code g:<g>}
 *   <li>SYSTEM from s to user u: {@code s:<s>:<u>}
 * </ul>
 *
 * User and group ids may not contain ':' (see {@link Ids}), so a key splits back unambiguously.
 */
public final class ConversationKeys {

    private ConversationKeys() {
    }

    /** Returns the canonical key of a conversation that {@code userId} addresses as {@code c}. */
    public static String of(String userId, Conversation c) {
        switch (c.getType()) {
            case PRIVATE:
                return privateKey(userId, c.getTargetId());
            case GROUP:
                return "g:" + c.getTargetId();
            case SYSTEM:
                return "s:" + c.getTargetId() + ":" + userId;
            default:
                throw TidingsException.invalidArgument(
                        "conversation.type " + c.getType() + " is not PRIVATE, GROUP or SYSTEM");
        }
    }

    public static String privateKey(String a, String b) {
        return a.compareTo(b) <= 0 ? "p:" + a + ":" + b : "p:" + b + ":" + a;
    }

    /**
     * Returns the conversation as {@code viewerId} sees it, given the sender and the conversation
     * the sender addressed: for PRIVATE the viewer's target is the other user.
     */
    public static Conversation viewOf(String viewerId, String senderId, Conversation addressed) {
        if (addressed.getType() == ConversationType.PRIVATE && !viewerId.equals(senderId)) {
            return Conversation.newBuilder()
                    .setType(ConversationType.PRIVATE)
                    .setTargetId(senderId)
                    .build();
        }
        return addressed;
    }
}
