package io.thanosj.store;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.model.ThanosException;
import io.thanosj.proto.storepb.AggrChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * One store's stream inside the proxy. Applies the partial response strategy: with WARN a failure
 * ends this stream and becomes a warning, with ABORT it (and any warning the store sent) fails
 * the request. Removes replica labels for stores that do not do it themselves, and checks that
 * the store keeps its promise to sort, since an unsorted stream would corrupt the merge silently.
 */
final class EndpointSeriesSet implements SeriesSet {
    private final String name;
    private final SeriesSet delegate;
    private final boolean abort;
    private final String[] strip; // replica labels to remove here, empty if none
    private final boolean checkOrder;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private final List<String> warnings = new ArrayList<>();
    private boolean done;
    private Labels labels;
    private List<AggrChunk> chunks;

    /** {@code checkOrder} false when the caller re-sorts (stripping may then reorder series). */
    EndpointSeriesSet(String name, SeriesSet delegate, boolean abort, List<String> strip, boolean checkOrder) {
        this.name = name;
        this.checkOrder = checkOrder;
        this.delegate = delegate;
        this.abort = abort;
        this.strip = strip.toArray(new String[0]);
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        try {
            boolean ok = delegate.next();
            if (abort && !delegate.warnings().isEmpty()) {
                throw new ThanosException(ErrorCode.EXECUTION, withName(delegate.warnings().get(0)));
            }
            if (!ok) {
                done = true;
                return false;
            }
            Labels l = stripped(delegate.labels());
            if (checkOrder && labels != null && l.compareTo(labels) < 0) {
                throw new ThanosException(ErrorCode.EXECUTION, withName("receive series: series out of order: "
                        + l + " after " + labels));
            }
            labels = l;
            chunks = delegate.chunks();
            return true;
        } catch (RuntimeException e) {
            done = true;
            ThanosException te = e instanceof ThanosException t
                    ? new ThanosException(t.code(), withName(t.getMessage()), t)
                    : GrpcErrors.toException(e, "store " + name);
            if (abort) {
                throw te;
            }
            warnings.add(te.getMessage());
            return false;
        }
    }

    private Labels stripped(Labels l) {
        if (strip.length == 0) {
            return l;
        }
        boolean any = false;
        for (String s : strip) {
            any |= l.has(s);
        }
        if (!any) {
            return l;
        }
        scratch.reset();
        for (int i = 0; i < l.size(); i++) {
            scratch.add(l.name(i), l.value(i));
        }
        for (String s : strip) {
            scratch.delete(s);
        }
        return scratch.build();
    }

    /** Messages name the store once; a remote client's messages already do. */
    private String withName(String msg) {
        return msg.contains(name) ? msg : "store " + name + ": " + msg;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public List<AggrChunk> chunks() {
        return chunks;
    }

    @Override
    public List<String> warnings() {
        if (delegate.warnings().isEmpty()) {
            return warnings;
        }
        List<String> all = new ArrayList<>(delegate.warnings());
        all.addAll(warnings);
        return all;
    }

    @Override
    public void close() {
        done = true;
        delegate.close();
    }
}
