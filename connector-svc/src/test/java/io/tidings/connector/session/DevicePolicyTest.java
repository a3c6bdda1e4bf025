package io.tidings.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.connector.config.MultiDevicePolicy;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevicePolicyTest {

    private static final Map<String, SessionEntry> LIVE = new LinkedHashMap<>();

    static {
        LIVE.put("iphone", entry("s1", Platform.IOS));
        LIVE.put("browser", entry("s2", Platform.WEB));
        LIVE.put("mac", entry("s3", Platform.DESKTOP));
    }

    @Test
    void perPlatformClassDisplacesSameClassOnly() {
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.PER_PLATFORM_CLASS, LIVE, "u", "pixel", Platform.ANDROID, 10))
                .containsOnlyKeys("iphone");
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.PER_PLATFORM_CLASS, LIVE, "u", "tab", Platform.WEB, 10))
                .containsOnlyKeys("browser");
    }

    @Test
    void ownDeviceIsAlwaysDisplaced() {
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.ANY, LIVE, "u", "mac", Platform.DESKTOP, 10))
                .containsOnlyKeys("mac");
    }

    @Test
    void anyKeepsOtherDevices() {
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.ANY, LIVE, "u", "pixel", Platform.ANDROID, 10)).isEmpty();
    }

    @Test
    void oneInTotalDisplacesAll() {
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.ONE_IN_TOTAL, LIVE, "u", "pixel", Platform.ANDROID, 10))
                .containsOnlyKeys("iphone", "browser", "mac");
    }

    @Test
    void limitCountsRemainingSessions() {
        assertThatThrownBy(() -> DevicePolicy.displaced(MultiDevicePolicy.ANY, LIVE, "u", "pixel", Platform.ANDROID, 3))
                .isInstanceOfSatisfying(TidingsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
                    assertThat(e.getMessage()).contains("user u has 3 live sessions and the maximum is 3");
                });
        // Replacing an existing device does not add a session.
        assertThat(DevicePolicy.displaced(MultiDevicePolicy.ANY, LIVE, "u", "mac", Platform.DESKTOP, 3))
                .containsOnlyKeys("mac");
    }

    private static SessionEntry entry(String sessionId, Platform platform) {
        return SessionEntry.newBuilder().setSessionId(sessionId).setPlatform(platform).build();
    }
}
