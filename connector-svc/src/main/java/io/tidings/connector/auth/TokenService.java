package io.tidings.connector.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Issues and verifies client tokens: JWS compact serializations signed with HMAC-SHA256 (HS256)
 * under one of several configured keys, named by the {@code kid} header, so keys can be rotated
 * without invalidating live tokens. Verification is local, without a network call; revocation is
 * checked separately by {@link RevocationStore}.
 *
 * <p>Claims: {@code iss} "tidings", {@code sub} the user id, {@code iat}/{@code exp} in seconds,
 * {@code jti} a random id, and {@code iat_ms} the issue time in milliseconds, because revocation
 * compares at millisecond precision and {@code iat} has whole seconds only.
 */
@ApplicationScoped
public class TokenService {

    static final String ISSUER = "tidings";
    static final String ISSUED_AT_MS_CLAIM = "iat_ms";
    private static final int MIN_KEY_BYTES = 32;

    private final Map<String, byte[]> keys = new HashMap<>();
    private final String activeKeyId;
    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final Clock clock;

    @Inject
    public TokenService(ConnectorConfig config) {
        this(config.token(), Clock.systemUTC());
    }

    TokenService(ConnectorConfig.Token config, Clock clock) {
        this.clock = clock;
        this.defaultTtl = config.defaultTtl();
        this.maxTtl = config.maxTtl();
        config.keys().forEach((keyId, base64) -> keys.put(keyId, decodeKey(keyId, base64)));
        this.activeKeyId = config.activeKeyId();
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("tidings.connector.token.active-key-id '" + activeKeyId
                    + "' names no key in tidings.connector.token.keys (ids: " + keys.keySet() + ")");
        }
    }

    private static byte[] decodeKey(String keyId, String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("tidings.connector.token.keys." + keyId + " is not valid base64", e);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("tidings.connector.token.keys." + keyId + " has " + key.length
                    + " bytes; HS256 needs at least " + MIN_KEY_BYTES + " random bytes");
        }
        return key;
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    /**
     * Signs a token for {@code userId} with the active key.
     *
     * @param ttl the lifetime, or zero for the configured default
     * @throws TidingsException INVALID_ARGUMENT for a bad user id or a ttl that is negative or
     *     above the maximum
     */
    public IssuedToken issue(String userId, Duration ttl) {
        Ids.requireId("user_id", userId);
        if (ttl.isNegative() || ttl.compareTo(maxTtl) > 0) {
            throw TidingsException.invalidArgument("ttl_seconds " + ttl.toSeconds()
                    + " is out of range: use 0 for the default or 1.." + maxTtl.toSeconds());
        }
        Duration lifetime = ttl.isZero() ? defaultTtl : ttl;
        long now = clock.millis();
        long expiresAt = now + lifetime.toMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(userId)
                .issueTime(new Date(now))
                .expirationTime(new Date(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .claim(ISSUED_AT_MS_CLAIM, now)
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(activeKeyId)
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new MACSigner(keys.get(activeKeyId)));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token with key " + activeKeyId + " failed", e);
        }
        // The JWT exp claim has whole seconds, so report the expiry the token actually carries.
        return new IssuedToken(jwt.serialize(), (expiresAt / 1000) * 1000);
    }

    /**
     * Checks signature, key id, issuer and expiry.
     *
     * @throws TidingsException TOKEN_INVALID or TOKEN_EXPIRED
     */
    public VerifiedToken verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID, "token is missing: get one from AuthService.IssueToken");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID, "token is not a signed JWT: " + e.getMessage());
        }

        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID,
                    "token algorithm " + jwt.getHeader().getAlgorithm() + " is not HS256");
        }

        String keyId = jwt.getHeader().getKeyID();
        byte[] key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID, "token key id '" + keyId + "' is unknown");
        }
        try {
            if (!jwt.verify(new MACVerifier(key))) {
                throw new TidingsException(ErrorCode.TOKEN_INVALID, "token signature is invalid for key id '" + keyId + "'");
            }
        } catch (JOSEException e) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID, "token signature cannot be checked: " + e.getMessage());
        }

        String userId = claims.getSubject();
        if (!ISSUER.equals(claims.getIssuer()) || !Ids.isValidId(userId) || claims.getExpirationTime() == null) {
            throw new TidingsException(ErrorCode.TOKEN_INVALID, "token claims are incomplete: iss, sub and exp are required");
        }

        long expiresAt = claims.getExpirationTime().getTime();
        if (expiresAt <= clock.millis()) {
            throw new TidingsException(ErrorCode.TOKEN_EXPIRED,
                    "token expired at " + claims.getExpirationTime().toInstant() + ": get a new one from the app backend");
        }
        return new VerifiedToken(userId, issuedAtMs(claims), expiresAt, keyId);
    }

    private static long issuedAtMs(JWTClaimsSet claims) {
        Object precise = claims.getClaim(ISSUED_AT_MS_CLAIM);
        if (precise instanceof Number) {
            return ((Number) precise).longValue();
        }
        return claims.getIssueTime() == null ? 0L : claims.getIssueTime().getTime();
    }
}
