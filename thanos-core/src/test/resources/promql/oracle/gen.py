#!/usr/bin/env python3
"""Regenerates differential.tsv: instant-query results of Prometheus 2.42 for a fixed dataset.

Runs Debian's `promtool test rules` (2.42) with one expression test per query and an empty
expectation, so promtool prints what Prometheus actually returned. Usage:
    python3 gen.py > differential.tsv
Output: '#series' lines (the dataset, promtool series syntax), then per case
'query<TAB>eval time in s<TAB>result', where result is 'err: <message>', 'empty' or the samples.
"""
import random
import re
import subprocess
import sys
import tempfile

INTERVAL = "15s"
SERIES = [
    ('http_requests_total{job="api",instance="a",code="200"}', "0+7x240"),
    ('http_requests_total{job="api",instance="b",code="200"}', "1+5x100 0+5x139"),
    ('http_requests_total{job="api",instance="a",code="500"}', "_x10 1+1x50 _x20 60+2x158"),
    ('http_requests_total{job="web",instance="c",code="200"}', "100+3x240"),
    ('node_cpu_seconds_total{instance="a",cpu="0",mode="idle"}', "0+13x240"),
    ('node_cpu_seconds_total{instance="a",cpu="0",mode="user"}', "0+2x240"),
    ('node_cpu_seconds_total{instance="a",cpu="1",mode="idle"}', "5+14x240"),
    ('node_cpu_seconds_total{instance="b",cpu="0",mode="idle"}', "0+15x120 0+1x119"),
    ('node_cpu_seconds_total{instance="b",cpu="0",mode="user"}', "0+0.5x240"),
    ('node_memory_free_bytes{instance="a"}', "1000-3x100 700+5x139"),
    ('node_memory_free_bytes{instance="b"}', "2e9+1e6x240"),
    ('temp{room="x"}', "1 2 NaN 4 Inf -Inf 3 3 3 -2.5 0 0 7 7 1e300 -1e300 5 _x5 6 6 6 6 6"),
    ('temp{room="y"}', "20+0.25x240"),
    ('with_stale{k="v"}', "1 2 stale 4 5 stale _x3 8 9 stale"),
    ('sparse{k="v"}', "_x20 3 _x30 4 _x60 5"),
    ('req_duration_seconds_bucket{job="api",le="0.1"}', "0+3x240"),
    ('req_duration_seconds_bucket{job="api",le="0.5"}', "0+8x240"),
    ('req_duration_seconds_bucket{job="api",le="1"}', "0+9x240"),
    ('req_duration_seconds_bucket{job="api",le="+Inf"}', "0+10x240"),
    ('req_duration_seconds_bucket{job="web",le="0.1"}', "0+1x240"),
    ('req_duration_seconds_bucket{job="web",le="0.5"}', "0+1x240"),
    ('req_duration_seconds_bucket{job="web",le="+Inf"}', "0+4x240"),
    ('version{job="api",instance="a"}', "3x240"),
    ('version{job="api",instance="b"}', "3x240"),
    ('version{job="web",instance="c"}', "4.5x240"),
    ('labels_test{src="a-b-c",dst="x",empty=""}', "1x240"),
    ('labels_test{src="d-e",dst="y"}', "2x240"),
    ('neg{k="a"}', "-5+0.5x240"),
]

