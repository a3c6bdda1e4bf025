package io.tidings.history.store;

import io.tidings.protocol.v1.Message;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One page of a conversation's history, newest first.
 *
 * @param messages the page, newest first
 * @param hasMore true when older messages exist within the range the reader may see
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {

    /**
     * Cuts a page of about {@code count} messages from messages given newest first.
     *
     * <p>The next page starts strictly before the server time of this page's last message,
     * because a client pages with before_time only. So a page never ends inside a millisecond:
     * when the message after the page has the same server time as the page's last message, the
     * page drops its trailing messages of that millisecond and the next page returns them. When
     * every message of the page shares that millisecond, dropping would leave nothing, so the page
     * grows to the end of the millisecond instead and may hold more than {@code count} messages.
     */
    public static HistoryPage cut(Iterator<Message> newestFirst, int count) {
        List<Message> page = new ArrayList<>(count);
        while (page.size() < count && newestFirst.hasNext()) {
            page.add(newestFirst.next());
        }
        if (!newestFirst.hasNext()) {
            return new HistoryPage(page, false);
        }
        Message next = newestFirst.next();
        long boundary = next.getServerTime();
        if (page.get(page.size() - 1).getServerTime() != boundary) {
            return new HistoryPage(page, true);
        }
        if (page.get(0).getServerTime() != boundary) {
            page.removeIf(message -> message.getServerTime() == boundary);
            return new HistoryPage(page, true);
        }
        page.add(next);
        while (newestFirst.hasNext()) {
            Message older = newestFirst.next();
            if (older.getServerTime() != boundary) {
                return new HistoryPage(page, true);
            }
            page.add(older);
        }
        return new HistoryPage(page, false);
    }
}
