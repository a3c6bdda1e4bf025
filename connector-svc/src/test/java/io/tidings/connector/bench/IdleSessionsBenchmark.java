package io.tidings.connector.bench;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.AppSecretInterceptor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures heap and RSS per idle authenticated session of one connector process. Not a test:
 * run it by hand against a connector started from target/quarkus-app (see docs/benchmarks.md):
 *
 * <pre>
 *   java -cp ... io.tidings.connector.bench.IdleSessionsBenchmark PID PORT APP_SECRET SESSIONS
 * </pre>
 *
 * It reads the heap after a full GC with jcmd (GC.heap_info) and VmRSS from /proc, before and
 * after opening SESSIONS SDK connections, and prints the difference per session and the class
 * histogram entries that grew most.
 */
public final class IdleSessionsBenchmark {

    private IdleSessionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long pid = Long.parseLong(args[0]);
        int port = Integer.parseInt(args[1]);
        String appSecret = args[2];
        int sessions = Integer.parseInt(args[3]);

        List<String> tokens = issueTokens(port, appSecret, sessions);
        Thread.sleep(5000);
        long heapBefore = heapUsedAfterGc(pid);
        long rssBefore = rss(pid);
        String histogramBefore = jcmd(pid, "GC.class_histogram");
        String nativeBefore = nativeMemory(pid);

        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create("ws://127.0.0.1:" + port + "/ws");
        List<TidingsClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> connects = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            TidingsClient client = TidingsClient.builder(url).token(tokens.get(i)).deviceId("bench-" + i)
                    .platform(Platform.ANDROID).httpClient(http).build();
            clients.add(client);
            connects.add(client.connect());
            if (i % 500 == 499) {
                // Paces the handshakes so that the generator does not starve the connector's two cores.
                CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        long connectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long connected = clients.stream().filter(c -> c.state() == ConnectionState.CONNECTED).count();

        Thread.sleep(10_000);
        long heapAfter = heapUsedAfterGc(pid);
        long rssAfter = rss(pid);
        String histogramAfter = jcmd(pid, "GC.class_histogram");
        String nativeAfter = nativeMemory(pid);

        System.out.printf("sessions connected: %d of %d in %d ms%n", connected, sessions, connectMs);
        System.out.printf("heap after GC: %d KiB -> %d KiB, per session %.1f KiB%n",
                heapBefore / 1024, heapAfter / 1024, (heapAfter - heapBefore) / 1024.0 / connected);
        System.out.printf("RSS: %d KiB -> %d KiB, per session %.1f KiB%n",
                rssBefore / 1024, rssAfter / 1024, (rssAfter - rssBefore) / 1024.0 / connected);
        System.out.println("largest heap growth by class (bytes per session):");
        HistogramDiff.print(histogramBefore, histogramAfter, connected, 20);
        if (!nativeAfter.isEmpty()) {
            System.out.println("native memory tracking, committed, before:");
            System.out.print(nativeBefore);
            System.out.println("after:");
            System.out.print(nativeAfter);
        }

        for (TidingsClient client : clients) {
            client.close();
        }
        Thread.sleep(5000);
    }

    private static List<String> issueTokens(int port, String appSecret, int count) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(AppSecretInterceptor.APP_SECRET_KEY, appSecret);
        AuthServiceGrpc.AuthServiceBlockingStub auth = AuthServiceGrpc.newBlockingStub(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)));
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(auth.issueToken(IssueTokenRequest.newBuilder().setUserId(prefix + i).build()).getToken());
        }
        channel.shutdownNow();
        return tokens;
    }

    private static long heapUsedAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Thread.sleep(2000);
        jcmd(pid, "GC.run");
        // G1: " garbage-first heap   total 262144K, used 51712K [..."
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            int used = line.indexOf("used ");
            if (line.contains("heap") && used > 0) {
                String number = line.substring(used + 5).replaceAll("[^0-9].*", "");
                return Long.parseLong(number) * 1024;
            }
        }
        throw new IllegalStateException("no heap usage in GC.heap_info output");
    }

    /** Returns the committed lines of VM.native_memory summary, empty without -XX:NativeMemoryTracking. */
    private static String nativeMemory(long pid) throws Exception {
        String summary;
        try {
            summary = jcmd(pid, "VM.native_memory summary");
        } catch (IllegalStateException disabled) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (String line : summary.split("\n")) {
            if (line.startsWith("Total") || line.trim().startsWith("- ") && line.contains("committed=")) {
                lines.append("  ").append(line.trim()).append('\n');
            }
        }
        return lines.toString();
    }

    private static long rss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    static String jcmd(long pid, String command) throws Exception {
        Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output.toString();
    }
}
