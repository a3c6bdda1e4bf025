package io.tidings.offline;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidings.testsupport.DedicatedRedisResource;
import java.util.List;

/** Runs offline-svc against a private Redis that a test may stop and start. */
public class DedicatedRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DedicatedRedisResource.class));
    }
}
