package io.thanosj.objstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Counts and times every operation with Thanos's metric names, so its dashboards and alerts
 * work: {@code thanos_objstore_bucket_operations_total}, {@code ..._operation_failures_total},
 * {@code ..._operation_duration_seconds} (histogram with Thanos's buckets), labelled by
 * {@code operation} and {@code bucket}. A missing object is expected by callers (markers, optional
 * files), so it is not counted as a failure. Reads are timed until the stream is closed.
 */
final class InstrumentedBucket implements Bucket {
    enum Op {
        ITER("iter"), GET("get"), GET_RANGE("get_range"), EXISTS("exists"),
        ATTRIBUTES("attributes"), UPLOAD("upload"), DELETE("delete");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(600), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(6),
        Duration.ofSeconds(9), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofSeconds(90), Duration.ofSeconds(120),
    };

    private final Bucket inner;
    private final LongSupplier nanoClock;
    private final EnumMap<Op, Counter> ops = new EnumMap<>(Op.class);
    private final EnumMap<Op, Counter> failures = new EnumMap<>(Op.class);
    private final EnumMap<Op, Timer> durations = new EnumMap<>(Op.class);
    private final EnumMap<Op, Counter> fetchedBytes = new EnumMap<>(Op.class);
    private final AtomicLong lastUploadSeconds = new AtomicLong();

    InstrumentedBucket(Bucket inner, MeterRegistry registry, LongSupplier nanoClock) {
        this.inner = inner;
        this.nanoClock = nanoClock;
        String bucket = inner.name();
        for (Op op : Op.values()) {
            ops.put(op, Counter.builder("thanos.objstore.bucket.operations")
                    .description("Total number of all attempted operations against a bucket.")
                    .tags("bucket", bucket, "operation", op.label).register(registry));
            failures.put(op, Counter.builder("thanos.objstore.bucket.operation.failures")
                    .description("Total number of operations against a bucket that failed, but were not expected to fail in certain way from caller perspective.")
                    .tags("bucket", bucket, "operation", op.label).register(registry));
            durations.put(op, Timer.builder("thanos.objstore.bucket.operation.duration")
                    .description("Duration of successful operations against the bucket")
                    .serviceLevelObjectives(BUCKETS)
                    .tags("bucket", bucket, "operation", op.label).register(registry));
            fetchedBytes.put(op, Counter.builder("thanos.objstore.bucket.operation.fetched")
                    .baseUnit("bytes")
                    .description("Total number of bytes fetched from bucket, per operation.")
                    .tags("bucket", bucket, "operation", op.label).register(registry));
        }
        Gauge.builder("thanos.objstore.bucket.last.successful.upload.time", lastUploadSeconds, AtomicLong::get)
                .description("Second timestamp of the last successful upload to the bucket.")
                .tags("bucket", bucket).register(registry);
    }

    private void failed(Op op, Throwable t) {
        if (!Bucket.isObjNotFound(t)) {
            failures.get(op).increment();
        }
    }

    private void succeeded(Op op, long startNanos) {
        durations.get(op).record(Duration.ofNanos(nanoClock.getAsLong() - startNanos));
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> visitor) {
        ops.get(Op.ITER).increment();
        long start = nanoClock.getAsLong();
        try {
            inner.iter(dir, recursive, visitor);
        } catch (RuntimeException e) {
            failed(Op.ITER, e);
            throw e;
        }
        succeeded(Op.ITER, start);
    }

    @Override
    public InputStream get(String name) {
        return timedRead(Op.GET, () -> inner.get(name));
    }

    @Override
    public InputStream getRange(String name, long offset, long length) {
        return timedRead(Op.GET_RANGE, () -> inner.getRange(name, offset, length));
    }

    private InputStream timedRead(Op op, Supplier<InputStream> open) {
        ops.get(op).increment();
        long start = nanoClock.getAsLong();
        InputStream in;
        try {
            in = open.get();
        } catch (RuntimeException e) {
            failed(op, e);
            throw e;
        }
        return new TimedStream(in, op, start);
    }

    @Override
    public boolean exists(String name) {
        ops.get(Op.EXISTS).increment();
        long start = nanoClock.getAsLong();
        boolean ok;
        try {
            ok = inner.exists(name);
        } catch (RuntimeException e) {
            failed(Op.EXISTS, e);
            throw e;
        }
        succeeded(Op.EXISTS, start);
        return ok;
    }

    @Override
    public ObjectAttributes attributes(String name) {
        ops.get(Op.ATTRIBUTES).increment();
        long start = nanoClock.getAsLong();
        ObjectAttributes a;
        try {
            a = inner.attributes(name);
        } catch (RuntimeException e) {
            failed(Op.ATTRIBUTES, e);
            throw e;
        }
        succeeded(Op.ATTRIBUTES, start);
        return a;
    }

    @Override
    public void upload(String name, InputStream in) {
        ops.get(Op.UPLOAD).increment();
        long start = nanoClock.getAsLong();
        try {
            inner.upload(name, in);
        } catch (RuntimeException e) {
            failed(Op.UPLOAD, e);
            throw e;
        }
        succeeded(Op.UPLOAD, start);
        lastUploadSeconds.set(System.currentTimeMillis() / 1000);
    }

    @Override
    public void delete(String name) {
        ops.get(Op.DELETE).increment();
        long start = nanoClock.getAsLong();
        try {
            inner.delete(name);
        } catch (RuntimeException e) {
            failed(Op.DELETE, e);
            throw e;
        }
        succeeded(Op.DELETE, start);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Counts fetched bytes and records the duration when closed, or a failure on a read error. */
    private final class TimedStream extends FilterInputStream {
        private final Op op;
        private final long start;
        private boolean done;

        TimedStream(InputStream in, Op op, long start) {
            super(in);
            this.op = op;
            this.start = start;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) {
                    fetchedBytes.get(op).increment();
                }
                return b;
            } catch (IOException | RuntimeException e) {
                readFailed(e);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    fetchedBytes.get(op).increment(n);
                }
                return n;
            } catch (IOException | RuntimeException e) {
                readFailed(e);
                throw e;
            }
        }

        private void readFailed(Exception e) {
            if (!done) {
                done = true;
                failed(op, e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException | RuntimeException e) {
                readFailed(e);
                throw e;
            }
            if (!done) {
                done = true;
                succeeded(op, start);
            }
        }
    }
}
