package io.thanosj.promql.parser;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An instant vector selector: {@code name{matchers} @ t offset d}. When a metric name is given, its
 * {@code __name__} equality matcher is the last entry of {@link #matchers()}, as in Prometheus.
 */
public final class VectorSelector implements Expr {
    private final String name;
    private final List<Matcher> matchers;
    private final long offsetMs;
    private final AtModifier at;
    private final long atMs;
    private final int start;
    private final int end;

    public VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtModifier at, long atMs, int start, int end) {
        this.name = name;
        this.matchers = List.copyOf(matchers);
        this.offsetMs = offsetMs;
        this.at = at;
        this.atMs = atMs;
        this.start = start;
        this.end = end;
    }

    /** The metric name written before the braces, or the empty string. */
    public String name() {
        return name;
    }

    public List<Matcher> matchers() {
        return matchers;
    }

    /** The {@code offset} in milliseconds (negative for {@code offset -5m}). */
    public long offsetMs() {
        return offsetMs;
    }

    public AtModifier at() {
        return at;
    }

    /** The {@code @} time in milliseconds when {@link #at()} is {@link AtModifier#TIMESTAMP}. */
    public long atMs() {
        return atMs;
    }

    public VectorSelector withOffset(long ms, int newEnd) {
        return new VectorSelector(name, matchers, ms, at, atMs, start, newEnd);
    }

    public VectorSelector withAt(AtModifier a, long ms, int newEnd) {
        return new VectorSelector(name, matchers, offsetMs, a, ms, start, newEnd);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int end() {
        return end;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public String toString() {
        return selectorString() + Printing.atString(at, atMs) + Printing.offsetString(offsetMs);
    }

    /** {@code name{matchers}} without {@code @} and {@code offset}. */
    String selectorString() {
        List<String> parts = new ArrayList<>(matchers.size());
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME) && m.type() == MatchType.EQUAL && m.value().equals(name)) {
                continue;
            }
            parts.add(m.name() + m.type().op() + GoStrconv.quote(m.value()));
        }
        if (parts.isEmpty()) {
            return name;
        }
        Collections.sort(parts);
        return name + "{" + String.join(",", parts) + "}";
    }
}
