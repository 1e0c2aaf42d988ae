package io.thanosj.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestPools {
    @Test
    void aCachedPoolStartsWithItsReadyThreadsAndGrowsWithDemand() throws Exception {
        ExecutorService pool = Pools.cached("test-pool", 3);
        try {
            ThreadPoolExecutor tpe = (ThreadPoolExecutor) pool;
            assertThat(tpe.getPoolSize()).as("threads started before any task").isEqualTo(3);
            // Five tasks that wait for each other can only finish if the pool grows past its ready threads.
            CountDownLatch all = new CountDownLatch(5);
            Set<String> names = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 5; i++) {
                pool.execute(() -> {
                    names.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? "/daemon" : ""));
                    all.countDown();
                    try {
                        all.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(names).hasSize(5).allMatch(n -> n.matches("test-pool-\\d+/daemon"));
        } finally {
            pool.shutdownNow();
        }
    }
}
