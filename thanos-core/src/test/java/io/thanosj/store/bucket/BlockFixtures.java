package io.thanosj.store.bucket;

import io.thanosj.model.Labels;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockWriter;
import io.thanosj.tsdb.bucket.BucketBlocks;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.ChunkSegments;
import io.thanosj.tsdb.chunk.XorAppender;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.index.IndexWriter;
import io.thanosj.model.Utf8Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/** Blocks for bucket store tests, written with our block writer and uploaded to a bucket. */
final class BlockFixtures {
    private BlockFixtures() {}

    /** Series labels {@code metric{job, instance, [path]}} with a prefix pair for ordering edge cases. */
    static List<Labels> series(int n) {
        List<Labels> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String metric = i % 3 == 0 ? "http_requests_total" : i % 3 == 1 ? "cpu_seconds" : "up";
            if (i % 7 == 0) {
                out.add(Labels.of("__name__", metric, "instance", "host-" + (i % 11), "job", "j" + (i % 4)));
            } else {
                out.add(Labels.of("__name__", metric, "instance", "host-" + (i % 11), "job", "j" + (i % 4), "path", "/p" + i));
            }
        }
        // Prefix pair: adding an external label sorting after "instance" reverses their order.
        out.add(Labels.of("__name__", "pair", "a", "1"));
        out.add(Labels.of("__name__", "pair", "a", "1", "b", "x"));
        return out;
    }

    static double value(Labels l, long t) {
        return (l.hashCode() % 1000) + t / 15_000.0;
    }

    /**
     * Writes a block of {@code series} sampled every {@code step} ms over {@code [mint, maxt)},
     * with external labels and resolution, and uploads it; returns the local block directory.
     */
    static Path upload(Bucket bkt, Path tmp, List<Labels> series, long mint, long maxt, long step,
            Map<String, String> ext, long resolution) throws IOException {
        Path parent = Files.createTempDirectory(tmp, "blk");
        List<Labels> sorted = new ArrayList<>(new TreeSet<>(series));
        BlockMeta meta;
        try (BlockWriter w = new BlockWriter(parent)) {
            w.thanos(BlockMeta.Thanos.of(ext, resolution, "test")).timeRange(mint, maxt);
            int n = (int) ((maxt - mint + step - 1) / step);
            long[] ts = new long[n];
            double[] vs = new double[n];
            for (Labels l : sorted) {
                for (int i = 0; i < n; i++) {
                    ts[i] = mint + i * step;
                    vs[i] = value(l, ts[i]);
                }
                w.addSeries(l, ts, vs, n);
            }
            meta = w.finish();
        }
        BucketBlocks.upload(bkt, parent.resolve(meta.ulid()), ext.isEmpty());
        return parent.resolve(meta.ulid());
    }

    /**
     * Writes a downsampled block by hand: every series has one aggregate chunk (encoding 0xff,
     * Thanos's layout) holding count, sum, min, max and counter XOR sub-chunks.
     */
    static BlockMeta uploadDownsampled(Bucket bkt, Path tmp, List<Labels> series, long mint, long maxt, long resolution,
            Map<String, String> ext) throws IOException {
        String ulid = BlockMeta.newUlid();
        Path dir = Files.createTempDirectory(tmp, "ds").resolve(ulid);
        Files.createDirectories(dir.resolve("chunks"));
        List<Labels> sorted = new ArrayList<>(new TreeSet<>(series));
        ByteArrayOutputStream seg = new ByteArrayOutputStream();
        seg.write(ByteBuffer.allocate(8).putInt(ChunkSegments.MAGIC).put((byte) 1).array());
        List<long[]> refs = new ArrayList<>();
        for (Labels l : sorted) {
            ByteArrayOutputStream aggr = new ByteArrayOutputStream();
            for (int a = 0; a < 5; a++) {
                XorAppender app = new XorAppender();
                for (long t = mint; t < maxt; t += resolution) {
                    app.append(t, aggrValue(l, a, t));
                }
                XorChunk c = app.chunk();
                putUvarint(aggr, c.length());
                aggr.write(1);
                aggr.write(c.array(), c.offset(), c.length());
            }
            byte[] data = aggr.toByteArray();
            long ref = ChunkSegments.ref(0, seg.size());
            putUvarint(seg, data.length);
            CRC32C crc = new CRC32C();
            crc.update(0xff);
            crc.update(data);
            seg.write(0xff);
            seg.write(data);
            seg.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            refs.add(new long[] {ref});
        }
        Files.write(dir.resolve("chunks").resolve(ChunkSegments.fileName(0)), seg.toByteArray());
        TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
        for (Labels l : sorted) {
            l.forEach((k, v) -> {
                symbols.add(k);
                symbols.add(v);
            });
        }
        try (IndexWriter iw = new IndexWriter(dir.resolve("index"))) {
            iw.addSymbols(symbols);
            for (int i = 0; i < sorted.size(); i++) {
                ChunkMetas m = new ChunkMetas();
                m.add(refs.get(i)[0], mint, maxt - resolution);
                iw.addSeries(sorted.get(i), m);
            }
        }
        BlockMeta meta = BlockMeta.newBlock(ulid, mint, maxt, new BlockMeta.Stats(0, sorted.size(), sorted.size(), 0))
                .withThanos(BlockMeta.Thanos.of(ext, resolution, "compactor"));
        meta.writeToDir(dir);
        BucketBlocks.upload(bkt, dir, ext.isEmpty());
        return meta;
    }

    static double aggrValue(Labels l, int aggr, long t) {
        return aggr * 1000 + (l.hashCode() & 0xff) + t / 300_000.0;
    }

    private static void putUvarint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