HAND = r'''
http_requests_total
http_requests_total offset 5m
http_requests_total offset -5m
http_requests_total @ 600
http_requests_total{code=~"5.."}
http_requests_total{code!~"2.*",job="api"}
{__name__=~"http_.*|temp", job!="web"}
rate(http_requests_total[5m])
rate(http_requests_total[1m])
rate(http_requests_total[30s])
irate(http_requests_total[5m])
increase(http_requests_total[10m])
delta(node_memory_free_bytes[10m])
idelta(node_memory_free_bytes[10m])
deriv(node_memory_free_bytes[10m])
predict_linear(node_memory_free_bytes[10m], 3600)
resets(node_cpu_seconds_total[1h])
changes(temp[1h])
changes(with_stale[10m])
holt_winters(node_memory_free_bytes[10m], 0.3, 0.6)
holt_winters(node_memory_free_bytes[10m], 1.3, 0.6)
avg_over_time(temp[10m])
sum_over_time(temp[10m])
min_over_time(temp[10m])
max_over_time(temp[10m])
count_over_time(temp[10m])
last_over_time(temp[10m])
stddev_over_time(node_memory_free_bytes[10m])
stdvar_over_time(temp[2m])
quantile_over_time(0.9, node_memory_free_bytes[10m])
quantile_over_time(-1, temp[10m])
present_over_time(sparse[1m])
absent_over_time(sparse[1m])
absent_over_time(nonexistent{a="b"}[5m])
absent(nonexistent{a="b",c=~"d"})
absent(http_requests_total)
sum(rate(http_requests_total[5m])) by (job)
sum by (job, code) (rate(http_requests_total[5m]))
sum without (instance) (rate(http_requests_total[5m]))
avg(node_memory_free_bytes)
min(temp)
max(temp)
count(temp)
group(http_requests_total) by (job)
stddev(node_memory_free_bytes)
stdvar(http_requests_total)
topk(2, http_requests_total)
bottomk(2, http_requests_total)
topk by (job) (1, http_requests_total)
quantile(0.5, http_requests_total)
quantile by (job) (0.9, rate(http_requests_total[5m]))
count_values("v", version)
count_values by (job) ("version", version)
count_values without (instance) ("v", version)
histogram_quantile(0.9, rate(req_duration_seconds_bucket[5m]))
histogram_quantile(0.5, sum by (le) (rate(req_duration_seconds_bucket[5m])))
histogram_quantile(0.99, sum by (le, job) (rate(req_duration_seconds_bucket[5m])))
histogram_quantile(0.5, req_duration_seconds_bucket)
label_replace(labels_test, "out", "$1-$2", "src", "(\\w)-(\\w).*")
label_replace(labels_test, "src", "", "src", ".*")
label_replace(labels_test, "x", "${1}y", "src", "(a)-.*")
label_join(labels_test, "joined", ",", "src", "dst", "missing")
sort(http_requests_total)
sort_desc(http_requests_total)
abs(neg)
ceil(temp)
floor(temp)
round(temp, 0.3)
round(neg)
exp(neg)
ln(temp)
log2(temp)
log10(temp)
sqrt(temp)
sgn(neg)
clamp(temp, 0, 5)
clamp_min(neg, -2)
clamp_max(neg, -2)
timestamp(http_requests_total)
timestamp(sparse)
time()
vector(time())
scalar(version)
scalar(version{job="web"})
year(version)
month(vector(1e9))
day_of_month(vector(1.5e9))
day_of_week(vector(1.6e9))
day_of_year(vector(1.7e9))
days_in_month(vector(1.6e9))
hour(vector(1.6e9))
minute(vector(1.6e9))
http_requests_total / on(instance) group_left node_memory_free_bytes
http_requests_total * on(instance) group_left(cpu) node_cpu_seconds_total{mode="user",cpu="0"}
node_cpu_seconds_total / ignoring(mode) group_left sum without (mode) (node_cpu_seconds_total)
sum by (instance) (node_cpu_seconds_total) / on(instance) group_right sum by (instance, mode) (node_cpu_seconds_total)
http_requests_total and http_requests_total{code="200"}
http_requests_total or temp
http_requests_total unless on(instance) temp
http_requests_total unless on(instance) node_memory_free_bytes
http_requests_total > 100
http_requests_total > bool 100
100 < http_requests_total
http_requests_total == on(instance, job, code) http_requests_total
http_requests_total + http_requests_total
http_requests_total + on(instance) node_memory_free_bytes
-http_requests_total
-{__name__=~"http_requests_total|temp"}
2 ^ 3 ^ 2
-2 ^ 2
(1 + 2) * 3 % 4
temp atan2 neg
1 atan2 2
rate(http_requests_total[5m:1m])
max_over_time(rate(http_requests_total[2m])[10m:])
sum_over_time(temp[5m:30s] offset 2m)
avg_over_time(sum(http_requests_total)[30m:5m] @ 1800)
min_over_time(http_requests_total[10m] @ 1200)
rate(http_requests_total[5m] @ 1200 offset 1m)
http_requests_total @ start()
sum(http_requests_total @ end())
with_stale
last_over_time(with_stale[1m])
count_over_time(with_stale[5m])
sparse
topk(scalar(version{job="web"}), http_requests_total)
vector(1) + on() group_left http_requests_total
1 / 0
0 / 0
-1 / 0
pi()
'''.strip().split("\n")
HAND += ['year(vector(NaN))', 'year(vector(Inf))', 'year(vector(-Inf))', 'month(vector(-1))', 'hour(vector(-1))', 'day_of_week(vector(-86400))', 'days_in_month(vector(-1e10))', 'year(vector(1e12))', 'minute(temp)', 'timestamp(http_requests_total offset 5m)', 'timestamp(http_requests_total @ 300)', 'timestamp(sum(http_requests_total))', 'last_over_time(http_requests_total[5m] offset 10m)', 'label_replace(labels_test, "out", "$name-${name}x$$", "src", "(?P<name>[a-z])-.*")', 'label_replace(labels_test, "out", "$2$1", "src", "(a)-(b)?.*")', 'label_replace(labels_test, "out", "$10", "src", "(a).*")', 'label_replace(labels_test, "__name__", "renamed", "src", "a.*")', 'label_join(labels_test, "src", "", "dst")', 'count_values("v", temp)', 'count_values("v", neg * 0)', 'count_values("le", -neg / 3)', 'quantile(NaN, temp)', 'quantile(2, temp)', 'quantile(-1, temp)', 'quantile(0.25, temp)', 'histogram_quantile(0.5, req_duration_seconds_bucket{le!="+Inf"})', 'histogram_quantile(0.5, req_duration_seconds_bucket{le="+Inf"})', 'histogram_quantile(1, req_duration_seconds_bucket)', 'histogram_quantile(0, req_duration_seconds_bucket)', 'histogram_quantile(0.5, temp)', 'histogram_quantile(scalar(version{job="web"}) / 10, rate(req_duration_seconds_bucket[5m]))', 'temp > NaN', 'temp == bool NaN', 'temp != bool temp', 'temp == temp', 'NaN == bool NaN', 'Inf - Inf', 'sgn(temp)', 'clamp(temp, NaN, 1)', 'clamp_min(temp, NaN)', '-temp', '-(neg * 0)', '1 / (neg * 0)', 'temp % 0', 'temp ^ 0', '0 ^ -1', '(-8) ^ (1/3)', '2 ^ 1024', 'irate(node_cpu_seconds_total[5m])', 'idelta(node_cpu_seconds_total[2m])', 'delta(neg[10m])', 'increase(node_cpu_seconds_total{instance="b"}[1h])', 'rate(node_cpu_seconds_total{instance="b"}[1h])', 'changes(temp[20m])', 'resets(temp[20m])', 'deriv(temp[10m])', 'holt_winters(temp[10m], 0.5, 0.5)', 'predict_linear(node_memory_free_bytes[10m] @ 1200, 600)', 'predict_linear(node_memory_free_bytes[10m] offset 5m, 600)', 'sum_over_time(rate(http_requests_total[5m])[10m:1m] @ 1200 offset 2m)', 'max_over_time(max_over_time(temp[2m])[10m:2m])', 'count_over_time(http_requests_total[10m:45s])', 'rate(http_requests_total[5m:1m] offset -1m)', 'absent(nonexistent{job=~"a.*"})', 'absent(nonexistent{job="a",job="a"})', 'absent(sum(nonexistent))', 'absent(vector(1))', 'absent_over_time(temp[1m])', 'present_over_time(temp[1m] offset 30m)', 'http_requests_total + on() group_left sum(http_requests_total)', 'sum(http_requests_total) - on() group_right http_requests_total', 'http_requests_total and on() vector(1)', 'http_requests_total unless on() vector(1)', 'http_requests_total or on() vector(1)', 'vector(1) or vector(2)', 'sort(temp)', 'sort_desc(temp)', 'topk(1, temp)', 'bottomk(1, temp)', 'topk(0, temp)', 'topk(-1, temp)', 'topk(1.9, http_requests_total)', 'topk(NaN, temp)', 'avg(temp)', 'sum(temp)', 'stddev(temp)', 'group(temp)', 'count(temp)', 'max(temp) by (room)', 'min without (room) (temp)', 'sum by (__name__) ({__name__=~"temp|neg"})', 'count by (__name__, job) ({job=~".+"})', 'sum without (job) (http_requests_total) / ignoring (code) group_left sum without (job, code) (http_requests_total)', 'http_requests_total / on (instance) group_left (nonexistent) node_memory_free_bytes', 'scalar(sum(http_requests_total)) * vector(2)', 'vector(scalar(temp{room="x"}))', 'time() - timestamp(http_requests_total)', 'http_requests_total offset 1h', 'http_requests_total @ -100', 'http_requests_total @ 100000', 'rate(http_requests_total[5m] @ 100000)', 'sum(rate(http_requests_total[5m])) by (job) > bool 0.3', '(sum by (job) (http_requests_total) > 100) * 2', 'label_replace(sum by (job) (http_requests_total), "j", "$1", "job", "(.*)")']

