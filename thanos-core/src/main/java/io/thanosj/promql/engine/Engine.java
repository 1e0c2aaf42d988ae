package io.thanosj.promql.engine;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.parser.ValueType;
import io.thanosj.promql.storage.Queryable;
import java.util.Objects;

/**
 * The PromQL engine: parses a query and returns a {@link Query} ready to run against a
 * {@link Queryable}. Thread-safe; each query evaluates on the calling thread.
 */
public final class Engine {
    private final EngineOptions opts;

    public Engine(EngineOptions opts) {
        this.opts = Objects.requireNonNull(opts, "opts");
    }

    public Engine() {
        this(EngineOptions.defaults());
    }

    public EngineOptions options() {
        return opts;
    }

    /** A query evaluated at one instant ({@code timeMs}, Unix milliseconds). */
    public Query instantQuery(Queryable storage, String query, long timeMs) {
        Expr expr = PromQLParser.parse(query);
        return new Query(storage, opts, expr, timeMs, timeMs, 0);
    }

    /** A query evaluated at {@code start, start+step, ...} up to {@code end}; the result is a matrix. */
    public Query rangeQuery(Queryable storage, String query, long startMs, long endMs, long stepMs) {
        if (stepMs <= 0) {
            throw new ThanosException(ErrorCode.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) {
            throw new ThanosException(ErrorCode.BAD_DATA, "end timestamp must not be before start time");
        }
        Expr expr = PromQLParser.parse(query);
        if (expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            throw new ThanosException(ErrorCode.BAD_DATA, "invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        long steps = (endMs - startMs) / stepMs + 1;
        if (steps > opts.maxSamples()) {
            throw Evaluator.tooManySamples();
        }
        return new Query(storage, opts, expr, startMs, endMs, stepMs);
    }
}
