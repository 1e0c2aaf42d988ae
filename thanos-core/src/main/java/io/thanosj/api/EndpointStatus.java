package io.thanosj.api;

import io.thanosj.model.Labels;
import java.util.List;

/**
 * One StoreAPI endpoint as {@code /api/v1/stores} shows it.
 *
 * @param lastCheckMillis when the endpoint was last asked for its info (Unix ms), 0 if never
 * @param lastError       the last error, or null
 */
public record EndpointStatus(String name, String type, List<Labels> labelSets, long minTime, long maxTime,
        long lastCheckMillis, String lastError) {
    public EndpointStatus {
        labelSets = List.copyOf(labelSets);
    }
}
