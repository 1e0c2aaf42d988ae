package io.thanosj.promql.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of an {@link Engine}, checked when built.
 *
 * @param lookbackDelta how far back an instant selector looks for the latest sample (Prometheus: 5m)
 * @param maxSamples most samples and step values a query may hold in memory at once
 * @param timeout longest a query may run
 * @param defaultSubqueryStep step of subqueries written without one, e.g. {@code x[1h:]} (Prometheus: the
 *     global evaluation interval, 1m by default)
 * @param nanoClock monotonic clock used for the timeout; tests inject a fake one
 * @param maxConcurrentSelects selects a query opens before evaluating, so that their sources stream
 *     at once (Thanos's {@code --query.max-concurrent-select}); 1 opens each select when evaluation
 *     reaches it
 * @param decodeAhead whether a select of many series is read and decoded on a helper thread while the
 *     query thread evaluates the series before (on by default with more than one CPU)
 */
public record EngineOptions(Duration lookbackDelta, long maxSamples, Duration timeout, Duration defaultSubqueryStep,
                            LongSupplier nanoClock, int maxConcurrentSelects, boolean decodeAhead) {

    public EngineOptions {
        Objects.requireNonNull(lookbackDelta, "lookbackDelta");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(defaultSubqueryStep, "defaultSubqueryStep");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (lookbackDelta.toMillis() <= 0) {
            throw new IllegalArgumentException("lookbackDelta must be positive, got " + lookbackDelta);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (defaultSubqueryStep.toMillis() <= 0) {
            throw new IllegalArgumentException("defaultSubqueryStep must be positive, got " + defaultSubqueryStep);
        }
        if (maxConcurrentSelects < 1) {
            throw new IllegalArgumentException("maxConcurrentSelects must be at least 1, got " + maxConcurrentSelects);
        }
    }

    /**
     * Prometheus's defaults: 5m lookback, 50M samples, 2m timeout, 1m subquery step; Thanos's 4 concurrent
     * selects; decoding ahead when there is more than one CPU.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(Duration.ofMinutes(5), 50_000_000L, Duration.ofMinutes(2), Duration.ofMinutes(1),
                System::nanoTime, 4, Runtime.getRuntime().availableProcessors() > 1);
    }

    public EngineOptions withLookbackDelta(Duration d) {
        return new EngineOptions(d, maxSamples, timeout, defaultSubqueryStep, nanoClock, maxConcurrentSelects, decodeAhead);
    }

    public EngineOptions withMaxSamples(long n) {
        return new EngineOptions(lookbackDelta, n, timeout, defaultSubqueryStep, nanoClock, maxConcurrentSelects, decodeAhead);
    }

    public EngineOptions withTimeout(Duration d) {
        return new EngineOptions(lookbackDelta, maxSamples, d, defaultSubqueryStep, nanoClock, maxConcurrentSelects, decodeAhead);
    }

    public EngineOptions withDefaultSubqueryStep(Duration d) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, d, nanoClock, maxConcurrentSelects, decodeAhead);
    }

    public EngineOptions withNanoClock(LongSupplier clock) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, defaultSubqueryStep, clock, maxConcurrentSelects, decodeAhead);
    }

    public EngineOptions withMaxConcurrentSelects(int n) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, defaultSubqueryStep, nanoClock, n, decodeAhead);
    }

    public EngineOptions withDecodeAhead(boolean on) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, defaultSubqueryStep, nanoClock, maxConcurrentSelects, on);
    }
}
