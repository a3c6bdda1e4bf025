package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class TidingsCliTest {

    @Test
    void textJsonEscapes() {
        assertEquals("{\"text\":\"a \\\"b\\\" \\\\ c\\n\\u0001\"}", TidingsCli.textJson("a \"b\" \\ c\n\u0001"));
    }

    @Test
    void missingOptionExitsWithUsage() throws Exception {
        TidingsCli cli = new TidingsCli(new PrintStream(new ByteArrayOutputStream()));
        assertEquals(2, cli.run(new String[] {"connect", "--url", "ws://127.0.0.1:1/ws"}));
        assertEquals(2, cli.run(new String[] {}));
    }
}
