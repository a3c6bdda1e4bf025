package io.tidings.e2e.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services' own Tidings metrics ({@code tidings_*} in the Prometheus text at /q/metrics),
 * read before and after the traffic, to show where the time went inside each service: the mean
 * of each timer and the increase of each counter over the run.
 */
final class ServiceMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceMetrics() {
    }

    /** Returns every tidings_ sample of each service by its name with labels; a failed scrape gives an empty map. */
    static Map<String, Map<String, Double>> scrape(Map<String, Integer> ports) {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        ports.forEach((service, port) -> all.put(service, scrape(port)));
        return all;
    }

    private static Map<String, Double> scrape(int port) {
        Map<String, Double> samples = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                            .timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (!line.startsWith("tidings_")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException notANumber) {
                    // A NaN gauge carries no value for the run.
                }
            }
        } catch (IOException e) {
            samples.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return samples;
    }

    /**
     * Scrapes the services every {@code period} on a daemon thread and keeps the maximum of each
     * Kafka consumer lag gauge ({@code tidings_kafka_consumer_lag}), until {@link #stop()}.
     */
    static final class LagMaxima {

        private static final String LAG = "tidings_kafka_consumer_lag";

        private final Map<String, Double> maxima = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        LagMaxima(Map<String, Integer> ports, Duration period) {
            thread = new Thread(() -> {
                while (running) {
                    scrape(ports).forEach((service, samples) -> samples.forEach((name, value) -> {
                        if (name.startsWith(LAG)) {
                            maxima.merge(service + " " + name, value, Math::max);
                        }
                    }));
                    try {
                        Thread.sleep(period.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "scenario-lag-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops sampling and returns one line per lag gauge with its maximum. */
        List<String> stop() {
            running = false;
            thread.interrupt();
            List<String> lines = new ArrayList<>();
            maxima.forEach((name, max) -> lines.add(String.format("%s: max %.0f records", name, max)));
            return lines;
        }
    }

    /**
     * Formats the change between two scrapes: for each timer the calls and their mean time, and
     * for each counter its increase. Samples that did not change are left out.
     */
    static List<String> describeChange(Map<String, Map<String, Double>> before, Map<String, Map<String, Double>> after) {
        List<String> lines = new ArrayList<>();
        after.forEach((service, samples) -> {
            Map<String, Double> earlier = before.getOrDefault(service, Map.of());
            samples.forEach((name, value) -> {
                double delta = value - earlier.getOrDefault(name, 0.0);
                if (delta <= 0) {
                    return;
                }
                if (name.contains("_seconds_count")) {
                    String sumName = name.replace("_seconds_count", "_seconds_sum");
                    double sum = samples.getOrDefault(sumName, 0.0) - earlier.getOrDefault(sumName, 0.0);
                    lines.add(String.format("%s %s: %.0f calls, mean %.1f ms", service, name.replace("_count", ""),
                            delta, 1000 * sum / delta));
                } else if (name.contains("_total")) {
                    lines.add(String.format("%s %s: +%.0f", service, name, delta));
                }
            });
        });
        return lines;
    }
}
