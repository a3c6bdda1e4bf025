package io.tidings.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the Kubernetes API server on 127.0.0.1 that serves the two requests of a Helm
 * {@code lookup} of a Secret: discovery of group version v1 and a GET of one Secret.
 *
 * <p>helm-java's template command evaluates {@code lookup} against the cluster of the current
 * kubeconfig, unlike {@code helm template}, which never contacts a cluster. Surefire points
 * KUBECONFIG at a file that {@link #shared()} writes, so the tests never reach a real cluster.
 * A Secret stored with {@link #putSecret} is returned as a release's existing Secret; any other
 * name gets 404, which Helm's lookup turns into an empty map.
 */
final class FakeKubernetesApi {

    private static FakeKubernetesApi shared;

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    private final HttpServer server;

    private FakeKubernetesApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the server once per test JVM and writes the kubeconfig that KUBECONFIG names. */
    static synchronized FakeKubernetesApi shared() {
        if (shared == null) {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || !kubeconfig.endsWith("fake-kubeconfig.yaml")) {
                throw new IllegalStateException("KUBECONFIG is " + kubeconfig
                        + ", not the fake kubeconfig that the helm-tests pom sets; run the tests with"
                        + " `mvn -pl helm-tests verify`, so that no real cluster is contacted");
            }
            try {
                shared = new FakeKubernetesApi();
                shared.writeKubeconfig(Path.of(kubeconfig));
            } catch (IOException e) {
                throw new UncheckedIOException("starting the fake Kubernetes API failed", e);
            }
        }
        return shared;
    }

    /** Stores a Secret that later lookups return, with plain-text values. */
    void putSecret(String namespace, String name, Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((key, value) -> encoded.put(key,
                Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        secrets.put(namespace + "/" + name, encoded);
    }

    void removeSecret(String namespace, String name) {
        secrets.remove(namespace + "/" + name);
    }

    private void writeKubeconfig(Path file) throws IOException {
        String server = "http://127.0.0.1:" + this.server.getAddress().getPort();
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: %s
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                current-context: fake
                users:
                  - name: fake
                    user: {}
                """.formatted(server));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] segments = path.split("/");
        if (path.equals("/api/v1")) {
            respond(exchange, 200, Map.of(
                    "kind", "APIResourceList",
                    "apiVersion", "v1",
                    "groupVersion", "v1",
                    "resources", List.of(Map.of(
                            "name", "secrets",
                            "singularName", "secret",
                            "namespaced", true,
                            "kind", "Secret",
                            "verbs", List.of("get")))));
        } else if (segments.length == 7 && path.startsWith("/api/v1/namespaces/")
                && segments[5].equals("secrets")) {
            String namespace = segments[4];
            String name = segments[6];
            Map<String, String> data = secrets.get(namespace + "/" + name);
            if (data == null) {
                respond(exchange, 404, notFound("secrets \"" + name + "\" not found"));
            } else {
                respond(exchange, 200, Map.of(
                        "kind", "Secret",
                        "apiVersion", "v1",
                        "metadata", Map.of("name", name, "namespace", namespace),
                        "type", "Opaque",
                        "data", data));
            }
        } else {
            respond(exchange, 404, notFound("the fake Kubernetes API serves no " + path));
        }
    }

    private static Map<String, Object> notFound(String message) {
        return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure",
                "reason", "NotFound", "code", 404, "message", message);
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
