package io.tidings.connector.config;

import io.tidings.protocol.v1.Platform;

/**
 * Multi-device policy: the rule for which live sessions of a user a new login displaces. A login
 * always displaces the older session of its own device.
 */
public enum MultiDevicePolicy {
    /** One session per platform class: mobile (iOS, Android), desktop, web. */
    PER_PLATFORM_CLASS,
    /** Any number of devices, up to the per-user connection limit. */
    ANY,
    /** One session in total: every login displaces all others. */
    ONE_IN_TOTAL;

    /** Returns whether a new login on {@code newPlatform} displaces a session on {@code oldPlatform}. */
    public boolean displaces(Platform newPlatform, Platform oldPlatform) {
        switch (this) {
            case ONE_IN_TOTAL:
                return true;
            case ANY:
                return false;
            default:
                return platformClass(newPlatform).equals(platformClass(oldPlatform));
        }
    }

    /** Returns "mobile", "desktop", "web" or "unknown". */
    public static String platformClass(Platform platform) {
        switch (platform) {
            case IOS:
            case ANDROID:
                return "mobile";
            case DESKTOP:
                return "desktop";
            case WEB:
                return "web";
            default:
                return "unknown";
        }
    }
}
