package io.tidings.client.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsListener;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SendRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line client: connects one device and prints every frame and state change. While
 * connected it reads commands from standard input, one per line:
 *
 * <pre>
 *   send USER TEXT     send a text message to USER
 *   sync [CURSOR]      pull inbox entries after CURSOR (default 0)
 *   quit               close and exit
 * </pre>
 */
public final class TidingsCli {

    private static final String USAGE = String.join("\n",
            "Usage: tidings-cli connect --url URL --token TOKEN --device DEVICE_ID --platform PLATFORM",
            "",
            "  --url       WebSocket URL of connector-svc, for example ws://127.0.0.1:7100/ws",
            "  --token     token from AuthService.IssueToken",
            "  --device    device id, 1..128 characters of A-Z a-z 0-9 _ . @ : -",
            "  --platform  ios, android, web or desktop",
            "",
            "Prints each frame the server sends. Commands on standard input:",
            "  send USER TEXT | sync [CURSOR] | quit");

    private final PrintStream out;

    TidingsCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(new TidingsCli(System.out).run(args));
    }

    int run(String[] args) throws Exception {
        if (args.length == 0 || !"connect".equals(args[0])) {
            System.err.println(USAGE);
            return 2;
        }
        Map<String, String> options = parseOptions(args);
        if (options == null) {
            return 2;
        }
        Platform platform;
        try {
            platform = Platform.valueOf(options.get("platform").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("--platform '" + options.get("platform") + "' is invalid: use ios, android, web or desktop");
            return 2;
        }

        CountDownLatch ended = new CountDownLatch(1);
        TidingsClient client = TidingsClient.builder(URI.create(options.get("url")))
                .token(options.get("token"))
                .deviceId(options.get("device"))
                .platform(platform)
                .sdkVersion("java-cli/0.1.0")
                .listener(new PrintingListener(ended))
                .build();
        client.connect().exceptionally(failure -> null);
        readCommands(client, ended);
        client.close();
        return client.state() == ConnectionState.CLOSED ? 0 : 1;
    }

    private Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("Option '" + args[i] + "' is invalid or has no value\n\n" + USAGE);
                return null;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : new String[] {"url", "token", "device", "platform"}) {
            if (!options.containsKey(required)) {
                System.err.println("Missing option --" + required + "\n\n" + USAGE);
                return null;
            }
        }
        return options;
    }

    private void readCommands(TidingsClient client, CountDownLatch ended) throws Exception {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!execute(client, line.trim())) {
                        break;
                    }
                }
            } catch (Exception e) {
                out.println("stdin failed: " + e);
            }
            ended.countDown();
        }, "tidings-cli-stdin");
        reader.setDaemon(true);
        reader.start();
        ended.await();
    }

    /** Runs one command line; returns false on quit. */
    private boolean execute(TidingsClient client, String line) {
        String[] parts = line.split("\\s+", 3);
        CompletableFuture<?> result;
        switch (parts[0]) {
            case "":
                return true;
            case "quit":
                return false;
            case "send":
                if (parts.length < 3) {
                    out.println("usage: send USER TEXT");
                    return true;
                }
                result = client.send(SendRequest.newBuilder()
                        .setClientMessageId(UUID.randomUUID().toString())
                        .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(parts[1]))
                        .setContentType("text")
                        .setContent(ByteString.copyFromUtf8(textJson(parts[2])))
                        .build());
                break;
            case "sync":
                result = client.sync(parts.length > 1 ? Long.parseLong(parts[1]) : 0L);
                break;
            default:
                out.println("unknown command '" + parts[0] + "': use send, sync or quit");
                return true;
        }
        result.whenComplete((reply, failure) -> out.println(failure != null
                ? "< failed: " + failure.getMessage()
                : "< " + TextFormat.printer().shortDebugString((com.google.protobuf.MessageOrBuilder) reply)));
        return true;
    }

    /** Returns {"text": ...} with the JSON string escapes of RFC 8259. */
    static String textJson(String text) {
        StringBuilder json = new StringBuilder("{\"text\":\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        return json.append("\"}").toString();
    }

    private final class PrintingListener implements TidingsListener {
        private final CountDownLatch ended;

        PrintingListener(CountDownLatch ended) {
            this.ended = ended;
        }

        @Override
        public void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
            out.println("* " + state + (code == null ? "" : " " + code) + ": " + detail);
            if (state.isTerminal()) {
                ended.countDown();
            }
        }

        @Override
        public void onFrame(Frame frame) {
            out.println("< " + TextFormat.printer().shortDebugString(frame));
        }
    }
}
