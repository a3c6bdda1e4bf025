package io.tidings.routing.send;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands out turns per conversation (per Kafka record key), one at a time, in the order they were
 * asked for. {@link MessageAcceptor} takes a turn before it picks a message id and gives it back
 * once the producer has queued the record, so that within this instance a conversation's
 * message ids and server times grow in the order of its records on the partition, which is the
 * order of every inbox and device. Turns of different conversations are independent.
 *
 * <p>A key's entry lives only while some send of it has or waits for a turn.
 */
@ApplicationScoped
public class ConversationSequencer {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Returns a Uni that emits the caller's turn once every earlier turn of {@code key} was
     * released. The place in line is taken on subscription. A subscriber that cancels while it
     * waits gives its turn up as soon as the earlier ones are released, so later sends go on.
     */
    public Uni<Turn> acquire(String key) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> released = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, released);
            Turn turn = new Turn(key, released);
            if (previous == null || previous.isDone()) {
                return Uni.createFrom().item(turn);
            }
            return Uni.createFrom().completionStage(previous).replaceWith(turn)
                    .onCancellation().invoke(() -> previous.whenComplete((ignored, failure) -> turn.release()));
        });
    }

    /** Returns the number of conversations with a turn held or awaited. */
    public int active() {
        return tails.size();
    }

    /** One conversation's turn; releasing it more than once has no further effect. */
    public final class Turn {

        private final String key;
        private final CompletableFuture<Void> released;
        private final AtomicBoolean done = new AtomicBoolean();

        private Turn(String key, CompletableFuture<Void> released) {
            this.key = key;
            this.released = released;
        }

        /** Lets the next waiting send of this conversation go on. */
        public void release() {
            if (done.compareAndSet(false, true)) {
                tails.remove(key, released);
                released.complete(null);
            }
        }
    }
}
