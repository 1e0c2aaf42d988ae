package io.thanosj.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestInMemoryCache {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void totalBytesStayWithinMaxSize() {
        long max = 64 * 1024;
        InMemoryCache c = new InMemoryCache("t", max, max, ticker, registry);
        for (int i = 0; i < 1000; i++) {
            c.store("key-" + i, new byte[1000], Duration.ZERO);
            assertThat(c.weightedSize()).isLessThanOrEqualTo(max);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("key-" + i);
        }
        int held = c.fetch(keys).size();
        assertThat(held).isGreaterThan(40).isLessThan(66);
        assertThat(registry.counter("thanos.cache.inmemory.items.evicted", "name", "t").count()).isEqualTo(1000 - held);
        assertThat(registry.get("thanos.cache.inmemory.items.size.bytes").gauge().value())
                .isEqualTo((double) c.weightedSize());
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        InMemoryCache c = new InMemoryCache("t", 1 << 20, 1 << 20, ticker, registry);
        c.store("short", new byte[] {1}, Duration.ofSeconds(10));
        c.store("forever", new byte[] {2}, Duration.ZERO);
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(c.fetch(List.of("short", "forever"))).containsOnlyKeys("short", "forever");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(c.fetch(List.of("short", "forever"))).containsOnlyKeys("forever");
    }

    @Test
    void itemsLargerThanMaxItemSizeAreNotStored() {
        InMemoryCache c = new InMemoryCache("t", 1 << 20, 100, ticker, registry);
        c.store("big", new byte[200], Duration.ZERO);
        c.store("small", new byte[10], Duration.ZERO);
        assertThat(c.fetch(List.of("big", "small"))).containsOnlyKeys("small");
        assertThat(registry.counter("thanos.cache.inmemory.items.overflowed", "name", "t").count()).isEqualTo(1);
    }

    @Test
    void replacingAnEntryKeepsTheByteCountExact() {
        InMemoryCache c = new InMemoryCache("t", 1 << 20, 1 << 20, ticker, registry);
        c.store("k", new byte[100], Duration.ZERO);
        c.store("k", new byte[300], Duration.ZERO);
        assertThat(c.fetch(List.of("k")).get("k")).hasSize(300);
        assertThat(registry.get("thanos.cache.inmemory.items.size.bytes").gauge().value())
                .isEqualTo((double) (300 + 2 + InMemoryCache.ENTRY_OVERHEAD));
    }

    @Test
    void itemSizeAboveTotalSizeIsRejected() {
        assertThatThrownBy(() -> new InMemoryCache("t", 10, 20, ticker, registry))
                .isInstanceOf(ThanosException.class).hasMessageContaining("max item size (20) cannot be bigger than overall cache size (10)");
    }
}
