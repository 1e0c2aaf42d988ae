package io.thanosj.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.ThanosException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestInMemoryIndexCache {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String type) {
        return registry.get(name).tag("item_type", type).gauge().value();
    }

    private double counter(String name, String type) {
        return registry.get(name).tag("item_type", type).counter().count();
    }

    @Test
    void seriesAndPostingsAreKeyedByBlock() {
        InMemoryIndexCache c = new InMemoryIndexCache(1 << 20, 1 << 20, Set.of(), registry);
        byte[] v = {1, 2, 3};
        c.storeSeries("A", 160, v);
        c.storePostings("A", new IndexCache.PostingsKey("job", "api"), new byte[] {9});
        byte[][] got = c.fetchSeries("A", new long[] {0, 160, 320}, 1, 3);
        assertThat(got[0]).isSameAs(v); // handed out without a copy
        assertThat(got[1]).isNull();
        assertThat(c.fetchSeries("B", new long[] {160}, 0, 1)[0]).isNull();
        assertThat(c.fetchPostings("A", List.of(new IndexCache.PostingsKey("job", "api"), new IndexCache.PostingsKey("job", "x"))))
                .satisfies(p -> {
                    assertThat(p[0]).containsExactly(9);
                    assertThat(p[1]).isNull();
                });
        assertThat(c.fetchPostings("B", List.of(new IndexCache.PostingsKey("job", "api")))[0]).isNull();
        assertThat(counter("thanos.store.index.cache.requests", "Series")).isEqualTo(3);
        assertThat(counter("thanos.store.index.cache.hits", "Series")).isEqualTo(1);
        assertThat(counter("thanos.store.index.cache.hits", "Postings")).isEqualTo(1);
        assertThat(gauge("thanos.store.index.cache.items", "Series")).isEqualTo(1);
        assertThat(gauge("thanos.store.index.cache.items.size.bytes", "Postings")).isEqualTo(1);
    }

    @Test
    void totalBytesStayWithinMaxSizeAndEvictionsAreCounted() {
        long max = 64 * 1024;
        InMemoryIndexCache c = new InMemoryIndexCache(max, max, Set.of(), registry);
        for (int i = 0; i < 1000; i++) {
            c.storeSeries("A", i * 16L, new byte[1000]);
            assertThat(c.weightedSize()).isLessThanOrEqualTo(max);
        }
        long[] offsets = new long[1000];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * 16L;
        }
        int held = 0;
        for (byte[] b : c.fetchSeries("A", offsets, 0, offsets.length)) {
            held += b == null ? 0 : 1;
        }
        assertThat(held).isGreaterThan(40).isLessThan(66);
        assertThat(counter("thanos.store.index.cache.items.evicted", "Series")).isEqualTo(1000 - held);
        assertThat(gauge("thanos.store.index.cache.items", "Series")).isEqualTo(held);
        assertThat(gauge("thanos.store.index.cache.total.size.bytes", "Series")).isEqualTo((double) c.weightedSize());
    }

    @Test
    void replacingAnEntryKeepsTheByteCountExact() {
        InMemoryIndexCache c = new InMemoryIndexCache(1 << 20, 1 << 20, Set.of(), registry);
        c.storeSeries("A", 16, new byte[100]);
        c.storeSeries("A", 16, new byte[300]);
        assertThat(c.fetchSeries("A", new long[] {16}, 0, 1)[0]).hasSize(300);
        assertThat(gauge("thanos.store.index.cache.items.size.bytes", "Series")).isEqualTo(300);
        assertThat(gauge("thanos.store.index.cache.items", "Series")).isEqualTo(1);
    }

    @Test
    void itemsLargerThanMaxItemSizeAreNotStoredAndDisabledItemsNeither() {
        InMemoryIndexCache c = new InMemoryIndexCache(1 << 20, 100, Set.of(IndexCache.SERIES), registry);
        c.storeSeries("A", 0, new byte[200]);
        c.storeSeries("A", 16, new byte[10]);
        c.storePostings("A", new IndexCache.PostingsKey("a", "b"), new byte[10]);
        assertThat(c.fetchSeries("A", new long[] {0, 16}, 0, 2)).satisfies(s -> {
            assertThat(s[0]).isNull();
            assertThat(s[1]).hasSize(10);
        });
        assertThat(c.fetchPostings("A", List.of(new IndexCache.PostingsKey("a", "b")))[0]).isNull();
        assertThat(counter("thanos.store.index.cache.items.overflowed", "Series")).isEqualTo(1);
    }

    @Test
    void itemSizeAboveTotalSizeIsRejected() {
        assertThatThrownBy(() -> new InMemoryIndexCache(10, 20, Set.of(), registry))
                .isInstanceOf(ThanosException.class).hasMessageContaining("max item size (20) cannot be bigger than overall cache size (10)");
    }

    @Test
    void aBatchOfSeriesIsStoredAsSingleStoresWouldBe() {
        long max = 64 * 1024;
        InMemoryIndexCache c = new InMemoryIndexCache(max, 2000, Set.of(), registry);
        int n = 200;
        long[] offsets = new long[n];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            offsets[i] = i * 16L;
            values[i] = new byte[i == 7 ? 3000 : 1000]; // one over the item size: skipped
            values[i][0] = (byte) i;
        }
        c.storeSeries("A", offsets, values, n);
        assertThat(c.weightedSize()).isLessThanOrEqualTo(max);
        byte[][] got = c.fetchSeries("A", offsets, 0, n);
        int held = 0;
        for (int i = 0; i < n; i++) {
            if (got[i] != null) {
                held++;
                assertThat(got[i]).isSameAs(values[i]);
            }
        }
        // Least recently used first: the last entries of the batch are the ones kept.
        assertThat(got[n - 1]).isSameAs(values[n - 1]);
        assertThat(got[0]).isNull();
        assertThat(got[7]).isNull();
        assertThat(held).isEqualTo((int) (max / (1000 + InMemoryIndexCache.ENTRY_OVERHEAD)));
        assertThat(counter("thanos.store.index.cache.items.added", "Series")).isEqualTo(n - 1);
        assertThat(counter("thanos.store.index.cache.items.overflowed", "Series")).isEqualTo(1);
        assertThat(counter("thanos.store.index.cache.items.evicted", "Series")).isEqualTo(n - 1 - held);
        assertThat(gauge("thanos.store.index.cache.items", "Series")).isEqualTo(held);
        assertThat(gauge("thanos.store.index.cache.total.size.bytes", "Series")).isEqualTo((double) c.weightedSize());
    }

    @Test
    void aFetchMakesEntriesRecentlyUsed() {
        long entry = 1000 + InMemoryIndexCache.ENTRY_OVERHEAD;
        InMemoryIndexCache c = new InMemoryIndexCache(3 * entry, 2000, Set.of(), registry);
        c.storeSeries("A", 0, new byte[1000]);
        c.storeSeries("A", 16, new byte[1000]);
        c.storeSeries("A", 32, new byte[1000]);
        assertThat(c.fetchSeries("A", new long[] {0}, 0, 1)[0]).isNotNull();
        c.storeSeries("A", 48, new byte[1000]); // evicts 16, the least recently used, not 0
        byte[][] got = c.fetchSeries("A", new long[] {0, 16, 32, 48}, 0, 4);
        assertThat(got[0]).isNotNull();
        assertThat(got[1]).isNull();
        assertThat(got[2]).isNotNull();
        assertThat(got[3]).isNotNull();
    }
}
