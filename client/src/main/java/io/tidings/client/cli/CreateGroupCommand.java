package io.tidings.client.cli;

import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.GroupReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates a group through GroupService.CreateGroup. */
@Command(name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a group.",
            "Calls GroupService.CreateGroup on routing-svc with the app secret. The owner is always a member."
                    + " A retry with the same id, name, owner and members returns the group unchanged. The same id"
                    + " with another owner or name, or without some of these members, fails with ALREADY_EXISTS.",
            GroupCommand.OUTPUT_DESCRIPTION,
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  tidings-cli group create --server 127.0.0.1:7200 --id team \\",
            "      --name 'The team' --owner alice --members bob,carol",
        })
final class CreateGroupCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerApiOptions serverApi;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = OptionValues.Address.class,
            description = GroupCommand.SERVER_DESCRIPTION)
    private OptionValues.ServerAddress server;

    @Option(names = "--id", required = true, paramLabel = "GROUP", converter = OptionValues.Id.class,
            description = "Group id: 1..64 characters of A-Z a-z 0-9 _ . @ -.")
    private String groupId;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name of the group.")
    private String name;

    @Option(names = "--owner", required = true, paramLabel = "USER", converter = OptionValues.Id.class,
            description = "User id of the owner.")
    private String owner;

    @Option(names = "--members", split = ",", paramLabel = "USER", converter = OptionValues.Id.class,
            description = "Comma-separated user ids of the other members; may be repeated. Default: the owner alone.")
    private List<String> members = new ArrayList<>();

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        CreateGroupRequest request = CreateGroupRequest.newBuilder()
                .setGroupId(groupId)
                .setName(name)
                .setOwnerId(owner)
                .addAllMemberIds(members)
                .build();
        try (ServerApiClient api = new ServerApiClient(server, serverApi, cli.timeout())) {
            GroupReply group = api.call("GroupService.CreateGroup", () -> api.groups().createGroup(request));
            cli.output(spec).group(group);
        }
        return ExitCodes.OK;
    }
}
