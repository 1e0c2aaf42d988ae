package io.thanosj.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools of daemon threads named {@code name-N}. */
public final class Pools {
    private Pools() {}

    /**
     * A pool that grows with demand, as {@link java.util.concurrent.Executors#newCachedThreadPool}
     * does, but keeps {@code ready} threads started and waiting. A cached pool starts empty and lets
     * idle threads go after a minute, so the first request after start or after a quiet minute waited
     * for threads to be created and scheduled: on a busy 2-core machine, a few milliseconds in which
     * the blocks of a Series call were read one after another instead of at once.
     */
    public static ExecutorService cached(String name, int ready) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(ready, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.prestartAllCoreThreads();
        return pool;
    }
}
