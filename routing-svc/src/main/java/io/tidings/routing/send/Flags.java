package io.tidings.routing.send;

import io.tidings.protocol.v1.MessageFlags;

/** The effective flags of a message, stored normalized in its MessageRecord. */
public final class Flags {

    private static final MessageFlags DEFAULT = MessageFlags.newBuilder().setPersisted(true).setCounted(true).build();

    private Flags() {
    }

    /**
     * Returns the flags a message is stored with: persisted and counted when the sender set none,
     * neither persisted nor counted when status_only is set, and not counted when not persisted
     * (an entry that is in no inbox has nothing to count).
     */
    public static MessageFlags effective(boolean present, MessageFlags flags) {
        if (!present) {
            return DEFAULT;
        }
        if (flags.getStatusOnly()) {
            return flags.toBuilder().setPersisted(false).setCounted(false).build();
        }
        if (!flags.getPersisted() && flags.getCounted()) {
            return flags.toBuilder().setCounted(false).build();
        }
        return flags;
    }

    /** Returns the default flags: persisted and counted. */
    public static MessageFlags defaults() {
        return DEFAULT;
    }
}
