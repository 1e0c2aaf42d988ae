#!/usr/bin/env bash
# Store gateway benchmark: about 10k series (6h at 15s, three 2h blocks) in an in-process S3Proxy,
# queried through the querier + store gateway and through Prometheus 2.42 on the same blocks.
# Prints per-query latency (cold and warm), bytes read from the bucket, the geometric mean of
# the latency ratios and the store's heap per block.
# Cold = first run on a fresh store (also measured with its S3 connections opened first); before
# it the JIT is warmed on throwaway stores, queries and cold runs alike (JAVA_OPTS=-Dbench.warmup=N,
# -Dbench.coldWarmup=N to change), as a long-running store gateway is.
#   bench/store.sh              # 100 instances, about 10.4k series
#   INSTANCES=200 bench/store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
INSTANCES=${INSTANCES:-100}
command -v prometheus >/dev/null 2>&1 || { echo "prometheus (2.42, apt-get install -y prometheus) is required"; exit 1; }

./mvnw -o -q -pl thanos-core,thanos-store test-compile
CP_FILE=thanos-core/target/jmh-classpath.txt
if [[ ! -s $CP_FILE || thanos-core/pom.xml -nt $CP_FILE ]]; then
  ./mvnw -o -q -pl thanos-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE"
fi
CP="thanos-store/target/test-classes:thanos-store/target/classes:thanos-core/target/test-classes:thanos-core/target/classes:$(cat "$CP_FILE")"
exec java -Xmx4g -XX:+UseParallelGC ${JAVA_OPTS:-} -Dlogback.configurationFile=thanos-core/src/test/resources/logback-test.xml \
  -cp "$CP" io.thanosj.store.StoreBenchmark "$INSTANCES"
