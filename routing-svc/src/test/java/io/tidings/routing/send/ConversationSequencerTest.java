package io.tidings.routing.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.subscription.Cancellable;
import io.tidings.routing.send.ConversationSequencer.Turn;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConversationSequencerTest {

    private final ConversationSequencer sequencer = new ConversationSequencer();

    @Test
    void turnsFollowRequestOrder() {
        List<String> granted = new CopyOnWriteArrayList<>();
        Turn[] turns = new Turn[3];
        for (int i = 0; i < 3; i++) {
            int index = i;
            sequencer.acquire("c1").subscribe().with(turn -> {
                turns[index] = turn;
                granted.add("c1-" + index);
            });
        }
        assertThat(granted).containsExactly("c1-0");

        turns[0].release();
        assertThat(granted).containsExactly("c1-0", "c1-1");
        turns[0].release();
        assertThat(granted).as("a second release of the same turn changes nothing").containsExactly("c1-0", "c1-1");

        turns[1].release();
        assertThat(granted).containsExactly("c1-0", "c1-1", "c1-2");
        turns[2].release();
        assertThat(sequencer.active()).isZero();
    }

    @Test
    void otherConversationsDoNotWait() {
        List<String> granted = new CopyOnWriteArrayList<>();
        sequencer.acquire("c1").subscribe().with(turn -> granted.add("c1"));
        sequencer.acquire("c2").subscribe().with(turn -> granted.add("c2"));

        assertThat(granted).containsExactly("c1", "c2");
        assertThat(sequencer.active()).isEqualTo(2);
    }

    @Test
    void turnAfterReleasesIsImmediate() {
        Turn[] first = new Turn[1];
        sequencer.acquire("c1").subscribe().with(turn -> first[0] = turn);
        first[0].release();

        List<String> granted = new CopyOnWriteArrayList<>();
        sequencer.acquire("c1").subscribe().with(turn -> granted.add("again"));

        assertThat(granted).containsExactly("again");
    }

    @Test
    void cancelledWaiterDoesNotBlockLaterTurns() {
        List<String> granted = new CopyOnWriteArrayList<>();
        Turn[] first = new Turn[1];
        sequencer.acquire("c1").subscribe().with(turn -> first[0] = turn);
        Cancellable waiting = sequencer.acquire("c1").subscribe().with(turn -> granted.add("cancelled one"));
        Turn[] third = new Turn[1];
        sequencer.acquire("c1").subscribe().with(turn -> {
            third[0] = turn;
            granted.add("third");
        });

        waiting.cancel();
        first[0].release();

        assertThat(granted).containsExactly("third");
        third[0].release();
        assertThat(sequencer.active()).isZero();
    }
}
