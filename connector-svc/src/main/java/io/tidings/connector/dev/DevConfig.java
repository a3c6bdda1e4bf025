package io.tidings.connector.dev;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the development aids under {@code tidings.connector.dev}: the web demo, the
 * JavaScript client module and the dev endpoints that mint tokens and create groups without an
 * app backend. They are for local suites only: anyone who reaches the port can log in as any user.
 */
@ConfigMapping(prefix = "tidings.connector.dev")
public interface DevConfig {

    /**
     * Whether the connector serves the web demo at {@code /} and {@code /demo/}, the JavaScript
     * module at {@code /tidings-client/} and the endpoints under {@code /dev/}. Off by default;
     * the {@code local} profile turns it on. When off, those paths return 404.
     */
    @WithDefault("false")
    boolean enabled();

    /** Lifetime of the tokens that {@code POST /dev/token} issues. */
    @WithDefault("PT24H")
    Duration tokenTtl();
}
