package io.thanosj.store;

import io.thanosj.proto.storepb.LabelNamesRequest;
import io.thanosj.proto.storepb.LabelNamesResponse;
import io.thanosj.proto.storepb.LabelValuesRequest;
import io.thanosj.proto.storepb.LabelValuesResponse;
import io.thanosj.proto.storepb.SeriesRequest;

/**
 * Anything that can select series: the Java face of Thanos's {@code storepb.StoreServer} plus its
 * info. Requests and label responses are the StoreAPI's protobuf messages, so a proxy forwards
 * them unchanged; series come back as a pull cursor.
 *
 * <p>Implementations throw {@link io.thanosj.model.ThanosException} with
 * {@link io.thanosj.model.ErrorCode#BAD_DATA} for invalid requests (see {@link Requests}).
 */
public interface StoreServer {
    /**
     * Opens a cursor over the series matching the request, sorted by labels (with
     * {@code without_replica_labels} removed when {@link StoreInfo#supportsWithoutReplicaLabels()}).
     * The caller must close it. Work may start before the first {@link SeriesSet#next()}.
     */
    SeriesSet series(SeriesRequest request);

    /** Sorted, unique label names of matching series. */
    LabelNamesResponse labelNames(LabelNamesRequest request);

    /** Sorted, unique values of one label over matching series. */
    LabelValuesResponse labelValues(LabelValuesRequest request);

    /** External label sets and time range of the data this store serves. */
    StoreInfo info();

    /**
     * True when {@link #series} and its cursor never wait on other processes (e.g. a store over
     * local blocks), so a gRPC service may pull it on the transport's callback thread instead of
     * handing each call to a thread of its own.
     */
    default boolean nonBlocking() {
        return false;
    }
}
