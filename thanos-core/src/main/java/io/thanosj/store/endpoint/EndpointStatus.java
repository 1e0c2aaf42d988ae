package io.thanosj.store.endpoint;

import io.thanosj.model.Labels;
import java.time.Instant;
import java.util.List;

/**
 * One endpoint as {@code /api/v1/stores} shows it (Thanos's EndpointStatus).
 *
 * @param name          gRPC address
 * @param componentType Thanos component name from the Info API, empty until the first good check
 * @param lastCheck     time of the last successful check, null if none yet
 * @param lastError     message of the last failed check, null when the last check succeeded
 */
public record EndpointStatus(
        String name,
        String componentType,
        List<Labels> labelSets,
        long minTime,
        long maxTime,
        Instant lastCheck,
        String lastError) {

    public boolean healthy() {
        return lastError == null && lastCheck != null;
    }
}
