package io.thanosj.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.ByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestChunkFiles {
    @Test
    void writesSegmentsAndReadsChunksBack(@TempDir Path dir) {
        List<XorChunk> chunks = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkWriter w = new ChunkWriter(dir, 4096)) {
            for (int i = 0; i < 100; i++) {
                XorAppender a = new XorAppender();
                for (int j = 0; j <= i; j++) {
                    a.append(j * 1000L, i * j);
                }
                chunks.add(a.chunk());
                refs.add(w.write(a.chunk()));
            }
            assertThat(w.segmentFiles().size()).isGreaterThan(1);
        }
        assertThat(refs.get(0)).isEqualTo(8L); // segment 0, right after the 8-byte header
        assertThat(dir.resolve("000001")).exists();
        try (ChunkReader r = ChunkReader.open(dir, "blk")) {
            for (int i = 0; i < refs.size(); i++) {
                assertThat(r.chunk(refs.get(i))).isEqualTo(chunks.get(i));
                long off = ChunkSegments.offset(refs.get(i));
                assertThat(off + chunks.get(i).length() + 10).isLessThanOrEqualTo(4096);
            }
        }
    }

    @Test
    void detectsCorruptionWithFileAndOffset(@TempDir Path dir) throws Exception {
        long ref;
        try (ChunkWriter w = new ChunkWriter(dir)) {
            XorAppender a = new XorAppender();
            a.append(1, 2);
            w.write(a.chunk());
            ref = w.write(a.chunk());
        }
        byte[] file = Files.readAllBytes(dir.resolve("000001"));
        byte[] flipped = file.clone();
        flipped[(int) ref + 4] ^= 0x10;
        assertReadFails(flipped, ref, "read chunk in blk/chunks/000001: checksum mismatch");
        assertReadFails(java.util.Arrays.copyOf(file, file.length - 2), ref, "runs past the end of the segment");
        assertReadFails(file, ref + 1000, "chunk offset outside the segment");
        assertReadFails(file, (1L << 32) | 8, "segment index 1 out of range");
        byte[] magic = file.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> ChunkReader.of(List.of(ByteSource.of(magic, "blk/chunks/000001"))))
                .isInstanceOf(ThanosException.class).hasMessageContaining("invalid magic number");
        byte[] enc = file.clone();
        enc[(int) ref + 1] = 2;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        int len = enc[(int) ref];
        crc.update(enc, (int) ref + 1, 1 + len);
        java.nio.ByteBuffer.wrap(enc).putInt((int) ref + 2 + len, (int) crc.getValue());
        assertReadFails(enc, ref, "unsupported chunk encoding histogram");
    }

    private static void assertReadFails(byte[] file, long ref, String msg) {
        ChunkReader r = ChunkReader.of(List.of(ByteSource.of(file, "blk/chunks/000001")));
        assertThatThrownBy(() -> r.chunk(ref)).isInstanceOf(ThanosException.class).hasMessageContaining(msg);
    }
}
