package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.MatchType;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.PartialResponseStrategy;
import io.thanosj.proto.storepb.SeriesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation of StoreAPI requests and matcher conversions, shared by every {@link StoreServer}
 * and the gRPC adapter so that all stores reject bad input with the same messages.
 */
public final class Requests {
    private Requests() {}

    /** Checks a series request and returns its compiled matchers. */
    public static List<Matcher> checkSeries(SeriesRequest r) {
        if (r.getMinTime() > r.getMaxTime()) {
            throw ThanosException.badData("invalid series request: min_time " + r.getMinTime()
                    + " is after max_time " + r.getMaxTime());
        }
        if (r.getLimit() < 0) {
            throw ThanosException.badData("invalid series request: negative limit " + r.getLimit());
        }
        return matchers(r.getMatchersList());
    }

    public static List<Matcher> checkLabelNames(LabelNamesRequest r) {
        checkRange("label names", r.getStart(), r.getEnd());
        return matchers(r.getMatchersList());
    }

    public static List<Matcher> checkLabelValues(LabelValuesRequest r) {
        if (r.getLabel().isEmpty()) {
            throw ThanosException.badData("invalid label values request: label name is empty");
        }
        checkRange("label values", r.getStart(), r.getEnd());
        return matchers(r.getMatchersList());
    }

    private static void checkRange(String what, long start, long end) {
        if (start > end) {
            throw ThanosException.badData("invalid " + what + " request: start " + start + " is after end " + end);
        }
    }

    /** Compiles proto matchers; a bad regex or unknown type is {@code BAD_DATA} naming the matcher. */
    public static List<Matcher> matchers(List<LabelMatcher> pb) {
        List<Matcher> out = new ArrayList<>(pb.size());
        for (LabelMatcher m : pb) {
            out.add(matcher(m));
        }
        return out;
    }

    /**
     * Compiled matchers by their proto form: a query's matchers are checked by the querier, by every
     * store it asks and often again by the store's own code, and compiling a regex each time costs
     * more than the rest of a small query's checks. Bounded: cleared when full.
     */
    private static final ConcurrentHashMap<MatcherKey, Matcher> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_COMPILED = 4096;

    private record MatcherKey(int type, String name, String value) {}

    public static Matcher matcher(LabelMatcher m) {
        MatcherKey key = new MatcherKey(m.getTypeValue(), m.getName(), m.getValue());
        Matcher c = COMPILED.get(key);
        if (c != null) {
            return c;
        }
        c = compile(m);
        if (COMPILED.size() >= MAX_COMPILED) {
            COMPILED.clear();
        }
        COMPILED.put(key, c);
        return c;
    }

    private static Matcher compile(LabelMatcher m) {
        MatchType type = switch (m.getType()) {
            case EQ -> MatchType.EQUAL;
            case NEQ -> MatchType.NOT_EQUAL;
            case RE -> MatchType.REGEX;
            case NRE -> MatchType.NOT_REGEX;
            default -> throw ThanosException.badData("invalid matcher on label " + quote(m.getName())
                    + ": unknown matcher type " + m.getTypeValue());
        };
        try {
            return Matcher.of(type, m.getName(), m.getValue());
        } catch (IllegalArgumentException e) {
            throw new ThanosException(io.thanosj.model.ErrorCode.BAD_DATA, "invalid matcher "
                    + m.getName() + type.op() + quote(m.getValue()) + ": " + e.getMessage(), e);
        }
    }

    public static LabelMatcher toProto(Matcher m) {
        LabelMatcher.Type t = switch (m.type()) {
            case EQUAL -> LabelMatcher.Type.EQ;
            case NOT_EQUAL -> LabelMatcher.Type.NEQ;
            case REGEX -> LabelMatcher.Type.RE;
            case NOT_REGEX -> LabelMatcher.Type.NRE;
        };
        return LabelMatcher.newBuilder().setType(t).setName(m.name()).setValue(m.value()).build();
    }

    public static List<LabelMatcher> toProto(List<Matcher> ms) {
        List<LabelMatcher> out = new ArrayList<>(ms.size());
        for (Matcher m : ms) {
            out.add(toProto(m));
        }
        return out;
    }

    /** True when every matcher accepts the series (absent labels count as empty). */
    public static boolean matches(List<Matcher> ms, Labels series) {
        for (int i = 0, n = ms.size(); i < n; i++) {
            Matcher m = ms.get(i);
            if (!m.matches(series.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Thanos's {@code LabelSetsMatch}: whether a store with these external label sets may hold
     * matching series. A matcher only rules a label set out when the set has that label and the
     * value fails; label sets are alternatives (any one may match). No label sets: may match.
     */
    public static boolean labelSetsMatch(List<Matcher> ms, List<Labels> labelSets) {
        if (labelSets.isEmpty()) {
            return true;
        }
        for (Labels ls : labelSets) {
            boolean ok = true;
            for (Matcher m : ms) {
                if (ls.has(m.name()) && !m.matches(ls.get(m.name()))) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    public static boolean abortOnPartial(SeriesRequest r) {
        return r.getPartialResponseDisabled() || r.getPartialResponseStrategy() == PartialResponseStrategy.ABORT;
    }

    public static boolean abortOnPartial(LabelNamesRequest r) {
        return r.getPartialResponseDisabled() || r.getPartialResponseStrategy() == PartialResponseStrategy.ABORT;
    }

    public static boolean abortOnPartial(LabelValuesRequest r) {
        return r.getPartialResponseDisabled() || r.getPartialResponseStrategy() == PartialResponseStrategy.ABORT;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
