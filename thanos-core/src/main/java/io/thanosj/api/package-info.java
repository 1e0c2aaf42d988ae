/**
 * The Prometheus HTTP API v1 as Prometheus and Thanos serve it: parameter parsing with
 * Prometheus's error wording, and the JSON encoding of results ({@code resultType}, string sample
 * values, {@code warnings}, {@code errorType}) streamed through Jackson's generator. Shared by the
 * query and rule components.
 */
package io.thanosj.api;
