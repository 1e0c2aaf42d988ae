/**
 * The runtime every component shares: HTTP and gRPC servers, the prober that moves a component
 * between healthy, ready and not ready, {@code /metrics}, logging setup and the run group that
 * starts components and stops them gracefully on SIGTERM. Components wire these; they never
 * open sockets themselves.
 */
package io.thanosj.server;
