package io.thanosj.store.bucket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Work that runs exactly once: on a pool thread, or on the first caller that needs its result
 * before a pool thread has picked it up. On a busy machine a pool thread can take milliseconds
 * to be scheduled, several times per Series call; a caller that would only wait for it runs the
 * work itself instead. Failures are rethrown by {@link #join()} as the original exception.
 */
final class OnceTask<T> {
    private final Supplier<T> work;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private OnceTask(Supplier<T> work) {
        this.work = work;
    }

    /** Submits {@code work} to {@code executor}; a rejected submission leaves it to {@link #join()}. */
    static <T> OnceTask<T> submit(Supplier<T> work, Executor executor) {
        return submit(work, executor, null);
    }

    /**
     * As {@link #submit(Supplier, Executor)}; when a pool thread runs the work, it then runs
     * {@code then} (if not null), so that the thread already awake goes on with follow-up work
     * instead of waking another one for it.
     */
    static <T> OnceTask<T> submit(Supplier<T> work, Executor executor, Runnable then) {
        OnceTask<T> t = new OnceTask<>(work);
        try {
            executor.execute(then == null ? t::tryRun : () -> {
                if (t.tryRun()) {
                    then.run();
                }
            });
        } catch (RuntimeException e) {
            // Shutting down: the caller runs it.
        }
        return t;
    }

    static OnceTask<Void> submit(Runnable work, Executor executor) {
        return submit(() -> {
            work.run();
            return null;
        }, executor);
    }

    /** Runs the work here unless it was claimed already; returns whether it ran here. */
    boolean tryRun() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        try {
            result.complete(work.get());
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
        return true;
    }

    /** Whether a thread has taken the work (it may still be running). */
    boolean claimed() {
        return claimed.get();
    }

    /** Completes when the work has run, normally or not. */
    CompletableFuture<T> future() {
        return result;
    }

    /** The result, running the work here if nobody has started it; its exception is rethrown unwrapped. */
    T join() {
        tryRun();
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
