package io.thanosj.tsdb.block;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.chunk.ChunkMetas;
import io.thanosj.tsdb.index.IndexReader;
import io.thanosj.tsdb.index.Postings;
import java.util.ArrayList;
import java.util.List;

/**
 * Known index problems of a block, as Thanos's {@code block.GatherIndexHealthStats}: series out of
 * order (fatal), series without chunks (fatal), labels out of order within a series, chunks out of
 * order or duplicated within a series, and chunks outside the block's time range (including the
 * off-by-one of prometheus/tsdb#347).
 */
public final class IndexHealth {
    public long totalSeries;
    public long totalChunks;
    public int outOfOrderSeries;
    public int outOfOrderChunks;
    public int duplicatedChunks;
    public int outsideChunks;
    public int completeOutsideChunks;
    public int issue347OutsideChunks;
    public int outOfOrderLabels;

    /**
     * Reads every series of the index. A fatal problem (unsorted series, series without chunks, empty
     * label set) raises a {@link ThanosException}; the others are counted.
     */
    public static IndexHealth gather(IndexReader ir, String block, long minTime, long maxTime) {
        IndexHealth h = new IndexHealth();
        Postings p = ir.allPostings();
        LabelsBuilder lb = new LabelsBuilder();
        ChunkMetas chks = new ChunkMetas();
        Labels prev = null;
        while (p.next()) {
            long id = p.at();
            h.totalSeries++;
            if (!ir.series(id, lb, chks)) {
                h.outOfOrderLabels++;
            }
            Labels l = lb.build();
            if (l.isEmpty()) {
                throw ThanosException.corrupted("verify index of block " + block + ": empty label set for series " + id);
            }
            if (prev != null && prev.compareTo(l) >= 0) {
                throw ThanosException.corrupted("verify index of block " + block + ": series " + l
                        + " out of order; previous " + prev);
            }
            prev = l;
            if (chks.isEmpty()) {
                throw ThanosException.corrupted("verify index of block " + block + ": empty chunks for series " + id);
            }
            int ooo = 0;
            for (int i = 0; i < chks.size(); i++) {
                h.totalChunks++;
                long cmin = chks.minTime(i);
                long cmax = chks.maxTime(i);
                if (cmin < minTime || cmax > maxTime) {
                    h.outsideChunks++;
                    if (cmin > maxTime || cmax < minTime) {
                        h.completeOutsideChunks++;
                    } else if (cmin == maxTime) {
                        h.issue347OutsideChunks++;
                    }
                }
                if (i == 0 || cmin > chks.maxTime(i - 1)) {
                    continue;
                }
                if (cmin == chks.minTime(i - 1) && cmax == chks.maxTime(i - 1)) {
                    h.duplicatedChunks++;
                    continue;
                }
                ooo++;
            }
            if (ooo > 0) {
                h.outOfOrderSeries++;
                h.outOfOrderChunks += ooo;
            }
        }
        return h;
    }

    /** Thanos's {@code AnyErr} text, or null when the index is healthy. */
    public String anyError() {
        List<String> msgs = new ArrayList<>();
        int n = outsideChunks - (completeOutsideChunks + issue347OutsideChunks);
        if (n > 0) {
            msgs.add("found " + n + " chunks non-completely outside the block time range");
        }
        if (completeOutsideChunks > 0) {
            msgs.add("found " + completeOutsideChunks + " chunks completely outside the block time range");
        }
        if (issue347OutsideChunks > 0) {
            msgs.add("found " + issue347OutsideChunks + " chunks outside the block time range introduced by "
                    + "https://github.com/prometheus/tsdb/issues/347");
        }
        if (outOfOrderLabels > 0) {
            msgs.add("index contains " + outOfOrderLabels + " postings with out of order labels");
        }
        if (outOfOrderChunks > 0) {
            msgs.add(String.format("%d/%d series have an average of %.3f out-of-order chunks: "
                    + "%.3f of these are exact duplicates (in terms of data and time range)", outOfOrderSeries, totalSeries,
                    (double) outOfOrderChunks / outOfOrderSeries, (double) duplicatedChunks / outOfOrderChunks));
        }
        return msgs.isEmpty() ? null : String.join(", ", msgs);
    }
}
