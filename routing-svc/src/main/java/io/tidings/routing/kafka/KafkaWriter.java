package io.tidings.routing.kafka;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Writes records with the shared producer and completes only when the broker acknowledged them
 * (acks=all). Failures become UNAVAILABLE, so callers can tell their client to retry.
 */
@ApplicationScoped
public class KafkaWriter {

    private final KafkaProducer<String, byte[]> producer;

    public KafkaWriter(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /**
     * Writes one record. The producer's send call runs on a worker thread because it blocks while
     * it waits for topic metadata (up to max.block.ms), which must not happen on an event loop.
     */
    public Uni<RecordMetadata> write(String topic, String key, byte[] value) {
        return write(topic, key, value, () -> { });
    }

    /**
     * Writes one record and runs {@code queued} as soon as the producer has queued it (or failed
     * to), before the broker's ack. Records queued one after the other for the same partition are
     * written in that order, also when the producer retries, because the producer is idempotent.
     */
    public Uni<RecordMetadata> write(String topic, String key, byte[] value, Runnable queued) {
        return Uni.createFrom().<RecordMetadata>emitter(emitter -> {
            try {
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, failure) -> {
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(metadata);
                    }
                });
            } catch (RuntimeException e) {
                emitter.fail(e);
            } finally {
                queued.run();
            }
        })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().transform(failure -> translate(topic, key, failure));
    }

    static TidingsException translate(String topic, String key, Throwable failure) {
        if (failure instanceof TidingsException tidings) {
            return tidings;
        }
        if (failure instanceof RecordTooLargeException) {
            return new TidingsException(ErrorCode.CONTENT_TOO_LARGE,
                    "the record for key '" + key + "' is larger than Kafka accepts on topic " + topic
                            + ": lower tidings.routing.send.max-content-bytes below the producer's max.request.size",
                    failure);
        }
        return new TidingsException(ErrorCode.UNAVAILABLE,
                "Kafka did not acknowledge the write to topic " + topic + " (key '" + key + "'): "
                        + failure.getClass().getSimpleName() + ": " + failure.getMessage() + "; retry later",
                failure);
    }
}
