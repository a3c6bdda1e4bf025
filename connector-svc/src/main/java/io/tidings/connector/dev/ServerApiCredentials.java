package io.tidings.connector.dev;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidings.support.AppSecretInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The app secret as a client interceptor, so the dev endpoints call the server API the way an
 * app backend does.
 */
@ApplicationScoped
public class ServerApiCredentials {

    private final ClientInterceptor interceptor;

    public ServerApiCredentials(@ConfigProperty(name = "tidings.server-api.app-secret") String appSecret) {
        Metadata headers = new Metadata();
        headers.put(AppSecretInterceptor.APP_SECRET_KEY, appSecret);
        this.interceptor = MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** Returns an interceptor that adds the app secret to every call. */
    public ClientInterceptor interceptor() {
        return interceptor;
    }
}
