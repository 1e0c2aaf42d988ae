package io.thanosj.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestDecbuf {
    /** Varints of every length, read from a copy and from the buffer, agree. */
    @Test
    void copiedAndDirectVarintsAgree() {
        Random r = new Random(1);
        Encbuf e = new Encbuf();
        long[] want = new long[2000];
        for (int i = 0; i < want.length; i++) {
            int bits = r.nextInt(65);
            want[i] = bits == 64 ? r.nextLong() : r.nextLong() & ((1L << bits) - 1);
            e.putUvarint64(want[i]);
        }
        byte[] bytes = java.util.Arrays.copyOf(e.array(), e.len());
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 3).put(3, bytes);
        Decbuf copy = new Decbuf().resetCopy(direct, 3, 3 + bytes.length, 100, "f");
        Decbuf plain = new Decbuf().reset(direct, 97, "f", 3, 3 + bytes.length);
        for (long w : want) {
            assertThat(copy.uvarint64()).isEqualTo(w);
            assertThat(plain.uvarint64()).isEqualTo(w);
            assertThat(copy.fileOffset()).isEqualTo(plain.fileOffset());
        }
        assertThat(copy.remaining()).isZero();
    }

    /** A varint cut by the end of the section fails naming the file offset, even with bytes after it. */
    @Test
    void truncatedVarintNamesItsOffset() {
        byte[] b = {1, (byte) 0x80, (byte) 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0};
        Decbuf d = new Decbuf().resetCopy(ByteBuffer.wrap(b), 0, b.length, 50, "idx");
        d.limit(3);
        assertThat(d.uvarint64()).isEqualTo(1);
        assertThatThrownBy(d::uvarint64).isInstanceOf(ThanosException.class)
                .hasMessageContaining("read idx: varint runs past the end of the section at offset 51");
        assertThat(d.position()).isEqualTo(1);
    }
}
