/**
 * The set of StoreAPI endpoints a querier fans out to: static {@code --endpoint} addresses, file
 * service discovery ({@code --endpoint.sd-files}, Prometheus's file SD format) and DNS
 * ({@code dns+}, {@code dnssrv+}, {@code dnssrvnoa+} prefixes), each checked periodically with the
 * Info API. Endpoints whose check fails leave the set of targets until a later check succeeds;
 * {@link io.thanosj.store.endpoint.EndpointSet#status()} backs {@code /api/v1/stores}.
 * Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.store.endpoint;
