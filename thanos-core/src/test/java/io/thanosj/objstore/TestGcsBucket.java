package io.thanosj.objstore;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;

/**
 * GCS through google-cloud-nio's in-memory fake ({@link LocalStorageHelper}): no GCS emulator can
 * run here (fake-gcs-server ships as Docker images and GitHub binaries, gcp-storage-emulator on
 * PyPI; neither is reachable, and npm and Debian have none). The fake checks our request building,
 * listing, ranges within the object and not-found mapping, not HTTP errors. Two of its gaps are
 * worked around below: it pads reads past the end with zeros, and it loses objects written in more
 * than one resumable chunk; real GCS does neither.
 */
@Tag("unit")
class TestGcsBucket extends BucketContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    // Held so that the setting is not garbage collected with the logger.
    private static final Logger NOISY = Logger.getLogger("com.google.api.client.googleapis.services.AbstractGoogleClient");

    static {
        NOISY.setLevel(Level.SEVERE);
    }

    @Override
    protected Bucket newBucket() {
        return new GcsBucket(LocalStorageHelper.getOptions().getService(), "gcs-bkt-" + SEQ.incrementAndGet(), 4 * 1024 * 1024);
    }

    /** One resumable chunk: the fake cannot assemble several. */
    @Override
    protected long multipartSize() {
        return 3L * 1024 * 1024 + 11;
    }

    @Override
    protected boolean readsPastEndCorrectly() {
        return false;
    }
}
