package io.thanosj.cli.tools;

import io.thanosj.model.ThanosException;
import io.thanosj.objstore.Bucket;
import io.thanosj.tsdb.block.BlockMeta;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thanos tools bucket ls}: one line per block, or its meta.json with {@code -o json}. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List all blocks in the bucket.")
final class BucketLsCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BucketLsCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ObjstoreFlags objstore;

    @Option(names = {"-o", "--output"}, defaultValue = "",
            description = "Optional format in which to print each block's information. Options are 'json' and 'wide'.")
    String output;

    @Option(names = "--exclude-delete", description = "Exclude blocks marked for deletion.")
    boolean excludeDelete;

    @Option(names = "--min-time", paramLabel = "<time>",
            description = "Start of time range limit to list blocks: an RFC 3339 time or a duration relative to now, such as -1d or 2h45m.")
    String minTime;

    @Option(names = "--max-time", paramLabel = "<time>",
            description = "End of time range limit to list blocks: an RFC 3339 time or a duration relative to now, such as -1d or 2h45m.")
    String maxTime;

    /** Go prints local time; tests pin the zone. */
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        if (!output.isEmpty() && !output.equals("json") && !output.equals("wide")) {
            throw ThanosException.badData("flag --output: unsupported format \"" + output
                    + "\"; supported are json and wide (Go templates are not supported)");
        }
        long min = minTime == null ? Long.MIN_VALUE : TimeFlag.parse("--min-time", minTime, TimeFlag::now);
        long max = maxTime == null ? Long.MAX_VALUE : TimeFlag.parse("--max-time", maxTime, TimeFlag::now);
        PrintWriter out = spec.commandLine().getOut();
        int objects = 0;
        try (Bucket bucket = objstore.open()) {
            List<BlockMeta> metas = BlockMetaFetcher.fetch(bucket);
            for (BlockMeta m : metas) {
                // Thanos's time partition filter: keep blocks that overlap [min, max].
                if (m.maxTime() < min || m.minTime() > max) {
                    continue;
                }
                if (excludeDelete && bucket.exists(m.ulid() + Bucket.DIR_DELIM + "deletion-mark.json")) {
                    continue;
                }
                objects++;
                switch (output) {
                    case "json" -> out.print(new String(m.toJson(), StandardCharsets.UTF_8));
                    case "wide" -> out.println(wide(m, zone));
                    default -> out.println(m.ulid());
                }
            }
        }
        out.flush();
        LOG.atInfo().addKeyValue("objects", objects).log("ls done");
        return 0;
    }

    static String wide(BlockMeta m, ZoneId zone) {
        long from = m.minTime() / 1000 * 1000;
        long until = m.maxTime() / 1000 * 1000;
        return m.ulid() + " -- " + GoFormat.time(m.minTime(), zone) + " - " + GoFormat.time(m.maxTime(), zone)
                + " Diff: " + GoFormat.millis(until - from)
                + ", Compaction: " + m.compaction().level()
                + ", Downsample: " + m.thanos().downsampleResolution()
                + ", Source: " + m.thanos().source();
    }
}
