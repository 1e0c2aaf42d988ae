package io.thanosj.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/**
 * Redis through a Jedis connection pool. Fetches are {@code MGET}s of at most
 * {@code get_multi_batch_size} keys; sets run on {@code max_async_concurrency} background threads
 * with a queue of {@code max_async_buffer_size} (beyond it they are dropped and counted), each a
 * {@code SET ... PX ttl}. Keys get the configured {@code prefix}.
 */
final class RedisCache implements Cache {
    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);

    private final String name;
    private final String prefix;
    private final JedisPooled client;
    private final int batchSize;
    private final ThreadPoolExecutor setter;
    private final Counter requests;
    private final Counter hits;
    private final Counter failures;
    private final Counter skipped;

    private RedisCache(String name, HostAndPort addr, DefaultJedisClientConfig config, String prefix, int batchSize,
            int asyncConcurrency, int asyncBuffer, int poolSize, MeterRegistry registry) {
        this.name = name;
        this.prefix = prefix;
        this.batchSize = batchSize;
        org.apache.commons.pool2.impl.GenericObjectPoolConfig<redis.clients.jedis.Connection> pool =
                new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setJmxEnabled(false);
        this.client = new JedisPooled(pool, addr, config);
        this.setter = new ThreadPoolExecutor(asyncConcurrency, asyncConcurrency, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(asyncBuffer), r -> {
                    Thread t = new Thread(r, "redis-set-" + name);
                    t.setDaemon(true);
                    return t;
                }, (r, ex) -> this.skippedIncrement());
        this.setter.allowCoreThreadTimeOut(true);
        this.requests = Counter.builder("thanos.cache.redis.requests").tag("name", name)
                .description("Total number of items requests to redis.").register(registry);
        this.hits = Counter.builder("thanos.cache.redis.hits").tag("name", name)
                .description("Total number of items requests to the cache that were a hit.").register(registry);
        this.failures = Counter.builder("thanos.redis.operation.failures").tag("name", name)
                .description("Total number of operations against redis that failed.").register(registry);
        this.skipped = Counter.builder("thanos.redis.operation.skipped").tag("name", name)
                .description("Total number of set operations dropped because the async buffer was full.").register(registry);
    }

    private void skippedIncrement() {
        skipped.increment();
    }

    static RedisCache fromConfig(YamlMap cfg, String name, MeterRegistry registry) {
        cfg.allowOnly("addr", "prefix", "username", "password", "db", "dial_timeout", "read_timeout", "write_timeout",
                "max_get_multi_concurrency", "get_multi_batch_size", "max_set_multi_concurrency", "set_multi_batch_size",
                "tls_enabled", "tls_config", "cache_size", "master_name", "max_async_buffer_size", "max_async_concurrency",
                "set_async_circuit_breaker_config");
        String addr = cfg.string("addr", "");
        if (addr.isEmpty()) {
            throw cfg.bad("addr", "no redis addr provided");
        }
        if (addr.contains(",")) {
            throw cfg.bad("addr", "redis cluster addresses are not supported; give one host:port");
        }
        if (!cfg.string("master_name", "").isEmpty()) {
            throw cfg.bad("master_name", "redis sentinel is not supported");
        }
        if (cfg.integer("cache_size", 0) != 0) {
            throw cfg.bad("cache_size", "redis client-side caching is not supported; set it to 0");
        }
        if (cfg.has("tls_config")) {
            YamlMap tls = cfg.map("tls_config");
            tls.allowOnly("ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify", "min_version");
            for (String k : new String[] {"ca_file", "cert_file", "key_file", "server_name", "min_version"}) {
                if (!tls.string(k, "").isEmpty()) {
                    throw tls.bad(k, "custom TLS files are not supported; the JVM's trust store is used with tls_enabled");
                }
            }
            if (tls.bool("insecure_skip_verify", false)) {
                throw tls.bad("insecure_skip_verify", "skipping TLS verification is not supported");
            }
        }
        int colon = addr.lastIndexOf(':');
        if (colon <= 0 || colon == addr.length() - 1) {
            throw cfg.bad("addr", "expected host:port, got \"" + addr + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw cfg.bad("addr", "invalid port in \"" + addr + "\"");
        }
        Duration dial = cfg.duration("dial_timeout", Duration.ofSeconds(5));
        Duration read = cfg.duration("read_timeout", Duration.ofSeconds(3));
        Duration write = cfg.duration("write_timeout", Duration.ofSeconds(3));
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Math.max(1, dial.toMillis()))
                .socketTimeoutMillis((int) Math.max(1, Math.max(read.toMillis(), write.toMillis())))
                .database((int) cfg.integer("db", 0))
                .ssl(cfg.bool("tls_enabled", false))
                .clientName("thanosj-" + name);
        String user = cfg.string("username", "");
        String pass = cfg.string("password", "");
        if (!user.isEmpty()) {
            b.user(user);
        }
        if (!pass.isEmpty()) {
            b.password(pass);
        }
        long batch = cfg.integer("get_multi_batch_size", 100);
        long conc = cfg.integer("max_async_concurrency", 20);
        long buffer = cfg.integer("max_async_buffer_size", 10_000);
        long gets = cfg.integer("max_get_multi_concurrency", 100);
        if (batch < 0) {
            throw cfg.bad("get_multi_batch_size", "must not be negative");
        }
        if (gets < 0) {
            throw cfg.bad("max_get_multi_concurrency", "must not be negative");
        }
        if (conc <= 0) {
            throw cfg.bad("max_async_concurrency", "max async concurrency must be positive");
        }
        if (buffer <= 0) {
            throw cfg.bad("max_async_buffer_size", "max async buffer size must be positive");
        }
        String host = addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int pool = (int) Math.max(2, Math.min(256, conc + Math.max(gets, 1)));
        return new RedisCache(name, new HostAndPort(host, port), b.build(), cfg.string("prefix", ""),
                (int) Math.min(batch, Integer.MAX_VALUE), (int) conc, (int) Math.min(buffer, Integer.MAX_VALUE), pool, registry);
    }

    private byte[] key(String k) {
        return (prefix + k).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, byte[]> fetch(List<String> keys) {
        Map<String, byte[]> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        requests.increment(keys.size());
        int step = batchSize > 0 ? batchSize : keys.size();
        for (int from = 0; from < keys.size(); from += step) {
            int to = Math.min(keys.size(), from + step);
            byte[][] ks = new byte[to - from][];
            for (int i = from; i < to; i++) {
                ks[i - from] = key(keys.get(i));
            }
            try {
                List<byte[]> vs = client.mget(ks);
                for (int i = 0; i < vs.size(); i++) {
                    if (vs.get(i) != null) {
                        out.put(keys.get(from + i), vs.get(i));
                    }
                }
            } catch (RuntimeException e) {
                failures.increment();
                log.atDebug().addKeyValue("name", name).addKeyValue("err", e.toString()).log("redis mget failed");
                break;
            }
        }
        hits.increment(out.size());
        return out;
    }

    @Override
    public void store(String key, byte[] value, Duration ttl) {
        byte[] k = key(key);
        setter.execute(() -> {
            try {
                if (ttl.isZero() || ttl.isNegative()) {
                    client.set(k, value);
                } else {
                    client.set(k, value, SetParams.setParams().px(Math.max(1, ttl.toMillis())));
                }
            } catch (RuntimeException e) {
                failures.increment();
                log.atDebug().addKeyValue("name", name).addKeyValue("err", e.toString()).log("redis set failed");
            }
        });
    }

    /** Waits until queued sets are sent; for tests. */
    void flush() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((setter.getActiveCount() > 0 || !setter.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    void flushQuietly() {
        try {
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        setter.shutdown();
        try {
            setter.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
