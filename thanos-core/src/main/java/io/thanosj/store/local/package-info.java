/**
 * StoreAPI servers over TSDB blocks on local disk (Thanos's TSDB store), used by components that
 * hold blocks themselves and by tests that serve real blocks over gRPC.
 */
package io.thanosj.store.local;
