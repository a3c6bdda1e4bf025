package io.tidings.push.provider.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.logging.Log;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The APNs provider authentication token: a JWT signed with ES256 by the team's .p8 key, header
 * "kid" = key id, claims "iss" = team id and "iat" = issue time. Apple rejects a token older than
 * one hour (ExpiredProviderToken) and one replaced more often than every 20 minutes
 * (TooManyProviderTokenUpdates), so it is reused until {@code refreshInterval} old.
 */
final class ApnsProviderToken {

    /** Apple's minimum time between two token refreshes. */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofMinutes(20);
    /** Apple's maximum token age. */
    static final Duration MAX_AGE = Duration.ofMinutes(60);

    private final ECDSASigner signer;
    private final String keyId;
    private final String teamId;
    private final Duration refreshInterval;
    private final Clock clock;

    private String token;
    private Instant issuedAt;

    ApnsProviderToken(ECPrivateKey key, String keyId, String teamId, Duration refreshInterval, Clock clock)
            throws JOSEException {
        if (refreshInterval.compareTo(MIN_REFRESH_INTERVAL) < 0 || refreshInterval.compareTo(MAX_AGE) >= 0) {
            throw new IllegalArgumentException("tidings.push.apns.token-refresh-interval is " + refreshInterval
                    + "; it must be at least 20 minutes and less than 60 minutes");
        }
        this.signer = new ECDSASigner(key);
        this.keyId = keyId;
        this.teamId = teamId;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** Returns the current token, signing a new one when it is {@code refreshInterval} old. */
    synchronized String current() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(issuedAt.plus(refreshInterval))) {
            sign(now);
        }
        return token;
    }

    /**
     * Replaces the token that APNs called expired, unless it is younger than 20 minutes (then APNs
     * would answer TooManyProviderTokenUpdates). Returns the token to use, which equals
     * {@code rejected} when no refresh was allowed.
     */
    synchronized String refreshAfterExpired(String rejected) {
        Instant now = clock.instant();
        if (rejected.equals(token) && !now.isBefore(issuedAt.plus(MIN_REFRESH_INTERVAL))) {
            sign(now);
        }
        return token;
    }

    private void sign(Instant now) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build();
        // APNs reads "iat" in whole seconds.
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(teamId)
                .issueTime(Date.from(Instant.ofEpochSecond(now.getEpochSecond())))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the APNs provider token failed: " + e.getMessage(), e);
        }
        token = jwt.serialize();
        issuedAt = now;
        Log.debugf("Signed a new APNs provider token keyId=%s", keyId);
    }
}
