package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.auth.RevocationStore;
import io.tidings.connector.auth.TokenService;
import io.tidings.connector.auth.VerifiedToken;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.ConnectReply;
import io.tidings.protocol.v1.ConnectRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.ProtocolVersion;
import io.tidings.support.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a Connect into a live session: checks version, device and token, checks revocation in
 * Redis, applies the multi-device policy and the per-user limit to the registry's live entries,
 * writes this session's entry, and kicks the sessions it displaced.
 *
 * <p>NOTE: two logins of different devices of one user that run at the same moment both read the
 * registry before either writes, so both may stay live although the policy allows one of them.
 * A Lua script that reads, decides and writes in one step would close that gap.
 */
@ApplicationScoped
public class LoginService {

    private final TokenService tokens;
    private final RevocationStore revocations;
    private final SessionRegistry registry;
    private final SessionTable table;
    private final SessionKicker kicker;
    private final ConnectorAddress address;
    private final ConnectorConfig config;
    private final ConnectorMetrics metrics;
    private final DrainState drain;

    public LoginService(TokenService tokens, RevocationStore revocations, SessionRegistry registry, SessionTable table,
            SessionKicker kicker, ConnectorAddress address, ConnectorConfig config, ConnectorMetrics metrics,
            DrainState drain) {
        this.tokens = tokens;
        this.revocations = revocations;
        this.registry = registry;
        this.table = table;
        this.kicker = kicker;
        this.address = address;
        this.config = config;
        this.metrics = metrics;
        this.drain = drain;
    }

    /**
     * Authenticates and registers the session; the Uni fails with a {@link TidingsException}
     * carrying the code to send back (TOKEN_*, UNSUPPORTED_VERSION, INVALID_ARGUMENT,
     * TOO_MANY_CONNECTIONS, UNAVAILABLE).
     */
    public Uni<ConnectReply> login(ClientSession session, ConnectRequest request) {
        VerifiedToken token;
        try {
            validate(request);
            token = tokens.verify(request.getToken());
        } catch (TidingsException e) {
            return Uni.createFrom().failure(e);
        }
        String userId = token.userId();
        return revocations.revokedBefore(userId)
                .invoke(revokedBefore -> {
                    if (token.issuedAtMs() < revokedBefore) {
                        throw new TidingsException(ErrorCode.TOKEN_REVOKED, "the tokens of user " + userId
                                + " issued before " + revokedBefore + " ms were revoked: get a new token");
                    }
                })
                .chain(() -> registry.liveSessions(userId))
                .chain(live -> register(session, request, token, live));
    }

    private void validate(ConnectRequest request) {
        if (drain.isDraining()) {
            throw new TidingsException(ErrorCode.UNAVAILABLE, "this connector is shutting down: reconnect to another one");
        }
        if (request.getProtocolVersion() != ProtocolVersion.PROTOCOL_VERSION_1_VALUE) {
            throw new TidingsException(ErrorCode.UNSUPPORTED_VERSION, "protocol_version " + request.getProtocolVersion()
                    + " is not served: this connector speaks version 1");
        }
        Ids.requireDeviceId(request.getDeviceId());
        if (request.getPlatform() == Platform.PLATFORM_UNSPECIFIED || request.getPlatform() == Platform.UNRECOGNIZED) {
            throw TidingsException.invalidArgument("platform " + request.getPlatformValue()
                    + " is invalid: use IOS, ANDROID, WEB or DESKTOP");
        }
    }

    private Uni<ConnectReply> register(ClientSession session, ConnectRequest request, VerifiedToken token,
            Map<String, SessionEntry> live) {
        String userId = token.userId();
        String deviceId = request.getDeviceId();
        Map<String, SessionEntry> displaced = DevicePolicy.displaced(config.multiDevicePolicy(), live, userId, deviceId,
                request.getPlatform(), config.limits().maxConnectionsPerUser());
        long now = System.currentTimeMillis();
        long leaseExpiresAt = now + config.lease().toMillis();
        session.bind(userId, deviceId, request.getPlatform(), UUID.randomUUID().toString(), token.issuedAtMs(), now,
                leaseExpiresAt);
        SessionEntry entry = session.entry(address.get(), leaseExpiresAt);
        return registry.put(userId, deviceId, entry, config.lease())
                .map(written -> {
                    if (!session.markConnected()) {
                        // The socket closed while the entry was written: take the entry back.
                        registry.removeIfCurrent(userId, deviceId, entry).subscribe().with(r -> {
                        }, f -> Log.warnf(f, "Cannot remove the entry of closed %s", session));
                        throw new TidingsException(ErrorCode.UNAVAILABLE, "the socket closed during Connect");
                    }
                    table.attach(session);
                    metrics.sessionStarted(session.platform());
                    kicker.displace(session, displaced);
                    Log.debugf("Connected %s sdk=%s", session, request.getSdkVersion());
                    return ConnectReply.newBuilder()
                            .setUserId(userId)
                            .setSessionId(session.sessionId())
                            .setServerTime(System.currentTimeMillis())
                            .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis())
                            .build();
                });
    }
}
