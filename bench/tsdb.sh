#!/usr/bin/env bash
# Builds thanos-core's test classes and runs the TSDB JMH benchmarks briefly, then (when promtool is
# installed) a rough comparison with Prometheus 2.42's promtool on the same data.
#   bench/tsdb.sh                 # all, with a 1M-series block write (about a minute)
#   SERIES=200000 bench/tsdb.sh   # smaller block write and index
#   BENCH=BenchmarkXorChunk bench/tsdb.sh   # one benchmark class (regex)
set -euo pipefail
cd "$(dirname "$0")/.."
SERIES=${SERIES:-1000000}
BENCH=${BENCH:-'io.thanosj.tsdb.(chunk|index)'}
COMPARE_SERIES=${COMPARE_SERIES:-10000}

./mvnw -o -q -pl thanos-core test-compile
CP_FILE=thanos-core/target/jmh-classpath.txt
if [[ ! -s $CP_FILE || thanos-core/pom.xml -nt $CP_FILE ]]; then
  ./mvnw -o -q -pl thanos-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE"
fi
CP="thanos-core/target/test-classes:thanos-core/target/classes:$(cat "$CP_FILE")"

# Brief settings: figures are indicative, not publication grade.
java -cp "$CP" org.openjdk.jmh.Main "$BENCH" -p series="$SERIES" -wi 3 -i 3 -w 2s -r 1s -f 1 -rf text \
  -rff thanos-core/target/jmh-tsdb.txt 2>&1 | grep -E '^wrote|ERROR|Exception' || true
# The block write is one long shot: no warmup, one measurement.
if [[ -z ${SKIP_BLOCK_WRITE:-} ]]; then
  java -cp "$CP" org.openjdk.jmh.Main 'BenchmarkBlockWrite' -p series="$SERIES" -wi 0 -i 1 -f 1 -rf text \
    -rff thanos-core/target/jmh-tsdb-write.txt 2>&1 | grep -E 'ERROR|Exception' || true
fi
echo
cat thanos-core/target/jmh-tsdb.txt
[[ -f thanos-core/target/jmh-tsdb-write.txt && -z ${SKIP_BLOCK_WRITE:-} ]] && tail -n +2 thanos-core/target/jmh-tsdb-write.txt

if command -v promtool >/dev/null 2>&1; then
  echo
  java -Xmx2g -cp "$CP" io.thanosj.tsdb.block.PromtoolComparison "$COMPARE_SERIES"
else
  echo "promtool not installed: skipping the comparison with Prometheus"
fi
