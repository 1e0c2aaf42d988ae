package io.thanosj.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.ByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChunkReader#data}: the same bytes as {@link ChunkReader#chunk}, in place, with the same checks. */
@Tag("unit")
class TestChunkReaderData {
    @Test
    void dataViewsEqualCopiedChunksSmallAndLarge(@TempDir Path dir) {
        List<XorChunk> chunks = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkWriter w = new ChunkWriter(dir)) {
            // The last chunks are larger than the reader's first slice, so they take the second one.
            for (int n : new int[] {1, 2, 120, 500, 1000, 2000}) {
                XorAppender a = new XorAppender();
                for (int j = 0; j < n; j++) {
                    a.append(j * 15_000L + (j * 7919 % 13), Math.sin(j) * 1e6);
                }
                chunks.add(a.chunk());
                refs.add(w.write(a.chunk()));
            }
        }
        assertThat(chunks.get(chunks.size() - 1).length()).isGreaterThan(4096);
        try (ChunkReader r = ChunkReader.open(dir, "blk")) {
            for (int i = 0; i < refs.size(); i++) {
                ByteBuffer d = r.data(refs.get(i));
                byte[] got = new byte[d.remaining()];
                d.get(d.position(), got);
                assertThat(got).isEqualTo(chunks.get(i).bytes());
                assertThat(r.chunk(refs.get(i))).isEqualTo(chunks.get(i));
                assertThat(d.isReadOnly()).isTrue();
            }
        }
    }

    @Test
    void dataChecksTheChecksum(@TempDir Path dir) throws Exception {
        long ref;
        try (ChunkWriter w = new ChunkWriter(dir)) {
            XorAppender a = new XorAppender();
            a.append(1, 2);
            ref = w.write(a.chunk());
        }
        byte[] file = Files.readAllBytes(dir.resolve("000001"));
        file[(int) ref + 4] ^= 0x10;
        ChunkReader r = ChunkReader.of(List.of(ByteSource.of(file, "blk/chunks/000001")));
        assertThatThrownBy(() -> r.data(ref)).isInstanceOf(ThanosException.class)
                .hasMessageContaining("read chunk in blk/chunks/000001: checksum mismatch");
    }
}
