package io.thanosj.promql.parser;

import io.thanosj.model.Durations;
import java.util.List;

/** A range vector selector {@code selector[range]}; offset and {@code @} live on the inner selector. */
public final class MatrixSelector implements Expr {
    private final VectorSelector selector;
    private final long rangeMs;
    private final int end;

    public MatrixSelector(VectorSelector selector, long rangeMs, int end) {
        this.selector = selector;
        this.rangeMs = rangeMs;
        this.end = end;
    }

    public VectorSelector selector() {
        return selector;
    }

    public long rangeMs() {
        return rangeMs;
    }

    public MatrixSelector withSelector(VectorSelector vs, int newEnd) {
        return new MatrixSelector(vs, rangeMs, newEnd);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public int start() {
        return selector.start();
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public List<Expr> children() {
        return List.of(selector);
    }

    @Override
    public String toString() {
        return selector.selectorString() + "[" + Durations.format(rangeMs) + "]"
                + Printing.atString(selector.at(), selector.atMs()) + Printing.offsetString(selector.offsetMs());
    }
}
