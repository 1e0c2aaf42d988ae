package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.util.function.LongSupplier;

/** Ends a query that ran past its deadline or was cancelled; checked between units of work. */
final class QueryGuard {
    private final LongSupplier clock;
    private final long deadlineNanos;
    private final long timeoutNanos;
    private volatile boolean cancelled;

    QueryGuard(LongSupplier clock, long timeoutNanos) {
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.deadlineNanos = clock.getAsLong() + timeoutNanos;
    }

    void cancel() {
        cancelled = true;
    }

    void check() {
        if (cancelled) {
            throw new ThanosException(ErrorCode.CANCELED, "query was canceled in expression evaluation");
        }
        if (clock.getAsLong() - deadlineNanos > 0) {
            throw new ThanosException(ErrorCode.TIMEOUT, "query timed out in expression evaluation (timeout "
                    + java.time.Duration.ofNanos(timeoutNanos) + ")");
        }
    }
}
