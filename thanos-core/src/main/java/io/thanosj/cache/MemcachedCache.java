package io.thanosj.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.CachedData;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.BulkFuture;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.transcoders.Transcoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memcached through spymemcached (binary protocol, one non-blocking connection per server, keys
 * spread over the servers by the client). Values are stored as raw bytes with no compression or
 * serialisation; items above {@code max_item_size} are skipped, as memcached would refuse them.
 * Sets are asynchronous and bounded by {@code max_async_buffer_size} in flight; beyond that they
 * are dropped and counted. Fetches wait at most {@code timeout} and return what arrived.
 */
final class MemcachedCache implements Cache {
    private static final Logger log = LoggerFactory.getLogger(MemcachedCache.class);
    /** Memcached's key length limit; longer keys are replaced by their hash. */
    private static final int MAX_KEY_LENGTH = 250;
    /** Memcached reads expirations above 30 days as absolute Unix times. */
    private static final long MAX_RELATIVE_TTL_SECONDS = 30L * 24 * 3600;

    static {
        // spymemcached logs to stderr by default; route it through SLF4J like everything else.
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
    }

    private final String name;
    private final MemcachedClient client;
    private final Duration timeout;
    private final long maxItemSize;
    private final int batchSize;
    private final Semaphore inflight;
    private final Transcoder<byte[]> transcoder;
    private final Counter requests;
    private final Counter hits;
    private final Counter failures;
    private final Counter skipped;

    private MemcachedCache(String name, List<InetSocketAddress> addrs, Duration timeout, long maxItemSize,
            int batchSize, int maxAsyncBuffer, MeterRegistry registry) {
        this.name = name;
        this.timeout = timeout;
        this.maxItemSize = maxItemSize;
        this.batchSize = batchSize;
        this.inflight = new Semaphore(Math.max(1, maxAsyncBuffer));
        int limit = maxItemSize > 0 && maxItemSize < Integer.MAX_VALUE ? (int) maxItemSize : Integer.MAX_VALUE;
        this.transcoder = new RawTranscoder(limit);
        try {
            this.client = new MemcachedClient(new ConnectionFactoryBuilder()
                    .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                    .setOpTimeout(Math.max(1, timeout.toMillis()))
                    .setFailureMode(FailureMode.Cancel)
                    // A cache should come back quickly after a blip: reconnect within seconds, not
                    // spymemcached's default of up to 30s during which every request misses.
                    .setMaxReconnectDelay(2)
                    .setDaemon(true)
                    .build(), addrs);
        } catch (IOException e) {
            throw new ThanosException(ErrorCode.UNAVAILABLE, "create memcached client for " + name + ": " + e.getMessage(), e);
        }
        awaitConnections(addrs.size());
        this.requests = Counter.builder("thanos.cache.memcached.requests").tag("name", name)
                .description("Total number of items requests to memcached.").register(registry);
        this.hits = Counter.builder("thanos.cache.memcached.hits").tag("name", name)
                .description("Total number of items requests to the cache that were a hit.").register(registry);
        this.failures = Counter.builder("thanos.memcached.operation.failures").tag("name", name)
                .description("Total number of operations against memcached that failed.").register(registry);
        this.skipped = Counter.builder("thanos.memcached.operation.skipped").tag("name", name)
                .description("Total number of operations against memcached that have been skipped (item too large or async buffer full).")
                .register(registry);
    }

    static MemcachedCache fromConfig(YamlMap cfg, String name, MeterRegistry registry) {
        cfg.allowOnly("addresses", "timeout", "max_idle_connections", "max_async_concurrency", "max_async_buffer_size",
                "max_get_multi_concurrency", "max_item_size", "max_get_multi_batch_size", "dns_provider_update_interval",
                "auto_discovery", "set_async_circuit_breaker_config");
        List<String> addresses = cfg.strings("addresses");
        if (addresses.isEmpty()) {
            throw cfg.bad("addresses", "no memcached addresses provided");
        }
        if (cfg.bool("auto_discovery", false)) {
            throw cfg.bad("auto_discovery", "memcached auto discovery is not supported; list the servers in addresses");
        }
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (String a : addresses) {
            addrs.add(address(cfg, a));
        }
        Duration timeout = cfg.duration("timeout", Duration.ofMillis(500));
        long maxItem = cfg.bytes("max_item_size", 1L << 20);
        long batch = cfg.integer("max_get_multi_batch_size", 0);
        long buffer = cfg.integer("max_async_buffer_size", 10_000);
        if (cfg.integer("max_async_concurrency", 20) <= 0) {
            throw cfg.bad("max_async_concurrency", "max async concurrency must be positive");
        }
        if (buffer <= 0) {
            throw cfg.bad("max_async_buffer_size", "max async buffer size must be positive");
        }
        if (batch < 0) {
            throw cfg.bad("max_get_multi_batch_size", "must not be negative");
        }
        return new MemcachedCache(name, addrs, timeout, maxItem, (int) Math.min(batch, Integer.MAX_VALUE),
                (int) Math.min(buffer, Integer.MAX_VALUE), registry);
    }

