package io.thanosj.store;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.List;

/**
 * Per-request limits on the series and samples one Series call may return (Thanos's
 * {@code --store.limits.request-series} and {@code --store.limits.request-samples}); zero means
 * unlimited. Exceeding one fails the call with {@link ErrorCode#RESOURCE_EXHAUSTED} as soon as the
 * limit is crossed, before more data is read. Samples are counted from chunk headers, not decoded.
 */
public record Limits(long maxSeries, long maxSamples) {
    public static final Limits NONE = new Limits(0, 0);

    public Limits {
        if (maxSeries < 0 || maxSamples < 0) {
            throw new IllegalArgumentException("limits must not be negative: series " + maxSeries + ", samples " + maxSamples);
        }
    }

    /** The store with these limits applied to every Series call. */
    public StoreServer apply(StoreServer store) {
        if (maxSeries == 0 && maxSamples == 0) {
            return store;
        }
        return new StoreServer() {
            @Override
            public SeriesSet series(SeriesRequest request) {
                return limit(store.series(request));
            }

            @Override
            public LabelNamesResponse labelNames(LabelNamesRequest request) {
                return store.labelNames(request);
            }

            @Override
            public LabelValuesResponse labelValues(LabelValuesRequest request) {
                return store.labelValues(request);
            }

            @Override
            public io.thanosj.store.StoreInfo info() {
                return store.info();
            }
        };
    }

    /** The set, failing once it passes these limits. */
    public SeriesSet limit(SeriesSet set) {
        return maxSeries == 0 && maxSamples == 0 ? set : new LimitedSet(set, this);
    }

    static ThanosException exceeded(String what, long limit, long got) {
        return new ThanosException(ErrorCode.RESOURCE_EXHAUSTED,
                "select series: exceeded " + what + " limit: limit " + limit + " violated (got " + got + ")");
    }

    private static final class LimitedSet implements SeriesSet {
        private final SeriesSet delegate;
        private final long maxSeries;
        private final long maxSamples;
        private long series;
        private long samples;

        LimitedSet(SeriesSet delegate, Limits limits) {
            this.delegate = delegate;
            this.maxSeries = limits.maxSeries;
            this.maxSamples = limits.maxSamples;
        }

        @Override
        public boolean next() {
            if (!delegate.next()) {
                return false;
            }
            if (maxSeries > 0 && ++series > maxSeries) {
                throw exceeded("series", maxSeries, series);
            }
            if (maxSamples > 0) {
                samples += SeriesChunks.samples(delegate.chunks());
                if (samples > maxSamples) {
                    throw exceeded("samples", maxSamples, samples);
                }
            }
            return true;
        }

        @Override
        public Labels labels() {
            return delegate.labels();
        }

        @Override
        public List<AggrChunk> chunks() {
            return delegate.chunks();
        }

        @Override
        public List<String> warnings() {
            return delegate.warnings();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
