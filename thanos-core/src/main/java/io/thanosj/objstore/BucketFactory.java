package io.thanosj.objstore;

import io.micrometer.core.instrument.MeterRegistry;
import io.thanosj.model.ThanosException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Creates a {@link Bucket} from Thanos's objstore YAML:
 * <pre>
 * type: S3 | GCS | AZURE | FILESYSTEM
 * config: { provider fields, as in Thanos's docs/storage.md }
 * prefix: optional/path
 * </pre>
 * The result is prefixed (if asked) and instrumented with Thanos's metrics in the given registry.
 * Any config problem is a {@link ThanosException} with one line naming the field, and its line and
 * column where known; for S3, GCS and Azure the bucket is checked once at creation, so a missing
 * bucket, wrong credentials or an unreachable endpoint fail here rather than on first use.
 */
public final class BucketFactory {
    private BucketFactory() {
    }

    /** Reads {@code --objstore.config-file} or {@code --objstore.config} (mutually exclusive). */
    public static String configContent(String file, String inline) {
        boolean hasFile = file != null && !file.isEmpty();
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasFile && hasInline) {
            throw ThanosException.badData("--objstore.config-file and --objstore.config are mutually exclusive");
        }
        if (hasFile) {
            try {
                return Files.readString(Path.of(file));
            } catch (NoSuchFileException e) {
                throw ThanosException.badData("read --objstore.config-file " + file + ": no such file");
            } catch (IOException e) {
                throw ThanosException.badData("read --objstore.config-file " + file + ": " + e.getMessage());
            }
        }
        return hasInline ? inline : "";
    }

    /** A checked, prefixed, instrumented bucket for {@code yaml}. */
    public static Bucket create(String yaml, MeterRegistry registry) {
        return create(yaml, registry, Sleeper.SYSTEM, true);
    }

    static Bucket create(String yaml, MeterRegistry registry, Sleeper sleeper, boolean checkBucket) {
        Bucket b = createUninstrumented(yaml, sleeper, checkBucket);
        return new InstrumentedBucket(b, registry, System::nanoTime);
    }

    static Bucket createUninstrumented(String yaml, Sleeper sleeper, boolean checkBucket) {
        Parsed p = parse(yaml);
        Bucket b = switch (p.type) {
            case "S3" -> S3Factory.create(ConfigNode.of(S3Bucket.TYPE, p.config), sleeper, checkBucket);
            case "GCS" -> GcsFactory.create(ConfigNode.of(GcsBucket.TYPE, p.config), checkBucket);
            case "AZURE" -> AzureFactory.create(ConfigNode.of(AzureBucket.TYPE, p.config), sleeper, checkBucket);
            case "FILESYSTEM" -> FilesystemBucket.fromConfig(ConfigNode.of(FilesystemBucket.TYPE, p.config));
            default -> throw ThanosException.badData("objstore config: unknown type \"" + p.rawType
                    + "\"; supported types are S3, GCS, AZURE, FILESYSTEM" + ConfigNode.position(p.typeNode));
        };
        return PrefixedBucket.wrap(b, p.prefix);
    }

    private record Parsed(String type, String rawType, Node typeNode, Node config, String prefix) {
    }

    private static Parsed parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw ThanosException.badData("objstore config: empty; set --objstore.config-file or --objstore.config");
        }
        Node root;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(false);
            opts.setMaxAliasesForCollections(10);
            // Thanos reads only the first document of a multi-document stream.
            Iterator<Node> docs = new Yaml(opts).composeAll(new StringReader(yaml)).iterator();
            root = docs.hasNext() ? docs.next() : null;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String at = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw ThanosException.badData("objstore config: malformed yaml" + at + ": " + problem);
        } catch (YAMLException e) {
            throw ThanosException.badData("objstore config: malformed yaml: " + e.getMessage());
        }
        if (root == null) {
            throw ThanosException.badData("objstore config: empty; set --objstore.config-file or --objstore.config");
        }
        if (!(root instanceof MappingNode)) {
            throw ThanosException.badData("objstore config: expected a mapping with type, config and prefix"
                    + ConfigNode.position(root));
        }
        ConfigNode top = ConfigNode.of("top level", root);
        top.allowOnly("type", "config", "prefix");
        String rawType = top.string("type", "");
        if (rawType.isEmpty()) {
            throw ThanosException.badData("objstore config: missing field type (one of S3, GCS, AZURE, FILESYSTEM)");
        }
        Node configNode = null;
        Node typeNode = null;
        for (var t : ((MappingNode) root).getValue()) {
            String key = ((org.yaml.snakeyaml.nodes.ScalarNode) t.getKeyNode()).getValue();
            if (key.equals("config")) {
                configNode = t.getValueNode();
            } else if (key.equals("type")) {
                typeNode = t.getValueNode();
            }
        }
        return new Parsed(rawType.toUpperCase(Locale.ROOT), rawType, typeNode, configNode, top.string("prefix", ""));
    }
}
