package io.tidings.push.notification;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Truncation of notification texts to a provider's limits. Cuts fall between code points, so a
 * surrogate pair (an emoji, for example) is never split, and a cut text ends with "…".
 */
public final class TextLimits {

    public static final String ELLIPSIS = "…";
    private static final int ELLIPSIS_BYTES = ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;

    private TextLimits() {
    }

    /** Returns {@code text} cut to at most {@code maxCodePoints} code points, the ellipsis included. */
    public static String fitCodePoints(String text, int maxCodePoints) {
        if (maxCodePoints <= 0) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= maxCodePoints) {
            return text;
        }
        int end = text.offsetByCodePoints(0, maxCodePoints - 1);
        return text.substring(0, end) + ELLIPSIS;
    }

    /** Returns {@code text} cut so that its UTF-8 form is at most {@code maxBytes}, the ellipsis included. */
    public static String fitUtf8(String text, int maxBytes) {
        if (utf8Length(text) <= maxBytes) {
            return text;
        }
        int budget = maxBytes - ELLIPSIS_BYTES;
        if (budget < 0) {
            return "";
        }
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(codePoint);
            if (used + size > budget) {
                break;
            }
            used += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    public static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += utf8Length(codePoint);
            i += Character.charCount(codePoint);
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        // A lone surrogate is encoded by Java as '?', one byte; counting 3 keeps the bound safe.
        return codePoint < 0x10000 ? 3 : 4;
    }

    /**
     * Renders the notification and, while the result exceeds {@code maxBytes} of UTF-8, shortens
     * the body (then the title) by the excess, at most half of it per round, and renders again.
     *
     * @return the rendered payload; still too large only when the fixed fields alone exceed the limit
     */
    public static String fitRendered(Notification notification, int maxBytes, Function<Notification, String> render) {
        Notification current = notification;
        String rendered = render.apply(current);
        for (int round = 0; round < 16; round++) {
            int excess = utf8Length(rendered) - maxBytes;
            if (excess <= 0) {
                return rendered;
            }
            int bodyBytes = utf8Length(current.body());
            if (bodyBytes > 0) {
                // Escaping can make the rendered excess larger than the text behind it, so one round
                // cuts at most half of the body.
                int target = Math.max(bodyBytes - excess, bodyBytes / 2);
                current = current.withTexts(current.title(), fitUtf8(current.body(), target));
            } else {
                int titleBytes = utf8Length(current.title());
                current = current.withTexts(fitUtf8(current.title(), Math.max(0, titleBytes - excess)), "");
            }
            rendered = render.apply(current);
        }
        return rendered;
    }
}
