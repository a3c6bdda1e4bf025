package io.tidings.routing.ids;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Generates message ids: unique across routing-svc instances without coordination, ordered by
 * time, 20 characters of Crockford base32.
 *
 * <p>Layout, 100 bits, most significant first:
 *
 * <pre>
 *   48 bits  time, milliseconds since the Unix epoch (lasts until the year 10889)
 *   36 bits  instance bits, drawn at random when the generator is created
 *   16 bits  sequence within the millisecond on this instance (65,536 ids per ms)
 * </pre>
 *
 * <p>Each 5 bits become one character of {@code 0123456789ABCDEFGHJKMNPQRSTVWXYZ}, the most
 * significant first. The width is fixed, so the string order of two ids is their numeric
 * order, and their time order when the times differ.
 *
 * <p>Uniqueness: one generator never repeats its (time, sequence) pair, because both live in one
 * counter that only grows. Two generators differ in their instance bits unless their 36 random
 * bits collide. For n instances alive at once the chance is about n^2 / 2^37, which is 1 in 1.4
 * million for 100 instances. Even then, equal ids need both to use the same millisecond and
 * sequence. A restarted instance draws new bits.
 *
 * <p>Clock going backwards: the counter never moves back. When the clock is behind the last id's
 * time, ids keep the last time and count the sequence up; when the sequence of a millisecond is
 * used up, the id time moves one millisecond ahead of the clock. So ids and server times from
 * one instance never decrease, and they run at most as far ahead of the clock as the jump back
 * was long.
 */
@Singleton
public final class MessageIdGenerator {

    public static final int LENGTH = 20;

    static final int TIME_BITS = 48;
    static final int INSTANCE_BITS = 36;
    static final int SEQUENCE_BITS = 16;

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long INSTANCE_MASK = (1L << INSTANCE_BITS) - 1;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    private static final int[] DECODE = new int[128];

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = i;
        }
    }

    private final long instanceBits;
    private final LongSupplier clock;
    /** (time << 16) | sequence of the last id. */
    private final AtomicLong last = new AtomicLong();

    /** Creates a generator with random instance bits and the system clock. */
    public MessageIdGenerator() {
        this(new SecureRandom().nextLong() & INSTANCE_MASK, System::currentTimeMillis);
    }

    /** Creates a generator with the given instance bits (the low 36 are used) and clock. */
    public MessageIdGenerator(long instanceBits, LongSupplier clock) {
        this.instanceBits = instanceBits & INSTANCE_MASK;
        this.clock = clock;
    }

    /** Returns the next id with its time, which callers use as the message's server time. */
    public MessageId next() {
        long now = clock.getAsLong();
        long next = last.updateAndGet(previous -> Math.max(now << SEQUENCE_BITS, previous + 1));
        long time = next >>> SEQUENCE_BITS;
        long sequence = next & SEQUENCE_MASK;
        return new MessageId(encode(time, instanceBits, sequence), time);
    }

    long instanceBits() {
        return instanceBits;
    }

    /** Encodes the three fields as 20 base32 characters, 10 for each half of 50 bits. */
    static String encode(long time, long instance, long sequence) {
        long high = (time << 2) | (instance >>> 34);
        long low = ((instance & ((1L << 34) - 1)) << SEQUENCE_BITS) | sequence;
        char[] out = new char[LENGTH];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
            out[10 + i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }

    /**
     * Returns the time in milliseconds encoded in a message id.
     *
     * @throws IllegalArgumentException when {@code id} is not a 20-character id of this layout
     */
    public static long timeOf(String id) {
        if (id == null || id.length() != LENGTH) {
            throw new IllegalArgumentException("message id '" + id + "' is not " + LENGTH + " characters long");
        }
        long high = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            int value = c < DECODE.length ? DECODE[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("message id '" + id + "' contains '" + c + "', not a Crockford base32 digit");
            }
            if (i < 10) {
                high = (high << 5) | value;
            }
        }
        return high >>> 2;
    }

    /** A message id and the time it encodes, in milliseconds since the epoch. */
    public record MessageId(String id, long time) {
    }
}
