package io.tidings.history.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.protocol.v1.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryPageTest {

    /** Returns messages newest first with the given server times, ids m0, m1, ... */
    private static List<Message> messages(long... serverTimes) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < serverTimes.length; i++) {
            messages.add(Message.newBuilder().setMessageId("m" + i).setServerTime(serverTimes[i]).build());
        }
        return messages;
    }

    private static List<String> ids(HistoryPage page) {
        return page.messages().stream().map(Message::getMessageId).toList();
    }

    @Test
    void fewerThanCountHasNoMore() {
        HistoryPage page = HistoryPage.cut(messages(5, 4, 3).iterator(), 20);
        assertThat(ids(page)).containsExactly("m0", "m1", "m2");
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void exactlyCountHasNoMore() {
        HistoryPage page = HistoryPage.cut(messages(5, 4, 3).iterator(), 3);
        assertThat(ids(page)).containsExactly("m0", "m1", "m2");
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void moreThanCountHasMore() {
        HistoryPage page = HistoryPage.cut(messages(5, 4, 3, 2).iterator(), 3);
        assertThat(ids(page)).containsExactly("m0", "m1", "m2");
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void emptyConversation() {
        HistoryPage page = HistoryPage.cut(List.<Message>of().iterator(), 20);
        assertThat(page.messages()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void boundaryMillisecondMovesToNextPage() {
        // m2 and m3 share time 3: a next page before 3 would skip m3, so m2 waits for it.
        HistoryPage page = HistoryPage.cut(messages(5, 4, 3, 3, 2).iterator(), 3);
        assertThat(ids(page)).containsExactly("m0", "m1");
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void wholePageInOneMillisecondGrows() {
        HistoryPage page = HistoryPage.cut(messages(7, 7, 7, 7, 2).iterator(), 2);
        assertThat(ids(page)).containsExactly("m0", "m1", "m2", "m3");
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void grownPageAtEndHasNoMore() {
        HistoryPage page = HistoryPage.cut(messages(7, 7, 7).iterator(), 2);
        assertThat(ids(page)).containsExactly("m0", "m1", "m2");
        assertThat(page.hasMore()).isFalse();
    }
}
