package io.tidings.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.connector.config.ConnectorConfig;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void issuedTokenVerifiesWithMillisecondIssueTime() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
        TokenService tokens = new TokenService(config("a", Map.of("a", KEY_A)), clock);

        IssuedToken issued = tokens.issue("user_1", Duration.ofHours(1));
        VerifiedToken verified = tokens.verify(issued.token());

        assertThat(verified.userId()).isEqualTo("user_1");
        assertThat(verified.issuedAtMs()).isEqualTo(1_700_000_000_123L);
        assertThat(verified.keyId()).isEqualTo("a");
        assertThat(issued.expiresAtMs()).isEqualTo(1_700_003_600_000L);
    }

    @Test
    void rotatedKeyKeepsOldTokensValid() {
        Clock clock = Clock.systemUTC();
        String oldToken = new TokenService(config("a", Map.of("a", KEY_A)), clock).issue("u", Duration.ZERO).token();
        TokenService rotated = new TokenService(config("b", Map.of("a", KEY_A, "b", KEY_B)), clock);

        assertThat(rotated.verify(oldToken).keyId()).isEqualTo("a");
        assertThat(rotated.verify(rotated.issue("u", Duration.ZERO).token()).keyId()).isEqualTo("b");
    }

    @Test
    void removedKeyIsTokenInvalid() {
        String token = new TokenService(config("a", Map.of("a", KEY_A)), Clock.systemUTC()).issue("u", Duration.ZERO).token();
        TokenService withoutA = new TokenService(config("b", Map.of("b", KEY_B)), Clock.systemUTC());

        assertCode(() -> withoutA.verify(token), ErrorCode.TOKEN_INVALID, "key id 'a' is unknown");
    }

    @Test
    void expiryIsTokenExpired() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        String token = new TokenService(config("a", Map.of("a", KEY_A)), Clock.fixed(start, ZoneOffset.UTC))
                .issue("u", Duration.ofSeconds(60)).token();
        TokenService later = new TokenService(config("a", Map.of("a", KEY_A)),
                Clock.fixed(start.plusSeconds(61), ZoneOffset.UTC));

        assertCode(() -> later.verify(token), ErrorCode.TOKEN_EXPIRED, "expired at 2026-01-01T00:01:00Z");
    }

    @Test
    void garbageIsTokenInvalid() {
        TokenService tokens = new TokenService(config("a", Map.of("a", KEY_A)), Clock.systemUTC());
        assertCode(() -> tokens.verify("not-a-jwt"), ErrorCode.TOKEN_INVALID, "not a signed JWT");
        assertCode(() -> tokens.verify(""), ErrorCode.TOKEN_INVALID, "missing");
    }

    @Test
    void issueRejectsBadInput() {
        TokenService tokens = new TokenService(config("a", Map.of("a", KEY_A)), Clock.systemUTC());
        assertCode(() -> tokens.issue("bad:id", Duration.ZERO), ErrorCode.INVALID_ARGUMENT, "bad:id");
        assertCode(() -> tokens.issue("u", Duration.ofDays(31)), ErrorCode.INVALID_ARGUMENT, "ttl_seconds 2678400");
        assertCode(() -> tokens.issue("u", Duration.ofSeconds(-1)), ErrorCode.INVALID_ARGUMENT, "ttl_seconds -1");
    }

    @Test
    void configRejectsShortKeyAndUnknownActiveId() {
        assertThatThrownBy(() -> new TokenService(config("a", Map.of("a", "c2hvcnQ=")), Clock.systemUTC()))
                .hasMessageContaining("has 5 bytes");
        assertThatThrownBy(() -> new TokenService(config("z", Map.of("a", KEY_A)), Clock.systemUTC()))
                .hasMessageContaining("'z' names no key");
    }

    private static void assertCode(Runnable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TidingsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    private static ConnectorConfig.Token config(String activeKeyId, Map<String, String> keys) {
        return new ConnectorConfig.Token() {
            @Override
            public Map<String, String> keys() {
                return keys;
            }

            @Override
            public String activeKeyId() {
                return activeKeyId;
            }

            @Override
            public Duration defaultTtl() {
                return Duration.ofDays(7);
            }

            @Override
            public Duration maxTtl() {
                return Duration.ofDays(30);
            }
        };
    }
}
