package io.thanosj.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ThanosException;
import java.time.Duration;
import java.util.Locale;

/**
 * Cache backends by Thanos's {@code type} names, and the value syntaxes their configs use. Both
 * the index cache and the caching bucket pick their backend here, so the three backends accept
 * the same {@code config:} sections in both places.
 */
public final class Caches {
    /** Thanos's defaults for the in-memory caches: 250MiB in all, 125MiB per item. */
    public static final long DEFAULT_MAX_SIZE = 250L << 20;
    public static final long DEFAULT_MAX_ITEM_SIZE = 125L << 20;

    private Caches() {}

    /** An in-memory cache bounded by the bytes of its keys and values. */
    public static Cache inMemory(String name, long maxSizeBytes, long maxItemSizeBytes, MeterRegistry registry) {
        return new InMemoryCache(name, maxSizeBytes, maxItemSizeBytes, Ticker.systemTicker(), registry);
    }

    /**
     * The backend for {@code type} (case-insensitive) with its {@code config:} mapping.
     * {@code what} names the config in errors ("index cache config").
     */
    static Cache create(String what, String type, YamlMap config, String name, MeterRegistry registry) {
        String t = type.toUpperCase(Locale.ROOT);
        return switch (t) {
            case "IN-MEMORY" -> InMemoryCache.fromConfig(config, name, registry);
            case "MEMCACHED" -> MemcachedCache.fromConfig(config, name, registry);
            case "REDIS" -> RedisCache.fromConfig(config, name, registry);
            case "" -> throw ThanosException.badData(what + ": missing field type (one of IN-MEMORY, MEMCACHED, REDIS)");
            default -> throw ThanosException.badData(what + ": unsupported type \"" + type
                    + "\"; supported types are IN-MEMORY, MEMCACHED, REDIS");
        };
    }

    /**
     * A byte size as Thanos's {@code model.Bytes} reads it: digits with an optional base-2 unit,
     * {@code B}, {@code KB}/{@code KiB}, {@code MB}/{@code MiB}, {@code GB}/{@code GiB},
     * {@code TB}/{@code TiB} (so {@code 1MB} is 1048576 bytes, as in Thanos).
     */
    public static long parseBytes(String s) {
        String t = s.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("invalid byte size \"" + s + "\": expected digits and a unit such as 250MB");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid byte size \"" + s + "\": number out of range");
        }
        String unit = t.substring(i).trim();
        int shift = switch (unit) {
            case "", "B" -> 0;
            case "KB", "KiB", "K", "k", "kB" -> 10;
            case "MB", "MiB", "M" -> 20;
            case "GB", "GiB", "G" -> 30;
            case "TB", "TiB", "T" -> 40;
            case "PB", "PiB", "P" -> 50;
            default -> throw new IllegalArgumentException("invalid byte size \"" + s + "\": unknown unit \"" + unit
                    + "\" (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)");
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("invalid byte size \"" + s + "\": out of range");
        }
        return n << shift;
    }

    /**
     * A Go duration as {@code time.ParseDuration} reads it: a sequence of decimal numbers with
     * units {@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}, e.g.
     * {@code 500ms}, {@code 1m30s}, {@code 1.5h}; {@code 0} alone is zero.
     */
    public static Duration parseGoDuration(String s) {
        String t = s.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        boolean neg = t.startsWith("-");
        if (neg || t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\"");
        }
        double totalNanos = 0;
        int i = 0;
        while (i < t.length()) {
            int start = i;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\"");
            }
            double v;
            try {
                v = Double.parseDouble(t.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\"");
            }
            int u = i;
            while (i < t.length() && !Character.isDigit(t.charAt(i)) && t.charAt(i) != '.') {
                i++;
            }
            double mult = switch (t.substring(u, i)) {
                case "ns" -> 1;
                case "us", "µs", "μs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "" -> throw new IllegalArgumentException("invalid duration \"" + s + "\": missing unit");
                default -> throw new IllegalArgumentException("invalid duration \"" + s + "\": unknown unit \""
                        + t.substring(u, i) + "\"");
            };
            totalNanos += v * mult;
        }
        if (totalNanos > Long.MAX_VALUE) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\": out of range");
        }
        long n = Math.round(totalNanos);
        return Duration.ofNanos(neg ? -n : n);
    }
}
