#!/usr/bin/env bash
# Novelty detection on HDFS, every method on the same split, through `seq evaluate` (the evaluation's one code path):
# curated categories (demo/sequences/hdfs/curated-categories.json) vs k-means vs k-medoids vs single LDA, each with one
# next-event LSTM per cluster, vs one global LSTM, vs STIDE (window 2) vs the DeepLog top-9 rule. Train: hdfs_train
# (10 % held out as normal validation for the thresholds); test normal: the LogRobust stand-in alt_normal_logrobust.txt;
# test novel: hdfs_test_abnormal. Runs each seed of SEEDS (default "1 2 3": the validation split, the automatic clusterings
# and the LSTM initialisation change; the curated file's ensemble seed does not), prints the comparison table of the
# first seed and the spread over all, and appends them to docs/benchmarks.md.
# Usage: [SEEDS="1 2 3"] bench/novelty-evaluation.sh [data-dir] [extra seq evaluate options, e.g. --embedding 16 --hidden 64]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-}
if [ -z "$data" ]; then
  for candidate in demo/sequences/hdfs ../shared/data/hdfs; do
    [ -f "$candidate/hdfs_train" ] && [ -f "$candidate/hdfs_test_abnormal" ] && data=$candidate && break
  done
fi
[ -n "$data" ] || { echo "the HDFS data (hdfs_train, hdfs_test_abnormal, alt_normal_logrobust.txt) was not found: pass its folder" >&2; exit 1; }
shift || true
options=("$@")

dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seeds=(${SEEDS:-1 2 3})
load_before=$(awk '{print $1}' /proc/loadavg)
start=$(date +%s)
for seed in "${seeds[@]}"; do
  dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll seq evaluate --train "$data/hdfs_train" \
    --test-normal "$data/alt_normal_logrobust.txt" --test-novel "$data/hdfs_test_abnormal" \
    --clustering "demo/sequences/hdfs/curated-categories.json,kmeans,kmedoids,lda,global" --target-fpr 0.01 --seed "$seed" \
    "${options[@]}" --out "$out/result-$seed.json" >"$out/stdout.log" 2>"$out/progress-$seed.log"
done
wall=$(( $(date +%s) - start ))
load_after=$(awk '{print $1}' /proc/loadavg)
cp "$out/result-${seeds[0]}.json" "${NOVELTY_RESULT:-/tmp/novelty-evaluation.json}"

report=$(python3 - "$out" "${seeds[@]}" <<'PY'
import json, sys
runs = [json.load(open(f"{sys.argv[1]}/result-{seed}.json")) for seed in sys.argv[2:]]
d = runs[0]
data = d["data"]
names = {"curated": "curated categories", "kmeans": "k-means", "kmedoids": "k-medoids", "lda": "single LDA (argmax topic)",
         "global": "one global LSTM", "stide": "STIDE, window 2", "deeplog": "DeepLog rule (top-9, global LSTM)"}
order = ["curated", "kmeans", "kmedoids", "lda", "global", "stide", "deeplog"]
f = lambda x: "n/a" if isinstance(x, str) or x != x else f"{x:.3f}"
rows = []
for key in order:
    m = next((m for m in d["methods"] if m["method"] == key), None)
    if m is None: continue
    a, u = m["all"], m["deduplicated"]
    own = [c for c in m["clusters"] if c["ownModel"]]
    per = ", ".join(f"{c['trainingSeconds']:.1f}" for c in own) if key != "global" else f"{m['trainingSeconds']:.1f}"
    others = any(c["name"].startswith("Others") for c in m["clusters"])
    clusters = f"{len(own)} of {len([c for c in m['clusters'] if not c['name'].startswith('Others')])}" + (" + Others" if others else "") if key not in ("global", "stide", "deeplog") else "–"
    rows.append(f"| {names[key]} | {clusters} | {f(a['rocAuc'])} | {f(a['prAuc'])} | {f(a['f1'])} | {f(a['precision'])} | {f(a['recall'])} "
                f"| {f(u['rocAuc'])} | {f(u['prAuc'])} | {f(u['f1'])} | {per if own or key == 'global' else '–'} |")
print(f"Seed {sys.argv[2]}:")
print()
print("| method | clusters with their own model | ROC-AUC | PR-AUC | F1 | precision | recall | ROC-AUC dedup | PR-AUC dedup | F1 dedup | LSTM training s per cluster |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print("\n".join(rows))
print()
print(f"Data: {data['trainSessions']} training sessions ({data['modelTrainSessions']} to train, {data['validationSessions']} held out), "
      f"{data['testNormal']} normal test sessions ({data['testNormalDistinct']} distinct, {data['testNormalSeenInTraining']} repeat a training sequence), "
      f"{data['testNovel']} novel ({data['testNovelDistinct']} distinct). LSTM grid: embedding {d['settings']['lstm']['embeddingSizes']}, "
      f"hidden {d['settings']['lstm']['hiddenSizes']}, up to {d['settings']['lstm']['maxEpochs']} epochs (patience {d['settings']['lstm']['patience']}); "
      f"device {d['device']}; evaluation {d['seconds']:.0f} s.")
print()
print()
print(f"Spread over seeds {', '.join(sys.argv[2:])} (mean, min–max):")
print()
print("| method | ROC-AUC | F1 | ROC-AUC dedup | F1 dedup |")
print("| --- | --- | --- | --- | --- |")
def spread(values):
    values = [v for v in values if not isinstance(v, str) and v == v]
    return f"{sum(values) / len(values):.3f} ({min(values):.3f}–{max(values):.3f})" if values else "n/a"
for key in order:
    ms = [next((m for m in r["methods"] if m["method"] == key), None) for r in runs]
    if any(m is None for m in ms): continue
    print(f"| {names[key]} | " + " | ".join(spread([m[view][figure] for m in ms]) for view, figure in
        [("all", "rocAuc"), ("all", "f1"), ("deduplicated", "rocAuc"), ("deduplicated", "f1")]) + " |")
print()
print(f"Clusters, seed {sys.argv[2]}:")
print()
for key in order:
    m = next((m for m in d["methods"] if m["method"] == key), None)
    if m is None or not m["clusters"] or key == "global": continue
    print(f"- {names[key]} — {m['name']}: " + "; ".join(
        f"{c['name']} ({c['trainSequences']} train, {'own model' if c['ownModel'] else 'global model'}, ROC-AUC {f(c['rocAuc'])}, F1 {f(c['f1'])}, "
        f"test {c['testNormal']} normal / {c['testNovel']} novel)" for c in m["clusters"]))
PY
)
opts="${options[*]:-default settings}"
section=$(cat <<MD

## Novelty detection: comparison ($(date -u +%Y-%m-%d), $(nproc) cores, load average $load_before before, $load_after after)
Command: \`bench/novelty-evaluation.sh\` (\`seq evaluate\` with \`$opts\`, seeds ${seeds[*]}), ${wall} s wall in all. F1 of
the LSTM methods at each model's threshold, the 99th percentile of its held-out normal validation perplexity (target
false-positive rate 0.01); STIDE and DeepLog flag by their published rules (any unseen window; any next event outside
the top 9). ROC-AUC and PR-AUC rank by perplexity, share of unseen windows and number of top-9 misses; "dedup" counts
each distinct test sequence once.

$report
MD
)
echo "$section"
echo "$section" >> docs/benchmarks.md
