package io.thanosj.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.UnknownFieldSet;
import io.thanosj.proto.hintspb.HintsProto;
import io.thanosj.proto.infopb.InfoRpc;
import io.thanosj.proto.labelpb.LabelTypes;
import io.thanosj.proto.storepb.AggrChunk;
import io.thanosj.proto.storepb.Chunk;
import io.thanosj.proto.storepb.LabelMatcher;
import io.thanosj.proto.storepb.PartialResponseStrategy;
import io.thanosj.proto.storepb.SeriesRequest;
import io.thanosj.proto.storepb.SeriesResponse;
import io.thanosj.proto.storepb.StoreRpc;
import io.thanosj.proto.storepb.StoreTypes;
import io.thanosj.proto.storepb.prompb.PrompbTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our protos against a table written by hand from Thanos's .proto files (pkg/store/storepb,
 * labelpb, hintspb, pkg/info/infopb at e103a81): every message's fields by number, name and type,
 * enum values, services and methods. A mismatch here means a Thanos peer would misread us.
 */
@Tag("unit")
class TestWireCompat {
    /** "number name type" per field; type is the proto type, message types fully qualified. */
    private static final Map<String, List<String>> MESSAGES = new HashMap<>();
    private static final Map<String, List<String>> ENUMS = new HashMap<>();

    private static void msg(String name, String... fields) {
        MESSAGES.put(name, List.of(fields));
    }

