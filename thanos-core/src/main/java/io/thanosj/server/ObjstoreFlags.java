package io.thanosj.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import picocli.CommandLine.Option;

/** Thanos's {@code --objstore.config-file} and {@code --objstore.config} flags, as a picocli mixin. */
public final class ObjstoreFlags {
    @Option(names = "--objstore.config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains object store configuration.")
    String file;

    @Option(names = "--objstore.config", paramLabel = "<content>",
            description = "Alternative to 'objstore.config-file' flag (mutually exclusive). Content of YAML file that contains object store configuration.")
    String content;

    public boolean isSet() {
        return (file != null && !file.isEmpty()) || (content != null && !content.isEmpty());
    }

    /** The configured bucket, checked and instrumented; Thanos's error when neither flag is set. */
    public Bucket bucket(MeterRegistry registry) {
        if (!isSet()) {
            throw ThanosException.badData("no supported bucket was configured: set --objstore.config-file or --objstore.config");
        }
        return BucketFactory.create(BucketFactory.configContent(file, content), registry);
    }
}
