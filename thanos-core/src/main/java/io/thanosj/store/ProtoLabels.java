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

    /**
     * Label messages reused across the series of one response stream: series share most of their
     * labels, and a reused message carries its UTF-8 bytes and size already computed, so each label
     * is encoded once per stream instead of once per series. Keys are the interned strings of
     * {@link Labels}; bounded so that a stream of unique values cannot grow it without limit.
     */
    static final class Cache {
        private static final int MAX = 1 << 16;
        private final java.util.HashMap<String, java.util.HashMap<String, Label>> byName = new java.util.HashMap<>();
        private int size;

        List<Label> toProto(Labels labels) {
            Label[] out = new Label[labels.size()];
            for (int i = 0; i < out.length; i++) {
                String name = labels.name(i);
                String value = labels.value(i);
                java.util.HashMap<String, Label> values = byName.get(name);
                Label l = values == null ? null : values.get(value);
                if (l == null) {
                    l = Label.newBuilder().setNameBytes(com.google.protobuf.ByteString.copyFromUtf8(name))
                            .setValueBytes(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
                    if (size < MAX) {
                        byName.computeIfAbsent(name, k -> new java.util.HashMap<>()).put(value, l);
                        size++;
                    }
                }
                out[i] = l;
            }
            return java.util.Arrays.asList(out);
        }
    }
}
