package io.thanosj.objstore;

import io.thanosj.model.ThanosException;
import java.io.Closeable;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Read and write access to one object storage bucket, the Java shape of Thanos's
 * {@code objstore.Bucket}. Implementations are thread-safe and assume objects are immutable once
 * written. All failures are unchecked {@link ThanosException}s; a missing object is an
 * {@link ObjectNotFoundException} (see {@link #isObjNotFound(Throwable)}).
 */
public interface Bucket extends Closeable {
    /** The delimiter that models directories in object names. */
    String DIR_DELIM = "/";

    /**
     * Calls {@code visitor} for each entry under {@code dir} in sorted order. {@code dir} may be
     * empty (the root) and may or may not end with {@code /}. Without {@code recursive} the entries
     * are the direct children, sub-directories ending with {@code /}; with it, every object below.
     * Names are full object names. A missing directory has no entries. An exception thrown by the
     * visitor stops the iteration and propagates unchanged.
     */
    void iter(String dir, boolean recursive, Consumer<String> visitor);

    /** Non-recursive {@link #iter(String, boolean, Consumer)}. */
    default void iter(String dir, Consumer<String> visitor) {
        iter(dir, false, visitor);
    }

    /** Opens the whole object for reading. The caller closes the stream. */
    InputStream get(String name);

    /**
     * Opens {@code length} bytes from {@code offset}; {@code length} -1 reads to the end. A range
     * past the end is cut at the end; an offset at or past the end gives an empty stream.
     */
    InputStream getRange(String name, long offset, long length);

    /**
     * {@link #getRange} read into one array of {@code length} bytes, or fewer at the end of the
     * object. The array may be shared with a cache: callers must not modify it.
     */
    default byte[] getRangeBytes(String name, long offset, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("read " + name + ": negative length " + length);
        }
        try (InputStream in = getRange(name, offset, length)) {
            // Straight into an array of the known size: readNBytes(int) would gather 8KiB buffers and copy them.
            byte[] buf = new byte[length];
            int n = in.readNBytes(buf, 0, length);
            return n == length ? buf : java.util.Arrays.copyOf(buf, n);
        } catch (java.io.IOException e) {
            throw new ThanosException(io.thanosj.model.ErrorCode.UNAVAILABLE, "read " + name + " range [" + offset + ", "
                    + (offset + length) + ") from bucket " + name() + ": " + e, e);
        }
    }

    /**
     * Whether {@link #getRange} on {@code name} assembles the whole range before returning (as a
     * cache does), so that reading its stream as it arrives gains nothing over
     * {@link #getRangeBytes}, which may then also avoid a copy.
     */
    default boolean buffersRanges(String name) {
        return false;
    }

    /**
     * {@link #getRangeBytes} when a cache in front of the bucket holds the whole range, else null
     * without reading the bucket: lets a caller decode cached data on its own thread and hand
     * only real reads to others. Buckets without a cache return null.
     */
    default byte[] cachedRangeBytes(String name, long offset, int length) {
        return null;
    }

    /**
     * The size of object {@code name} as the caller learned it elsewhere (a block's meta.json
     * lists its files with their sizes). A cache in front of the bucket that keys ranges by the
     * object's size may then skip asking the bucket for it, a round trip before the first read of
     * each chunk file. Buckets that need no sizes ignore it.
     */
    default void knownSize(String name, long size) {}

    /** Whether an object (not a directory) named {@code name} exists. */
    boolean exists(String name);

    /** Size and last modification time of an object. */
    ObjectAttributes attributes(String name);

    /**
     * Writes the stream's remaining bytes as object {@code name}, replacing any existing one.
     * Large objects are sent in parts, so at most one part is buffered. The caller closes
     * {@code in}.
     */
    void upload(String name, InputStream in);

    /** Removes an object; removing a missing object is not an error. */
    void delete(String name);

    /** The provider's bucket name, used as the {@code bucket} label of metrics. */
    String name();

    /** Releases clients and connections; unchecked. */
    @Override
    void close();

    /** Whether {@code t} or one of its causes says that an object does not exist. */
    static boolean isObjNotFound(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ObjectNotFoundException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
