package io.thanosj.store;

import static io.thanosj.store.StoreTesting.chunk;
import static io.thanosj.store.StoreTesting.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;
import io.thanosj.proto.storepb.StoreGrpc;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Round trips through {@link StoreService}, {@link InfoService} and {@link GrpcStoreClient}. */
@Tag("unit")
class TestStoreGrpc {
    static MemStore store;
    static StoreTesting.Served served;

    @BeforeAll
    static void start() {
        store = new MemStore(Labels.of("cluster", "eu", "replica", "a"));
        for (int i = 0; i < 50; i++) {
            store.add(Labels.of("__name__", "up", "job", "j" + (i % 5), "instance", "i" + i),
                    chunk(0, 999, 120, i), chunk(1000, 1999, 120, 1000 + i));
        }
        store.add(Labels.of("__name__", "other", "job", "x"), chunk(0, 10, 3, 7));
        served = StoreTesting.serve(store);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        served.close();
    }

    @Test
    void seriesRoundTripKeepsLabelsChunksAndOrder() {
        GrpcStoreClient c = served.client(Duration.ofSeconds(5));
        List<SeriesSets.Entry> want = SeriesSets.drain(store.series(request(0, 5000, Matcher.equal("__name__", "up")).build()));
        List<SeriesSets.Entry> got = SeriesSets.drain(c.series(request(0, 5000, Matcher.equal("__name__", "up")).build()));
        assertThat(got).hasSize(50).isEqualTo(want);
        assertThat(got.get(0).labels().get("cluster")).isEqualTo("eu");
        assertThat(got.get(0).chunks()).hasSize(2);
    }

    @Test
    void batchedResponsesAreUnpacked() {
        GrpcStoreClient c = served.client(Duration.ofSeconds(5));
        SeriesRequest r = request(0, 5000, Matcher.of(MatchType.REGEX, "job", "j1|j2")).setResponseBatchSize(7).build();
        List<SeriesSets.Entry> got = SeriesSets.drain(c.series(r));
        assertThat(got).hasSize(20).isEqualTo(SeriesSets.drain(store.series(r)));
        // And on the wire they really are batches.
        Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(served.channel).series(r);
        assertThat(it.next().getResultCase()).isEqualTo(SeriesResponse.ResultCase.BATCH);
    }

    @Test
    void skipChunksAndWithoutReplicaLabels() {
        GrpcStoreClient c = served.client(Duration.ZERO);
        SeriesRequest r = request(0, 5000, Matcher.equal("job", "x")).setSkipChunks(true)
                .addWithoutReplicaLabels("replica").build();
        List<SeriesSets.Entry> got = SeriesSets.drain(c.series(r));
        assertThat(got).singleElement().satisfies(e -> {
            assertThat(e.labels()).isEqualTo(Labels.of("__name__", "other", "job", "x", "cluster", "eu"));
            assertThat(e.chunks()).isEmpty();
        });
    }

    @Test
    void labelNamesValuesAndInfo() {
        GrpcStoreClient c = served.client(Duration.ofSeconds(5));
        assertThat(c.labelNames(LabelNamesRequest.newBuilder().setStart(0).setEnd(5000).build()).getNamesList())
                .containsExactly("__name__", "cluster", "instance", "job", "replica");
        assertThat(c.labelValues(LabelValuesRequest.newBuilder().setLabel("job")
                .addMatchers(Requests.toProto(Matcher.equal("__name__", "up"))).build()).getValuesList())
                .containsExactly("j0", "j1", "j2", "j3", "j4");
        StoreInfo info = c.info();
        assertThat(info.labelSets()).containsExactly(Labels.of("cluster", "eu", "replica", "a"));
        assertThat(info.minTime()).isZero();
        assertThat(info.maxTime()).isEqualTo(1999);
        assertThat(info.supportsWithoutReplicaLabels()).isTrue();
        assertThat(c.rawInfo(Duration.ofSeconds(5)).getComponentType()).isEqualTo("store");
    }

