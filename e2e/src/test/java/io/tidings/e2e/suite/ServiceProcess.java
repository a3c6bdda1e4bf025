package io.tidings.e2e.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Tidings service run as its own JVM from its packaged jar, the way {@code ./tidings up} runs
 * it, so tests can kill it with SIGKILL, stop it with SIGTERM and start it again on the same port.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final String name;
    private final int port;
    private final Path jar;
    private final Path log;
    private final List<String> systemProperties;
    private Process process;

    ServiceProcess(String name, int port, Path jar, Path log, List<String> systemProperties) {
        this.name = name;
        this.port = port;
        this.jar = jar;
        this.log = log;
        this.systemProperties = List.copyOf(systemProperties);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM, appending to its log, and waits until /q/health/ready returns 200. */
    public synchronized void start(Duration readyTimeout) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running as pid " + process.pid());
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first "
                    + "(mvn -DskipTests package, or ./tidings up)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // For the HBase client in history-svc, as ./tidings up runs it.
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("-Dquarkus.profile=local");
        command.addAll(systemProperties);
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
        awaitReady(readyTimeout);
    }

    /** Sends SIGKILL and waits for the process to be gone: no shutdown hook runs. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(20));
        process = null;
    }

    /** Sends SIGTERM, so the service drains and deregisters, and waits for it to exit. */
    public synchronized void stop(Duration timeout) {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!waitFor(timeout)) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(20));
        }
        process = null;
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady(Duration timeout) {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; log " + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds()
                + " s (" + lastProblem + "); log " + log + ":\n" + tail(40));
    }

    /** Returns the last lines of the service's log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port;
    }
}
