package io.tidings.push.fake;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Base of the local fake push providers: an HTTP server on 127.0.0.1 that records every request,
 * checks it as the provider documents (a failed check gets the provider's error response and is kept
 * in {@link #violations()}), and responds with success or with a response scripted for a device
 * token. All fakes run on one Vert.x instance owned by {@link FakeProviders}.
 */
public abstract class FakeProviderServer {

    private final String name;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<FakeResponse>> scripts = new ConcurrentHashMap<>();
    private volatile Instant outageUntil = Instant.MIN;
    private Vertx vertx;
    private HttpServerOptions options;
    private HttpServer server;
    private int port;

    protected FakeProviderServer(String name) {
        this.name = name;
    }

    /** Checks one request and returns the response to send. */
    protected abstract FakeResponse handle(HttpServerRequest request, String body);

    /** The response the provider documents for "service unavailable". */
    protected abstract FakeResponse unavailable();

    void start(Vertx vertx, HttpServerOptions options) {
        this.vertx = vertx;
        this.options = options.setHost("127.0.0.1");
        listen();
    }

    private void listen() {
        // Port 0 the first time; the same port again after stopListening().
        options.setPort(port);
        server = vertx.createHttpServer(options).requestHandler(request -> request.body().onSuccess(buffer -> {
            String body = buffer.toString();
            FakeResponse response;
            if (Instant.now().isBefore(outageUntil)) {
                response = unavailable();
            } else {
                response = handle(request, body);
            }
            record(request, body, response.status());
            var reply = request.response().setStatusCode(response.status());
            response.headers().forEach(reply::putHeader);
            reply.end(response.body());
        }));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " fake failed to listen: " + e, e);
        }
        port = server.actualPort();
    }

    private void record(HttpServerRequest request, String body, int status) {
        Map<String, String> headers = new ConcurrentHashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        requests.add(new RecordedRequest(name, request.method().name(), request.path(), request.version().name(),
                headers, body, Instant.now(), status));
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    public void stopListening() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Listens again on the same port. */
    public void restart() {
        listen();
    }

    /** Returns the provider's "unavailable" response to every request for {@code duration}. */
    public void outageFor(Duration duration) {
        outageUntil = Instant.now().plus(duration);
    }

    public Instant outageEnd() {
        return outageUntil;
    }

    /** Scripts the next responses for requests to {@code token}; afterwards the fake returns success. */
    public void script(String token, FakeResponse... responses) {
        scripts.computeIfAbsent(token, t -> new ArrayDeque<>()).addAll(List.of(responses));
    }

    /** Returns the scripted response for the token, if one is left. */
    protected FakeResponse scripted(String token) {
        Deque<FakeResponse> script = scripts.get(token);
        if (script == null) {
            return null;
        }
        synchronized (script) {
            return script.pollFirst();
        }
    }

    protected void violation(String message) {
        violations.add(name + ": " + message);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (filter.test(request)) {
                matching.add(request);
            }
        }
        return matching;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return (options.isSsl() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Returns the requests whose path or body contains {@code token} (tokens are unique per test). */
    public List<RecordedRequest> requestsFor(String token) {
        return requests(r -> r.path().contains(token) || r.body().contains(token));
    }

    /** Returns the requests for {@code token} that the fake accepted. */
    public List<RecordedRequest> deliveredTo(String token) {
        return requests(r -> (r.path().contains(token) || r.body().contains(token)) && r.succeeded());
    }
}
