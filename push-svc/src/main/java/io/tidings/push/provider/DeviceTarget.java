package io.tidings.push.provider;

import io.tidings.protocol.server.PushTokenInfo;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.token.DeviceTokenStore.StoredToken;

/** One device to notify: its owner and its stored token. */
public record DeviceTarget(String userId, StoredToken storedToken) {

    public PushTokenInfo token() {
        return storedToken.info();
    }

    public String deviceId() {
        return storedToken.info().getDeviceId();
    }

    public PushProvider provider() {
        return storedToken.info().getProvider();
    }
}
