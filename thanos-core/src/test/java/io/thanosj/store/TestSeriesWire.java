package io.thanosj.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.proto.labelpb.Label;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.Series;
import io.thanosj.proto.storepb.SeriesBatch;
import io.thanosj.proto.storepb.SeriesResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Series codec against protobuf's generated classes: {@link SeriesFrameWriter}
 * writes exactly the bytes protobuf writes, and {@link SeriesFrameReader} reads any bytes to the
 * same result as protobuf's parser (unknown fields of every wire type, merged fields, aggregates),
 * and rejects what protobuf's parser rejects.
 */
@Tag("unit")
class TestSeriesWire {
    private static final String[] WORDS = {"", "a", "job", "__name__", "instance", "10.0.0.1:9100", "é", "日本語",
        "x".repeat(200), "\uD83D\uDE00", "le", "+Inf", "mode"};

    // ---- writer ----

    @Test
    void writerBytesEqualProtobufForEveryBatchSize() {
        Random rnd = new Random(1);
        for (int round = 0; round < 200; round++) {
            List<Labels> labels = new ArrayList<>();
            List<List<AggrChunk>> chunks = new ArrayList<>();
            int n = 1 + rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                labels.add(randomLabels(rnd));
                chunks.add(rnd.nextBoolean() ? randomColumns(rnd) : randomProtoChunks(rnd));
            }
            for (int batch : new int[] {1, 3, 64}) {
                SeriesFrameWriter w = new SeriesFrameWriter(batch);
                List<byte[]> got = new ArrayList<>();
                List<Series> pending = new ArrayList<>();
                List<byte[]> want = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    w.add(labels.get(i), chunks.get(i));
                    pending.add(toProto(labels.get(i), chunks.get(i)));
                    if (w.full()) {
                        got.add(bytes(w.frame()));
                        want.add(response(pending, batch));
                        pending.clear();
                    }
                }
                SeriesWire.Frame last = w.frame();
                if (last != null) {
                    got.add(bytes(last));
                    want.add(response(pending, batch));
                }
                assertThat(got).as("round %d batch %d", round, batch).hasSameSizeAs(want);
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i)).as("round %d batch %d frame %d", round, batch, i).isEqualTo(want.get(i));
                }
            }
        }
    }

    @Test
    void warningFramesEqualProtobuf() {
        for (String w : WORDS) {
            assertThat(bytes(SeriesFrameWriter.warning(w)))
                    .isEqualTo(SeriesResponse.newBuilder().setWarning(w).build().toByteArray());
        }
    }

    @Test
    void labelCacheGrowsPastItsFirstTableAndStaysCorrect() {
        SeriesFrameWriter w = new SeriesFrameWriter(100_000);
        List<Series> all = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Labels l = Labels.of("__name__", "m", "id", "v" + i, "odd", i % 2 == 0 ? "no" : "yes");
            w.add(l, List.of());
            all.add(toProto(l, List.of()));
        }
        assertThat(bytes(w.frame())).isEqualTo(response(all, 100_000));
    }

    // ---- reader ----

    @Test
    void readerEqualsProtobufOnWhatProtobufWrites() throws Exception {
        Random rnd = new Random(2);
        for (int round = 0; round < 300; round++) {
            SeriesResponse r = randomResponse(rnd);
            assertSameAsProtobuf(r.toByteArray());
        }
    }

    @Test
    void readerEqualsProtobufWithUnknownAndRepeatedFields() throws Exception {
        Random rnd = new Random(3);
        for (int round = 0; round < 300; round++) {
            byte[] b = mangle(randomResponse(rnd).toByteArray(), rnd);
            assertSameAsProtobuf(b);
        }
    }

    /** Every prefix and many single-byte changes: both fail, or both read the same. */
    @Test
    void readerFailsExactlyWhereProtobufFails() throws Exception {
        Random rnd = new Random(4);
        for (int round = 0; round < 25; round++) {
            byte[] b = randomResponse(rnd).toByteArray();
            for (int len = 0; len <= b.length; len++) {
                assertSameAsProtobuf(Arrays.copyOf(b, len));
            }
            for (int k = 0; k < 60; k++) {
                byte[] c = b.clone();
                if (c.length == 0) {
                    break;
                }
                c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
                assertSameAsProtobuf(c);
            }
        }
    }

    @Test
    void readerRejectsMalformedInputLikeProtobuf() throws Exception {
        String[] cases = {
            "0a05" + "0a03" + "0a01",                 // label runs past its series
            "22" + "ffffffffffffffffffff01",          // overlong length varint
            "0a02" + "0a80",                          // truncated length
            "0a04" + "0a02" + "0aff",                 // label name: invalid UTF-8 (0xff)
            "0a05" + "0a03" + "12" + "01" + "c0",     // label value: truncated multi-byte UTF-8
            "0a02" + "0f00",                          // wire type 7
            "0a02" + "0c00",                          // end group without a start
            "0a03" + "0b" + "1400",                   // group closed by the wrong end tag
            "0a02" + "0b00",                          // unclosed group
            "0a01" + "00",                            // field number 0
            "1201" + "ff",                            // warning: invalid UTF-8
            "1a02" + "0a01",                          // hints: truncated Any
        };
        for (String h : cases) {
            byte[] b = hex(h);
            assertThatThrownBy(() -> SeriesResponse.parseFrom(b)).as(h).isInstanceOf(InvalidProtocolBufferException.class);
            assertThatThrownBy(() -> new SeriesFrameReader().read(b)).as(h).isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void chunkDataIsReadInPlace() throws Exception {
        SeriesResponse r = SeriesResponse.newBuilder().setSeries(Series.newBuilder()
                .addLabels(Label.newBuilder().setName("a").setValue("b"))
                .addChunks(AggrChunk.newBuilder().setMinTime(1).setMaxTime(2)
                        .setRaw(Chunk.newBuilder().setData(ByteString.copyFromUtf8("xyz"))))).build();
        byte[] b = r.toByteArray();
        SeriesFrameReader.Decoded d = new SeriesFrameReader().read(b);
        SeriesChunks c = (SeriesChunks) d.chunks.get(0);
        assertThat(c.dataArray(0)).isSameAs(b);
        assertThat(new String(b, c.dataOffset(0), c.dataLength(0))).isEqualTo("xyz");
        assertThat(c.plain(0)).isTrue();
        assertThat(c.samples(0)).isEqualTo(('x' << 8) | 'y');
    }

    @Test
    void labelStringsAreInterned() throws Exception {
        Series s = Series.newBuilder().addLabels(Label.newBuilder().setName("job").setValue("node" + 7)).build();
        byte[] b = SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder().addSeries(s).addSeries(s)).build().toByteArray();
        SeriesFrameReader.Decoded d = new SeriesFrameReader().read(b);
        assertThat(d.count).isEqualTo(2);
        assertThat(d.labels[0].value(0)).isSameAs(d.labels[1].value(0)).isSameAs(Labels.intern("node7"));
    }

    /** Writer then reader give back what went in, through the columns. */
    @Test
    void roundTripThroughColumns() throws Exception {
        Random rnd = new Random(5);
        for (int round = 0; round < 100; round++) {
            Labels l = randomLabels(rnd);
            List<AggrChunk> cs = rnd.nextBoolean() ? randomColumns(rnd) : randomProtoChunks(rnd);
            SeriesFrameWriter w = new SeriesFrameWriter(1 + rnd.nextInt(3));
            w.add(l, cs);
            SeriesFrameReader.Decoded d = new SeriesFrameReader().read(bytes(w.frame()));
            assertThat(d.labels[0]).isEqualTo(l);
            assertThat(d.chunks.get(0)).isEqualTo(new ArrayList<>(cs));
        }
    }

    // ---- helpers ----

    private static void assertSameAsProtobuf(byte[] b) throws Exception {
        SeriesResponse want;
        try {
            want = SeriesResponse.parseFrom(b);
        } catch (InvalidProtocolBufferException e) {
            assertThatThrownBy(() -> new SeriesFrameReader().read(b)).as(hexOf(b))
                    .isInstanceOf(InvalidProtocolBufferException.class);
            return;
        }
        SeriesFrameReader.Decoded got;
        try {
            got = new SeriesFrameReader().read(b);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("protobuf reads " + hexOf(b) + " but the reader fails: " + e.getMessage(), e);
        }
        List<Series> series = switch (want.getResultCase()) {
            case SERIES -> List.of(want.getSeries());
            case BATCH -> want.getBatch().getSeriesList();
            default -> List.of();
        };
        assertThat(got.count).as(hexOf(b)).isEqualTo(series.size());
        for (int i = 0; i < series.size(); i++) {
            assertThat(got.labels[i]).as(hexOf(b)).isEqualTo(ProtoLabels.fromProto(series.get(i).getLabelsList()));
            assertThat(new ArrayList<>(got.chunks.get(i))).as(hexOf(b)).isEqualTo(series.get(i).getChunksList());
        }
        assertThat(got.warning).isEqualTo(want.getResultCase() == SeriesResponse.ResultCase.WARNING ? want.getWarning() : null);
    }

    private static SeriesResponse randomResponse(Random rnd) {
        SeriesResponse.Builder b = SeriesResponse.newBuilder();
        switch (rnd.nextInt(6)) {
            case 0 -> b.setSeries(randomSeries(rnd));
            case 1 -> b.setWarning(WORDS[rnd.nextInt(WORDS.length)]);
            case 2 -> b.setHints(Any.newBuilder().setTypeUrl("type.googleapis.com/hintspb.SeriesResponseHints")
                    .setValue(ByteString.copyFromUtf8("abc")));
            case 3 -> { } // empty
            default -> {
                SeriesBatch.Builder batch = SeriesBatch.newBuilder();
                for (int i = rnd.nextInt(5); i > 0; i--) {
                    batch.addSeries(randomSeries(rnd));
                }
                b.setBatch(batch);
            }
        }
        return b.build();
    }

    private static Series randomSeries(Random rnd) {
        Series.Builder s = Series.newBuilder();
        for (int i = rnd.nextInt(5); i > 0; i--) {
            s.addLabels(Label.newBuilder().setName(WORDS[rnd.nextInt(WORDS.length)]).setValue(WORDS[rnd.nextInt(WORDS.length)]));
        }
        for (int i = rnd.nextInt(4); i > 0; i--) {
            s.addChunks(randomProtoChunk(rnd));
        }
        return s.build();
    }

    private static AggrChunk randomProtoChunk(Random rnd) {
        AggrChunk.Builder c = AggrChunk.newBuilder().setMinTime(randomTime(rnd)).setMaxTime(randomTime(rnd));
        if (rnd.nextInt(5) > 0) {
            c.setRaw(randomChunk(rnd));
        }
        if (rnd.nextInt(4) == 0) {
            c.setCount(randomChunk(rnd)).setSum(randomChunk(rnd));
        }
        if (rnd.nextInt(8) == 0) {
            c.setMin(randomChunk(rnd)).setMax(randomChunk(rnd)).setCounter(randomChunk(rnd));
        }
        return c.build();
    }

    private static Chunk randomChunk(Random rnd) {
        byte[] d = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40)];
        rnd.nextBytes(d);
        int[] types = {0, 0, 0, 1, 2, -1, 300};
        return Chunk.newBuilder().setTypeValue(types[rnd.nextInt(types.length)]).setData(ByteString.copyFrom(d))
                .setHash(rnd.nextBoolean() ? 0 : rnd.nextLong()).build();
    }

    private static long randomTime(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -rnd.nextInt(1000);
            case 2 -> rnd.nextLong();
            default -> 1_700_000_000_000L + rnd.nextInt(100_000_000);
        };
    }

    private static Labels randomLabels(Random rnd) {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = rnd.nextInt(6); i > 0; i--) {
            b.set(WORDS[rnd.nextInt(WORDS.length)], WORDS[1 + rnd.nextInt(WORDS.length - 1)]);
        }
        return b.build();
    }

    private static List<AggrChunk> randomProtoChunks(Random rnd) {
        List<AggrChunk> out = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            out.add(randomProtoChunk(rnd));
        }
        return out;
    }

    /** Plain chunks as columns over a private array. */
    private static SeriesChunks randomColumns(Random rnd) {
        int n = rnd.nextInt(5);
        long[] min = new long[n];
        long[] max = new long[n];
        long[] hash = new long[n];
        int[] type = new int[n];
        boolean[] raw = new boolean[n];
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            Chunk c = randomChunk(rnd);
            min[i] = randomTime(rnd);
            max[i] = randomTime(rnd);
            raw[i] = rnd.nextInt(6) > 0;
            type[i] = c.getTypeValue();
            hash[i] = c.getHash();
            data[i] = c.getData().toByteArray();
        }
        return new SeriesChunks() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public long minTime(int i) {
                return min[i];
            }

            @Override
            public long maxTime(int i) {
                return max[i];
            }

            @Override
            public boolean plain(int i) {
                return true;
            }

            @Override
            public boolean hasRaw(int i) {
                return raw[i];
            }

            @Override
            public int rawType(int i) {
                return type[i];
            }

            @Override
            public long rawHash(int i) {
                return hash[i];
            }

            @Override
            public int dataLength(int i) {
                return data[i].length;
            }

            @Override
            public void copyData(int i, byte[] dst, int off) {
                System.arraycopy(data[i], 0, dst, off, data[i].length);
            }
        };
    }

    private static Series toProto(Labels l, List<AggrChunk> chunks) {
        Series.Builder s = Series.newBuilder();
        for (int i = 0; i < l.size(); i++) {
            s.addLabels(Label.newBuilder().setName(l.name(i)).setValue(l.value(i)));
        }
        return s.addAllChunks(new ArrayList<>(chunks)).build();
    }

    private static byte[] response(List<Series> series, int batch) {
        if (batch == 1) {
            assertThat(series).hasSize(1);
            return SeriesResponse.newBuilder().setSeries(series.get(0)).build().toByteArray();
        }
        return SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder().addAllSeries(series)).build().toByteArray();
    }

    private static byte[] bytes(SeriesWire.Frame f) {
        return Arrays.copyOfRange(f.buf, f.off, f.off + f.len);
    }

    /**
     * Adds unknown fields of every wire type and repeats known ones, at the top level and inside
     * series, labels and chunks, by rewriting the message with protobuf's UnknownFieldSet (which
     * keeps every field, known or not, in field order).
     */
    private static byte[] mangle(byte[] b, Random rnd) throws Exception {
        UnknownFieldSet top = UnknownFieldSet.parseFrom(b);
        return mangle(top, rnd, 0).toByteArray();
    }

    private static UnknownFieldSet mangle(UnknownFieldSet set, Random rnd, int depth) throws Exception {
        UnknownFieldSet.Builder out = UnknownFieldSet.newBuilder();
        for (var e : set.asMap().entrySet()) {
            UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
            e.getValue().getVarintList().forEach(f::addVarint);
            e.getValue().getFixed32List().forEach(f::addFixed32);
            e.getValue().getFixed64List().forEach(f::addFixed64);
            e.getValue().getGroupList().forEach(f::addGroup);
            for (ByteString ld : e.getValue().getLengthDelimitedList()) {
                // Recurse into what parses as a message (series, labels, chunks), else keep the bytes.
                ByteString v = ld;
                if (depth < 4 && rnd.nextInt(3) > 0) {
                    try {
                        v = mangle(UnknownFieldSet.parseFrom(ld), rnd, depth + 1).toByteString();
                    } catch (InvalidProtocolBufferException ignored) {
                        // a string or bytes field
                    }
                }
                f.addLengthDelimited(v);
                if (rnd.nextInt(12) == 0) {
                    f.addLengthDelimited(v); // repeated: protobuf appends or merges
                }
            }
            out.addField(e.getKey(), f.build());
        }
        if (rnd.nextInt(3) == 0) {
            int field = 9 + rnd.nextInt(20);
            UnknownFieldSet.Field.Builder u = UnknownFieldSet.Field.newBuilder();
            switch (rnd.nextInt(5)) {
                case 0 -> u.addVarint(rnd.nextLong());
                case 1 -> u.addFixed32(rnd.nextInt());
                case 2 -> u.addFixed64(rnd.nextLong());
                case 3 -> u.addLengthDelimited(ByteString.copyFromUtf8("unknown"));
                default -> u.addGroup(UnknownFieldSet.newBuilder()
                        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build());
            }
            out.mergeField(field, u.build());
        }
        if (rnd.nextInt(10) == 0) {
            // A known field number with the wrong wire type is an unknown field to protobuf.
            out.mergeField(1, UnknownFieldSet.Field.newBuilder().addFixed32(5).build());
        }
        return out.build();
    }

    private static String hexOf(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
