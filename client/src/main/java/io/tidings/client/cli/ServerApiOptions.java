package io.tidings.client.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options of the commands that call the server API: the app secret and transport security. */
final class ServerApiOptions {

    static final String APP_SECRET_VARIABLE = "TIDINGS_APP_SECRET";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--app-secret", paramLabel = "SECRET",
            description = "App secret of the server API (sent as gRPC metadata x-tidings-app-secret)."
                    + " Default: the environment variable " + APP_SECRET_VARIABLE + ", which, unlike an argument,"
                    + " other local users cannot read with ps. The local suite (tidings up) uses local-dev-app-secret-change-me.")
    private String appSecret;

    @Option(names = "--tls",
            description = "Connect with TLS, checking the server certificate against the JVM's trusted CAs."
                    + " Default: plaintext, as the services listen locally.")
    private boolean tls;

    /** Returns --app-secret, else the environment variable; fails as a usage error when neither is set. */
    String appSecret() {
        if (appSecret != null && !appSecret.isEmpty()) {
            return appSecret;
        }
        String fromEnvironment = TidingsCli.of(command).environment(APP_SECRET_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        throw new ParameterException(command.commandLine(),
                "Missing app secret: pass --app-secret=SECRET or set " + APP_SECRET_VARIABLE);
    }

    boolean tls() {
        return tls;
    }
}
