package io.tidings.client.cli;

import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.server.IssueTokenRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Issues a token for a user through connector-svc's AuthService.IssueToken. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Issue a token for a user.",
            "Calls AuthService.IssueToken on connector-svc with the app secret. Text output is the token alone;"
                    + " --json prints {\"token\":...,\"expiresAt\":\"MILLISECONDS\"}.",
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  export TIDINGS_APP_SECRET=local-dev-app-secret-change-me",
            "  tidings-cli token --server 127.0.0.1:7100 --user alice",
        })
final class TokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerApiOptions serverApi;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = OptionValues.Address.class,
            description = "gRPC address of connector-svc: 127.0.0.1:7100 in the local suite (tidings up).")
    private OptionValues.ServerAddress server;

    @Option(names = "--user", required = true, paramLabel = "USER", converter = OptionValues.Id.class,
            description = "User id: 1..64 characters of A-Z a-z 0-9 _ . @ -.")
    private String user;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "0", converter = OptionValues.NonNegativeLong.class,
            description = "Lifetime of the token in seconds; 0 (the default) uses the server's configured default.")
    private long ttlSeconds;

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        IssueTokenRequest request = IssueTokenRequest.newBuilder().setUserId(user).setTtlSeconds(ttlSeconds).build();
        try (ServerApiClient api = new ServerApiClient(server, serverApi, cli.timeout())) {
            IssueTokenReply reply = api.call("AuthService.IssueToken", () -> api.auth().issueToken(request));
            cli.output(spec).token(reply);
        }
        return ExitCodes.OK;
    }
}
