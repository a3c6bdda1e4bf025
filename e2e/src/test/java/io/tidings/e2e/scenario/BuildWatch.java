package io.tidings.e2e.scenario;

import io.tidings.e2e.suite.Suite;
import io.tidings.testsupport.RealServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detects a service whose packaged application was rebuilt while it ran. The suite runs each
 * service from its module's target/quarkus-app, which a concurrent {@code mvn package} of that
 * module replaces. A running JVM then fails to load classes from jars that are gone, which makes
 * the run's numbers meaningless.
 */
final class BuildWatch {

    private final Map<String, Instant> startedAt = new LinkedHashMap<>();
    private final Map<String, Instant> builtAt = new LinkedHashMap<>();

    BuildWatch(Suite suite) {
        for (String service : Suite.SERVICES) {
            long pid = suite.service(service).pid();
            startedAt.put(service, ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(Instant.EPOCH));
            builtAt.put(service, lastBuilt(service));
        }
    }

    /** Returns the newest modification time of the service's launcher jar and library folder. */
    private static Instant lastBuilt(String service) {
        Path app = RealServers.repoRoot().resolve(service).resolve("target/quarkus-app");
        Instant newest = Instant.EPOCH;
        for (Path path : List.of(app.resolve("quarkus-run.jar"), app.resolve("lib/main"), app.resolve("app"))) {
            try {
                Instant modified = Files.getLastModifiedTime(path).toInstant();
                newest = modified.isAfter(newest) ? modified : newest;
            } catch (IOException e) {
                // A missing path means a build is in progress, so now counts as its build time.
                newest = Instant.now();
            }
        }
        return newest;
    }

    /** Returns one line per service rebuilt after its process started, or an empty list. */
    List<String> rebuiltServices() {
        List<String> rebuilt = new ArrayList<>();
        for (String service : Suite.SERVICES) {
            Instant now = lastBuilt(service);
            Instant started = startedAt.get(service);
            if (now.isAfter(started) || !now.equals(builtAt.get(service))) {
                rebuilt.add(service + ": target/quarkus-app changed at " + now + ", after the process started at " + started);
            }
        }
        return rebuilt;
    }
}
