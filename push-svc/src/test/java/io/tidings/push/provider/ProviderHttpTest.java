package io.tidings.push.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.push.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void retryAfterInSeconds() {
        assertThat(ProviderHttp.parseRetryAfter("120", clock)).contains(Duration.ofSeconds(120));
        assertThat(ProviderHttp.parseRetryAfter(" 0 ", clock)).contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsHttpDate() {
        assertThat(ProviderHttp.parseRetryAfter("Sun, 01 Mar 2026 10:01:30 GMT", clock))
                .contains(Duration.ofSeconds(90));
        assertThat(ProviderHttp.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertThat(ProviderHttp.parseRetryAfter("soon", clock)).isEqualTo(Optional.empty());
        assertThat(ProviderHttp.parseRetryAfter("-5", clock)).isEqualTo(Optional.empty());
    }

    @Test
    void formEncodesInOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("title", "你好 & bye");
        fields.put("extra.id", "a=b");
        assertThat(ProviderHttp.form(fields)).isEqualTo("title=%E4%BD%A0%E5%A5%BD+%26+bye&extra.id=a%3Db");
    }
}
