package io.thanosj.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.model.Utf8Order;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.encoding.ByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestIndex {
    static final String[] VALUES = {"a", "b", "ab", "abc", "b\u00e9", "\uD83D\uDE00", "\uFFFD", "x".repeat(300), "foo",
        "foobar", "fo", "1", "10", "2", "line\nbreak", "bar"};

    @TempDir
    static Path dir;
    static List<Labels> series = new ArrayList<>();
    static List<long[]> chunkRanges = new ArrayList<>();
    static long[] refs;
    static Path index;

    @BeforeAll
    static void writeIndex() {
        Random r = new Random(5);
        TreeSet<Labels> set = new TreeSet<>();
        while (set.size() < 3000) {
            LabelsBuilder b = new LabelsBuilder();
            b.set("__name__", "metric_" + r.nextInt(5));
            for (String n : new String[] {"job", "instance", "mode", "zone", "\u00fcml"}) {
                if (r.nextInt(3) > 0) {
                    b.set(n, VALUES[r.nextInt(VALUES.length)]);
                }
            }
            b.set("id", Integer.toString(r.nextInt(2000)));
            set.add(b.build());
        }
        series.addAll(set);
        TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
        for (Labels l : series) {
            l.forEach((n, v) -> {
                symbols.add(n);
                symbols.add(v);
            });
        }
        index = dir.resolve("index");
        refs = new long[series.size()];
        try (IndexWriter w = new IndexWriter(index)) {
            w.addSymbols(symbols);
            long cref = 8;
            for (int i = 0; i < series.size(); i++) {
                ChunkMetas c = new ChunkMetas();
                int n = r.nextInt(4);
                long t = r.nextInt(1000);
                long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
                for (int j = 0; j < n; j++) {
                    long mint = t + 1 + r.nextInt(100);
                    long maxt = mint + r.nextInt(500);
                    c.add(cref, mint, maxt);
                    range[0] = Math.min(range[0], mint);
                    range[1] = Math.max(range[1], maxt);
                    cref += 1 + r.nextInt(200);
                    t = maxt;
                }
                chunkRanges.add(range);
                refs[i] = w.addSeries(series.get(i), c);
            }
        }
    }

    @Test
    void seriesLabelsAndChunksRoundTrip() {
        try (IndexReader ir = IndexReader.open(index, "blk")) {
            LabelsBuilder lb = new LabelsBuilder();
            ChunkMetas c = new ChunkMetas();
            for (int i = 0; i < series.size(); i++) {
                ir.series(refs[i], lb, c);
                assertThat(lb.build()).isEqualTo(series.get(i));
                if (c.size() > 0) {
                    assertThat(c.minTime(0)).isEqualTo(chunkRanges.get(i)[0]);
                    assertThat(c.maxTime(c.size() - 1)).isEqualTo(chunkRanges.get(i)[1]);
                }
            }
            assertThat(PostingsOps.toArray(ir.allPostings())).containsExactly(refs);
        }
    }

    @Test
    void labelNamesAndValuesAreSortedInGoOrder() {
        try (IndexReader ir = IndexReader.open(index, "blk")) {
            TreeSet<String> names = new TreeSet<>(Utf8Order::compare);
            TreeSet<String> zone = new TreeSet<>(Utf8Order::compare);
            for (Labels l : series) {
                l.forEach((n, v) -> names.add(n));
                if (l.has("zone")) {
                    zone.add(l.get("zone"));
                }
            }
            assertThat(ir.labelNames()).containsExactlyElementsOf(names);
            assertThat(ir.labelValues("zone")).containsExactlyElementsOf(zone);
            assertThat(ir.labelValues("nope")).isEmpty();
            assertThat(ir.labelValues("id")).hasSizeGreaterThan(IndexFormat.SAMPLE * 3);
        }
    }

    @Test
    void selectMatchesBruteForceForEveryMatcherKind() {
        Random r = new Random(9);
        String[] names = {"job", "instance", "mode", "zone", "__name__", "id", "missing"};
        String[] regexes = {".*", ".+", "a|b", "foo.*", "fo.*|b.*", "a?b", "", "1.*", "line.*", "\\d+", "(?i)FOO",
            "x{300}", "b\u00e9|\uD83D\uDE00"};
        try (IndexReader ir = IndexReader.open(index, "blk")) {
            for (int round = 0; round < 120; round++) {
                List<Matcher> ms = new ArrayList<>();
                int k = 1 + r.nextInt(3);
                for (int i = 0; i < k; i++) {
                    MatchType t = MatchType.values()[r.nextInt(4)];
                    String n = names[r.nextInt(names.length)];
                    String v = t.isRegex() ? regexes[r.nextInt(regexes.length)]
                            : r.nextInt(6) == 0 ? "" : VALUES[r.nextInt(VALUES.length)];
                    ms.add(Matcher.of(t, n, v));
                }
                List<Labels> want = new ArrayList<>();
                TreeSet<String> wantValues = new TreeSet<>(Utf8Order::compare);
                TreeSet<String> wantNames = new TreeSet<>(Utf8Order::compare);
                for (int i = 0; i < series.size(); i++) {
                    Labels l = series.get(i);
                    boolean ok = true;
                    for (Matcher m : ms) {
                        ok &= m.matches(l.get(m.name()));
                    }
                    if (ok && chunkRanges.get(i)[0] <= 700 && chunkRanges.get(i)[1] >= 300) {
                        want.add(l);
                    }
                    if (ok) {
                        if (l.has("mode")) {
                            wantValues.add(l.get("mode"));
                        }
                        l.forEach((n, v) -> wantNames.add(n));
                    }
                }
                List<Labels> got = new ArrayList<>();
                SeriesCursor sc = ir.select(300, 700, ms);
                while (sc.next()) {
                    got.add(sc.labels());
                    for (int j = 0; j < sc.chunks().size(); j++) {
                        assertThat(sc.chunks().maxTime(j)).isGreaterThanOrEqualTo(300);
                        assertThat(sc.chunks().minTime(j)).isLessThanOrEqualTo(700);
                    }
                }
                assertThat(got).as("select %s", ms).containsExactlyElementsOf(want);
                assertThat(ir.labelValues("mode", ms)).as("values %s", ms).containsExactlyElementsOf(wantValues);
                assertThat(ir.labelNames(ms)).as("names %s", ms).containsExactlyElementsOf(wantNames);
            }
        }
    }

    @Test
    void writerRejectsOutOfOrderCalls(@TempDir Path tmp) {
        IndexWriter w = new IndexWriter(tmp.resolve("index"));
        w.addSymbols(List.of("a", "b"));
        w.addSeries(Labels.of("a", "b"), new ChunkMetas());
        assertThatThrownBy(() -> w.addSeries(Labels.of("a", "a"), new ChunkMetas()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out-of-order series");
        assertThatThrownBy(() -> w.addSymbols(List.of("c"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalid stage symbols, currently at series");
        assertThatThrownBy(() -> w.addSeries(Labels.of("zz", "b"), new ChunkMetas()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symbol entry for \"zz\" does not exist");
        w.abort();
        assertThat(tmp.resolve("index")).doesNotExist();
    }

    @Test
    void emptyIndexIsValid(@TempDir Path tmp) {
        try (IndexWriter w = new IndexWriter(tmp.resolve("index"))) {
            assertThat(w.numSeries()).isZero();
        }
        try (IndexReader ir = IndexReader.open(tmp.resolve("index"), "empty")) {
            assertThat(ir.labelNames()).isEmpty();
            assertThat(ir.allPostings().next()).isFalse();
            assertThat(ir.select(0, 1, Matcher.equal("a", "b")).next()).isFalse();
        }
    }

    @Test
    void corruptionIsReportedWithFileAndOffset() throws Exception {
        byte[] good = Files.readAllBytes(index);
        assertOpenFails(java.util.Arrays.copyOf(good, 20), "too short");
        byte[] magic = good.clone();
        magic[1] ^= 1;
        assertOpenFails(magic, "invalid magic number");
        byte[] toc = good.clone();
        toc[toc.length - 10] ^= 1;
        assertOpenFails(toc, "TOC checksum mismatch");
        byte[] sym = good.clone();
        sym[12] ^= 0x20;
        assertOpenFails(sym, "symbol table at offset 5: checksum mismatch");
        byte[] trunc = java.util.Arrays.copyOf(good, good.length - 60);
        assertOpenFails(trunc, "blk/index");
        // A flipped byte in a series is caught by its CRC when read.
        byte[] ser = good.clone();
        int off = (int) (refs[10] * 16) + 3;
        ser[off] ^= 0x01;
        try (IndexReader ir = IndexReader.open(ByteSource.of(ser, "blk/index"))) {
            assertThatThrownBy(() -> ir.series(refs[10], new LabelsBuilder(), new ChunkMetas()))
                    .isInstanceOf(ThanosException.class)
                    .hasMessageContaining("read blk/index: series checksum mismatch at offset " + refs[10] * 16);
            assertThatThrownBy(() -> ir.series(1L << 40, new LabelsBuilder(), new ChunkMetas()))
                    .isInstanceOf(ThanosException.class).hasMessageContaining("outside the series section");
        }
    }

    private static void assertOpenFails(byte[] b, String msg) {
        assertThatThrownBy(() -> IndexReader.open(ByteSource.of(b, "blk/index")))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining(msg);
    }
}
