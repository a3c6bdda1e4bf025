package io.tidings.connector.session;

import io.tidings.connector.config.MultiDevicePolicy;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decides which live sessions of a user a new login displaces, and whether the login fits the limit. */
public final class DevicePolicy {

    private DevicePolicy() {
    }

    /**
     * Returns the entries, by device id, that a login of {@code deviceId} on {@code platform}
     * displaces: the device's own older entry (live or stale) and the ones the policy names.
     *
     * @param live the user's registry entries whose lease has not expired
     * @throws TidingsException TOO_MANY_CONNECTIONS when the sessions that remain plus the new
     *     one exceed {@code maxConnections}
     */
    public static Map<String, SessionEntry> displaced(MultiDevicePolicy policy, Map<String, SessionEntry> live,
            String userId, String deviceId, Platform platform, int maxConnections) {
        Map<String, SessionEntry> displaced = new LinkedHashMap<>();
        live.forEach((otherDevice, entry) -> {
            if (otherDevice.equals(deviceId) || policy.displaces(platform, entry.getPlatform())) {
                displaced.put(otherDevice, entry);
            }
        });
        int remaining = live.size() - displaced.size();
        if (remaining + 1 > maxConnections) {
            throw new TidingsException(ErrorCode.TOO_MANY_CONNECTIONS, "user " + userId + " has " + remaining
                    + " live sessions and the maximum is " + maxConnections + ": log out another device first");
        }
        return displaced;
    }
}
