package io.tidings.client.cli;

import io.tidings.client.TidingsClient;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Connects as one device, sends one text message, prints the ack and exits. */
@Command(name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Send one text message and print the ack.",
            "Connects as a device, sends, and prints the server's ack: message id, client message id and server"
                    + " time (milliseconds since the epoch). The ack means the message is committed and will not"
                    + " be lost.",
            "--json prints the SendAck: {\"clientMessageId\":...,\"messageId\":...,\"serverTime\":\"MILLISECONDS\"}.",
        },
        footer = {
            "",
            "Example against ./tidings up:",
            "  tidings-cli send --url ws://127.0.0.1:7100/ws --token \"$ALICE_TOKEN\" \\",
            "      --device alice-cli --to bob --text 'hello bob'",
        })
final class SendCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ConversationTarget.Recipient recipient;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Text text;

    /** The message text, given inline or read from a file. */
    static final class Text {

        @Option(names = "--text", required = true, paramLabel = "TEXT",
                description = "The message text, sent as content type \"text\" with content {\"text\":TEXT}.")
        String inline;

        @Option(names = "--text-file", required = true, paramLabel = "PATH",
                description = "Read the message text from a UTF-8 file instead, for texts too long for the command line.")
        Path file;

        /** Returns the text; an unreadable file is a usage error (exit code 2). */
        String read(CommandSpec spec) {
            if (inline != null) {
                return inline;
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--text-file': cannot read "
                        + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); pass a readable UTF-8 file");
            }
        }
    }

    @Option(names = "--client-id", paramLabel = "ID", converter = OptionValues.ClientMessageId.class,
            description = "Client message id, 1..64 characters; default: a random UUID. Pass the same id when you"
                    + " retry a send that failed or timed out, so the message is delivered only once.")
    private String clientMessageId;

    @Override
    public Integer call() {
        TidingsCli cli = TidingsCli.of(spec);
        Duration timeout = cli.timeout();
        SendRequest request = SendRequest.newBuilder()
                .setClientMessageId(clientMessageId != null ? clientMessageId : UUID.randomUUID().toString())
                .setConversation(recipient.conversation())
                .setContentType(MessageContent.TEXT)
                .setContent(MessageContent.ofText(text.read(spec)))
                .build();
        try (TidingsClient client = connection.newClient(timeout, false)) {
            Failures.await(client.connect(), timeout, "connecting to " + connection.url());
            SendAck ack = Failures.await(client.send(request), timeout, "sending message " + request.getClientMessageId());
            cli.output(spec).sendAck(ack);
        }
        return ExitCodes.OK;
    }
}
