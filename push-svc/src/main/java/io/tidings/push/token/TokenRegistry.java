package io.tidings.push.token;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.server.PushTokenInfo;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.protocol.v1.RegisterPushTokenRequest;
import io.tidings.push.config.PushConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/** Registers, lists and removes device tokens, validating every input first. */
@ApplicationScoped
public class TokenRegistry {

    /** Longest accepted token; FCM tokens are about 160 characters, APNs tokens 64 hex digits. */
    static final int MAX_TOKEN_LENGTH = 4096;
    static final int MAX_APP_ID_LENGTH = 255;
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");
    private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]+");

    private final DeviceTokenStore store;
    private final boolean apnsDefaultTopicSet;

    public TokenRegistry(DeviceTokenStore store, PushConfig config) {
        this.store = store;
        this.apnsDefaultTopicSet = config.apns().defaultTopic().filter(t -> !t.isBlank()).isPresent();
    }

    public Uni<Void> register(RegisterTokenCommand command) {
        return Uni.createFrom().item(() -> validate(command))
                .chain(info -> store.put(command.getDevice().getUserId(), info)
                        .invoke(() -> Log.infof("Registered device token userId=%s deviceId=%s provider=%s",
                                command.getDevice().getUserId(), info.getDeviceId(), info.getProvider())));
    }

    public Uni<Boolean> unregister(DeviceRef device) {
        return Uni.createFrom().item(() -> validate(device))
                .chain(valid -> store.remove(valid.getUserId(), valid.getDeviceId()))
                .invoke(removed -> Log.infof("Unregistered device token userId=%s deviceId=%s removed=%s",
                        device.getUserId(), device.getDeviceId(), removed));
    }

    public Uni<List<PushTokenInfo>> list(String userId) {
        return Uni.createFrom().item(() -> Ids.requireId("user_id", userId))
                .chain(store::list)
                .map(tokens -> tokens.stream().map(DeviceTokenStore.StoredToken::info).toList());
    }

    /** Deletes the listed devices' tokens, or all of the user's when the list is empty. */
    public Uni<Integer> delete(String userId, List<String> deviceIds) {
        return Uni.createFrom().item(() -> {
                    Ids.requireId("user_id", userId);
                    deviceIds.forEach(Ids::requireDeviceId);
                    return userId;
                })
                .chain(valid -> store.removeAll(valid, deviceIds))
                .invoke(deleted -> Log.infof("Deleted %d device tokens of userId=%s", deleted, userId));
    }

    static DeviceRef validate(DeviceRef device) {
        Ids.requireId("user_id", device.getUserId());
        Ids.requireDeviceId(device.getDeviceId());
        return device;
    }

    PushTokenInfo validate(RegisterTokenCommand command) {
        validate(command.getDevice());
        RegisterPushTokenRequest request = command.getRequest();
        PushProvider provider = requireProvider(request);
        String token = requireToken(provider, request.getToken());
        String appId = requireAppId(provider, request.getAppId());
        if (request.getApnsSandbox() && provider != PushProvider.APNS) {
            throw TidingsException.invalidArgument(
                    "apns_sandbox is set for provider " + provider + "; it applies to APNS tokens only");
        }
        return PushTokenInfo.newBuilder()
                .setDeviceId(command.getDevice().getDeviceId())
                .setProvider(provider)
                .setToken(token)
                .setAppId(appId)
                .setApnsSandbox(request.getApnsSandbox())
                .setRegisteredAt(System.currentTimeMillis())
                .build();
    }

    private static PushProvider requireProvider(RegisterPushTokenRequest request) {
        PushProvider provider = request.getProvider();
        if (provider == PushProvider.PUSH_PROVIDER_UNSPECIFIED || provider == PushProvider.UNRECOGNIZED) {
            String shown = provider == PushProvider.UNRECOGNIZED
                    ? Integer.toString(request.getProviderValue())
                    : provider.name();
            throw TidingsException.invalidArgument("provider '" + shown
                    + "' is unknown: use APNS, FCM, HUAWEI, XIAOMI, OPPO or VIVO");
        }
        return provider;
    }

    private static String requireToken(PushProvider provider, String token) {
        if (token.isEmpty()) {
            throw TidingsException.invalidArgument("token is empty: send the device token from the "
                    + provider + " SDK");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw TidingsException.invalidArgument("token is " + token.length() + " characters long; the maximum is "
                    + MAX_TOKEN_LENGTH);
        }
        if (!VISIBLE_ASCII.matcher(token).matches()) {
            throw TidingsException.invalidArgument("token '" + abbreviate(token)
                    + "' is invalid: it contains spaces, control or non-ASCII characters");
        }
        if (provider == PushProvider.APNS && !HEX.matcher(token).matches()) {
            throw TidingsException.invalidArgument("token '" + abbreviate(token)
                    + "' is not an APNs device token: APNs tokens are hexadecimal");
        }
        return token;
    }

    private String requireAppId(PushProvider provider, String appId) {
        if (appId.length() > MAX_APP_ID_LENGTH || (!appId.isEmpty() && !APP_ID.matcher(appId).matches())) {
            throw TidingsException.invalidArgument("app_id '" + abbreviate(appId)
                    + "' is invalid: use the bundle id or package name (A-Z a-z 0-9 . _ -, at most "
                    + MAX_APP_ID_LENGTH + " characters)");
        }
        if (provider == PushProvider.APNS && appId.isEmpty() && !apnsDefaultTopicSet) {
            throw TidingsException.invalidArgument(
                    "app_id is empty: APNS tokens need the app's bundle id (the apns-topic)");
        }
        return appId;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
