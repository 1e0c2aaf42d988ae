package io.thanosj.store;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.SeriesRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Shared helpers: gRPC servers on ephemeral loopback ports, fake chunks, requests. */
final class StoreTesting {
    private StoreTesting() {}

    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "store-test");
        t.setDaemon(true);
        return t;
    });

    /** A StoreAPI server on 127.0.0.1 and a client channel to it. */
    static final class Served implements AutoCloseable {
        final Server server;
        final ManagedChannel channel;
        final String address;

        Served(Server server, ManagedChannel channel, String address) {
            this.server = server;
            this.channel = channel;
            this.address = address;
        }

        GrpcStoreClient client(Duration responseTimeout) {
            return new GrpcStoreClient(channel, address, responseTimeout);
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow();
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static Server start(int port, StoreServer store, String component) {
        return start(port, new StoreService(store, EXECUTOR), InfoService.of(component, store));
    }

    static Server start(int port, BindableService... services) {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
        for (BindableService s : services) {
            b.addService(s);
        }
        try {
            return b.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Served serve(StoreServer store) {
        Server server = start(0, store, "store");
        String address = "127.0.0.1:" + server.getPort();
        ManagedChannel ch = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        return new Served(server, ch, address);
    }

    /** A fake raw chunk: a real XOR header (sample count) and bytes that identify it. */
    static AggrChunk chunk(long mint, long maxt, int samples, int id) {
        byte[] d = {(byte) (samples >> 8), (byte) samples, (byte) (id >> 24), (byte) (id >> 16), (byte) (id >> 8), (byte) id};
        return AggrChunk.newBuilder().setMinTime(mint).setMaxTime(maxt)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(d)))
                .build();
    }

    static SeriesRequest.Builder request(long mint, long maxt, Matcher... ms) {
        return SeriesRequest.newBuilder().setMinTime(mint).setMaxTime(maxt).addAllMatchers(Requests.toProto(List.of(ms)));
    }

    static List<Labels> labelsOf(List<SeriesSets.Entry> entries) {
        List<Labels> out = new ArrayList<>();
        for (SeriesSets.Entry e : entries) {
            out.add(e.labels());
        }
        return out;
    }
}
