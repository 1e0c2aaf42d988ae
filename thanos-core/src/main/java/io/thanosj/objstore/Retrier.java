package io.thanosj.objstore;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Re-runs one idempotent request on transient failures (5xx, throttling, connection reset) with
 * capped exponential backoff. Providers turn off their SDK's own retries and call requests through
 * this, so that {@code max_retries} means the same everywhere and tests can count attempts.
 */
final class Retrier {
    static final int DEFAULT_MAX_RETRIES = 3;
    static final Duration DEFAULT_BASE = Duration.ofMillis(200);
    static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    private final int maxRetries;
    private final Duration base;
    private final Duration max;
    private final Predicate<Throwable> isTransient;
    private final Sleeper sleeper;

    Retrier(int maxRetries, Duration base, Duration max, Predicate<Throwable> isTransient, Sleeper sleeper) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.base = base;
        this.max = max;
        this.isTransient = isTransient;
        this.sleeper = sleeper;
    }

    /** {@code max_retries} as in Thanos's configs: 0 picks the default. */
    static Retrier fromConfig(int configuredMaxRetries, Predicate<Throwable> isTransient, Sleeper sleeper) {
        int n = configuredMaxRetries <= 0 ? DEFAULT_MAX_RETRIES : configuredMaxRetries;
        return new Retrier(n, DEFAULT_BASE, DEFAULT_MAX, isTransient, sleeper);
    }

    /** A retrier that tries once: for creation checks, which must fail fast. */
    static Retrier once() {
        return new Retrier(0, Duration.ZERO, Duration.ZERO, t -> false, Sleeper.SYSTEM);
    }

    int maxRetries() {
        return maxRetries;
    }

    <T> T call(Supplier<T> request) {
        for (int attempt = 0; ; attempt++) {
            try {
                return request.get();
            } catch (RuntimeException e) {
                if (attempt >= maxRetries || !isTransient.test(e)) {
                    throw e;
                }
                try {
                    sleeper.sleep(backoff(attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    ThanosException t = new ThanosException(ErrorCode.CANCELED, "retry bucket request: interrupted", ie);
                    t.addSuppressed(e);
                    throw t;
                }
            }
        }
    }

    void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }

    Duration backoff(int attempt) {
        long nanos = base.toNanos() << Math.min(attempt, 30);
        return nanos <= 0 || nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
    }
}
