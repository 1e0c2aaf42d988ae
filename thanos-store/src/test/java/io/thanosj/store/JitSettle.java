package io.thanosj.store;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up that lasts until the JIT is done with the measured paths. A fixed number of rounds left
 * C1 and C2 compiling for tens of seconds into the measurements (in the store benchmark, half of
 * the process's CPU during its small queries), so the figures measured the compiler's queue as much
 * as the code. After {@code min} rounds, rounds go on until one spends less than {@link #SETTLED}
 * of its wall time in compilation, or until {@link #MAX_SECONDS}.
 */
final class JitSettle {
    static final double SETTLED = Double.parseDouble(System.getProperty("bench.jitSettled", "0.02"));
    static final long MAX_SECONDS = Long.getLong("bench.jitMaxSeconds", 240);

    interface Round {
        void run() throws Exception;
    }

    private JitSettle() {}

    /** Runs {@code round} at least {@code min} times, then until the JIT settles; returns the rounds run. */
    static int run(int min, Round round) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
        int n = 0;
        while (true) {
            long c0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            round.run();
            n++;
            double wallMs = (System.nanoTime() - t0) / 1e6;
            double compiling = (jit.getTotalCompilationTime() - c0) / wallMs;
            if (n >= min && (compiling < SETTLED || System.nanoTime() > deadline)) {
                return n;
            }
        }
    }
}
