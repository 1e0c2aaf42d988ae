package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.SampleIterator;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.chunk.XorChunk;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.Postings;
import java.util.function.Consumer;

/**
 * Checks every series of a block, index and chunks, and reports each problem with the series it
 * concerns: series out of order or without chunks, labels out of order within a series, chunks out
 * of order, duplicated or overlapping, chunks outside the block's time range, and for each chunk a bad
 * checksum or reference, samples out of order and time ranges that disagree with the index. These are
 * the issues Thanos's {@code index_known_issues} counts ({@link IndexHealth}), found one by one and
 * extended to chunk data. Unreadable index structures end the check with one problem for the block.
 */
public final class BlockCheck {
    /** One problem; {@code series} is null when it concerns the block as a whole. */
    public record Problem(String block, Labels series, String message) {
        @Override
        public String toString() {
            return "block " + block + (series == null ? "" : ", series " + series) + ": " + message;
        }
    }

    private BlockCheck() {}

    /** Checks {@code b}, passing each problem to {@code out}; returns how many were found. */
    public static long check(Block b, Consumer<Problem> out) {
        final String id = b.meta().ulid();
        final long minT = b.meta().minTime();
        final long maxT = b.meta().maxTime();
        final boolean downsampled = b.meta().thanos().downsampleResolution() > 0;
        final IndexReader ir = b.index();
        final LabelsBuilder lb = new LabelsBuilder();
        final ChunkMetas chks = new ChunkMetas();
        SampleIterator it = null;
        long found = 0;
        Labels prev = null;
        long ref = -1;
        try {
            final Postings p = ir.allPostings();
            while (p.next()) {
                ref = p.at();
                final boolean sorted = ir.series(ref, lb, chks);
                final Labels l = lb.build();
                if (!sorted) {
                    out.accept(new Problem(id, l, "labels out of order in the index"));
                    found++;
                }
                if (l.isEmpty()) {
                    out.accept(new Problem(id, null, "series " + ref + " has an empty label set"));
                    found++;
                }
                if (prev != null && prev.compareTo(l) >= 0) {
                    out.accept(new Problem(id, l, "series out of order, after " + prev));
                    found++;
                }
                prev = l;
                if (chks.isEmpty()) {
                    out.accept(new Problem(id, l, "series has no chunks"));
                    found++;
                }
                for (int i = 0; i < chks.size(); i++) {
                    final long cmin = chks.minTime(i);
                    final long cmax = chks.maxTime(i);
                    final String which = "chunk " + (i + 1) + " of " + chks.size() + " [" + cmin + ", " + cmax + "]";
                    if (cmin > cmax) {
                        out.accept(new Problem(id, l, which + ": minimum time after maximum time"));
                        found++;
                    }
                    if (cmin < minT || cmax > maxT) {
                        out.accept(new Problem(id, l, which + ": outside the block time range [" + minT + ", " + maxT + ")"));
                        found++;
                    }
                    if (i > 0 && cmin <= chks.maxTime(i - 1)) {
                        final boolean dup = cmin == chks.minTime(i - 1) && cmax == chks.maxTime(i - 1);
                        out.accept(new Problem(id, l, which + (dup ? ": duplicates the previous chunk"
                                : ": overlaps or precedes the previous chunk ending at " + chks.maxTime(i - 1))));
                        found++;
                    }
                    try {
                        final XorChunk c = b.chunks().chunk(chks.ref(i));
                        it = c.iterator(it);
                        long n = 0;
                        long first = 0;
                        long last = Long.MIN_VALUE;
                        boolean ordered = true;
                        while (it.next()) {
                            final long t = it.t();
                            if (n == 0) {
                                first = t;
                            } else if (t <= last && ordered) {
                                out.accept(new Problem(id, l, which + ": sample at " + t + " not after the previous one at " + last));
                                found++;
                                ordered = false;
                            }
                            last = t;
                            n++;
                        }
                        if (n == 0) {
                            out.accept(new Problem(id, l, which + ": chunk has no samples"));
                            found++;
                        } else if (first != cmin || last != cmax) {
                            out.accept(new Problem(id, l, which + ": samples span [" + first + ", " + last
                                    + "], not the range in the index"));
                            found++;
                        }
                    } catch (ThanosException e) {
                        // Downsampled blocks hold Thanos's aggregate chunks, whose checksums were verified
                        // but whose encoding this reader does not decode.
                        if (!(downsampled && e.getMessage().contains("unsupported chunk encoding"))) {
                            out.accept(new Problem(id, l, which + ": " + e.getMessage()));
                            found++;
                        }
                    }
                }
            }
        } catch (ThanosException e) {
            out.accept(new Problem(id, null, (ref < 0 ? "" : "after series " + ref + ": ") + e.getMessage()));
            found++;
        }
        return found;
    }
}
