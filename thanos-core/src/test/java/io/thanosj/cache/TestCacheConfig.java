package io.thanosj.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestCacheConfig {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void byteSizesAreBase2AsInThanos() {
        assertThat(Caches.parseBytes("250MB")).isEqualTo(250L << 20);
        assertThat(Caches.parseBytes("1MiB")).isEqualTo(1L << 20);
        assertThat(Caches.parseBytes("16000")).isEqualTo(16000);
        assertThat(Caches.parseBytes("2GB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Caches.parseBytes("12 parsecs")).hasMessageContaining("unknown unit \"parsecs\"");
        assertThatThrownBy(() -> Caches.parseBytes("MB")).hasMessageContaining("expected digits");
    }

    @Test
    void durationsAreGoDurations() {
        assertThat(Caches.parseGoDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Caches.parseGoDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Caches.parseGoDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Caches.parseGoDuration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Caches.parseGoDuration("5")).hasMessageContaining("missing unit");
        assertThatThrownBy(() -> Caches.parseGoDuration("5d")).hasMessageContaining("unknown unit \"d\"");
    }

    @Test
    void inMemoryIndexCacheFromYaml() {
        IndexCache c = IndexCaches.fromYaml("type: in-memory\nconfig:\n  max_size: 1MB\n  max_item_size: 100KB\n"
                + "enabled_items: [Series]\n", registry);
        IndexCache.PostingsKey k = new IndexCache.PostingsKey("job", "api");
        c.storePostings("B", k, new byte[] {1, 2});
        c.storeSeries("B", 160, new byte[] {3});
        assertThat(c.fetchPostings("B", List.of(k))[0]).isNull(); // postings disabled
        byte[][] got = c.fetchSeries("B", new long[] {160, 320}, 0, 2);
        assertThat(got[0]).containsExactly(3);
        assertThat(got[1]).isNull();
        assertThat(registry.counter("thanos.store.index.cache.hits", "item_type", "Series", "tenant", "default-tenant").count())
                .isEqualTo(1);
    }

    @Test
    void badConfigsNameTheField() {
        assertBad("type: IN-MEMORY\nconfig:\n  max_size: 1MB\n  bogus: 1\n", "index cache config: unknown field config.bogus");
        assertBad("type: FOO\n", "unsupported type \"FOO\"");
        assertBad("config: {}\n", "missing field type");
        assertBad("type: MEMCACHED\nconfig:\n  timeout: 1s\n", "field config.addresses: no memcached addresses provided");
        assertBad("type: MEMCACHED\nconfig:\n  addresses: [nohost]\n", "expected host:port");
        assertBad("type: REDIS\nconfig: {}\n", "field config.addr: no redis addr provided");
        assertBad("type: IN-MEMORY\nconfig:\n  max_size: 1KB\n  max_item_size: 2KB\n", "cannot be bigger than overall cache size");
        assertBad("type: IN-MEMORY\nenabled_items: [Chunks]\n", "unsupported item type Chunks");
        assertBad("type: IN-MEMORY\nttl: forever\n", "field ttl: invalid duration");
        assertBad("type: [", "malformed yaml");
    }

    private void assertBad(String yaml, String message) {
        assertThatThrownBy(() -> IndexCaches.fromYaml(yaml, registry))
                .isInstanceOf(ThanosException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ThanosException) e).code()).isEqualTo(ErrorCode.BAD_DATA));
    }
}
