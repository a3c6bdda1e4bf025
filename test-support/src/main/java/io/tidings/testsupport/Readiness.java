package io.tidings.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a service's readiness endpoint ({@code /q/health/ready}) in tests. */
public final class Readiness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private Readiness() {
    }

    /** Returns the response of one GET of {@code ready}. */
    public static HttpResponse<String> get(URL ready) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ready.toString())).timeout(Duration.ofSeconds(8)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + ready + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + ready, e);
        }
    }

    /** Polls {@code ready} until it returns {@code status} and returns that response, or fails after {@code timeout}. */
    public static HttpResponse<String> await(URL ready, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(ready);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (UncheckedIOException e) {
                // The service may be restarting; the next poll tries again.
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + ready, e);
            }
        }
        throw new AssertionError("readiness " + ready + " did not return " + status + " within " + timeout
                + "; last response: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }
}
