package io.thanosj.store.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thanosj.model.ThanosException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TestOnceTask {
    @Test
    void aCallerRunsWorkNoPoolThreadHasStartedAndThePoolThenSkipsIt() {
        List<Runnable> queued = new ArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        OnceTask<String> t = OnceTask.submit(() -> {
            runs.incrementAndGet();
            return Thread.currentThread().getName();
        }, queued::add);
        assertThat(t.claimed()).isFalse();
        assertThat(t.join()).isEqualTo(Thread.currentThread().getName());
        queued.forEach(Runnable::run); // the pool thread comes too late
        assertThat(runs).hasValue(1);
        assertThat(t.join()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void workStartedByThePoolIsAwaitedAndFailuresAreRethrownUnwrapped() {
        List<Runnable> queued = new ArrayList<>();
        OnceTask<Void> t = OnceTask.submit(() -> {
            throw ThanosException.badData("broken");
        }, queued::add);
        queued.get(0).run();
        assertThat(t.claimed()).isTrue();
        assertThat(t.tryRun()).isFalse();
        assertThatThrownBy(t::join).isInstanceOf(ThanosException.class).hasMessage("broken");
    }

    @Test
    void thePoolThreadThatRanTheWorkGoesOnWithTheFollowUp() {
        List<Runnable> queued = new ArrayList<>();
        AtomicInteger then = new AtomicInteger();
        OnceTask<Integer> byPool = OnceTask.submit(() -> 1, queued::add, then::incrementAndGet);
        queued.get(0).run();
        assertThat(byPool.join()).isEqualTo(1);
        assertThat(then).hasValue(1);
        OnceTask<Integer> byCaller = OnceTask.submit(() -> 2, queued::add, then::incrementAndGet);
        assertThat(byCaller.join()).isEqualTo(2);
        queued.get(1).run();
        assertThat(then).as("not when the caller ran the work").hasValue(1);
    }

    @Test
    void aRejectedSubmissionLeavesTheWorkToTheCaller() {
        OnceTask<Integer> t = OnceTask.submit(() -> 42, r -> {
            throw new RejectedExecutionException("shutting down");
        });
        assertThat(t.join()).isEqualTo(42);
    }
}
