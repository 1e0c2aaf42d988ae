package io.thanosj.store;

import io.thanosj.model.Labels;
import io.thanosj.model.LabelsBuilder;
import io.thanosj.proto.labelpb.Label;
import io.thanosj.proto.labelpb.ZLabelSet;
import java.util.ArrayList;
import java.util.List;

/** Conversions between {@link Labels} and the StoreAPI's label messages. */
public final class ProtoLabels {
    private ProtoLabels() {}

    /** Labels from sorted proto labels, filling the caller's builder (reset first). */
    public static Labels fromProto(List<Label> labels, LabelsBuilder scratch) {
        scratch.reset();
        for (int i = 0, n = labels.size(); i < n; i++) {
            Label l = labels.get(i);
            scratch.add(l.getName(), l.getValue());
        }
        return scratch.build();
    }

    public static Labels fromProto(List<Label> labels) {
        return fromProto(labels, new LabelsBuilder());
    }

    public static List<Label> toProto(Labels labels) {
        List<Label> out = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            out.add(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
        }
        return out;
    }

    public static ZLabelSet toLabelSet(Labels labels) {
        return ZLabelSet.newBuilder().addAllLabels(toProto(labels)).build();
    }

    public static List<Labels> fromLabelSets(List<ZLabelSet> sets) {
        List<Labels> out = new ArrayList<>(sets.size());
        LabelsBuilder b = new LabelsBuilder();
        for (ZLabelSet s : sets) {
            out.add(fromProto(s.getLabelsList(), b));
        }
        return out;
    }
}
