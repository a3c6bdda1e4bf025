package io.tidings.push.provider.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.tidings.push.MutableClock;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApnsProviderTokenTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private KeyPair key;
    private ApnsProviderToken token;

    @BeforeEach
    void setUp() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
        token = new ApnsProviderToken((ECPrivateKey) key.getPrivate(), "KEY1234567", "TEAM123456",
                Duration.ofMinutes(50), clock);
    }

    @Test
    void tokenIsSignedEs256Jwt() throws Exception {
        SignedJWT jwt = SignedJWT.parse(token.current());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("KEY1234567");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("TEAM123456");
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) key.getPublic()))).isTrue();
    }

    @Test
    void tokenIsReusedUntilTheRefreshInterval() throws Exception {
        String first = token.current();
        clock.advance(Duration.ofMinutes(49));
        assertThat(token.current()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(1));
        String second = token.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void expiredAnswerRefreshesOnlyAfterTwentyMinutes() {
        String first = token.current();
        clock.advance(Duration.ofMinutes(19));
        assertThat(token.refreshAfterExpired(first)).isEqualTo(first);
        clock.advance(Duration.ofMinutes(1));
        assertThat(token.refreshAfterExpired(first)).isNotEqualTo(first);
    }

    @Test
    void refreshIntervalOutsideAppleLimitsIsRejected() {
        assertThatThrownBy(() -> new ApnsProviderToken((ECPrivateKey) key.getPrivate(), "K", "T",
                Duration.ofMinutes(60), clock)).hasMessageContaining("token-refresh-interval");
        assertThatThrownBy(() -> new ApnsProviderToken((ECPrivateKey) key.getPrivate(), "K", "T",
                Duration.ofMinutes(10), clock)).hasMessageContaining("token-refresh-interval");
    }
}
