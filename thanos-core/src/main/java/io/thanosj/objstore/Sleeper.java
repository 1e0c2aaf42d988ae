package io.thanosj.objstore;

import java.time.Duration;

/** Waits between retries; injected so that tests never sleep (Caffeine's Ticker idea). */
@FunctionalInterface
interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