FUNCS_RANGE = ["rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes", "avg_over_time",
               "sum_over_time", "min_over_time", "max_over_time", "count_over_time", "last_over_time",
               "stddev_over_time", "stdvar_over_time", "present_over_time"]
FUNCS_INSTANT = ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "deg", "rad", "sin", "cos",
                 "tanh", "timestamp", "sort", "sort_desc"]
AGGS = ["sum", "avg", "min", "max", "count", "stddev", "stdvar", "group"]
SELECTORS = ['http_requests_total', 'http_requests_total{job="api"}', 'node_cpu_seconds_total',
             'node_memory_free_bytes', 'temp', 'with_stale', 'sparse', 'neg', 'version',
             'node_cpu_seconds_total{mode="idle"}']
LABELS = ["job", "instance", "code", "mode", "cpu", "room", "k"]
OPS = ["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless", "atan2"]
RANGES = ["30s", "1m", "2m", "5m", "10m", "1h"]


def rnd_vector(r, depth):
    c = r.randrange(7 if depth < 3 else 2)
    if c == 0:
        s = r.choice(SELECTORS)
        if r.random() < 0.15:
            s += " offset " + r.choice(["1m", "5m", "-2m"])
        return s
    if c == 1:
        return "%s(%s[%s])" % (r.choice(FUNCS_RANGE), r.choice(SELECTORS), r.choice(RANGES))
    if c == 2:
        return "%s(%s)" % (r.choice(FUNCS_INSTANT), rnd_vector(r, depth + 1))
    if c == 3:
        mod = ""
        if r.random() < 0.6:
            mod = " %s (%s)" % (r.choice(["by", "without"]), ", ".join(r.sample(LABELS, r.randrange(3))))
        return "%s%s (%s)" % (r.choice(AGGS), mod, rnd_vector(r, depth + 1))
    if c == 4:
        op = r.choice(OPS)
        lhs, rhs = rnd_vector(r, depth + 1), rnd_vector(r, depth + 1)
        if op in ("and", "or", "unless"):
            match = r.choice(["", " on(instance)", " ignoring(code)", " on(job)"])
        else:
            match = r.choice(["", "", " on(instance)", " ignoring(mode, cpu)", " on(instance) group_left()",
                              " on(job) group_right()", " on(instance) group_left(job)"])
            if op in ("==", "!=", ">", "<", ">=", "<=") and r.random() < 0.4:
                match = " bool" + match
        return "(%s) %s%s (%s)" % (lhs, op, match, rhs)
    if c == 5:
        op = r.choice(["+", "-", "*", "/", ">", "<", "==", "^", "%"])
        num = r.choice(["2", "0.5", "100", "-1", "0"])
        if r.random() < 0.5:
            return "(%s) %s %s" % (rnd_vector(r, depth + 1), op, num)
        return "%s %s (%s)" % (num, op, rnd_vector(r, depth + 1))
    return "%s((%s)[%s:%s])" % (r.choice(["max_over_time", "avg_over_time", "rate", "count_over_time"]),
                              rnd_vector(r, depth + 1), r.choice(["5m", "10m"]), r.choice(["", "1m", "30s"]))


