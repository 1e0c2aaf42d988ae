package io.thanosj.store;

import java.util.Objects;

/**
 * One store the {@link ProxyStore} may fan out to: a name for messages (its address), the store
 * and its last known info, which the proxy uses to skip stores that cannot match a request.
 */
public record StoreTarget(String name, StoreServer store, StoreInfo info) {
    public StoreTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(info, "info");
    }

    @Override
    public String toString() {
        return name;
    }
}
