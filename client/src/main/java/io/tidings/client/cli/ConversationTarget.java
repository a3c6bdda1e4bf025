package io.tidings.client.cli;

import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import picocli.CommandLine.Option;

/**
 * The conversation of send and history: a peer user or a group, exactly one of them. Each
 * command declares it as an exclusive argument group, whose option names it chooses.
 */
abstract class ConversationTarget {

    abstract String user();

    abstract String group();

    Conversation conversation() {
        if (user() != null) {
            return Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(user()).build();
        }
        return Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(group()).build();
    }

    /** --to USER | --group GROUP, for send. */
    static final class Recipient extends ConversationTarget {
        @Option(names = "--to", required = true, paramLabel = "USER", converter = OptionValues.Id.class,
                description = "Send a private message to this user.")
        private String user;

        @Option(names = "--group", required = true, paramLabel = "GROUP", converter = OptionValues.Id.class,
                description = "Send to this group; the sender must be a member.")
        private String group;

        @Override
        String user() {
            return user;
        }

        @Override
        String group() {
            return group;
        }
    }

    /** --with USER | --group GROUP, for history. */
    static final class Peer extends ConversationTarget {
        @Option(names = "--with", required = true, paramLabel = "USER", converter = OptionValues.Id.class,
                description = "The private conversation with this user.")
        private String user;

        @Option(names = "--group", required = true, paramLabel = "GROUP", converter = OptionValues.Id.class,
                description = "The conversation of this group.")
        private String group;

        @Override
        String user() {
            return user;
        }

        @Override
        String group() {
            return group;
        }
    }
}
