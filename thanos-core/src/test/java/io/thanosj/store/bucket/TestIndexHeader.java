package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.cache.RecordingBucket;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.PostingsOps;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestIndexHeader {
    @TempDir
    Path tmp;

    @Test
    void builtWithRangeReadsAndAnswersLikeTheFullIndex() throws Exception {
        RecordingBucket bkt = new RecordingBucket();
        // Enough distinct values that sampling (every 32nd) and scans across samples matter.
        Path local = BlockFixtures.upload(bkt, tmp, BlockFixtures.series(400), 0, 7_200_000, 60_000, Map.of("c", "1"), 0);
        String id = local.getFileName().toString();
        long indexSize = Files.size(local.resolve("index"));
        bkt.calls.clear();
        Path file = tmp.resolve("hdr").resolve(id).resolve("index-header");
        long read = IndexHeaderWriter.build(bkt, id, file);

        assertThat(bkt.count("get " + id + "/index")).isZero();
        assertThat(bkt.count("get_range " + id + "/index")).isEqualTo(4);
        assertThat(read).isLessThan(indexSize);
        assertThat(bkt.calls).contains("get_range " + id + "/index 0 5", "get_range " + id + "/index " + (indexSize - 52) + " 52");

        try (IndexHeaderReader h = IndexHeaderReader.open(file, id); IndexReader full = IndexReader.open(local.resolve("index"), id)) {
            assertThat(h.labelNames()).isEqualTo(full.labelNames());
            for (String name : full.labelNames()) {
                assertThat(h.labelValues(name)).as(name).isEqualTo(full.labelValues(name));
                assertThat(h.valueCount(name)).isEqualTo(full.labelValues(name).size());
                for (String v : full.labelValues(name)) {
                    long[] r = new long[2];
                    assertThat(h.postingsRange(name, v, r)).isTrue();
                    byte[] buf;
                    try (InputStream in = Files.newInputStream(local.resolve("index"))) {
                        in.skipNBytes(r[0]);
                        buf = in.readNBytes((int) (r[1] - r[0]));
                    }
                    assertThat(PostingsCodec.decodeIndexList(buf, 0, r[0], id + "/index"))
                            .as(name + "=" + v).isEqualTo(PostingsOps.toArray(full.postings(name, v)));
                }
                assertThat(h.postingsRange(name, "\uffffnot-there", new long[2])).isFalse();
                assertThat(h.postingsRange(name, "", new long[2])).isFalse();
            }
            long[] all = new long[2];
            assertThat(h.postingsRange("", "", all)).isTrue();
            for (int i = 0; i < full.numSymbols(); i++) {
                assertThat(h.lookupSymbol(i)).isEqualTo(full.symbol(i));
                assertThat(h.reverseLookup(full.symbol(i))).isEqualTo(i);
            }
            assertThat(h.reverseLookup("zzz-missing")).isEqualTo(-1);
            assertThatThrownBy(() -> h.lookupSymbol(full.numSymbols())).hasMessageContaining("unknown symbol reference");
        }
    }

    @Test
    void corruptionIsDetectedWithFileAndOffset() throws Exception {
        RecordingBucket bkt = new RecordingBucket();
        Path local = BlockFixtures.upload(bkt, tmp, List.of(Labels.of("__name__", "m", "a", "b")), 0, 600_000, 60_000, Map.of(), 0);
        String id = local.getFileName().toString();
        Path file = tmp.resolve(id + "-index-header");
        IndexHeaderWriter.build(bkt, id, file);
        byte[] b = Files.readAllBytes(file);
        b[IndexHeaderWriter.HEADER_LEN + 6] ^= 0x55; // inside the symbol table
        Files.write(file, b, StandardOpenOption.TRUNCATE_EXISTING);
        assertThatThrownBy(() -> IndexHeaderReader.open(file, id))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining(id + "/index-header")
                .hasMessageContaining("symbol table checksum mismatch at offset 14")
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.CORRUPTED));

        byte[] idx = Files.readAllBytes(local.resolve("index"));
        idx[idx.length - 3] ^= 1;
        bkt.put(id + "/index", idx);
        assertThatThrownBy(() -> IndexHeaderWriter.build(bkt, id, tmp.resolve("other")))
                .hasMessageContaining("TOC checksum mismatch");
        assertThat(Files.exists(tmp.resolve("other.tmp"))).isFalse();
    }
}
