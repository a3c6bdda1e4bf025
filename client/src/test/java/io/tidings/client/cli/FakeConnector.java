package io.tidings.client.cli;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tidings.protocol.v1.ConnectReply;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.ErrorReply;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Pong;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A stand-in for connector-svc in the CLI's tests: a WebSocket endpoint at /ws that speaks the
 * binary Frame protocol. It accepts every Connect (or rejects it with {@link #rejectConnect}),
 * replies to Ping, records every frame and hands the other requests to the test's handler, which
 * returns the reply or null for none.
 */
final class FakeConnector implements AutoCloseable {

    static final String USER_ID = "alice";

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel server;
    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private volatile Function<Frame, Frame.Builder> handler = request -> null;
    private volatile ErrorCode connectRejection;

    FakeConnector() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(1 << 20),
                                new WebSocketServerProtocolHandler("/ws", "tidings.v1.proto", false, 1 << 20),
                                new FrameHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    String url() {
        return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/ws";
    }

    /** Sets the replies to requests other than Connect and Ping; a null reply sends nothing. */
    void onRequest(Function<Frame, Frame.Builder> handler) {
        this.handler = handler;
    }

    void rejectConnect(ErrorCode code) {
        this.connectRejection = code;
    }

    /** Sends a frame to every connected client, as the server does for Deliver and Kicked. */
    void push(Frame frame) {
        for (Channel client : clients) {
            client.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())));
        }
    }

    int connectedClients() {
        return clients.size();
    }

    /** Returns the recorded frames of one kind, in arrival order. */
    List<Frame> received(Frame.OpCase op) {
        return received.stream().filter(frame -> frame.getOpCase() == op).collect(Collectors.toList());
    }

    static Frame.Builder error(ErrorCode code, String message) {
        return Frame.newBuilder().setError(ErrorReply.newBuilder().setCode(code).setMessage(message));
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<BinaryWebSocketFrame> {
        @Override
        public void channelActive(ChannelHandlerContext context) throws Exception {
            clients.add(context.channel());
            super.channelActive(context);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            clients.remove(context.channel());
            super.channelInactive(context);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, BinaryWebSocketFrame message) throws Exception {
            Frame request = Frame.parseFrom(ByteBufUtil.getBytes(message.content()));
            received.add(request);
            Frame.Builder reply = replyTo(request);
            if (reply != null) {
                Frame frame = reply.setRequestId(request.getRequestId()).build();
                context.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())));
            }
        }

        private Frame.Builder replyTo(Frame request) {
            switch (request.getOpCase()) {
                case CONNECT:
                    ErrorCode rejection = connectRejection;
                    if (rejection != null) {
                        return error(rejection, "token rejected by the test");
                    }
                    return Frame.newBuilder().setConnected(ConnectReply.newBuilder()
                            .setUserId(USER_ID)
                            .setSessionId("session-1")
                            .setServerTime(System.currentTimeMillis())
                            .setHeartbeatIntervalMs(30_000));
                case PING:
                    return Frame.newBuilder().setPong(Pong.newBuilder().setServerTime(System.currentTimeMillis()));
                default:
                    return handler.apply(request);
            }
        }
    }
}
