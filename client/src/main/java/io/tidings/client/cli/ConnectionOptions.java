package io.tidings.client.cli;

import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsListener;
import io.tidings.protocol.v1.Platform;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of the commands that connect to connector-svc as one device, and the client they build. */
final class ConnectionOptions {

    static final String TOKEN_VARIABLE = "TIDINGS_TOKEN";
    static final String SDK_VERSION = "java-cli/" + TidingsCli.VERSION;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--url", required = true, paramLabel = "URL", converter = OptionValues.WebSocketUrl.class,
            description = "WebSocket URL of connector-svc: ws://127.0.0.1:7100/ws in the local suite (tidings up).")
    private URI url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Token from 'tidings-cli token' (AuthService.IssueToken)."
                    + " Default: the environment variable " + TOKEN_VARIABLE + ".")
    private String token;

    @Option(names = "--device", required = true, paramLabel = "DEVICE", converter = OptionValues.DeviceId.class,
            description = "Device id, stable per install: 1..128 characters of A-Z a-z 0-9 _ . @ : -."
                    + " A new login of the same device ends its older session.")
    private String device;

    @Option(names = "--platform", paramLabel = "PLATFORM", defaultValue = "web",
            converter = OptionValues.PlatformName.class,
            description = "ios, android, web or desktop (default: ${DEFAULT-VALUE}). Under the default"
                    + " multi-device policy a login ends the user's other session of the same class:"
                    + " mobile (ios, android), desktop or web.")
    private Platform platform;

    URI url() {
        return url;
    }

    /**
     * Builds a client for this device. Requests and the WebSocket handshake time out after
     * {@code timeout}. Without {@code autoReconnect} a lost connection ends the client in CLOSED,
     * which one-shot commands want; listen reconnects instead.
     */
    TidingsClient newClient(Duration timeout, boolean autoReconnect, TidingsListener... listeners) {
        TidingsClient.Builder builder = TidingsClient.builder(url)
                .token(token())
                .deviceId(device)
                .platform(platform)
                .sdkVersion(SDK_VERSION)
                .requestTimeout(timeout)
                .openTimeout(timeout)
                .autoReconnect(autoReconnect);
        for (TidingsListener listener : listeners) {
            builder.listener(listener);
        }
        return builder.build();
    }

    private String token() {
        if (token != null && !token.isEmpty()) {
            return token;
        }
        String fromEnvironment = TidingsCli.of(command).environment(TOKEN_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        throw new ParameterException(command.commandLine(),
                "Missing token: pass --token=TOKEN or set " + TOKEN_VARIABLE);
    }
}
