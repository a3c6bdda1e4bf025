package io.tidings.connector.support;

import io.tidings.protocol.v1.Frame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket for tests that must send what the SDK never sends: malformed or oversized
 * frames, JSON text frames, no pings. Received binary frames are parsed as Frame; text frames
 * are kept as strings.
 */
public final class RawSocket implements WebSocket.Listener {

    public final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public final CompletableFuture<Void> pong = new CompletableFuture<>();
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    private final StringBuilder partialText = new StringBuilder();
    private WebSocket socket;

    public static RawSocket open(URI url, String subprotocol) throws Exception {
        RawSocket raw = new RawSocket();
        WebSocket.Builder builder = TestClients.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        raw.socket = builder.buildAsync(url, raw).get(10, TimeUnit.SECONDS);
        return raw;
    }

    public WebSocket socket() {
        return socket;
    }

    public void send(Frame frame) throws Exception {
        sendBytes(frame.toByteArray());
    }

    public void sendBytes(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    public void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** Returns the next frame, failing the test after {@code seconds}. */
    public Frame next(long seconds) throws InterruptedException {
        Frame frame = frames.poll(seconds, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + seconds + " s");
        }
        return frame;
    }

    public int awaitClose(long seconds) throws Exception {
        return closeCode.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partialBinary.write(chunk, 0, chunk.length);
        if (last) {
            try {
                frames.add(Frame.parseFrom(partialBinary.toByteArray()));
            } catch (Exception e) {
                throw new IllegalStateException("server sent an unreadable frame", e);
            }
            partialBinary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            texts.add(partialText.toString());
            partialText.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pong.complete(null);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    public void abort() {
        socket.abort();
    }

    static HttpClient http() {
        return TestClients.HTTP;
    }
}
