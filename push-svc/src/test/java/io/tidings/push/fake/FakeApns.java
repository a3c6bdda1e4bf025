package io.tidings.push.fake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Fake APNs provider API, as Apple's "Sending notification requests to APNs" and "Handling
 * notification responses from APNs" document: HTTP/2 over TLS, POST /3/device/&lt;hex token&gt;,
 * "authorization: bearer &lt;ES256 JWT&gt;" with kid and iss, the apns-* headers, a JSON payload of at
 * most 4096 bytes; 200 with apns-id on success, JSON {"reason": ...} otherwise.
 */
public class FakeApns extends FakeProviderServer {

    private static final Pattern DEVICE_PATH = Pattern.compile("/3/device/([0-9a-fA-F]+)");
    private static final Set<String> PUSH_TYPES = Set.of("alert", "background", "voip", "complication",
            "fileprovider", "mdm", "location", "liveactivity", "pushtotalk");

    private final ECPublicKey publicKey;
    private final String keyId;
    private final String teamId;
    private final boolean sandbox;

    public FakeApns(ECPublicKey publicKey, String keyId, String teamId, boolean sandbox) {
        super(sandbox ? "apns-sandbox" : "apns");
        this.publicKey = publicKey;
        this.keyId = keyId;
        this.teamId = teamId;
        this.sandbox = sandbox;
    }

    public boolean sandbox() {
        return sandbox;
    }

    @Override
    protected FakeResponse unavailable() {
        return reason(503, "ServiceUnavailable");
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        if (request.version() != HttpVersion.HTTP_2) {
            violation("request over " + request.version() + ", APNs requires HTTP/2");
            return reason(400, "BadPath");
        }
        if (request.method().name().equals("POST") == false) {
            violation("method " + request.method());
            return reason(405, "MethodNotAllowed");
        }
        var path = DEVICE_PATH.matcher(request.path());
        if (!path.matches()) {
            violation("path " + request.path());
            return reason(404, "BadPath");
        }
        String token = path.group(1);
        FakeResponse authProblem = checkProviderToken(request.getHeader("authorization"));
        if (authProblem != null) {
            return authProblem;
        }
        FakeResponse headerProblem = checkHeaders(request);
        if (headerProblem != null) {
            return headerProblem;
        }
        FakeResponse payloadProblem = checkPayload(body);
        if (payloadProblem != null) {
            return payloadProblem;
        }
        FakeResponse scripted = scripted(token);
        if (scripted != null) {
            return scripted;
        }
        return FakeResponse.empty(200).withHeader("apns-id", UUID.randomUUID().toString());
    }

    private FakeResponse checkProviderToken(String authorization) {
        if (authorization == null || !authorization.startsWith("bearer ")) {
            violation("authorization header missing or not 'bearer <jwt>': " + authorization);
            return reason(403, "MissingProviderToken");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring("bearer ".length()));
            boolean valid = jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.ES256)
                    && keyId.equals(jwt.getHeader().getKeyID())
                    && jwt.verify(new ECDSAVerifier(publicKey));
            Instant issuedAt = jwt.getJWTClaimsSet().getIssueTime() == null
                    ? null
                    : jwt.getJWTClaimsSet().getIssueTime().toInstant();
            if (!valid || !teamId.equals(jwt.getJWTClaimsSet().getIssuer()) || issuedAt == null) {
                violation("provider token with a bad signature, kid, iss or iat: " + jwt.getHeader() + " "
                        + jwt.getJWTClaimsSet());
                return reason(403, "InvalidProviderToken");
            }
            if (issuedAt.isBefore(Instant.now().minus(Duration.ofHours(1)))) {
                violation("provider token older than one hour");
                return reason(403, "ExpiredProviderToken");
            }
            if (issuedAt.isAfter(Instant.now().plusSeconds(60))) {
                violation("provider token issued in the future");
                return reason(403, "InvalidProviderToken");
            }
            return null;
        } catch (ParseException | JOSEException e) {
            violation("unparsable provider token: " + e.getMessage());
            return reason(403, "InvalidProviderToken");
        }
    }

    private FakeResponse checkHeaders(HttpServerRequest request) {
        String topic = request.getHeader("apns-topic");
        if (topic == null || topic.isBlank()) {
            violation("apns-topic missing");
            return reason(400, "MissingTopic");
        }
        String pushType = request.getHeader("apns-push-type");
        if (pushType == null || !PUSH_TYPES.contains(pushType)) {
            violation("apns-push-type " + pushType);
            return reason(400, "InvalidPushType");
        }
        String priority = request.getHeader("apns-priority");
        if (priority != null && !Set.of("1", "5", "10").contains(priority)) {
            violation("apns-priority " + priority);
            return reason(400, "BadPriority");
        }
        String expiration = request.getHeader("apns-expiration");
        if (expiration != null && !expiration.matches("[0-9]+")) {
            violation("apns-expiration " + expiration);
            return reason(400, "BadExpirationDate");
        }
        String collapseId = request.getHeader("apns-collapse-id");
        if (collapseId != null && collapseId.getBytes(StandardCharsets.UTF_8).length > 64) {
            violation("apns-collapse-id longer than 64 bytes");
            return reason(400, "BadCollapseId");
        }
        return null;
    }

    private FakeResponse checkPayload(String body) {
        if (body.isEmpty()) {
            violation("empty payload");
            return reason(400, "PayloadEmpty");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > 4096) {
            violation("payload of " + body.getBytes(StandardCharsets.UTF_8).length + " bytes");
            return reason(413, "PayloadTooLarge");
        }
        try {
            JsonObject payload = new JsonObject(body);
            if (payload.getJsonObject("aps") == null) {
                violation("payload without aps dictionary");
                return reason(400, "BadPayload");
            }
            return null;
        } catch (DecodeException | ClassCastException e) {
            violation("payload is not a JSON dictionary");
            return reason(400, "BadPayload");
        }
    }

    public static FakeResponse reason(int status, String reason) {
        JsonObject body = new JsonObject().put("reason", reason);
        if (status == 410) {
            body.put("timestamp", Instant.now().toEpochMilli());
        }
        return FakeResponse.json(status, body).withHeader("apns-id", UUID.randomUUID().toString());
    }
}
