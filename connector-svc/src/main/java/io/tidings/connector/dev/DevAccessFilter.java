package io.tidings.connector.dev;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gates the development aids behind {@code tidings.connector.dev.enabled}: when it is off, the
 * demo, the client module and the dev endpoints return 404 although their static files are in the
 * jar; when it is on, {@code /} redirects to the demo.
 */
@ApplicationScoped
public class DevAccessFilter {

    /** Filters with a higher priority run earlier; this one must run before the static resources. */
    private static final int PRIORITY = 1000;

    private final DevConfig config;

    public DevAccessFilter(DevConfig config) {
        this.config = config;
    }

    void register(@Observes Filters filters) {
        boolean enabled = config.enabled();
        if (enabled) {
            Log.warnf("Dev aids are enabled (tidings.connector.dev.enabled=true): the web demo is served at %s and "
                    + "%stoken issues a token for any user id without authentication; never enable this in production",
                    DevPaths.DEMO, DevPaths.ENDPOINTS);
        }
        filters.register(context -> filter(context, enabled), PRIORITY);
    }

    private static void filter(RoutingContext context, boolean enabled) {
        DevPaths.Access access = DevPaths.classify(context.normalizedPath());
        if (access == DevPaths.Access.OTHER) {
            context.next();
        } else if (!enabled) {
            context.response().setStatusCode(404).end();
        } else if (access == DevPaths.Access.REDIRECT_TO_DEMO) {
            context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, DevPaths.DEMO).end();
        } else {
            context.next();
        }
    }
}
