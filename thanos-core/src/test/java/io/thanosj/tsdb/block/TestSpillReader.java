package io.thanosj.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.encoding.Encbuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TestSpillReader {
    @TempDir
    Path dir;

    @Test
    void readsRecordsAcrossBufferRefillsAndLargerThanTheBuffer() throws IOException {
        Path f = dir.resolve("spill");
        Random r = new Random(4);
        // Small records that straddle the 1 MiB buffer's refills, and two that exceed it.
        int[] counts = new int[3000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = i == 1000 || i == 2000 ? 400_000 : r.nextInt(200);
        }
        Encbuf e = new Encbuf(64);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int i = 0; i < counts.length; i++) {
                e.reset().putBE32(0).putUvarint64(counts[i]);
                for (int k = 0; k < counts[i]; k++) {
                    e.putUvarint64((long) i * k);
                }
                e.setBE32(0, e.len() - 4);
                out.write(e.array(), 0, e.len());
            }
        }
        try (SpillReader in = new SpillReader(f)) {
            for (int i = 0; i < counts.length; i++) {
                in.next();
                assertThat(in.uvarint()).isEqualTo(counts[i]);
                for (int k = 0; k < counts[i]; k++) {
                    assertThat(in.uvarint()).isEqualTo((long) i * k);
                }
                assertThatThrownBy(in::uvarint).isInstanceOf(ThanosException.class).hasMessageContaining("runs past");
            }
            assertThatThrownBy(in::next).isInstanceOf(ThanosException.class).hasMessageContaining("truncated");
        }
    }
}
