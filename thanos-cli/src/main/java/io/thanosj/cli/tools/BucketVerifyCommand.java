package io.thanosj.cli.tools;

import com.github.f4b6a3.ulid.Ulid;
import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.bucket.BucketVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code thanos tools bucket verify}: checks blocks for overlaps and, block by block, every series'
 * index entry and chunks ({@link BucketVerifier}); prints one line per problem and exits 1 when any
 * is found. Repair is not supported.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify all blocks in the bucket against specified issues. NOTE: Depending on issue this might "
                + "take time and will need downloading all specified blocks to disk.")
final class BucketVerifyCommand implements Callable<Integer> {
    /** Exit code when problems were found. */
    static final int PROBLEMS_FOUND = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    ObjstoreFlags objstore;

    @Option(names = {"-i", "--issues"}, paramLabel = "<issue>",
            defaultValue = BucketVerifier.INDEX_KNOWN_ISSUES + "," + BucketVerifier.OVERLAPPED_BLOCKS, split = ",",
            description = "Issues to verify (and optionally repair). Possible values: [index_known_issues overlapped_blocks]")
    List<String> issues = new ArrayList<>();

    @Option(names = "--id", paramLabel = "<ulid>",
            description = "Block IDs to verify (and optionally repair) only. If none is specified, all blocks will be "
                    + "verified. Repeated field")
    List<String> ids = new ArrayList<>();

    @Option(names = {"-r", "--repair"}, description = "Attempt to repair blocks for which issues were detected (not supported).")
    boolean repair;

    @Override
    public Integer call() {
        if (repair) {
            throw ThanosException.badData("flag --repair: repairing blocks is not supported; run verify without it");
        }
        Set<String> want = new LinkedHashSet<>();
        for (String id : ids) {
            if (!Ulid.isValid(id)) {
                throw ThanosException.badData("flag --id: \"" + id + "\" is not a valid ULID");
            }
            want.add(id);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = null;
        try (Bucket bucket = objstore.open()) {
            tmp = Files.createTempDirectory("thanos-verify");
            List<BucketVerifier.Finding> found = BucketVerifier.verify(bucket, new LinkedHashSet<>(issues), want, tmp);
            for (BucketVerifier.Finding f : found) {
                out.println(f);
            }
            out.println(found.isEmpty() ? "verify: no issues found" : "verify: " + found.size() + " issues found");
            out.flush();
            return found.isEmpty() ? 0 : PROBLEMS_FOUND;
        } catch (IOException e) {
            throw ThanosException.badData("verify bucket: create temporary directory: " + e.getMessage());
        } finally {
            deleteQuietly(tmp);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // temporary files only
        }
    }
}
