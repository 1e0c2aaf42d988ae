package io.thanosj.cli.tools;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.thanosj.objstore.Bucket;
import io.thanosj.objstore.BucketFactory;
import io.thanosj.model.ThanosException;
import picocli.CommandLine.Option;

/** Thanos's {@code --objstore.config-file} / {@code --objstore.config} pair (mutually exclusive). */
final class ObjstoreFlags {
    @Option(names = "--objstore.config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains object store configuration. See format details: "
                    + "https://thanos.io/tip/thanos/storage.md/#configuration")
    String configFile;

    @Option(names = "--objstore.config", paramLabel = "<content>",
            description = "Alternative to 'objstore.config-file' flag (mutually exclusive). Content of YAML file that "
                    + "contains object store configuration.")
    String config;

    /** Opens the configured bucket; its metrics go to a private registry, as a one-shot tool exposes none. */
    Bucket open() {
        String yaml = BucketFactory.configContent(configFile, config);
        if (yaml.isBlank()) {
            throw ThanosException.badData("no object store configured: set --objstore.config-file or --objstore.config");
        }
        MeterRegistry registry = new SimpleMeterRegistry();
        return BucketFactory.create(yaml, registry);
    }
}