    static {
        msg("thanos.Label", "1 name string", "2 value string");
        msg("thanos.LabelSet", "1 labels thanos.Label*");
        msg("thanos.ZLabelSet", "1 labels thanos.Label*");
        msg("thanos.SymTableLabel", "1 name_ref uint32", "2 value_ref uint32");
        msg("thanos.SymbolTable", "1 offsets uint32*", "2 table bytes");

        msg("thanos.Chunk", "1 type thanos.Chunk.Encoding", "2 data bytes", "3 hash uint64");
        msg("thanos.Series", "1 labels thanos.Label*", "2 chunks thanos.AggrChunk*");
        msg("thanos.SeriesBatch", "1 series thanos.Series*");
        msg("thanos.AggrChunk", "1 min_time int64", "2 max_time int64", "3 raw thanos.Chunk", "4 count thanos.Chunk",
                "5 sum thanos.Chunk", "6 min thanos.Chunk", "7 max thanos.Chunk", "8 counter thanos.Chunk");
        msg("thanos.LabelMatcher", "1 type thanos.LabelMatcher.Type", "2 name string", "3 value string");
        ENUMS.put("thanos.Chunk.Encoding", List.of("0 XOR", "1 HISTOGRAM", "2 FLOAT_HISTOGRAM"));
        ENUMS.put("thanos.LabelMatcher.Type", List.of("0 EQ", "1 NEQ", "2 RE", "3 NRE"));
        ENUMS.put("thanos.PartialResponseStrategy", List.of("0 WARN", "1 ABORT"));
        ENUMS.put("thanos.Aggr", List.of("0 RAW", "1 COUNT", "2 SUM", "3 MIN", "4 MAX", "5 COUNTER"));

        msg("thanos.WriteResponse");
        msg("thanos.WriteRequest", "1 timeseries prometheus_copy.TimeSeries*", "2 tenant string", "3 replica int64",
                "4 timeseriesTenantData thanos.TimeSeriesTenantTuple*");
        msg("thanos.SeriesRequest", "1 min_time int64", "2 max_time int64", "3 matchers thanos.LabelMatcher*",
                "4 max_resolution_window int64", "5 aggregates thanos.Aggr*", "6 partial_response_disabled bool",
                "7 partial_response_strategy thanos.PartialResponseStrategy", "8 skip_chunks bool",
                "9 hints google.protobuf.Any", "10 step int64", "11 range int64", "12 query_hints thanos.QueryHints",
                "13 shard_info thanos.ShardInfo", "14 without_replica_labels string*", "15 limit int64",
                "16 response_batch_size int64");
        msg("thanos.QueryHints", "1 step_millis int64", "2 func thanos.Func", "4 grouping thanos.Grouping",
                "5 range thanos.Range", "6 projection_labels string*", "7 projection_include bool",
                "8 series_hash_label_name string");
        msg("thanos.ShardInfo", "1 shard_index int64", "2 total_shards int64", "3 by bool", "4 labels string*");
        msg("thanos.Func", "1 name string");
        msg("thanos.Grouping", "1 by bool", "3 labels string*");
        msg("thanos.Range", "1 millis int64");
        msg("thanos.TimeSeriesTenantTuple", "1 timeseries prometheus_copy.TimeSeries*", "2 tenant string");
        msg("thanos.SeriesResponse", "1 series thanos.Series", "2 warning string", "3 hints google.protobuf.Any",
                "4 batch thanos.SeriesBatch");
        msg("thanos.LabelNamesRequest", "1 partial_response_disabled bool",
                "2 partial_response_strategy thanos.PartialResponseStrategy", "3 start int64", "4 end int64",
                "5 hints google.protobuf.Any", "6 matchers thanos.LabelMatcher*", "7 without_replica_labels string*",
                "8 limit int64");
        msg("thanos.LabelNamesResponse", "1 names string*", "2 warnings string*", "3 hints google.protobuf.Any");
        msg("thanos.LabelValuesRequest", "1 label string", "2 partial_response_disabled bool",
                "3 partial_response_strategy thanos.PartialResponseStrategy", "4 start int64", "5 end int64",
                "6 hints google.protobuf.Any", "7 matchers thanos.LabelMatcher*", "8 without_replica_labels string*",
                "9 limit int64");
        msg("thanos.LabelValuesResponse", "1 values string*", "2 warnings string*", "3 hints google.protobuf.Any");

        msg("hintspb.SeriesRequestHints", "1 block_matchers thanos.LabelMatcher*", "2 enable_query_stats bool");
        msg("hintspb.SeriesResponseHints", "1 queried_blocks hintspb.Block*", "2 query_stats hintspb.QueryStats");
        msg("hintspb.Block", "1 id string");
        msg("hintspb.LabelNamesRequestHints", "1 block_matchers thanos.LabelMatcher*");
        msg("hintspb.LabelNamesResponseHints", "1 queried_blocks hintspb.Block*");
        msg("hintspb.LabelValuesRequestHints", "1 block_matchers thanos.LabelMatcher*");
        msg("hintspb.LabelValuesResponseHints", "1 queried_blocks hintspb.Block*");
        List<String> stats = new ArrayList<>();
        String[] statNames = {"blocks_queried", "merged_series_count", "merged_chunks_count", "postings_touched",
            "postings_touched_size_sum", "postings_to_fetch", "postings_fetched", "postings_fetched_size_sum",
            "postings_fetch_count", "series_touched", "series_touched_size_sum", "series_fetched",
            "series_fetched_size_sum", "series_fetch_count", "chunks_touched", "chunks_touched_size_sum",
            "chunks_fetched", "chunks_fetched_size_sum", "chunks_fetch_count", "data_downloaded_size_sum"};
        for (int i = 0; i < statNames.length; i++) {
            stats.add((i + 1) + " " + statNames[i] + " int64");
        }
        stats.add("21 get_all_duration google.protobuf.Duration");
        stats.add("22 merge_duration google.protobuf.Duration");
        MESSAGES.put("hintspb.QueryStats", stats);

        msg("thanos.info.InfoRequest");
        msg("thanos.info.InfoResponse", "1 label_sets thanos.ZLabelSet*", "2 ComponentType string",
                "3 store thanos.info.StoreInfo", "4 rules thanos.info.RulesInfo",
                "5 metric_metadata thanos.info.MetricMetadataInfo", "6 targets thanos.info.TargetsInfo",
                "7 exemplars thanos.info.ExemplarsInfo", "8 query thanos.info.QueryAPIInfo",
                "9 status thanos.info.StatusInfo");
        msg("thanos.info.StoreInfo", "1 min_time int64", "2 max_time int64", "3 supports_sharding bool",
                "5 supports_without_replica_labels bool", "6 tsdb_infos thanos.info.TSDBInfo*",
                "7 supports_projections bool");
        msg("thanos.info.RulesInfo");
        msg("thanos.info.MetricMetadataInfo");
        msg("thanos.info.TargetsInfo");
        msg("thanos.info.ExemplarsInfo", "1 min_time int64", "2 max_time int64");
        msg("thanos.info.QueryAPIInfo");
        msg("thanos.info.StatusInfo");
        msg("thanos.info.TSDBInfo", "1 labels thanos.ZLabelSet", "2 min_time int64", "3 max_time int64");

        msg("prometheus_copy.MetricMetadata", "1 type prometheus_copy.MetricMetadata.MetricType",
                "2 metric_family_name string", "4 help string", "5 unit string");
        msg("prometheus_copy.Sample", "1 value double", "2 timestamp int64");
        msg("prometheus_copy.Exemplar", "1 labels thanos.Label*", "2 value double", "3 timestamp int64");
        msg("prometheus_copy.Histogram", "1 count_int uint64", "2 count_float double", "3 sum double",
                "4 schema sint32", "5 zero_threshold double", "6 zero_count_int uint64", "7 zero_count_float double",
                "8 negative_spans prometheus_copy.BucketSpan*", "9 negative_deltas sint64*",
                "10 negative_counts double*", "11 positive_spans prometheus_copy.BucketSpan*",
                "12 positive_deltas sint64*", "13 positive_counts double*",
                "14 reset_hint prometheus_copy.Histogram.ResetHint", "15 timestamp int64", "16 custom_values double*");
        msg("prometheus_copy.BucketSpan", "1 offset sint32", "2 length uint32");
        msg("prometheus_copy.TimeSeries", "1 labels thanos.Label*", "2 samples prometheus_copy.Sample*",
                "3 exemplars prometheus_copy.Exemplar*", "4 histograms prometheus_copy.Histogram*");
        msg("prometheus_copy.LabelMatcher", "1 type prometheus_copy.LabelMatcher.Type", "2 name string", "3 value string");
        msg("prometheus_copy.ReadHints", "1 step_ms int64", "2 func string", "3 start_ms int64", "4 end_ms int64",
                "5 grouping string*", "6 by bool", "7 range_ms int64");
        msg("prometheus_copy.Chunk", "1 min_time_ms int64", "2 max_time_ms int64",
                "3 type prometheus_copy.Chunk.Encoding", "4 data bytes");
        msg("prometheus_copy.ChunkedSeries", "1 labels thanos.Label*", "2 chunks prometheus_copy.Chunk*");
        ENUMS.put("prometheus_copy.MetricMetadata.MetricType", List.of("0 UNKNOWN", "1 COUNTER", "2 GAUGE",
                "3 HISTOGRAM", "4 GAUGEHISTOGRAM", "5 SUMMARY", "6 INFO", "7 STATESET"));
        ENUMS.put("prometheus_copy.Histogram.ResetHint", List.of("0 UNKNOWN", "1 YES", "2 NO", "3 GAUGE"));
        ENUMS.put("prometheus_copy.LabelMatcher.Type", List.of("0 EQ", "1 NEQ", "2 RE", "3 NRE"));
        ENUMS.put("prometheus_copy.Chunk.Encoding", List.of("0 UNKNOWN", "1 XOR", "2 HISTOGRAM", "3 FLOAT_HISTOGRAM"));
    }

