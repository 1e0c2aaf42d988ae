/**
 * {@code thanos tools bucket}: commands that inspect blocks in object storage, after Thanos's
 * {@code cmd/thanos/tools_bucket.go}. Commands only wire {@link io.thanosj.objstore.BucketFactory}
 * and {@link io.thanosj.tsdb.block.BlockMeta}; errors are {@link io.thanosj.model.ThanosException}s
 * that the launcher prints as one line. Output goes to the picocli command line's writer, so tests
 * capture it without a process.
 */
package io.thanosj.cli.tools;
