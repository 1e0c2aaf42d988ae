#!/usr/bin/env bash
# Query benchmark of issue 5: thanosj's querier (HTTP -> PromQL -> gRPC StoreAPI -> local block) against
# Prometheus 2.42 on the same block. Prints per-query median latency and the geometric mean ratio.
#   bench/query.sh [-Dbench.instances=100] [-Dbench.runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
# One reactor run, so thanos-query's classpath points at the freshly built thanos-core.
./mvnw -q -o -DskipTests -pl thanos-core,thanos-query -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
java -Xmx6g "$@" -cp "thanos-query/target/test-classes:thanos-query/target/classes:thanos-core/target/classes:$(cat "$cp_file")" \
  io.thanosj.query.QueryBench
rm -f "$cp_file"
