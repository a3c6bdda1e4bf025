package io.tidings.push.fake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake Google OAuth 2.0 token endpoint and FCM HTTP v1 API. The token endpoint takes the JWT
 * bearer grant (RFC 7523) with an RS256 assertion: iss = client_email, aud = token URI, scope
 * firebase.messaging, exp at most one hour after iat. messages:send takes "Authorization: Bearer"
 * with an issued token and {"message": {"token", "notification", "data", "android", "apns"}}.
 */
public class FakeFcm extends FakeProviderServer {

    public static final String TOKEN_PATH = "/token";
    public static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final RSAPublicKey publicKey;
    private final String clientEmail;
    private final String projectId;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();

    public FakeFcm(RSAPublicKey publicKey, String clientEmail, String projectId) {
        super("fcm");
        this.publicKey = publicKey;
        this.clientEmail = clientEmail;
        this.projectId = projectId;
    }

    public String tokenUri() {
        return baseUrl() + TOKEN_PATH;
    }

    @Override
    protected FakeResponse unavailable() {
        return error(503, "UNAVAILABLE", null, "The service is currently unavailable.");
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        if (!request.method().name().equals("POST")) {
            violation("method " + request.method() + " " + request.path());
            return FakeResponse.empty(405);
        }
        if (request.path().equals(TOKEN_PATH)) {
            return grant(request, body);
        }
        if (request.path().equals("/v1/projects/" + projectId + "/messages:send")) {
            return send(request, body);
        }
        violation("path " + request.path());
        return error(404, "NOT_FOUND", null, "not found");
    }

    private FakeResponse grant(HttpServerRequest request, String body) {
        String contentType = request.getHeader("content-type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            violation("token request content-type " + contentType);
        }
        Map<String, String> form = RecordedRequest.parseForm(body);
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            violation("grant_type " + form.get("grant_type"));
            return FakeResponse.json(400, new JsonObject().put("error", "unsupported_grant_type"));
        }
        try {
            SignedJWT jwt = SignedJWT.parse(form.getOrDefault("assertion", ""));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean valid = jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.RS256)
                    && jwt.verify(new RSASSAVerifier(publicKey))
                    && clientEmail.equals(claims.getIssuer())
                    && claims.getAudience().contains(tokenUri())
                    && SCOPE.equals(claims.getStringClaim("scope"))
                    && claims.getIssueTime() != null && claims.getExpirationTime() != null
                    && claims.getExpirationTime().getTime() - claims.getIssueTime().getTime() <= 3_600_000L
                    && claims.getExpirationTime().getTime() > System.currentTimeMillis();
            if (!valid) {
                violation("invalid assertion " + jwt.getHeader() + " " + claims);
                return FakeResponse.json(400, new JsonObject().put("error", "invalid_grant"));
            }
        } catch (ParseException | JOSEException e) {
            violation("unparsable assertion: " + e.getMessage());
            return FakeResponse.json(400, new JsonObject().put("error", "invalid_grant"));
        }
        String accessToken = "ya29.fake-" + UUID.randomUUID();
        issuedTokens.add(accessToken);
        return FakeResponse.json(200, new JsonObject()
                .put("access_token", accessToken).put("expires_in", 3599).put("token_type", "Bearer"));
    }

    private FakeResponse send(HttpServerRequest request, String body) {
        String authorization = request.getHeader("authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !issuedTokens.contains(authorization.substring("Bearer ".length()))) {
            violation("authorization " + authorization);
            return error(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > 4096) {
            violation("message of " + body.getBytes(StandardCharsets.UTF_8).length + " bytes");
            return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Message is too big");
        }
        JsonObject message;
        try {
            message = new JsonObject(body).getJsonObject("message");
        } catch (DecodeException | ClassCastException e) {
            violation("body is not JSON");
            return error(400, "INVALID_ARGUMENT", null, "Invalid JSON payload received.");
        }
        String problem = messageProblem(message);
        if (problem != null) {
            violation(problem);
            return error(400, "INVALID_ARGUMENT", null, problem);
        }
        FakeResponse scripted = scripted(message.getString("token"));
        if (scripted != null) {
            return scripted;
        }
        return FakeResponse.json(200, new JsonObject()
                .put("name", "projects/" + projectId + "/messages/" + UUID.randomUUID()));
    }

    private static String messageProblem(JsonObject message) {
        if (message == null) {
            return "no message object";
        }
        if (message.getString("token", "").isEmpty()) {
            return "message.token is empty";
        }
        JsonObject notification = message.getJsonObject("notification");
        if (notification == null || !(notification.getValue("title") instanceof String)
                || !(notification.getValue("body") instanceof String)) {
            return "message.notification needs string title and body";
        }
        JsonObject data = message.getJsonObject("data", new JsonObject());
        for (String key : data.fieldNames()) {
            if (!(data.getValue(key) instanceof String) || key.startsWith("google") || key.equals("from")) {
                return "message.data." + key + " is not an allowed string entry";
            }
        }
        JsonObject android = message.getJsonObject("android", new JsonObject());
        String ttl = android.getString("ttl", "0s");
        if (!ttl.matches("[0-9]+(\\.[0-9]+)?s")) {
            return "android.ttl " + ttl + " is not a duration like 3.5s";
        }
        if (android.containsKey("priority") && !Set.of("normal", "high").contains(android.getString("priority"))) {
            return "android.priority " + android.getValue("priority");
        }
        return null;
    }

    /** A google.rpc.Status error as FCM returns it, with an FcmError detail when {@code errorCode} is set. */
    public static FakeResponse error(int code, String status, String errorCode, String message) {
        JsonObject error = new JsonObject().put("code", code).put("message", message).put("status", status);
        if (errorCode != null) {
            error.put("details", new JsonArray().add(new JsonObject()
                    .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                    .put("errorCode", errorCode)));
        }
        return FakeResponse.json(code, new JsonObject().put("error", error));
    }
}
