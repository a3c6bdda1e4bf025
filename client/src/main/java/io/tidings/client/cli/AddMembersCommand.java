package io.tidings.client.cli;

import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.GroupReply;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Adds members to a group through GroupService.AddMembers. */
@Command(name = "add",
        mixinStandardHelpOptions = true,
        description = {
            "Add members to a group.",
            "Calls GroupService.AddMembers on routing-svc with the app secret. Users who are members already are"
                    + " left as they are, so a retry changes nothing.",
            GroupCommand.OUTPUT_DESCRIPTION,
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  tidings-cli group add --server 127.0.0.1:7200 --id team \\",
            "      --members dave,erin --operator alice",
        })
final class AddMembersCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerApiOptions serverApi;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = OptionValues.Address.class,
            description = GroupCommand.SERVER_DESCRIPTION)
    private OptionValues.ServerAddress server;

    @Option(names = "--id", required = true, paramLabel = "GROUP", converter = OptionValues.Id.class,
            description = "Group id.")
    private String groupId;

    @Option(names = "--members", required = true, split = ",", paramLabel = "USER", converter = OptionValues.Id.class,
            description = "Comma-separated user ids to add; may be repeated.")
    private List<String> members;

    @Option(names = "--operator", paramLabel = "USER", converter = OptionValues.Id.class,
            description = "User shown as the one who added them in the members' system message. Default: none.")
    private String operator;

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        ChangeMembersRequest request = ChangeMembersRequest.newBuilder()
                .setGroupId(groupId)
                .addAllMemberIds(members)
                .setOperatorId(operator == null ? "" : operator)
                .build();
        try (ServerApiClient api = new ServerApiClient(server, serverApi, cli.timeout())) {
            GroupReply group = api.call("GroupService.AddMembers", () -> api.groups().addMembers(request));
            cli.output(spec).group(group);
        }
        return ExitCodes.OK;
    }
}
