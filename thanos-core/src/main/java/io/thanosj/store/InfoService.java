package io.thanosj.store;

import io.grpc.stub.StreamObserver;
import io.thanosj.model.Labels;
import io.thanosj.proto.infopb.InfoGrpc;
import io.thanosj.proto.infopb.InfoRequest;
import io.thanosj.proto.infopb.InfoResponse;
import io.thanosj.proto.infopb.TSDBInfo;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Serves {@code thanos.info.Info} for a component whose StoreAPI is described by a
 * {@link StoreInfo}. {@code componentType} is Thanos's name ("query", "sidecar", "store", "rule",
 * "receive") which Thanos queriers show and use to pick endpoints.
 */
public final class InfoService extends InfoGrpc.InfoImplBase {
    private final String componentType;
    private final Supplier<StoreInfo> storeInfo;

    public InfoService(String componentType, Supplier<StoreInfo> storeInfo) {
        this.componentType = Objects.requireNonNull(componentType, "componentType");
        this.storeInfo = Objects.requireNonNull(storeInfo, "storeInfo");
    }

    /** Info for a store server, asking it afresh on every call. */
    public static InfoService of(String componentType, StoreServer server) {
        return new InfoService(componentType, server::info);
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> observer) {
        InfoResponse resp;
        try {
            resp = toProto(componentType, storeInfo.get());
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        observer.onNext(resp);
        observer.onCompleted();
    }

    static InfoResponse toProto(String componentType, StoreInfo info) {
        io.thanosj.proto.infopb.StoreInfo.Builder store = io.thanosj.proto.infopb.StoreInfo.newBuilder()
                .setMinTime(info.minTime())
                .setMaxTime(info.maxTime())
                .setSupportsWithoutReplicaLabels(info.supportsWithoutReplicaLabels());
        InfoResponse.Builder b = InfoResponse.newBuilder().setComponentType(componentType);
        for (Labels ls : info.labelSets()) {
            b.addLabelSets(ProtoLabels.toLabelSet(ls));
            store.addTsdbInfos(TSDBInfo.newBuilder()
                    .setLabels(ProtoLabels.toLabelSet(ls))
                    .setMinTime(info.minTime())
                    .setMaxTime(info.maxTime()));
        }
        return b.setStore(store).build();
    }

    /** The store part of an Info response; {@link StoreInfo#NO_DATA} when it serves no StoreAPI. */
    static StoreInfo fromProto(InfoResponse r) {
        if (!r.hasStore()) {
            return new StoreInfo(ProtoLabels.fromLabelSets(r.getLabelSetsList()), Long.MAX_VALUE, Long.MIN_VALUE, false);
        }
        io.thanosj.proto.infopb.StoreInfo s = r.getStore();
        return new StoreInfo(ProtoLabels.fromLabelSets(r.getLabelSetsList()), s.getMinTime(), s.getMaxTime(),
                s.getSupportsWithoutReplicaLabels());
    }
}
