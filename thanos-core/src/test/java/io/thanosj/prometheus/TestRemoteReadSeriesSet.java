package io.thanosj.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.model.XxHash64;
import io.thanosj.proto.labelpb.Label;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.prompb.Chunk;
import io.thanosj.proto.storepb.prompb.ChunkedReadResponse;
import io.thanosj.proto.storepb.prompb.ChunkedSeries;
import io.thanosj.store.SeriesSets;
import io.thanosj.tsdb.chunk.XorAppender;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestRemoteReadSeriesSet {
    private static ChunkedSeries series(Labels l, Chunk... chunks) {
        ChunkedSeries.Builder b = ChunkedSeries.newBuilder();
        l.forEach((n, v) -> b.addLabels(Label.newBuilder().setName(n).setValue(v)));
        return b.addAllChunks(Arrays.asList(chunks)).build();
    }

    private static Chunk chunk(long mint, long maxt, byte[] data) {
        return Chunk.newBuilder().setMinTimeMs(mint).setMaxTimeMs(maxt).setType(Chunk.Encoding.XOR)
                .setData(ByteString.copyFrom(data)).build();
    }

    private static void frame(ByteArrayOutputStream out, ChunkedReadResponse msg, boolean breakCrc) {
        byte[] b = msg.toByteArray();
        long size = b.length;
        while (size >= 0x80) {
            out.write((int) (size & 0x7f) | 0x80);
            size >>>= 7;
        }
        out.write((int) size);
        CRC32C crc = new CRC32C();
        crc.update(b);
        int c = (int) crc.getValue() ^ (breakCrc ? 1 : 0);
        out.write(c >>> 24);
        out.write(c >>> 16);
        out.write(c >>> 8);
        out.write(c);
        out.writeBytes(b);
    }

    private static byte[] xor(long t0, int n) {
        XorAppender app = new XorAppender();
        for (int i = 0; i < n; i++) {
            app.append(t0 + i * 15_000L, i * 1.5);
        }
        return app.chunk().bytes();
    }

    @Test
    void decodesFramesPassesChunksThroughAndJoinsSplitSeries() {
        byte[] c1 = xor(0, 120);
        byte[] c2 = xor(1_800_000, 50);
        byte[] c3 = xor(0, 3);
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, ChunkedReadResponse.newBuilder().addChunkedSeries(series(a, chunk(0, 1_785_000, c1))).build(), false);
        frame(out, ChunkedReadResponse.newBuilder().addChunkedSeries(series(a, chunk(1_800_000, 2_535_000, c2))).build(), false);
        frame(out, ChunkedReadResponse.newBuilder().addChunkedSeries(series(b, chunk(0, 30_000, c3))).build(), false);
        RemoteReadSeriesSet s = new RemoteReadSeriesSet(new ByteArrayInputStream(out.toByteArray()), 1 << 20, "http://p/api/v1/read");
        List<SeriesSets.Entry> got = SeriesSets.drain(s);
        assertThat(got).extracting(SeriesSets.Entry::labels).containsExactly(a, b);
        List<AggrChunk> chunks = got.get(0).chunks();
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).getRaw().getData().toByteArray()).isEqualTo(c1);
        assertThat(chunks.get(0).getRaw().getType()).isEqualTo(io.thanosj.proto.storepb.Chunk.Encoding.XOR);
        assertThat(chunks.get(0).getRaw().getHash()).isEqualTo(XxHash64.hash(c1));
        assertThat(chunks.get(1).getMinTime()).isEqualTo(1_800_000);
        assertThat(chunks.get(1).getMaxTime()).isEqualTo(2_535_000);
        assertThat(chunks.get(1).getRaw().getData().toByteArray()).isEqualTo(c2);
        assertThat(got.get(1).chunks().get(0).getRaw().getData().toByteArray()).isEqualTo(c3);
    }

    @Test
    void emptyStreamHasNoSeries() {
        assertThat(new RemoteReadSeriesSet(new ByteArrayInputStream(new byte[0]), 1 << 20, "http://p").next()).isFalse();
    }

    @Test
    void badChecksumTruncationAndOversizedFramesAreClearErrors() {
        ChunkedReadResponse msg = ChunkedReadResponse.newBuilder()
                .addChunkedSeries(series(Labels.of("a", "b"), chunk(0, 1, xor(0, 2)))).build();
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        frame(bad, msg, true);
        assertThatThrownBy(() -> new RemoteReadSeriesSet(new ByteArrayInputStream(bad.toByteArray()), 1 << 20,
                "http://p/api/v1/read").next())
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining("http://p/api/v1/read").hasMessageContaining("checksum mismatch");

        ByteArrayOutputStream good = new ByteArrayOutputStream();
        frame(good, msg, false);
        byte[] cut = Arrays.copyOf(good.toByteArray(), good.size() - 3);
        assertThatThrownBy(() -> new RemoteReadSeriesSet(new ByteArrayInputStream(cut), 1 << 20, "http://p").next())
                .isInstanceOf(ThanosException.class).hasMessageContaining("stream ends after");

        assertThatThrownBy(() -> new RemoteReadSeriesSet(new ByteArrayInputStream(good.toByteArray()), 4, "http://p").next())
                .isInstanceOf(ThanosException.class).hasMessageContaining("exceeds the limit of 4 bytes")
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void unknownChunkEncodingIsCorruption() {
        ChunkedReadResponse msg = ChunkedReadResponse.newBuilder().addChunkedSeries(series(Labels.of("a", "b"),
                Chunk.newBuilder().setType(Chunk.Encoding.UNKNOWN).setData(ByteString.copyFromUtf8("x")).build())).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, msg, false);
        assertThatThrownBy(() -> new RemoteReadSeriesSet(new ByteArrayInputStream(out.toByteArray()), 1 << 20, "http://p").next())
                .isInstanceOf(ThanosException.class).hasMessageContaining("unknown encoding 0");
    }
}
