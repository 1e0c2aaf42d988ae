package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.Postings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted blocks must fail with a {@link ThanosException} naming block, file and offset: never another
 * exception, a hang or an out-of-memory error. Mutations are random but seeded, and some re-compute the
 * checksum so that the decoders themselves see the garbage.
 */
@Tag("unit")
class TestCorruption {
    private static final String[] FILES = {"index", "chunks/000001", "meta.json", "tombstones"};

    @Test
    void namedErrorsForTruncatedFiles(@TempDir Path tmp) throws Exception {
        Path src = PromTools.blockDirs(TestPromtoolFixture.fixture()).get(0);
        String ulid = src.getFileName().toString();
        Path b = copy(src, tmp.resolve(ulid));
        truncate(b.resolve("index"), 1000);
        expect(b, ulid + "/index", "offset");
        copy(src, b);
        truncate(b.resolve("chunks/000001"), 5000);
        expect(b, ulid + "/chunks/000001", "offset");
        copy(src, b);
        truncate(b.resolve("meta.json"), 100);
        expect(b, "read meta.json of block " + ulid, "malformed JSON at line");
    }

    @Test
    void randomMutationsOnlyRaiseThanosException(@TempDir Path tmp) throws Exception {
        Path src = PromTools.blockDirs(TestPromtoolFixture.fixture()).get(0);
        Path b = tmp.resolve(src.getFileName());
        copy(src, b);
        long[] seriesRefs;
        List<long[]> chunkRefs = new ArrayList<>();
        try (IndexReader ir = IndexReader.open(b.resolve("index"), "x")) {
            Postings p = ir.allPostings();
            List<Long> refs = new ArrayList<>();
            while (p.next()) {
                refs.add(p.at());
                ChunkMetas m = new ChunkMetas();
                ir.series(p.at(), new LabelsBuilder(), m);
                long[] c = new long[m.size()];
                for (int i = 0; i < c.length; i++) {
                    c[i] = m.ref(i);
                }
                chunkRefs.add(c);
            }
            seriesRefs = refs.stream().mapToLong(Long::longValue).toArray();
        }
        Random r = new Random(20240601);
        int failures = 0;
        for (int round = 0; round < 250; round++) {
            copy(src, b);
            String file = FILES[r.nextInt(FILES.length)];
            Path f = b.resolve(file);
            byte[] bytes = Files.readAllBytes(f);
            int kind = r.nextInt(6);
            switch (kind) {
                case 0 -> { // bit flips
                    for (int k = 0; k <= r.nextInt(4); k++) {
                        int at = r.nextInt(bytes.length);
                        bytes[at] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length)); // truncation
                case 2 -> { // a wrong length or count: random or huge 32-bit value
                    if (bytes.length >= 4) {
                        int at = r.nextInt(bytes.length - 3);
                        ByteBuffer.wrap(bytes).putInt(at, r.nextBoolean() ? r.nextInt() : 0x7fffffff);
                    }
                }
                case 3 -> { // garbage inside a chunk with a valid checksum: the XOR decoder sees it
                    f = b.resolve("chunks/000001");
                    bytes = Files.readAllBytes(f);
                    long[] cs = chunkRefs.get(r.nextInt(chunkRefs.size()));
                    int off = (int) cs[r.nextInt(cs.length)];
                    int len = bytes[off] & 0x7f | ((bytes[off] & 0x80) != 0 ? (bytes[off + 1] & 0x7f) << 7 : 0);
                    int hl = (bytes[off] & 0x80) != 0 ? 2 : 1;
                    int data = off + hl + 1;
                    for (int k = 0; k <= r.nextInt(3); k++) {
                        bytes[data + r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                    }
                    fixCrc(bytes, off + hl, 1 + len);
                }
                case 4 -> { // garbage inside a series with a valid checksum: the index decoder sees it
                    f = b.resolve("index");
                    bytes = Files.readAllBytes(f);
                    int off = (int) (seriesRefs[r.nextInt(seriesRefs.length)] * 16);
                    int len = bytes[off] & 0x7f | ((bytes[off] & 0x80) != 0 ? (bytes[off + 1] & 0x7f) << 7 : 0);
                    int hl = (bytes[off] & 0x80) != 0 ? 2 : 1;
                    for (int k = 0; k <= r.nextInt(3); k++) {
                        bytes[off + hl + r.nextInt(len)] = (byte) r.nextInt(256);
                    }
                    fixCrc(bytes, off + hl, len);
                }
                default -> { // a random byte anywhere
                    bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
                }
            }
            Files.write(f, bytes);
            Path mutated = f;
            int k = kind;
            failures += Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readEverything(b, mutated, k));
        }
        // Most mutations must be detected (the rest hit padding or unused bytes).
        assertThat(failures).isGreaterThan(150);
    }

    /** Reads the whole block; returns 1 when a ThanosException was raised, 0 when the mutation went unnoticed. */
    private static int readEverything(Path b, Path mutated, int kind) {
        try (Block block = Block.open(b)) {
            BlockSeriesSet s = block.all();
            while (s.next()) {
                SampleIterator it = s.samples();
                while (it.next()) {
                    it.v();
                }
                for (int i = 0; i < s.chunkMetas().size(); i++) {
                    s.chunk(i);
                }
            }
            IndexReader ir = block.index();
            for (String n : ir.labelNames()) {
                ir.labelValues(n);
            }
            ir.labelValues("odd", List.of(Matcher.of(MatchType.REGEX, "series", "1.*")));
            BlockSeriesSet sel = block.select(0, Long.MAX_VALUE, Matcher.of(MatchType.NOT_EQUAL, "odd", "plain"),
                    Matcher.of(MatchType.REGEX, "__name__", ".+"));
            while (sel.next()) {
                sel.samples().seek(1_700_000_500_000L);
            }
            return 0;
        } catch (ThanosException e) {
            assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
            return 1;
        } catch (Throwable t) {
            fail("mutation kind " + kind + " of " + mutated.getFileName() + " raised " + t, t);
            return 0;
        }
    }

    private static void fixCrc(byte[] b, int from, int len) {
        CRC32C c = new CRC32C();
        c.update(b, from, len);
        ByteBuffer.wrap(b).putInt(from + len, (int) c.getValue());
    }

    private static void expect(Path b, String... parts) {
        try (Block block = Block.open(b)) {
            BlockSeriesSet s = block.all();
            while (s.next()) {
                SampleIterator it = s.samples();
                while (it.next()) {
                    it.v();
                }
            }
            fail("corruption of " + b + " went unnoticed");
        } catch (ThanosException e) {
            assertThat(e.getMessage()).contains(parts);
        }
    }

    private static void truncate(Path f, int len) throws IOException {
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), len));
    }

    private static Path copy(Path src, Path dst) throws IOException {
        Files.createDirectories(dst.resolve("chunks"));
        for (String f : FILES) {
            Files.copy(src.resolve(f), dst.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dst;
    }
}
