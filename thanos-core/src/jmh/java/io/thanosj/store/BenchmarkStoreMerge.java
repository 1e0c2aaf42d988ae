package io.thanosj.store;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.tsdb.chunk.XorAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The proxy's hot paths, in operations per second: the loser-tree merge of three stores with
 * overlapping series (series/s), penalty deduplication of two replicas (samples/s), and one store
 * streamed over gRPC on loopback (series/s, each with one 120-sample XOR chunk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BenchmarkStoreMerge {
    static final int SERIES = 100_000;
    static final int SAMPLES = 100_000;
    static final int GRPC_SERIES = 20_000;

    /** SeriesRequest.response_batch_size: 1 sends one response per series. */
    @org.openjdk.jmh.annotations.Param({"1", "64"})
    int batch;

    List<List<SeriesSets.Entry>> stores;
    List<AggrChunk> replicas;
    Server server;
    ManagedChannel channel;
    ExecutorService executor;
    GrpcStoreClient client;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        AggrChunk c = chunk(0, 120, 15_000, 0);
        stores = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            stores.add(new ArrayList<>());
        }
        for (int i = 0; i < SERIES; i++) {
            Labels l = Labels.of("__name__", "http_requests_total", "job", "api", "instance", String.format("i-%06d", i));
            stores.get(i % 3).add(new SeriesSets.Entry(l, List.of(c)));
            if (i % 4 == 0) {
                stores.get((i + 1) % 3).add(new SeriesSets.Entry(l, List.of(c))); // duplicate: merged
            }
        }
        // Two replicas scraping every 15 s, 7 s apart, in 120-sample chunks.
        replicas = new ArrayList<>();
        for (int i = 0; i < SAMPLES / 120; i++) {
            replicas.add(chunk(i * 120 * 15_000L, 120, 15_000, 0));
            replicas.add(chunk(i * 120 * 15_000L + 7_000, 120, 15_000, 1));
        }
        replicas = ChunkOrder.sortUnique(replicas);

        List<SeriesSets.Entry> served = new ArrayList<>();
        for (int i = 0; i < GRPC_SERIES; i++) {
            served.add(new SeriesSets.Entry(Labels.of("__name__", "up", "instance", String.format("i-%06d", i)),
                    List.of(chunk(0, 120, 15_000, i))));
        }
        executor = Executors.newCachedThreadPool();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new StoreService(new FixedStore(served), executor)).build().start();
        channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create()).build();
        client = new GrpcStoreClient(channel, "bench", Duration.ZERO);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    static AggrChunk chunk(long start, int n, long step, int seed) {
        XorAppender app = new XorAppender();
        double v = seed;
        for (int i = 0; i < n; i++) {
            v += (i * 31 + seed) % 7;
            app.append(start + i * step, v);
        }
        return AggrChunk.newBuilder().setMinTime(start).setMaxTime(start + (n - 1) * step)
                .setRaw(Chunk.newBuilder().setData(ByteString.copyFrom(app.chunk().bytes()))).build();
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public long mergeThreeStores() {
        List<SeriesSet> sets = new ArrayList<>();
        for (List<SeriesSets.Entry> s : stores) {
            sets.add(SeriesSets.of(s));
        }
        long n = 0;
        try (MergedSeriesSet m = new MergedSeriesSet(sets, 0)) {
            while (m.next()) {
                n += m.chunks().size();
            }
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double dedupTwoReplicas() {
        SeriesSet in = SeriesSets.of(List.of(new SeriesSets.Entry(Labels.of("a", "1"), replicas)));
        double sum = 0;
        try (SampleSeriesSet d = Dedup.penalty(in, Long.MIN_VALUE, Long.MAX_VALUE, true)) {
            d.next();
            SampleIterator it = d.iterator();
            while (it.next()) {
                sum += it.v();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(GRPC_SERIES)
    public long grpcSeriesStream() {
        long n = 0;
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(Long.MAX_VALUE).setResponseBatchSize(batch)
                .addMatchers(Requests.toProto(Matcher.equal("__name__", "up"))).build();
        try (SeriesSet s = client.series(r)) {
            while (s.next()) {
                n += s.chunks().size();
            }
        }
        return n;
    }

    /** Serves the same series for every request. */
    private record FixedStore(List<SeriesSets.Entry> series) implements StoreServer {
        @Override
        public SeriesSet series(SeriesRequest request) {
            return SeriesSets.of(series);
        }

        @Override
        public LabelNamesResponse labelNames(LabelNamesRequest request) {
            return LabelNamesResponse.getDefaultInstance();
        }

        @Override
        public LabelValuesResponse labelValues(LabelValuesRequest request) {
            return LabelValuesResponse.getDefaultInstance();
        }

        @Override
        public StoreInfo info() {
            return new StoreInfo(List.of(), 0, Long.MAX_VALUE, true);
        }
    }
}
