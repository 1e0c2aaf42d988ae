package io.thanosj.tsdb.index;

import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.ByteSource;
import io.thanosj.tsdb.encoding.Decbuf;
import java.nio.ByteBuffer;

/** Reads {@code len <4b> | body | CRC32C(body)} sections, checking bounds and checksum. */
final class Sections {
    private Sections() {}

    /** The body of the section at {@code off} (position 0 is the byte after the length). */
    static ByteBuffer read(ByteSource src, long off, String what) {
        long size = src.length();
        if (off < 0 || off + 4 > size) {
            throw ThanosException.corrupted("read " + src.name() + ": " + what + " at offset " + off
                    + " is outside the file of " + size + " bytes");
        }
        long len = src.slice(off, 4).getInt(0) & 0xffffffffL;
        if (off + 4 + len + 4 > size) {
            throw ThanosException.corrupted("read " + src.name() + ": " + what + " of " + len + " bytes at offset " + off
                    + " runs past the end of the file of " + size + " bytes");
        }
        if (len > Integer.MAX_VALUE - 8) {
            throw ThanosException.corrupted("read " + src.name() + ": " + what + " of " + len + " bytes at offset " + off
                    + " is larger than the supported 2 GiB");
        }
        ByteBuffer all = src.slice(off + 4, (int) len + 4);
        int want = all.getInt((int) len);
        int got = Decbuf.crc32c(all, 0, (int) len);
        if (want != got) {
            throw ThanosException.corrupted("read " + src.name() + ": " + what + " at offset " + off
                    + ": checksum mismatch, expected " + Integer.toHexString(want) + ", computed " + Integer.toHexString(got));
        }
        return all.limit((int) len).slice();
    }
}
