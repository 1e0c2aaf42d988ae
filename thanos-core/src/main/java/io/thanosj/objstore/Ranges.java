package io.thanosj.objstore;

import io.thanosj.model.ThanosException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Argument checks and stream helpers for range reads, shared by the providers. */
final class Ranges {
    private Ranges() {
    }

    static void check(String bucket, String name, long offset, long length) {
        if (name.isEmpty()) {
            throw ThanosException.badData("bucket " + bucket + ": object name is empty");
        }
        if (offset < 0) {
            throw ThanosException.badData("bucket " + bucket + ": read " + name + ": negative offset " + offset);
        }
        if (length < -1) {
            throw ThanosException.badData("bucket " + bucket + ": read " + name + ": invalid length " + length);
        }
    }

    /** The HTTP Range header value for a checked range, or null for the whole object. */
    static String header(long offset, long length) {
        if (length < 0) {
            return offset == 0 ? null : "bytes=" + offset + "-";
        }
        return "bytes=" + offset + "-" + (offset + length - 1);
    }

    static InputStream empty() {
        return InputStream.nullInputStream();
    }

    /** Reads at most {@code limit} bytes of {@code in}; closing closes {@code in}. */
    static InputStream limit(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return len == 0 ? 0 : -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(Math.min(n, left));
                left -= s;
                return s;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
