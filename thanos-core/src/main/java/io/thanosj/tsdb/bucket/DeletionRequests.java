package io.thanosj.tsdb.bucket;

import io.thanosj.model.Matcher;
import io.thanosj.model.ThanosException;
import io.thanosj.tsdb.block.BlockMeta;
import io.thanosj.tsdb.block.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses the YAML of {@code --rewrite.to-delete-config}: a list of Thanos {@code DeletionRequest}s,
 * <pre>
 * - matchers: '{__name__="up", job="api"}'
 *   intervals: [{mint: 0, maxt: 1000}]   # optional; none deletes whole series
 *   request_id: ticket-1                 # optional
 * </pre>
 * The matchers are a PromQL series selector, parsed by the caller's {@code selectorParser} (the PromQL
 * parser), so this package does not depend on PromQL.
 */
public final class DeletionRequests {
    private DeletionRequests() {}

    public static List<BlockMeta.DeletionRequest> parseYaml(String yaml, Function<String, List<Matcher>> selectorParser) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw ThanosException.badData("parse deletion requests: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof List<?> list)) {
            throw ThanosException.badData("parse deletion requests: expected a list of requests");
        }
        List<BlockMeta.DeletionRequest> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "parse deletion requests: request " + i;
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw ThanosException.badData(at + ": expected a mapping");
            }
            for (Object k : m.keySet()) {
                if (!List.of("matchers", "intervals", "request_id").contains(String.valueOf(k))) {
                    throw ThanosException.badData(at + ": field " + k + " not found in type metadata.DeletionRequest");
                }
            }
            if (!(m.get("matchers") instanceof String sel) || sel.isBlank()) {
                throw ThanosException.badData(at + ": field matchers: expected a series selector string");
            }
            List<Matcher> matchers;
            try {
                matchers = selectorParser.apply(sel);
            } catch (ThanosException | IllegalArgumentException e) {
                throw ThanosException.badData(at + ": field matchers: " + e.getMessage());
            }
            List<Interval> intervals = new ArrayList<>();
            Object ivs = m.get("intervals");
            if (ivs != null) {
                if (!(ivs instanceof List<?> il)) {
                    throw ThanosException.badData(at + ": field intervals: expected a list");
                }
                for (Object o : il) {
                    if (!(o instanceof Map<?, ?> im) || !(im.get("mint") instanceof Number mint)
                            || !(im.get("maxt") instanceof Number maxt)) {
                        throw ThanosException.badData(at + ": field intervals: expected {mint: <ms>, maxt: <ms>}");
                    }
                    intervals.add(new Interval(mint.longValue(), maxt.longValue()));
                }
            }
            Object id = m.get("request_id");
            out.add(new BlockMeta.DeletionRequest(matchers, intervals, id == null ? "" : String.valueOf(id)));
        }
        return out;
    }
}
