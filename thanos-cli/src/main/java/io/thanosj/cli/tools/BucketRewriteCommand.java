package io.thanosj.cli.tools;

import com.github.f4b6a3.ulid.Ulid;
import io.thanosj.model.ErrorCode;
import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.promql.parser.Expr;
import io.thanosj.promql.parser.PromQLParser;
import io.thanosj.promql.parser.VectorSelector;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.BlockRewriter;
import io.thanosj.tsdb.bucket.BucketBlocks;
import io.thanosj.tsdb.bucket.BucketRewriter;
import io.thanosj.tsdb.bucket.DeletionRequests;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code thanos tools bucket rewrite}: removes the series or samples selected by a deletion
 * configuration from blocks, writing a new block per source ({@link BucketRewriter}). A dry run (the
 * default) prints what would be deleted; {@code --no-dry-run} uploads the new block, and
 * {@code --delete-blocks} then marks the source for deletion. Relabelling is not supported.
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = "Rewrite chosen blocks in the bucket, while deleting or modifying series. Resulted block has "
                + "modified stats in meta.json. Additionally compaction.sources are altered to not confuse readers of "
                + "meta.json. Instead thanos.rewrite section is added with useful info like old sources and deletion "
                + "requests. NOTE: It's recommended to turn off compactor while doing this operation. If the compactor "
                + "is running and touching exactly same block that is being rewritten, the resulted rewritten block "
                + "might only cause overlap (mitigated by marking overlapping block manually for deletion) and the data "
                + "you wanted to rewrite could already part of bigger block.\n\nUse FILESYSTEM type of bucket to rewrite "
                + "block on disk (suitable for vanilla Prometheus).")
final class BucketRewriteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ObjstoreFlags objstore;

    @Option(names = "--id", paramLabel = "<ulid>", required = true,
            description = "ID (ULID) of the blocks for rewrite (repeated flag).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--rewrite.to-delete-config-file", paramLabel = "<file-path>",
            description = "Path to YAML file that contains []metadata.DeletionRequest that will be applied to blocks")
    String deleteConfigFile;

    @Option(names = "--rewrite.to-delete-config", paramLabel = "<content>",
            description = "Alternative to 'rewrite.to-delete-config-file' flag (mutually exclusive). Content of YAML "
                    + "file that contains []metadata.DeletionRequest that will be applied to blocks")
    String deleteConfig;

    @Option(names = {"--rewrite.to-relabel-config-file", "--rewrite.to-relabel-config"}, paramLabel = "<content>",
            description = "Relabel configuration (not supported).")
    String relabelConfig;

    @Option(names = "--dry-run", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Prints the series changes instead of doing them. Defaults to true, for user to double check. "
                    + "(: Pass --no-dry-run to skip this.")
    boolean dryRun;

    @Option(names = "--delete-blocks", description = "Whether to delete the original blocks after rewriting blocks successfully. "
            + "Available in non dry-run mode only.")
    boolean deleteBlocks;

    @Option(names = "--prom-blocks", description = "If specified, we assume the blocks will be uploaded to a Prometheus "
            + "data directory: external labels are not required.")
    boolean promBlocks;

    @Option(names = "--tmp.dir", paramLabel = "<dir>", description = "Working directory for temporary files "
            + "(default: a new directory under the system's temporary directory).")
    Path tmpDir;

    @Override
    public Integer call() {
        if (relabelConfig != null) {
            throw ThanosException.badData("flag --rewrite.to-relabel-config: relabelling is not supported; use "
                    + "--rewrite.to-delete-config");
        }
        for (String id : ids) {
            if (!Ulid.isValid(id)) {
                throw ThanosException.badData("flag --id: \"" + id + "\" is not a valid ULID");
            }
        }
        List<BlockMeta.DeletionRequest> deletions = DeletionRequests.parseYaml(configContent(), BucketRewriteCommand::selector);
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = null;
        boolean ownTmp = tmpDir == null;
        try (Bucket bucket = objstore.open()) {
            List<String> present = BucketBlocks.list(bucket);
            for (String id : ids) {
                if (!present.contains(id)) {
                    throw new ThanosException(ErrorCode.NOT_FOUND, "rewrite block " + id + ": block not found in bucket "
                            + bucket.name());
                }
            }
            tmp = ownTmp ? Files.createTempDirectory("thanos-rewrite") : Files.createDirectories(tmpDir);
            List<BucketRewriter.Outcome> done = BucketRewriter.rewrite(bucket, ids, deletions, tmp, dryRun, deleteBlocks, promBlocks);
            for (BucketRewriter.Outcome o : done) {
                BlockRewriter.Result r = o.result();
                for (String line : r.changeLog()) {
                    out.println(line);
                }
                String what = r.seriesDeleted() + " series deleted, " + r.seriesChanged() + " series changed, "
                        + r.samplesDeleted() + " samples deleted";
                if (o.newId() == null) {
                    out.println("dry run: block " + o.sourceId() + " would be rewritten: " + what);
                } else {
                    out.println("block " + o.sourceId() + " rewritten as " + o.newId() + ": " + what
                            + (deleteBlocks ? "; source marked for deletion" : ""));
                }
            }
            if (dryRun) {
                out.println("dry run finished: nothing was changed; pass --no-dry-run to rewrite");
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            throw ThanosException.badData("rewrite blocks: temporary directory " + (tmp != null ? tmp : tmpDir) + ": " + e);
        } finally {
            if (ownTmp) {
                BucketVerifyCommand.deleteQuietly(tmp);
            }
        }
    }

    private String configContent() {
        boolean hasFile = deleteConfigFile != null && !deleteConfigFile.isEmpty();
        boolean hasInline = deleteConfig != null && !deleteConfig.isEmpty();
        if (hasFile && hasInline) {
            throw ThanosException.badData("--rewrite.to-delete-config-file and --rewrite.to-delete-config are mutually exclusive");
        }
        if (!hasFile && !hasInline) {
            throw ThanosException.badData("rewrite blocks: rewrite configuration should be provided: set "
                    + "--rewrite.to-delete-config-file or --rewrite.to-delete-config");
        }
        if (!hasFile) {
            return deleteConfig;
        }
        try {
            return Files.readString(Path.of(deleteConfigFile));
        } catch (NoSuchFileException e) {
            throw ThanosException.badData("read --rewrite.to-delete-config-file " + deleteConfigFile + ": no such file");
        } catch (IOException e) {
            throw ThanosException.badData("read --rewrite.to-delete-config-file " + deleteConfigFile + ": " + e.getMessage());
        }
    }

    /** A series selector such as {@code {a="b", c=~"d.*"}}, parsed with the PromQL parser. */
    static List<Matcher> selector(String s) {
        Expr e = PromQLParser.parse(s);
        if (!(e instanceof VectorSelector v)) {
            throw ThanosException.badData("expected a series selector such as {a=\"b\"}, got \"" + s + "\"");
        }
        return v.matchers();
    }
}
