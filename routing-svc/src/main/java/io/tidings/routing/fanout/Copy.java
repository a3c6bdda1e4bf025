package io.tidings.routing.fanout;

import io.tidings.protocol.v1.InboxEntry;

/**
 * One recipient's copy of a message on its way to the recipient's devices.
 *
 * @param userId the recipient
 * @param entry the copy; its sync_time is 0 when it is not in the inbox
 * @param prevSyncTime the sync time of the entry before it in the inbox, 0 if none or not in the inbox
 * @param unreadTotal the recipient's unread count after the append, or -1 when no append happened
 * @param inInbox whether the copy was appended to the inbox (the message is persisted)
 * @param skipDeviceId a device that must not get it (the sending device), or empty
 * @param groupName the group's name for GROUP messages, else empty
 */
record Copy(String userId, InboxEntry entry, long prevSyncTime, long unreadTotal, boolean inInbox, String skipDeviceId,
        String groupName) {

    static final long UNREAD_UNKNOWN = -1;

    boolean statusOnly() {
        return entry.getMessage().getFlags().getStatusOnly();
    }

    /** Returns whether an offline push may announce it: not the user's own message and not status-only. */
    boolean pushable() {
        return !entry.getOwn() && !statusOnly();
    }

    String messageId() {
        return entry.getMessage().getMessageId();
    }
}
