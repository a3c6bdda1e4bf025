package io.tidings.push.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextLimitsTest {

    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void shortTextIsUnchanged() {
        assertThat(TextLimits.fitCodePoints("hello", 5)).isEqualTo("hello");
        assertThat(TextLimits.fitUtf8("hello", 5)).isEqualTo("hello");
    }

    @Test
    void codePointCutKeepsSurrogatePairs() {
        String text = "a" + EMOJI + EMOJI + EMOJI;
        String cut = TextLimits.fitCodePoints(text, 3);
        assertThat(cut).isEqualTo("a" + EMOJI + "…");
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(3);
    }

    @Test
    void utf8CutNeverSplitsAPair() {
        String text = EMOJI.repeat(10);
        for (int max = 0; max <= 44; max++) {
            String cut = TextLimits.fitUtf8(text, max);
            assertThat(cut.getBytes(StandardCharsets.UTF_8).length).as("max " + max).isLessThanOrEqualTo(max);
            assertThat(cut.replace("…", "").replace(EMOJI, "")).as("max " + max).isEmpty();
        }
    }

    @Test
    void utf8CutCountsMultiByteCharacters() {
        String cut = TextLimits.fitUtf8("消息消息消息", 12);
        assertThat(cut).isEqualTo("消息消…");
    }

    @Test
    void renderedPayloadShrinksBodyToFit() {
        Notification n = new Notification("title", "\"quoted\" ".repeat(600), 1, "t", "m", "t", "m");
        String rendered = TextLimits.fitRendered(n, 1000, x -> new JsonObject().put("b", x.body()).encode());
        assertThat(rendered.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
        assertThat(new JsonObject(rendered).getString("b")).endsWith("…");
    }
}
