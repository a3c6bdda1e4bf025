package io.tidings.push.provider;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** HTTP plumbing that every provider client shares. */
public final class ProviderHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private ProviderHttp() {
    }

    /**
     * Creates the provider's one pooled client. HTTP/2 is offered on https (negotiated by ALPN);
     * plain http stays on HTTP/1.1 so that no h2c upgrade is attempted.
     */
    public static HttpClient newClient(String baseUrl, Optional<SSLContext> sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(baseUrl.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        sslContext.ifPresent(builder::sslContext);
        return builder.build();
    }

    public static Uni<HttpResponse<String>> send(HttpClient client, HttpRequest request) {
        return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    public static URI uri(String baseUrl, String path) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + path);
    }

    /** Encodes {@code fields} as application/x-www-form-urlencoded, in the map's order. */
    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Reads Retry-After as delay seconds or an HTTP date (RFC 9110 section 10.2.3). */
    public static Optional<Duration> retryAfter(HttpResponse<?> response, Clock clock) {
        return response.headers().firstValue("retry-after").flatMap(value -> parseRetryAfter(value, clock));
    }

    static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(clock.instant(), at);
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** Maps a transport failure (refused, reset, timed out) to a retryable result. */
    public static SendResult transportFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        return SendResult.Retryable.of("connection_" + cause.getClass().getSimpleName());
    }

    /** Maps 429 and 5xx to a retryable result honouring Retry-After; null for other statuses. */
    public static SendResult retryableStatus(HttpResponse<?> response, String reason, Clock clock) {
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            return new SendResult.Retryable(reason, retryAfter(response, clock));
        }
        return null;
    }

    /** Parses a JSON object response body; an empty object when the body is empty or not an object. */
    public static JsonObject jsonOrEmpty(String body) {
        try {
            return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return new JsonObject();
        }
    }
}
