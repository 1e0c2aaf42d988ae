package io.thanosj.store;

import java.util.List;

/**
 * What a store serves: its external label sets (one per TSDB, possibly none) and the inclusive
 * time range of its data in milliseconds. A store without data reports
 * {@code minTime = Long.MAX_VALUE, maxTime = Long.MIN_VALUE}, which overlaps no request.
 */
public record StoreInfo(
        List<io.thanosj.model.Labels> labelSets,
        long minTime,
        long maxTime,
        boolean supportsWithoutReplicaLabels) {

    public static final StoreInfo NO_DATA = new StoreInfo(List.of(), Long.MAX_VALUE, Long.MIN_VALUE, true);

    public StoreInfo {
        labelSets = List.copyOf(labelSets);
    }

    /** True when [mint, maxt] overlaps this store's time range. */
    public boolean overlaps(long mint, long maxt) {
        return mint <= maxTime && maxt >= minTime;
    }
}
