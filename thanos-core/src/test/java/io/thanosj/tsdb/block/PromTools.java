package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.thanosj.model.Labels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.SampleIterator;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkReader;
import io.thanosj.tsdb.chunk.ChunkWriter;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.IndexWriter;
import io.thanosj.tsdb.index.Postings;
import org.junit.jupiter.api.Assumptions;

/** Test helpers around the real promtool/prometheus binaries and their text output. */
final class PromTools {
    /** All NaNs print as "NaN", so comparisons map every NaN to this. */
    static final long CANONICAL_NAN = Double.doubleToRawLongBits(Double.NaN);

    private PromTools() {}

    /** The binary's path; fails when CI=true and it is missing, otherwise skips the test. */
    static String require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(binary + " is not installed but CI=true: install Prometheus 2.42 (apt-get install -y prometheus)");
        }
        Assumptions.abort(binary + " is not installed");
        return null;
    }

    /** Runs a command, asserts exit 0, returns stdout. */
    static String run(Path workDir, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("promtool", ".out");
        Path err = Files.createTempFile("promtool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + Arrays.toString(cmd));
            }
            String stderr = Files.readString(err);
            assertThat(p.exitValue()).as("exit code of %s, stderr: %s", Arrays.toString(cmd),
                    stderr.length() > 2000 ? stderr.substring(0, 2000) : stderr).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Parses {@code promtool tsdb dump} output: labels text -> timestamp -> value bits (NaNs canonical). */
    static Map<String, TreeMap<Long, Long>> parseDump(String dump) {
        Map<String, TreeMap<Long, Long>> m = new TreeMap<>();
        for (String line : dump.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int s2 = line.lastIndexOf(' ');
            int s1 = line.lastIndexOf(' ', s2 - 1);
            long t = Long.parseLong(line.substring(s2 + 1));
            double v = parseGoFloat(line.substring(s1 + 1, s2));
            m.computeIfAbsent(line.substring(0, s1), k -> new TreeMap<>()).put(t, bits(v));
        }
        return m;
    }

    static double parseGoFloat(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static long bits(double v) {
        return Double.isNaN(v) ? CANONICAL_NAN : Double.doubleToRawLongBits(v);
    }

    /** Labels as Go's {@code labels.String()} prints them, values quoted as {@code strconv.Quote}. */
    static String goString(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(l.name(i)).append('=');
            goQuote(l.value(i), sb);
        }
        return sb.append('}').toString();
    }

    static void goQuote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", c));
                    } else if (!goPrintable(c)) {
                        sb.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Go's unicode.IsPrint: graphic characters and the ASCII space, but no other spaces. */
    static boolean goPrintable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    /** Reads every block under a directory (series merged across blocks) in dump form. */
    static Map<String, TreeMap<Long, Long>> readAll(Path db) throws IOException {
        Map<String, TreeMap<Long, Long>> m = new TreeMap<>();
        for (Path b : blockDirs(db)) {
            try (Block block = Block.open(b)) {
                BlockSeriesSet s = block.all();
                while (s.next()) {
                    TreeMap<Long, Long> pts = m.computeIfAbsent(goString(s.labels()), k -> new TreeMap<>());
                    io.thanosj.model.SampleIterator it = s.samples();
                    while (it.next()) {
                        pts.put(it.t(), bits(it.v()));
                    }
                }
            }
        }
        return m;
    }

    /** Compares two dumps and fails with a short description of the first difference. */
    static void assertSameData(Map<String, TreeMap<Long, Long>> got, Map<String, TreeMap<Long, Long>> want) {
        for (String k : want.keySet()) {
            if (!got.containsKey(k)) {
                fail("missing series " + shorten(k) + " (got " + got.size() + " series, want " + want.size() + ")");
            }
        }
        for (String k : got.keySet()) {
            if (!want.containsKey(k)) {
                fail("unexpected series " + shorten(k) + " (got " + got.size() + " series, want " + want.size() + ")");
            }
            TreeMap<Long, Long> g = got.get(k);
            TreeMap<Long, Long> w = want.get(k);
            for (Map.Entry<Long, Long> e : w.entrySet()) {
                Long v = g.get(e.getKey());
                if (v == null || !v.equals(e.getValue())) {
                    fail("series " + shorten(k) + " at " + e.getKey() + ": got " + (v == null ? "nothing" : Double.longBitsToDouble(v))
                            + ", want " + Double.longBitsToDouble(e.getValue()) + " (" + g.size() + " vs " + w.size() + " samples)");
                }
            }
            if (g.size() != w.size()) {
                TreeMap<Long, Long> extra = new TreeMap<>(g);
                extra.keySet().removeAll(w.keySet());
                fail("series " + shorten(k) + ": " + extra.size() + " unexpected samples, first at " + extra.firstKey());
            }
        }
    }

    static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    static List<Path> blockDirs(Path db) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(db)) {
            s.filter(p -> Files.exists(p.resolve("meta.json"))).sorted().forEach(out::add);
        }
        return out;
    }

    /** Re-encodes every chunk from its samples and rewrites chunks and index: all bytes must match. */
    static void assertByteExactRewrite(Path block, Path out) throws IOException {
        Files.createDirectories(out);
        BlockMeta meta = BlockMeta.readFromDir(block);
        assertThat(meta.version()).isEqualTo(1);
        List<Labels> series = new ArrayList<>();
        List<ChunkMetas> metas = new ArrayList<>();
        List<List<XorChunk>> chunks = new ArrayList<>();
        List<String> symbols = new ArrayList<>();
        try (IndexReader ir = IndexReader.open(block.resolve("index"), meta.ulid());
             ChunkReader cr = ChunkReader.open(block.resolve("chunks"), meta.ulid())) {
            for (int i = 0; i < ir.numSymbols(); i++) {
                symbols.add(ir.symbol(i));
            }
            Postings p = ir.allPostings();
            LabelsBuilder lb = new LabelsBuilder();
            while (p.next()) {
                ChunkMetas cm = new ChunkMetas();
                ir.series(p.at(), lb, cm);
                series.add(lb.build());
                metas.add(cm);
                List<XorChunk> cs = new ArrayList<>();
                for (int k = 0; k < cm.size(); k++) {
                    XorChunk c = cr.chunk(cm.ref(k));
                    XorAppender a = new XorAppender();
                    SampleIterator it = c.iterator();
                    while (it.next()) {
                        a.append(it.t(), it.v());
                    }
                    assertThat(a.chunk().bytes()).as("re-encoded chunk %d of %s", k, lb.build()).isEqualTo(c.bytes());
                    cs.add(c);
                }
                chunks.add(cs);
            }
        }
        try (ChunkWriter cw = new ChunkWriter(out.resolve("chunks"))) {
            for (int s = 0; s < series.size(); s++) {
                for (int k = 0; k < chunks.get(s).size(); k++) {
                    assertThat(cw.write(chunks.get(s).get(k))).isEqualTo(metas.get(s).ref(k));
                }
            }
        }
        try (IndexWriter iw = new IndexWriter(out.resolve("index"))) {
            iw.addSymbols(symbols);
            for (int s = 0; s < series.size(); s++) {
                iw.addSeries(series.get(s), metas.get(s));
            }
        }
        assertThat(Files.readAllBytes(out.resolve("chunks/000001"))).isEqualTo(Files.readAllBytes(block.resolve("chunks/000001")));
        assertThat(Files.readAllBytes(out.resolve("index"))).as("index of %s", block).isEqualTo(Files.readAllBytes(block.resolve("index")));
    }

}
