package io.tidings.push.health;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidings.push.fake.FakeProviders;
import io.tidings.testsupport.DedicatedRedisResource;
import io.tidings.testsupport.KafkaResource;
import java.util.List;

/**
 * Runs push-svc against a private Redis that a test may stop and start, the shared test Kafka and
 * the fake providers (which also give the test its own consumer group).
 */
public class DedicatedRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(DedicatedRedisResource.class),
                new TestResourceEntry(KafkaResource.class),
                new TestResourceEntry(FakeProviders.class));
    }
}
