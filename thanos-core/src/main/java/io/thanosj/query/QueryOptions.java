package io.thanosj.query;

import java.util.List;

/**
 * Per-request querier options, from flags and Thanos's API parameters ({@code dedup},
 * {@code replicaLabels[]}, {@code partial_response}, {@code max_source_resolution}).
 *
 * @param dedup               merge HA replicas into one series
 * @param replicaLabels       labels that tell replicas apart
 * @param partialResponse     return what the healthy stores have, with warnings, when some fail
 * @param maxResolutionMillis coarsest downsampling resolution acceptable (0 = raw data only)
 */
public record QueryOptions(boolean dedup, List<String> replicaLabels, boolean partialResponse, long maxResolutionMillis) {
    public QueryOptions {
        replicaLabels = List.copyOf(replicaLabels);
        if (maxResolutionMillis < 0) {
            throw new IllegalArgumentException("max resolution must not be negative: " + maxResolutionMillis);
        }
    }
}
