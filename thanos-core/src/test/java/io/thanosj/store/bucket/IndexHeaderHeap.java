package io.thanosj.store.bucket;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Measures the heap one loaded index-header holds, by opening many copies; for bench/store.sh. */
public final class IndexHeaderHeap {
    private IndexHeaderHeap() {}

    /** Heap bytes per open reader of {@code <dataDir>/<id>/index-header}, measured over {@code copies} readers. */
    public static long perReader(Path dataDir, String id, int copies) throws InterruptedException {
        Path file = dataDir.resolve(id).resolve(IndexHeaderWriter.FILENAME);
        long before = used();
        List<IndexHeaderReader> readers = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            IndexHeaderReader r = IndexHeaderReader.open(file, id);
            // Touch the symbol cache as queries would.
            for (int s = 0; s < Math.min(r.symbolCount(), 4096); s += 3) {
                r.lookupSymbol(s);
            }
            readers.add(r);
        }
        long after = used();
        long per = (after - before) / copies;
        readers.forEach(IndexHeaderReader::close);
        return per;
    }

    private static long used() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
