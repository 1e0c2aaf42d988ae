#!/usr/bin/env bash
# A single-node thanosj setup on one machine: Prometheus 2.x scraping itself, a sidecar uploading its
# blocks to a local FILESYSTEM bucket, and a querier over the sidecar. Stop everything with Ctrl-C.
#
#   ./mvnw -q -DskipTests package && examples/local/run.sh
#
# Needs: java 17+, prometheus on the PATH (Debian: apt-get install prometheus).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar="$repo/thanos-cli/target/thanos.jar"
work=${WORK_DIR:-$(mktemp -d -t thanosj-local.XXXX)}
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 1; }
command -v prometheus >/dev/null || { echo "prometheus not found (apt-get install prometheus)" >&2; exit 1; }

mkdir -p "$work/prom" "$work/bucket"
sed "s#@WORK@#$work#g" "$here/prometheus.yml" > "$work/prometheus.yml"
cat > "$work/bucket.yml" <<YAML
type: FILESYSTEM
config:
  directory: $work/bucket
YAML

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  --web.listen-address=127.0.0.1:9090 --web.enable-lifecycle >"$work/prometheus.log" 2>&1 &
pids+=($!)
java -jar "$jar" sidecar --prometheus.url=http://127.0.0.1:9090 --tsdb.path="$work/prom" \
  --objstore.config-file="$work/bucket.yml" >"$work/sidecar.log" 2>&1 &
pids+=($!)
java -jar "$jar" query --endpoint=127.0.0.1:10901 --query.replica-label=replica >"$work/query.log" 2>&1 &
pids+=($!)

echo "work dir: $work"
echo "waiting for the querier to be ready..."
for _ in $(seq 1 60); do
  if curl -sf http://127.0.0.1:10904/-/ready >/dev/null && curl -sf http://127.0.0.1:10902/-/ready >/dev/null; then break; fi
  sleep 1
done
echo "ready: UI at http://127.0.0.1:10904/  try:"
echo "  curl -s 'http://127.0.0.1:10904/api/v1/query?query=up'"
wait
