/**
 * Blocks in object storage, as Thanos's {@code pkg/block} and {@code tools bucket} commands see them:
 * listing, downloading and uploading blocks (meta.json uploaded last and deleted first), deletion
 * marks, verification of known issues and rewriting with deletions. Works on any
 * {@link io.thanosj.objstore.Bucket}; command-line wiring lives in the components. Nothing here
 * accepts or returns null unless a method says so.
 */
package io.thanosj.tsdb.bucket;
