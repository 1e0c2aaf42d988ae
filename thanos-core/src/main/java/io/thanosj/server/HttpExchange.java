package io.thanosj.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP request and its response. Parameters merge the query string and, for form POSTs, the
 * form body, as Prometheus's API does. A response is either a whole byte array or a stream written
 * in chunks, so large results never sit in memory twice.
 */
public final class HttpExchange {
    private static final int STREAM_CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final String method;
    private final String path;
    private final String remainder;
    private final Map<String, List<String>> params;
    private final HttpHeaders requestHeaders;
    private final byte[] body;
    private final boolean keepAlive;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private boolean responded;

    HttpExchange(ChannelHandlerContext ctx, String method, String path, String remainder, Map<String, List<String>> params,
            HttpHeaders requestHeaders, byte[] body, boolean keepAlive) {
        this.ctx = ctx;
        this.method = method;
        this.path = path;
        this.remainder = remainder;
        this.params = params;
        this.requestHeaders = requestHeaders;
        this.body = body;
        this.keepAlive = keepAlive;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** For prefix routes: the part of the path after the prefix; empty for exact routes. */
    public String remainder() {
        return remainder;
    }

    /** First value of a query or form parameter, or null. */
    public String param(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> params(String name) {
        List<String> v = params.get(name);
        return v == null ? Collections.emptyList() : v;
    }

    public Set<String> paramNames() {
        return params.keySet();
    }

    public String header(String name) {
        return requestHeaders.get(name);
    }

    public byte[] body() {
        return body;
    }

    public void setHeader(String name, String value) {
        responseHeaders.set(name, value);
    }

    public boolean responded() {
        return responded;
    }

    public void respond(int status, String contentType, byte[] content) {
        markResponded();
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(content));
        resp.headers().set(responseHeaders);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(resp, content.length);
        finish(ctx.writeAndFlush(resp));
    }

    public void respondText(int status, String text) {
        respond(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a chunked response and returns the stream to write its body to; closing the stream
     * ends the response. Writes block while the client is slow, which keeps memory bounded.
     */
    public OutputStream stream(int status, String contentType) {
        markResponded();
        return new ChunkedStream(HttpResponseStatus.valueOf(status), contentType);
    }

    private void markResponded() {
        if (responded) {
            throw new IllegalStateException("response already sent for " + path);
        }
        responded = true;
    }

    private void finish(ChannelFuture f) {
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A response body written in chunks of {@link #STREAM_CHUNK} bytes. A body that ends within its
     * first chunk goes out as one whole response with a length instead: one write to the channel
     * (one hand-off to its event loop) rather than headers, chunk and end apart.
     */
    private final class ChunkedStream extends OutputStream {
        private final HttpResponseStatus status;
        private final String contentType;
        private ByteBuf buf = ctx.alloc().buffer(STREAM_CHUNK);
        private boolean headSent;
        private boolean closed;

        ChunkedStream(HttpResponseStatus status, String contentType) {
            this.status = status;
            this.contentType = contentType;
        }

        private void sendHead() {
            HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            resp.headers().set(responseHeaders);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            resp.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            ctx.write(resp);
            headSent = true;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            buf.writeByte(b);
            if (buf.readableBytes() >= STREAM_CHUNK) {
                flushChunk();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            while (len > 0) {
                int n = Math.min(len, STREAM_CHUNK - buf.readableBytes());
                buf.writeBytes(b, off, n);
                off += n;
                len -= n;
                if (buf.readableBytes() >= STREAM_CHUNK) {
                    flushChunk();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            if (buf.readableBytes() > 0) {
                flushChunk();
            }
        }

        private void flushChunk() throws IOException {
            if (!ctx.channel().isActive()) {
                throw new IOException("client closed the connection");
            }
            if (!headSent) {
                sendHead();
            }
            ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(buf));
            buf = ctx.alloc().buffer(STREAM_CHUNK);
            if (!ctx.channel().isWritable()) {
                f.awaitUninterruptibly();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!headSent) {
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
                resp.headers().set(responseHeaders);
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                HttpUtil.setContentLength(resp, buf.readableBytes());
                finish(ctx.writeAndFlush(resp));
                return;
            }
            if (buf.readableBytes() > 0) {
                ctx.write(new DefaultHttpContent(buf));
            } else {
                buf.release();
            }
            finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
        }
    }
}
