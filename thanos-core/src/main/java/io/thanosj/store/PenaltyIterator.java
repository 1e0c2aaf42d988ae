package io.thanosj.store;

/**
 * Two replicas of one series folded into one with Thanos's penalty algorithm (see {@link Dedup}).
 * After taking a sample from one replica, the other may only contribute samples at least twice
 * the last sample interval later; so the result follows one replica and switches only across a
 * gap, and replicas scraped at offset times are never interleaved. Folding more replicas nests
 * instances: {@code penalty(penalty(r0, r1), r2)}.
 */
final class PenaltyIterator extends ReplicaCursor {
    /** Penalty before any interval is known: scrape intervals are seconds, timestamps milliseconds. */
    static final long INITIAL_PENALTY = 5000;

    private final ReplicaCursor a;
    private final ReplicaCursor b;
    private boolean aOk;
    private boolean bOk;
    private boolean started;
    private boolean has;  // a sample was returned and is current
    private boolean useA = true;
    private long lastT = Long.MIN_VALUE;
    private long penA;
    private long penB;

    PenaltyIterator(ReplicaCursor a, ReplicaCursor b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            aOk = a.next();
            bOk = b.next();
        }
        boolean hadSample = has;
        double lastV = hadSample ? v() : 0;
        boolean wasA = useA;

        // Both replicas move past the last timestamp, each plus its penalty.
        if (aOk) {
            aOk = a.seek(lastT + 1 + penA);
        }
        if (bOk) {
            bOk = b.seek(lastT + 1 + penB);
        }
        if (!aOk && !bOk) {
            has = false;
            return false;
        }
        if (!aOk || !bOk) {
            useA = aOk;
            lastT = aOk ? a.t() : b.t();
            penA = 0;
            penB = 0;
        } else {
            long ta = a.t();
            long tb = b.t();
            useA = ta <= tb;
            long t = useA ? ta : tb;
            // The replica not taken must wait twice the last interval, so its next sample is not
            // one scrape of the same moment taken a little later.
            long pen = lastT == Long.MIN_VALUE ? INITIAL_PENALTY : 2 * (t - lastT);
            if (useA) {
                penA = 0;
                penB = pen;
            } else {
                penB = 0;
                penA = pen;
            }
            lastT = t;
        }
        has = true;
        if (hadSample && useA != wasA) {
            // Unlike Thanos, only a switch after a returned sample adjusts: before the first
            // sample there is no value to continue from.
            adjust(lastV);
        }
        return true;
    }

    @Override
    void adjust(double lastValue) {
        if (aOk) {
            a.adjust(lastValue);
        }
        if (bOk) {
            b.adjust(lastValue);
        }
    }

    /** Steps sample by sample rather than seeking the replicas, which could jump over a gap. */
    @Override
    public boolean seek(long t) {
        if (!has && (started || !next())) {
            return false;
        }
        while (lastT < t) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long t() {
        return lastT;
    }

    @Override
    public double v() {
        return useA ? a.v() : b.v();
    }
}
