package io.tidings.client.cli;

import io.tidings.client.TidingsClient;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints one page of a conversation's history, newest first. */
@Command(name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "Print one page of a conversation's history.",
            "Connects as a device and prints one page of history (history-svc), newest message first, then"
                    + " whether older messages exist and the --before value of the next page.",
            "Text lines: SERVER_TIME SENDER: TEXT  (message_id=... server_time=...), then"
                    + " has_more=BOOLEAN next_before=N.",
            "--json lines: {\"message\":Message,\"text\":...} (text only for text messages),"
                    + " then {\"hasMore\":BOOLEAN,\"nextBefore\":\"N\"}.",
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  tidings-cli history --url ws://127.0.0.1:7100/ws --token \"$BOB_TOKEN\" \\",
            "      --device bob-cli --platform desktop --with alice --count 50",
        })
final class HistoryCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ConversationTarget.Peer peer;

    @Option(names = "--before", paramLabel = "MS", defaultValue = "0", converter = OptionValues.NonNegativeLong.class,
            description = "Return messages with a server time before this one, in milliseconds since the epoch:"
                    + " the next_before of the previous page. Default: 0, the newest messages.")
    private long before;

    @Option(names = "--count", paramLabel = "N", defaultValue = "20", converter = OptionValues.PageSize.class,
            description = "Messages per page, 1..100 (default: ${DEFAULT-VALUE}).")
    private int count;

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        Output output = cli.output(spec);
        Duration timeout = cli.timeout();
        HistoryRequest request = HistoryRequest.newBuilder()
                .setConversation(peer.conversation())
                .setBeforeTime(before)
                .setCount(count)
                .build();
        try (TidingsClient client = connection.newClient(timeout, false)) {
            Failures.await(client.connect(), timeout, "connecting to " + connection.url());
            HistoryReply reply = Failures.await(client.history(request), timeout,
                    "reading history of " + Output.conversation(request.getConversation()));
            List<Message> messages = reply.getMessagesList();
            messages.forEach(output::historyMessage);
            // NOTE: before_time is exclusive, so when another message has the same millisecond as the
            // oldest one here but did not fit on this page, the next page skips it.
            long oldest = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).getServerTime();
            output.historyEnd(reply.getHasMore(), oldest);
        }
        return ExitCodes.OK;
    }
}
