package io.thanosj.server;

import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Thanos's {@code --objstore.config-file} and {@code --objstore.config} flags, as a picocli mixin. */
public final class ObjstoreFlags {
    @Option(names = "--objstore.config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains object store configuration.")
    String file;

    @Option(names = "--objstore.config", paramLabel = "<content>",
            description = "Alternative to 'objstore.config-file' flag (mutually exclusive). Content of YAML file that contains object store configuration.")
    String content;

    /** The YAML text, or null when neither flag is set. */
    public String yaml() {
        if (file != null && content != null) {
            throw ThanosException.badData("both --objstore.config-file and --objstore.config are set; use only one");
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw ThanosException.badData("read --objstore.config-file " + file + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        return content;
    }

    public boolean isSet() {
        return file != null || content != null;
    }
}
