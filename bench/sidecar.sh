#!/usr/bin/env bash
# Times a large Series selection through the sidecar (StoreAPI over gRPC, remote read underneath)
# against Prometheus 2.42 answering the same selection itself, and prints the overhead ratio.
#   bench/sidecar.sh                       # 2000 series x 4h at 15s (about 1.9M samples)
#   SERIES=10000 HOURS=6 bench/sidecar.sh  # bigger
#   RUNS=11 BATCH=64 bench/sidecar.sh      # more runs; batched Series responses
# Needs /usr/bin/prometheus and /usr/bin/promtool (apt-get install -y prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
SERIES=${SERIES:-2000}
HOURS=${HOURS:-4}
RUNS=${RUNS:-5}
BATCH=${BATCH:-0}   # SeriesRequest.response_batch_size

./mvnw -o -q -pl thanos-core,thanos-sidecar -am test-compile
CP_FILE=thanos-core/target/jmh-classpath.txt
if [[ ! -s $CP_FILE || thanos-core/pom.xml -nt $CP_FILE ]]; then
  ./mvnw -o -q -pl thanos-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE"
fi
CP="thanos-sidecar/target/test-classes:thanos-sidecar/target/classes:thanos-core/target/test-classes:thanos-core/target/classes:$(cat "$CP_FILE")"
java -Xmx2g -Dbatch="$BATCH" -cp "$CP" io.thanosj.sidecar.SidecarBench "$SERIES" "$HOURS" "$RUNS"
