package io.thanosj.query;

import com.google.protobuf.ByteString;
import io.thanosj.model.Labels;
import io.thanosj.model.Matcher;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.store.Requests;
import io.thanosj.store.SeriesSet;
import io.thanosj.store.SeriesSets;
import io.thanosj.store.StoreInfo;
import io.thanosj.store.StoreServer;
import io.thanosj.tsdb.chunk.XorAppender;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test data for downsampled reads: Thanos's downsampling of one batch of raw samples into one
 * aggregate chunk, written out here from compact/downsample's rules (windows end at
 * {@code t - t % res + res - 1}, the last one at the batch's last sample; the counter sub-chunk
 * starts with the first raw value and repeats the last raw value at the last window's timestamp),
 * and a store over series held in memory that records its requests.
 */
final class DownsampleFixture {
    private DownsampleFixture() {}

    /** One batch of raw samples as a downsampled chunk with all five aggregates. */
    static AggrChunk downsample(long[] ts, double[] vs, long res) {
        XorAppender count = new XorAppender(), sum = new XorAppender(), min = new XorAppender(),
                max = new XorAppender(), counter = new XorAppender();
        long lastT = ts[ts.length - 1];
        counter.append(ts[0], vs[0]);
        long windowEnd = -1, first = -1;
        int n = 0;
        double s = 0, lo = 0, hi = 0, total = 0, last = 0;
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] > windowEnd) {
                if (n > 0) {
                    append(windowEnd, n, s, lo, hi, total, count, sum, min, max, counter);
                    first = first < 0 ? windowEnd : first;
                }
                n = 0;
                s = 0;
                lo = Double.MAX_VALUE;
                hi = -Double.MAX_VALUE;
                windowEnd = Math.min(ts[i] - ts[i] % res + res - 1, lastT);
            }
            double v = vs[i];
            total = i == 0 ? v : total + (v >= last ? v - last : v);
            last = v;
            n++;
            s += v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        append(windowEnd, n, s, lo, hi, total, count, sum, min, max, counter);
        first = first < 0 ? windowEnd : first;
        counter.append(windowEnd, last);
        return AggrChunk.newBuilder().setMinTime(first).setMaxTime(windowEnd)
                .setCount(xor(count)).setSum(xor(sum)).setMin(xor(min)).setMax(xor(max)).setCounter(xor(counter)).build();
    }

    private static void append(long t, int n, double s, double lo, double hi, double total,
            XorAppender count, XorAppender sum, XorAppender min, XorAppender max, XorAppender counter) {
        count.append(t, n);
        sum.append(t, s);
        min.append(t, lo);
        max.append(t, hi);
        counter.append(t, total);
    }

    static Chunk xor(XorAppender a) {
        return Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(a.chunk().bytes())).build();
    }

    /** Raw samples as one raw chunk. */
    static AggrChunk raw(long[] ts, double[] vs) {
        XorAppender a = new XorAppender();
        for (int i = 0; i < ts.length; i++) {
            a.append(ts[i], vs[i]);
        }
        return AggrChunk.newBuilder().setMinTime(ts[0]).setMaxTime(ts[ts.length - 1]).setRaw(xor(a)).build();
    }

    /** Samples {@code [from, to)} of a series. */
    static long[] slice(long[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    /** Series in memory; chunks filtered by time; replica labels dropped on request; requests recorded. */
    static final class ListStore implements StoreServer {
        final List<SeriesSets.Entry> series = new ArrayList<>();
        final List<SeriesRequest> requests = new ArrayList<>();

        ListStore add(Labels labels, AggrChunk... chunks) {
            series.add(new SeriesSets.Entry(labels, List.of(chunks)));
            return this;
        }

        @Override
        public SeriesSet series(SeriesRequest r) {
            requests.add(r);
            List<Matcher> ms = Requests.checkSeries(r);
            List<SeriesSets.Entry> out = new ArrayList<>();
            for (SeriesSets.Entry e : series) {
                if (!Requests.matches(ms, e.labels())) {
                    continue;
                }
                List<AggrChunk> cs = new ArrayList<>();
                for (AggrChunk c : e.chunks()) {
                    if (c.getMaxTime() >= r.getMinTime() && c.getMinTime() <= r.getMaxTime()) {
                        cs.add(c);
                    }
                }
                if (!cs.isEmpty()) {
                    out.add(new SeriesSets.Entry(e.labels().without(r.getWithoutReplicaLabelsList().toArray(new String[0])), cs));
                }
            }
            out.sort(Comparator.comparing(SeriesSets.Entry::labels));
            // Replicas that became equal are one series with all their chunks, sorted by time, as the proxy sends them.
            List<SeriesSets.Entry> merged = new ArrayList<>();
            for (SeriesSets.Entry e : out) {
                SeriesSets.Entry prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (prev != null && prev.labels().equals(e.labels())) {
                    List<AggrChunk> all = new ArrayList<>(prev.chunks());
                    all.addAll(e.chunks());
                    all.sort(Comparator.comparingLong(AggrChunk::getMinTime).thenComparingLong(AggrChunk::getMaxTime));
                    merged.set(merged.size() - 1, new SeriesSets.Entry(e.labels(), all));
                } else {
                    merged.add(e);
                }
            }
            return SeriesSets.of(merged);
        }

        @Override
        public LabelNamesResponse labelNames(LabelNamesRequest request) {
            return LabelNamesResponse.getDefaultInstance();
        }

        @Override
        public LabelValuesResponse labelValues(LabelValuesRequest request) {
            return LabelValuesResponse.getDefaultInstance();
        }

        @Override
        public StoreInfo info() {
            return new StoreInfo(List.of(), Long.MIN_VALUE, Long.MAX_VALUE, true);
        }
    }
}
