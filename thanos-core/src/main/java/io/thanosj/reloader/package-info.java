/**
 * Thanos's config reloader for Prometheus ({@link io.thanosj.reloader.Reloader}): watches the
 * config file and rule directories, writes the environment-substituted config, and triggers a
 * reload when anything changed. Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.reloader;
