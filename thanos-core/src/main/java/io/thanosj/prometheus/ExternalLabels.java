package io.thanosj.prometheus;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.Utf8Order;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts external labels on Prometheus's series, and bounds how the resulting order can differ from
 * Prometheus's.
 *
 * <p><b>Mapping.</b> A series {@code X} as Prometheus sends it becomes {@code f(X)}: every label
 * named like an external label is dropped, then the external labels (minus the requested
 * {@code without_replica_labels}) are set. External labels win over Prometheus's own, as in
 * Thanos; Prometheus's remote read has already merged them in with the opposite precedence.
 *
 * <p><b>Order.</b> Prometheus sorts by its internal labels, and {@code f} does not keep that order:
 * with external label {@code z}, {@code {a="1"}} sorts before {@code {a="1",b="1"}} but
 * {@code {a="1",z="r"}} after {@code {a="1",b="1",z="r"}}. Thanos buffers and re-sorts the whole
 * response; we stream instead. Since input labels only grow, for the last input series {@code X}
 * every later series {@code Y > X} shares some prefix {@code X[0..k)} and then either has a
 * greater label at position {@code k} or extends {@code X}. For each {@code k} the smallest
 * possible {@code f(Y)} is known ({@link #bound}), so an output series not above the minimum over
 * all {@code k} can be sent. Normally this holds back a single series. Labels named like an
 * external label may or may not have been in Prometheus's own series (its remote read adds them),
 * so positions of such labels are treated as possible ends too; extra candidates only lower the
 * bound, which keeps it safe.
 */
final class ExternalLabels {
    private final Labels add;
    private final Set<String> strip;
    /** The greatest external label name, or null without external labels. */
    private final String maxStrip;

    // Scratch for bound computation: interleaved names and values.
    private String[] prefix = new String[32];
    private String[] cand = new String[34];
    private String[] best = new String[34];
    private int bestLen;
    private boolean bestSup;
    private boolean[] extFrom = new boolean[17];

    /**
     * @param external all external labels
     * @param without  names removed from the output ({@code without_replica_labels})
     */
    ExternalLabels(Labels external, List<String> without) {
        this.strip = new HashSet<>();
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < external.size(); i++) {
            strip.add(external.name(i));
            if (!without.contains(external.name(i))) {
                b.add(external.name(i), external.value(i));
            }
        }
        this.add = b.build();
        this.maxStrip = external.isEmpty() ? null : external.name(external.size() - 1);
    }

    /** The series as served: Prometheus's labels without external names, plus external labels. */
    Labels apply(Labels raw, LabelsBuilder scratch) {
        scratch.reset();
        int ai = 0;
        for (int i = 0; i < raw.size(); i++) {
            String n = raw.name(i);
            if (strip.contains(n)) {
                continue;
            }
            while (ai < add.size() && Utf8Order.compare(add.name(ai), n) < 0) {
                scratch.add(add.name(ai), add.value(ai));
                ai++;
            }
            scratch.add(n, raw.value(i));
        }
        for (; ai < add.size(); ai++) {
            scratch.add(add.name(ai), add.value(ai));
        }
        return scratch.build();
    }

    /**
     * Computes the lower bound of {@code f(Y)} over every series {@code Y} that Prometheus may send
     * after {@code raw}; {@link #admits} then tells which output series may go.
     */
    void bound(Labels raw) {
        int m = raw.size();
        if (extFrom.length < m + 1) {
            extFrom = new boolean[m + 1];
        }
        if (prefix.length < 2 * (m + add.size()) + 2) {
            int cap = 2 * (m + add.size()) + 4;
            prefix = new String[cap];
            cand = new String[cap];
            best = new String[cap];
        }
        // extFrom[i]: every label from position i on is named like an external label.
        extFrom[m] = true;
        for (int i = m - 1; i >= 0; i--) {
            extFrom[i] = extFrom[i + 1] && strip.contains(raw.name(i));
        }
        bestLen = -1;
        if (extFrom[0]) {
            consider(0, null, null, false);
        }
        int plen = 0;
        int ai = 0;
        for (int k = 0; k < m; k++) {
            String n = raw.name(k);
            while (ai < add.size() && Utf8Order.compare(add.name(ai), n) < 0) {
                prefix[plen++] = add.name(ai);
                prefix[plen++] = add.value(ai);
                ai++;
            }
            boolean external = strip.contains(n);
            boolean addHasIt = ai < add.size() && add.name(ai).equals(n);
            // Y differs first at position k.
            boolean addedAbove = ai < add.size();
            if (!external) {
                if (!addedAbove && maxStrip != null && Utf8Order.compare(maxStrip, n) > 0) {
                    // Y may go on with removed labels only, and so end right here.
                    consider(plen, null, null, false);
                } else {
                    // Y's next visible label is greater than X[k]; added external labels there are too.
                    consider(plen, n, raw.value(k), true);
                }
            } else if (addHasIt) {
                // X[k] is replaced by the external label, which every Y also carries next.
                consider(plen, n, add.value(ai), false);
            } else if (!addedAbove) {
                // A removed label with nothing added after it: Y may end here.
                consider(plen, null, null, false);
            } else {
                // A removed label: Y continues with something named above it.
                consider(plen, n, "", true);
            }
            if (!external) {
                prefix[plen++] = n;
                prefix[plen++] = raw.value(k);
            }
            // Y extends X[0..k] (X may have ended there if the rest are labels Prometheus added).
            if (extFrom[k + 1]) {
                if (addHasIt) {
                    consider(plen, n, add.value(ai), false);
                } else {
                    consider(plen, null, null, false);
                }
            }
        }
    }

    /** Candidate: prefix[0..plen) plus one optional label, followed by "+infinity" when {@code sup}. */
    private void consider(int plen, String name, String value, boolean sup) {
        System.arraycopy(prefix, 0, cand, 0, plen);
        int len = plen;
        if (name != null) {
            cand[len++] = name;
            cand[len++] = value;
        }
        if (bestLen < 0 || compare(cand, len, sup, best, bestLen, bestSup) < 0) {
            String[] t = best;
            best = cand;
            cand = t;
            bestLen = len;
            bestSup = sup;
        }
    }

    /** Whether an output series is at or below the last computed bound, so nothing later sorts before it. */
    boolean admits(Labels out) {
        int n = out.size();
        int bn = bestLen >> 1;
        for (int i = 0; i < Math.min(n, bn); i++) {
            int c = Utf8Order.compare(out.name(i), best[2 * i]);
            if (c == 0) {
                c = Utf8Order.compare(out.value(i), best[2 * i + 1]);
            }
            if (c != 0) {
                return c < 0;
            }
        }
        if (n == bn) {
            return true;
        }
        // out is shorter: it ends before the bound goes on. Longer: it goes on where the bound ends,
        // which is only below the bound when the bound continues with +infinity.
        return n < bn || bestSup;
    }

    /** Lexicographic order of label sequences, where {@code sup} appends an element above every label. */
    static int compare(String[] a, int alen, boolean asup, String[] b, int blen, boolean bsup) {
        int n = Math.min(alen, blen);
        for (int i = 0; i < n; i++) {
            int c = Utf8Order.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        if (alen == blen) {
            return Boolean.compare(asup, bsup);
        }
        if (alen < blen) {
            return asup ? 1 : -1;
        }
        return bsup ? -1 : 1;
    }

    String boundString() {
        return Arrays.toString(Arrays.copyOf(best, Math.max(bestLen, 0))) + (bestSup ? "+inf" : "");
    }

    boolean isEmpty() {
        return strip.isEmpty();
    }
}