def queries():
    r = random.Random(42)
    qs = list(HAND)
    for _ in range(400):
        qs.append(rnd_vector(r, 0))
    return qs


# Multiples of the 1m evaluation interval: promtool loads samples up to the last interval boundary.
TIMES = [0, 600, 1800, 3540, 3900]


def yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


def run(qs_times):
    doc = ["rule_files: []", "evaluation_interval: 1m", "tests:", "- interval: " + INTERVAL, "  input_series:"]
    for s, v in SERIES:
        doc.append("  - series: " + yaml_quote(s))
        doc.append("    values: " + yaml_quote(v))
    doc.append("  promql_expr_test:")
    for q, t in qs_times:
        doc.append("  - expr: " + yaml_quote(q))
        doc.append("    eval_time: %ds" % t)
        doc.append("    exp_samples: []")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write("\n".join(doc) + "\n")
        name = f.name
    res = subprocess.run(["promtool", "test", "rules", name], capture_output=True, text=True)
    out = res.stdout + res.stderr
    if "FAILED" not in out and res.returncode != 0:
        sys.stderr.write(out)
        raise SystemExit("promtool failed")
    return out


def main():
    # promtool loads input samples only up to the evaluation time, so each time gets its own run
    # (and the Java side loads samples up to the evaluation time too).
    cases = [(q, t) for q in queries() for t in TIMES]
    # Go randomises map order, and with it the order of series in promtool's storage: results that
    # depend on it (ties in topk, which duplicate a matching error names) differ between runs and are
    # marked 'unstable'.
    runs = [parse(cases) for _ in range(4)]
    print("#interval\t" + INTERVAL)
    for s, v in SERIES:
        print("#series\t%s\t%s" % (s, v))
    for q, t in cases:
        got = {r.get((q, t), "empty") for r in runs}
        print("%s\t%d\t%s" % (q, t, got.pop() if len(got) == 1 else "unstable"))


def parse(cases):
    out = "\n".join(run([c for c in cases if c[1] == t]) for t in TIMES)
    results = {}
    lines = out.split("\n")
    i = 0
    head = re.compile(r'^    expr: (".*"), time: (.*?),(?: err: (.*))?$')
    while i < len(lines):
        m = head.match(lines[i])
        if not m:
            i += 1
            continue
        q = decode_go(m.group(1))
        t = parse_time(m.group(2))
        if m.group(3) is not None:
            # Which group and pair a many-to-many error names depends on series order: keep the kind only.
            err = m.group(3).split(": [")[0]
            results[(q, t)] = "err: " + re.sub(r"match group \{.*\} on the", "match group {...} on the", err)
            i += 1
            continue
        got = lines[i + 2].strip()
        assert got.startswith("got: "), lines[i:i + 3]
        results[(q, t)] = got[len("got: "):]
        i += 3
    return results


def decode_go(s):
    # Go %q of an ASCII query: only \" and \\ escapes appear.
    body = s[1:-1]
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse_time(s):
    total = 0
    for num, unit in re.findall(r"(\d+)(h|m|s)", s):
        total += int(num) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


if __name__ == "__main__":
    main()