    @Test
    void invalidRegexIsInvalidArgumentNamingTheMatcher() {
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(0).setMaxTime(10)
                .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("a(b")).build();
        Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(served.channel).series(r);
        assertThatThrownBy(it::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith("invalid matcher job=~\"a(b\": error parsing regexp");
        });
        // Through our client it arrives as BAD_DATA with the same message.
        assertThatThrownBy(() -> SeriesSets.drain(served.client(Duration.ZERO).series(r)))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).contains("invalid matcher job=~\"a(b\": error parsing regexp");
                });
    }

    @Test
    void minTimeAfterMaxTimeIsInvalidArgument() {
        SeriesRequest r = request(2000, 1000, Matcher.equal("job", "x")).build();
        assertThatThrownBy(() -> SeriesSets.drain(served.client(Duration.ZERO).series(r)))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).isEqualTo("receive series from " + served.address
                            + ": invalid_argument: invalid series request: min_time 2000 is after max_time 1000");
                });
        assertThatThrownBy(() -> served.client(Duration.ZERO).labelNames(
                LabelNamesRequest.newBuilder().setStart(5).setEnd(1).build()))
                .isInstanceOfSatisfying(ThanosException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_DATA);
                    assertThat(e.getMessage()).endsWith("invalid label names request: start 5 is after end 1");
                });
        assertThatThrownBy(() -> served.client(Duration.ZERO).labelValues(LabelValuesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(ThanosException.class, e -> assertThat(e.getMessage())
                        .endsWith("invalid label values request: label name is empty"));
    }

    /** A client that stops reading stops the server's pump: gRPC flow control reaches the source. */
    @Test
    void slowClientStallsTheServerInsteadOfBufferingEverything() throws Exception {
        java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();
        StoreServer endless = new MemStore(Labels.EMPTY) {
            @Override
            public SeriesSet series(SeriesRequest r) {
                return new SeriesSet() {
                    private Labels labels;

                    @Override
                    public boolean next() {
                        labels = Labels.of("__name__", "up", "i", Long.toString(produced.incrementAndGet()));
                        return true;
                    }

                    @Override
                    public Labels labels() {
                        return labels;
                    }

                    @Override
                    public List<io.thanosj.proto.storepb.AggrChunk> chunks() {
                        return List.of(chunk(0, 10, 1, 1));
                    }

                    @Override
                    public List<String> warnings() {
                        return List.of();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        // Closing the set cancels a stream with writes still queued, which gRPC logs as a stream error.
        java.util.logging.Logger streamLog = java.util.logging.Logger.getLogger(
                "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");
        java.util.logging.Level level = streamLog.getLevel();
        streamLog.setLevel(java.util.logging.Level.OFF);
        try (StoreTesting.Served s = StoreTesting.serve(endless)) {
            try (SeriesSet set = s.client(Duration.ZERO).series(request(0, 10, Matcher.equal("__name__", "up")).build())) {
                for (int i = 0; i < 10; i++) {
                    assertThat(set.next()).isTrue();
                }
                // Wait until the transport windows are full and the pump stalls (about 25k series:
                // HTTP/2's 1 MiB window plus the client's 32 responses of 64).
                long before = -1;
                long after = produced.get();
                for (int i = 0; i < 30 && after != before; i++) {
                    before = after;
                    Thread.sleep(300);
                    after = produced.get();
                }
                assertThat(after).as("pump stalled").isEqualTo(before);
                assertThat(after).isLessThan(200_000);
            }
        } finally {
            streamLog.setLevel(level);
        }
    }

    @Test
    void limitsTravelAsResourceExhausted() throws InterruptedException {
        try (StoreTesting.Served limited = StoreTesting.serve(new Limits(10, 0).apply(store))) {
            assertThatThrownBy(() -> SeriesSets.drain(limited.client(Duration.ZERO)
                    .series(request(0, 5000, Matcher.equal("__name__", "up")).build())))
                    .isInstanceOfSatisfying(ThanosException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                        assertThat(e.getMessage()).endsWith("select series: exceeded series limit: limit 10 violated (got 11)");
                    });
        }
    }

    /** A response our reader rejects (as protobuf would) fails the call with a clear error, after the good ones. */
    @Test
    void malformedResponseFailsTheCallNamingTheEndpoint() throws Exception {
        byte[] good = SeriesResponse.newBuilder().setSeries(io.thanosj.proto.storepb.Series.newBuilder()
                .addLabels(io.thanosj.proto.labelpb.Label.newBuilder().setName("a").setValue("b"))).build().toByteArray();
        byte[] bad = {0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01}; // a label running past its series
        io.grpc.MethodDescriptor<SeriesRequest, byte[]> raw = StoreGrpc.getSeriesMethod().toBuilder(
                StoreGrpc.getSeriesMethod().getRequestMarshaller(), new io.grpc.MethodDescriptor.Marshaller<byte[]>() {
                    @Override
                    public java.io.InputStream stream(byte[] value) {
                        return new java.io.ByteArrayInputStream(value);
                    }

                    @Override
                    public byte[] parse(java.io.InputStream in) {
                        throw new UnsupportedOperationException();
                    }
                }).build();
        io.grpc.ServerServiceDefinition svc = io.grpc.ServerServiceDefinition.builder("thanos.Store")
                .addMethod(raw, io.grpc.stub.ServerCalls.asyncServerStreamingCall((req, obs) -> {
                    // Left open: the client cancels the call once it meets the bad response.
                    obs.onNext(good);
                    obs.onNext(bad);
                })).build();
        io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0)).addService(svc).build().start();
        io.grpc.ManagedChannel ch = io.grpc.Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(),
                io.grpc.InsecureChannelCredentials.create()).build();
        try (SeriesSet set = new GrpcStoreClient(ch, "bad-store", Duration.ofSeconds(5))
                .series(request(0, 10, Matcher.equal("a", "b")).build())) {
            assertThat(set.next()).isTrue();
            assertThat(set.labels()).isEqualTo(Labels.of("a", "b"));
            assertThatThrownBy(set::next).isInstanceOfSatisfying(ThanosException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                assertThat(e.getMessage()).startsWith("receive series from bad-store: ")
                        .contains("invalid series response: malformed series response: truncated message");
            });
        } finally {
            ch.shutdownNow();
            server.shutdownNow();
        }
    }
}
