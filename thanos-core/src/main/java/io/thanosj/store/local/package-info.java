/**
 * StoreAPI servers over TSDB blocks on local disk (Thanos's TSDB store), used by components that
 * hold blocks themselves and by tests that serve real blocks over gRPC. Reading never blocks on
 * other processes ({@link io.thanosj.store.StoreServer#nonBlocking()}), so series are pumped on gRPC's
 * own threads, and chunk bytes go from the mapped segment files into the response in one copy.
 */
package io.thanosj.store.local;
