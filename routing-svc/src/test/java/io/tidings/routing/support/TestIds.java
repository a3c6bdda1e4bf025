package io.tidings.routing.support;

import java.util.UUID;

/** Unique ids for tests that share Redis and Kafka with other test runs. */
public final class TestIds {

    private TestIds() {
    }

    /** Returns {@code prefix} plus a random suffix, a valid user, group or device id. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