    private static final FileDescriptor[] FILES = {
        LabelTypes.getDescriptor(), StoreTypes.getDescriptor(), StoreRpc.getDescriptor(),
        PrompbTypes.getDescriptor(), HintsProto.getDescriptor(), InfoRpc.getDescriptor()};

    @Test
    void everyMessageMatchesThanosFieldForField() {
        Map<String, List<String>> ours = new HashMap<>();
        Map<String, List<String>> ourEnums = new HashMap<>();
        for (FileDescriptor f : FILES) {
            f.getMessageTypes().forEach(d -> collect(d, ours, ourEnums));
            f.getEnumTypes().forEach(e -> ourEnums.put(e.getFullName(), values(e)));
        }
        assertThat(ours).isEqualTo(MESSAGES);
        assertThat(ourEnums).isEqualTo(ENUMS);
    }

    private static void collect(Descriptor d, Map<String, List<String>> out, Map<String, List<String>> enums) {
        List<String> fields = new ArrayList<>();
        for (FieldDescriptor f : d.getFields()) {
            String type = switch (f.getType()) {
                case MESSAGE -> f.getMessageType().getFullName();
                case ENUM -> f.getEnumType().getFullName();
                default -> f.getType().name().toLowerCase();
            };
            fields.add(f.getNumber() + " " + f.getName() + " " + type + (f.isRepeated() ? "*" : ""));
        }
        out.put(d.getFullName(), fields);
        d.getNestedTypes().forEach(n -> collect(n, out, enums));
        d.getEnumTypes().forEach(e -> enums.put(e.getFullName(), values(e)));
    }

