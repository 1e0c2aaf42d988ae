package io.thanosj.tsdb.index;

/**
 * A sorted cursor over series references (Prometheus's {@code index.Postings}): {@link #next} and
 * {@link #seek} advance, {@link #at} reads. References are unsigned 32-bit values held in a long.
 * Combine cursors with {@link PostingsOps}.
 */
public interface Postings {
    /** Advances to the next reference; false when exhausted. */
    boolean next();

    /**
     * Advances to the first reference {@code >= v}; stays put when the current one qualifies. False
     * when exhausted. Implementations over arrays gallop (exponential then binary search).
     */
    boolean seek(long v);

    /** The current reference. */
    long at();

    /** An upper bound on the number of references left, for ordering work; may be inexact. */
    default long cost() {
        return Long.MAX_VALUE;
    }
}