    /** host:port, optionally prefixed with Thanos's {@code dns+} (resolved by the JVM). */
    private static InetSocketAddress address(YamlMap cfg, String a) {
        String s = a.startsWith("dns+") ? a.substring(4) : a;
        if (s.startsWith("dnssrv+") || s.startsWith("dnssrvnoa+")) {
            throw cfg.bad("addresses", "DNS SRV discovery is not supported: " + a);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw cfg.bad("addresses", "expected host:port, got \"" + a + "\"");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw cfg.bad("addresses", "invalid port in \"" + a + "\"");
        }
    }

    /** Memcached keys are at most 250 bytes without spaces or control characters. */
    static String safeKey(String key) {
        boolean ok = key.length() <= MAX_KEY_LENGTH / 4 || key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_LENGTH;
        for (int i = 0; ok && i < key.length(); i++) {
            char c = key.charAt(i);
            ok = c > ' ' && c != 0x7f;
        }
        if (ok) {
            return key;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "H:" + Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, byte[]> fetch(List<String> keys) {
        Map<String, byte[]> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        requests.increment(keys.size());
        int step = batchSize > 0 ? batchSize : keys.size();
        List<BulkFuture<Map<String, byte[]>>> futures = new ArrayList<>();
        List<Map<String, String>> originals = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += step) {
            List<String> part = keys.subList(from, Math.min(keys.size(), from + step));
            Map<String, String> byMemcachedKey = new HashMap<>();
            for (String k : part) {
                byMemcachedKey.put(safeKey(k), k);
            }
            try {
                futures.add(client.asyncGetBulk(byMemcachedKey.keySet(), transcoder));
                originals.add(byMemcachedKey);
            } catch (RuntimeException e) {
                failures.increment();
                log.atDebug().addKeyValue("name", name).addKeyValue("err", e.toString()).log("memcached get failed");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < futures.size(); i++) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                Map<String, byte[]> got = futures.get(i).getSome(left, TimeUnit.NANOSECONDS);
                for (Map.Entry<String, byte[]> e : got.entrySet()) {
                    String orig = originals.get(i).get(e.getKey());
                    if (orig != null && e.getValue() != null) {
                        out.put(orig, e.getValue());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                failures.increment();
                log.atDebug().addKeyValue("name", name).addKeyValue("err", e.toString()).log("memcached get failed");
            }
        }
        hits.increment(out.size());
        return out;
    }

    @Override
    public void store(String key, byte[] value, Duration ttl) {
        if (maxItemSize > 0 && value.length > maxItemSize) {
            skipped.increment();
            return;
        }
        if (!inflight.tryAcquire()) {
            skipped.increment();
            return;
        }
        long secs = ttl.isZero() || ttl.isNegative() ? 0 : Math.max(1, Math.min(MAX_RELATIVE_TTL_SECONDS, ttl.toSeconds()));
        try {
            OperationFuture<Boolean> f = client.set(safeKey(key), (int) secs, value, transcoder);
            f.addListener(done -> {
                inflight.release();
                if (!done.getStatus().isSuccess()) {
                    failures.increment();
                }
            });
        } catch (RuntimeException e) {
            inflight.release();
            failures.increment();
            log.atDebug().addKeyValue("name", name).addKeyValue("err", e.toString()).log("memcached set failed");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        client.shutdown(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
    }

    /**
     * Gives the connections up to one {@code timeout} to open: requests made while a server's
     * connection is still opening are cancelled, so without this the first stores after start are
     * lost. An unreachable server only delays the start by the timeout; it reads as misses.
     */
    private void awaitConnections(int servers) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (client.getAvailableServers().size() < servers && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stores byte arrays as they are: flags 0, no compression, no serialisation. */
    private static final class RawTranscoder implements Transcoder<byte[]> {
        private final int maxSize;

        RawTranscoder(int maxSize) {
            this.maxSize = maxSize;
        }

        @Override
        public boolean asyncDecode(CachedData d) {
            return false;
        }

        @Override
        public CachedData encode(byte[] o) {
            return new CachedData(0, o, maxSize);
        }

        @Override
        public byte[] decode(CachedData d) {
            return d.getData();
        }

        @Override
        public int getMaxSize() {
            return maxSize;
        }
    }
}
