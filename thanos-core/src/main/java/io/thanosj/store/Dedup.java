package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.SampleIterator;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.List;
import java.util.Set;

/**
 * Deduplication of HA replicas, Thanos's way: ask the stores to drop the replica labels
 * ({@link #request}), so replicas of a series arrive as one merged series whose chunks overlap in
 * time; then split overlapping chunks into replica runs and fold those with the penalty algorithm
 * ({@link #penalty}) into one gap-free series.
 *
 * <p>The penalty algorithm (Thanos's pkg/dedup) follows one replica and, on each sample, pushes
 * the other replica's next acceptable timestamp ahead by twice the last sample interval, so it
 * only switches replicas where the followed one has a gap larger than that. It never interleaves
 * two replicas' scrapes (which would double the sample rate and skew rates), at the cost of
 * skipping up to two intervals of samples at each switch, well inside PromQL's lookback.
 *
 * <p>Runs are decoded by a {@link RunDecoder}: raw chunks by default; the querier's decoder also
 * reads downsampled chunks, counters as running totals, before the runs are folded.
 */
public final class Dedup {
    /** Functions over counters: replicas switched mid-series get their counters aligned. */
    private static final Set<String> COUNTER_FUNCTIONS = Set.of("increase", "rate", "irate", "resets");

    /** Runs of raw chunks, decoded as they are; downsampled chunks are refused. */
    public static final RunDecoder RAW = (labels, series, run, mint, maxt) -> new ChunkSeqIterator(run, mint, maxt);

    private Dedup() {}

    /**
     * Decodes one replica's run of chunks (sorted by time, not overlapping) into its samples in
     * [mint, maxt]. The querier supplies one that reads downsampled chunks in the query's view.
     */
    @FunctionalInterface
    public interface RunDecoder {
        /**
         * @param labels the series (for messages)
         * @param series every chunk of the series, to decide once for all its runs how to read them
         * @param run    the chunks of this run
         */
        SampleIterator decode(Labels labels, List<AggrChunk> series, List<AggrChunk> run, long mint, long maxt);
    }

    /** The request with the replica labels to drop set (repeatable replica labels). */
    public static SeriesRequest request(SeriesRequest r, List<String> replicaLabels) {
        return r.toBuilder().clearWithoutReplicaLabels().addAllWithoutReplicaLabels(replicaLabels).build();
    }

    /** Whether the enclosing PromQL function reads the series as a counter. */
    public static boolean isCounterFunction(String func) {
        return COUNTER_FUNCTIONS.contains(func);
    }

    /**
     * Samples in [mint, maxt] of a set selected with {@link #request}, replicas folded by the
     * penalty algorithm. With {@code counter}, a replica taken over is adjusted so that the counter
     * never goes down at the switch (which PromQL would read as a reset).
     */
    public static SampleSeriesSet penalty(SeriesSet set, long mint, long maxt, boolean counter) {
        return penalty(set, mint, maxt, counter, RAW);
    }

    /** As {@link #penalty(SeriesSet, long, long, boolean)}, each replica run decoded by {@code runs}. */
    public static SampleSeriesSet penalty(SeriesSet set, long mint, long maxt, boolean counter, RunDecoder runs) {
        return new DedupSeriesSet(set, mint, maxt, counter, runs);
    }
}
