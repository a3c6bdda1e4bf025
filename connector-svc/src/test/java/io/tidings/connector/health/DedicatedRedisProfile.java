package io.tidings.connector.health;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidings.connector.support.FakeBackends;
import io.tidings.testsupport.DedicatedRedisResource;
import java.util.List;

/** Runs connector-svc against a private Redis that a test may stop and start, with the fake backends. */
public class DedicatedRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DedicatedRedisResource.class), new TestResourceEntry(FakeBackends.class));
    }
}
