package io.thanosj.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 server on Netty: Netty parses, aggregates (bounded by {@code maxRequestBytes}) and
 * gzips; this class routes to handlers that run on a worker pool, because queries block.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Map<String, HttpHandler> exact;
    private final List<Map.Entry<String, HttpHandler>> prefixes;
    private final int maxRequestBytes;
    private final ThreadPoolExecutor workers;
    private EventLoopGroup boss;
    private EventLoopGroup ioGroup;
    private Channel channel;

    private HttpServer(Builder b) {
        this.exact = new HashMap<>(b.exact);
        this.prefixes = new ArrayList<>(b.prefixes.entrySet());
        this.prefixes.sort(Comparator.comparingInt((Map.Entry<String, HttpHandler> e) -> e.getKey().length()).reversed());
        this.maxRequestBytes = b.maxRequestBytes;
        this.workers = new ThreadPoolExecutor(0, b.maxWorkers, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DefaultThreadFactory("http-worker", true));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts serving; a taken port is reported with the flag that set it. */
    public HttpServer start(String flag, String address) {
        InetSocketAddress addr = Addresses.parse(flag, address);
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-boss", true));
        ioGroup = new NioEventLoopGroup(2, new DefaultThreadFactory("http-io", true));
        ServerBootstrap sb = new ServerBootstrap().group(boss, ioGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(64 * 1024, 64 * 1024, 64 * 1024))
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new HttpObjectAggregator(maxRequestBytes))
                                .addLast(new HttpContentCompressor())
                                .addLast(new Router());
                    }
                });
        try {
            channel = sb.bind(addr).syncUninterruptibly().channel();
        } catch (Exception e) {
            close();
            throw bindError(flag, address, e);
        }
        return this;
    }

    static ThanosException bindError(String flag, String address, Throwable e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase();
        String why = e instanceof BindException || msg.contains("already in use") ? "address already in use" : msg;
        return new ThanosException(ErrorCode.UNAVAILABLE,
                "listen tcp " + address + ": bind: " + why + " (" + flag + ")", e);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        workers.shutdown();
    }

    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                Throwable cause = req.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongFrameException
                        ? HttpResponseStatus.REQUEST_URI_TOO_LONG : HttpResponseStatus.BAD_REQUEST;
                sendError(ctx, status, "bad request: " + cause.getMessage(), false);
                return;
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8, true, 4096);
            String path = qs.path();
            Map<String, List<String>> params = new LinkedHashMap<>(qs.parameters());
            byte[] body = ByteBufUtil.getBytes(req.content());
            String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (ct != null && ct.toLowerCase().startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
                QueryStringDecoder form = new QueryStringDecoder(new String(body, StandardCharsets.UTF_8), StandardCharsets.UTF_8, false, 4096);
                form.parameters().forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            }
            HttpHandler handler = exact.get(path);
            String remainder = "";
            if (handler == null) {
                for (Map.Entry<String, HttpHandler> e : prefixes) {
                    if (path.startsWith(e.getKey())) {
                        handler = e.getValue();
                        remainder = path.substring(e.getKey().length());
                        break;
                    }
                }
            }
            if (handler == null) {
                sendError(ctx, HttpResponseStatus.NOT_FOUND, "404 page not found", keepAlive);
                return;
            }
            HttpExchange ex = new HttpExchange(ctx, req.method().name(), path, remainder, params, req.headers().copy(), body, keepAlive);
            HttpHandler h = handler;
            try {
                workers.execute(() -> run(h, ex));
            } catch (RejectedExecutionException e) {
                sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many concurrent requests", false);
            }
        }

        private void run(HttpHandler h, HttpExchange ex) {
            try {
                h.handle(ex);
                if (!ex.responded()) {
                    ex.respondText(500, "handler sent no response");
                }
            } catch (ThanosException e) {
                if (!ex.responded()) {
                    ex.respondText(e.code().httpStatus(), e.getMessage());
                }
            } catch (Exception | Error e) {
                log.warn("http handler failed path={} err={}", ex.path(), e.toString(), e);
                if (!ex.responded()) {
                    ex.respondText(500, "internal error: " + e);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("http connection error: {}", cause.toString());
            ctx.close();
        }
    }

    private static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String msg, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(msg + "\n", StandardCharsets.UTF_8));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(resp, resp.content().readableBytes());
        var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    public static final class Builder {
        private final Map<String, HttpHandler> exact = new HashMap<>();
        private final Map<String, HttpHandler> prefixes = new HashMap<>();
        private int maxRequestBytes = 16 * 1024 * 1024;
        private int maxWorkers = 128;

        public Builder route(String path, HttpHandler h) {
            exact.put(path, h);
            return this;
        }

        /** Routes every path starting with {@code prefix}; the longest matching prefix wins. */
        public Builder prefix(String prefix, HttpHandler h) {
            prefixes.put(prefix, h);
            return this;
        }

        public Builder maxRequestBytes(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxRequestBytes must be positive: " + n);
            }
            this.maxRequestBytes = n;
            return this;
        }

        public Builder maxWorkers(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxWorkers must be positive: " + n);
            }
            this.maxWorkers = n;
            return this;
        }

        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}
