/**
 * The runtime every component shares: HTTP and gRPC servers, the prober that moves a component
 * between healthy, ready and not ready, {@code /metrics}, logging setup and the run group that
 * starts components and stops them gracefully on SIGTERM. Components wire these; they never
 * open sockets themselves.
 *
 * <p>Threads: HTTP handlers run on a worker pool (queries block); gRPC calls run on a pool too,
 * unless every service of the server was added as inline (handlers that never block), in which case
 * they run on the transport's event loop and a call costs no thread hand-off.
 */
package io.thanosj.server;
