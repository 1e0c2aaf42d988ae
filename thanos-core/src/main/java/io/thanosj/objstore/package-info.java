/**
 * Object storage: one narrow {@link io.thanosj.objstore.Bucket} interface and its S3, GCS, Azure
 * and filesystem implementations, picked by the {@code type} of Thanos's objstore YAML through
 * {@link io.thanosj.objstore.BucketFactory}. Prefixing, metrics and retries are decorators or
 * shared helpers, so the providers only translate calls.
 *
 * <p>Contract shared by every provider (checked by {@code BucketContract} in the tests):
 * <ul>
 *   <li>Object names use {@code /} as the directory delimiter; iteration returns direct children
 *       in Go's string order (UTF-8 byte order), directories as {@code "dir/"}, and with
 *       {@code recursive} only objects.</li>
 *   <li>A missing object raises {@link io.thanosj.objstore.ObjectNotFoundException}; every other
 *       failure is a {@link io.thanosj.model.ThanosException} naming the bucket and object.</li>
 *   <li>Ranges past the end are cut at the end; an offset at or past the end reads nothing.</li>
 *   <li>Uploads stream: at most one part buffer per upload is held in memory.</li>
 *   <li>Deleting a missing object succeeds (S3 cannot tell without an extra request).</li>
 * </ul>
 * Nothing here accepts or returns null unless a method says so.
 */
package io.thanosj.objstore;
