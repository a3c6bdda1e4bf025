package io.tidings.client.cli;

import picocli.CommandLine.Command;

/** The group commands, which call routing-svc's GroupService with the app secret. */
@Command(name = "group",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Create groups and add members.",
            "Calls routing-svc's GroupService, a server API, with the app secret.",
        },
        subcommands = {CreateGroupCommand.class, AddMembersCommand.class})
final class GroupCommand {

    /** The --server description that the group commands share. */
    static final String SERVER_DESCRIPTION = "gRPC address of routing-svc, not of the connector:"
            + " 127.0.0.1:7200 in the local suite (tidings up).";

    /** The text and JSON output that the group commands share. */
    static final String OUTPUT_DESCRIPTION = "Prints the group after the change: group=ID name=\"NAME\" owner=USER"
            + " version=N members=U1,U2,..., or with --json the GroupReply.";
}
