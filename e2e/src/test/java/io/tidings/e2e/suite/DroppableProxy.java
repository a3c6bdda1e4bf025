package io.tidings.e2e.suite;

import io.tidings.protocol.v1.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A TCP proxy on 127.0.0.1 between SDK devices and the connector that can fail like a mobile
 * network: {@link #cut()} drops every connection at once without a WebSocket close and refuses
 * new ones until {@link #restore()}, and {@link #dropNextServerFrame} silently swallows one
 * WebSocket frame from the server, such as one Deliver.
 */
public final class DroppableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicReference<Predicate<Frame>> dropFilter = new AtomicReference<>();
    private volatile boolean cut;
    private volatile boolean closed;

    public DroppableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String webSocketUrl() {
        return "ws://127.0.0.1:" + listener.getLocalPort() + "/ws";
    }

    /** Drops every connection without a close frame and refuses new ones. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    /** Swallows the next binary frame from the server whose decoded Frame matches {@code filter}. */
    public void dropNextServerFrame(Predicate<Frame> filter) {
        dropFilter.set(filter);
    }

    /** Returns whether the frame armed by {@link #dropNextServerFrame} has been dropped. */
    public boolean dropped() {
        return dropFilter.get() == null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                pipe("up", client.getInputStream(), server.getOutputStream(), client, server, false);
                pipe("down", server.getInputStream(), client.getOutputStream(), client, server, true);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("proxy accept failed: " + e);
                }
            }
        }
    }

    private void pipe(String name, InputStream in, OutputStream out, Socket a, Socket b, boolean fromServer) {
        Thread thread = new Thread(() -> {
            try {
                if (fromServer) {
                    copyServerStream(in, out);
                } else {
                    in.transferTo(out);
                }
            } catch (IOException e) {
                // The other direction or cut() closed the sockets: this direction ends too.
            } finally {
                closeQuietly(a);
                closeQuietly(b);
                open.remove(a);
                open.remove(b);
            }
        }, "proxy-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies the HTTP upgrade response as is, then WebSocket frames one by one (unmasked, server side). */
    private void copyServerStream(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        out.write(head.toByteArray());
        out.flush();
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return;
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(b0);
            frame.write(b1);
            long length = b1 & 0x7F;
            if (length == 126) {
                byte[] ext = in.readNBytes(2);
                frame.write(ext);
                length = ((ext[0] & 0xFF) << 8) | (ext[1] & 0xFF);
            } else if (length == 127) {
                byte[] ext = in.readNBytes(8);
                frame.write(ext);
                length = 0;
                for (byte x : ext) {
                    length = (length << 8) | (x & 0xFF);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            frame.write(payload);
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            if (opcode == 0x2 && fin && shouldDrop(payload)) {
                continue;
            }
            out.write(frame.toByteArray());
            out.flush();
        }
    }

    private boolean shouldDrop(byte[] payload) {
        Predicate<Frame> filter = dropFilter.get();
        if (filter == null) {
            return false;
        }
        try {
            Frame frame = Frame.parseFrom(payload);
            return filter.test(frame) && dropFilter.compareAndSet(filter, null);
        } catch (IOException notAFrame) {
            return false;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that is already broken has nothing left to report.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        cut();
        listener.close();
    }
}