    private static List<String> values(EnumDescriptor e) {
        List<String> v = new ArrayList<>();
        e.getValues().forEach(x -> v.add(x.getNumber() + " " + x.getName()));
        return v;
    }

    @Test
    void servicesAndMethodsHaveThanosNames() {
        List<String> got = new ArrayList<>();
        for (FileDescriptor f : FILES) {
            for (ServiceDescriptor s : f.getServices()) {
                for (MethodDescriptor m : s.getMethods()) {
                    got.add("/" + s.getFullName() + "/" + m.getName() + " " + m.getInputType().getFullName() + " -> "
                            + (m.isServerStreaming() ? "stream " : "") + m.getOutputType().getFullName());
                }
            }
        }
        assertThat(got).containsExactlyInAnyOrder(
                "/thanos.Store/Series thanos.SeriesRequest -> stream thanos.SeriesResponse",
                "/thanos.Store/LabelNames thanos.LabelNamesRequest -> thanos.LabelNamesResponse",
                "/thanos.Store/LabelValues thanos.LabelValuesRequest -> thanos.LabelValuesResponse",
                "/thanos.WriteableStore/RemoteWrite thanos.WriteRequest -> thanos.WriteResponse",
                "/thanos.info.Info/Info thanos.info.InfoRequest -> thanos.info.InfoResponse");
    }

    /** The bytes on the wire, read back without our schema. */
    @Test
    void encodedBytesCarryThanosFieldNumbers() throws Exception {
        SeriesRequest r = SeriesRequest.newBuilder().setMinTime(5).setMaxTime(9)
                .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("a.*"))
                .setPartialResponseStrategy(PartialResponseStrategy.ABORT).setSkipChunks(true)
                .addWithoutReplicaLabels("replica").setLimit(3).setResponseBatchSize(8).build();
        UnknownFieldSet u = UnknownFieldSet.parseFrom(r.toByteArray());
        assertThat(u.asMap().keySet()).containsExactly(1, 2, 3, 7, 8, 14, 15, 16);
        assertThat(u.getField(1).getVarintList()).containsExactly(5L);
        assertThat(u.getField(7).getVarintList()).containsExactly(1L);
        assertThat(u.getField(14).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("replica"));
        UnknownFieldSet m = UnknownFieldSet.parseFrom(u.getField(3).getLengthDelimitedList().get(0));
        assertThat(m.getField(1).getVarintList()).containsExactly(2L);
        assertThat(m.getField(2).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("job"));

        // A SeriesResponse as a Thanos store encodes it: series{labels{name,value}, chunks{min,max,raw{data}}};
        // like protoc, gogoproto leaves out zero scalars such as type = XOR.
        byte[] thanos = hex("0a1c"                    // field 1 (series), 28 bytes
                + "0a0a" + "0a03" + "6a6f62" + "1203" + "6e6f64"   // labels: job="nod"
                + "120e" + "0802" + "1004" + "1a08" + "1206" + "000102030405"); // chunk [2,4], raw data
        SeriesResponse resp = SeriesResponse.parseFrom(thanos);
        assertThat(resp.getSeries().getLabels(0).getName()).isEqualTo("job");
        AggrChunk c = resp.getSeries().getChunks(0);
        assertThat(c.getMinTime()).isEqualTo(2);
        assertThat(c.getMaxTime()).isEqualTo(4);
        assertThat(c.getRaw().getType()).isEqualTo(Chunk.Encoding.XOR);
        assertThat(c.getRaw().getData().size()).isEqualTo(6);
        assertThat(resp.toByteArray()).isEqualTo(thanos);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
