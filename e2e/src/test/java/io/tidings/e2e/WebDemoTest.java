package io.tidings.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidings.e2e.suite.Suite;
import io.tidings.testsupport.RealServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the JavaScript client module's unit tests and the web demo's browser test (real headless
 * Chromium, driven by playwright-core) against the five services started by {@link Suite}.
 */
class WebDemoTest {

    private static final Path WEB = RealServers.repoRoot().resolve("web");

    private static String run(Path directory, Map<String, String> environment, long timeoutMinutes, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command))
                .directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        String text = new String(output, StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out:\n" + text);
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    @Test
    void javascriptClientUnitTests() throws Exception {
        run(WEB.resolve("tidings-client"), Map.of(), 5, "npm", "test");
    }

    @Test
    void chatInHeadlessChromium() throws Exception {
        try (Suite suite = Suite.start("web")) {
            String url = "http://127.0.0.1:" + suite.service("connector-svc").port() + "/";
            run(WEB.resolve("e2e"), Map.of("TIDINGS_WEB_URL", url), 20, "bash", "run.sh");
        }
    }
}
