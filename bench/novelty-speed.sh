#!/usr/bin/env bash
# Next-event LSTM on HDFS: training time (whole default grid), batch scoring throughput (TorchSharp, distinct
# sequences scored once) and online latency (pure C# LstmInference, one sequence per call), with 1 and 2 torch
# threads. Test sets: hdfs_test_abnormal (novel) and alt_normal_logrobust.txt (normal stand-in, see the data's SOURCE.md).
# Appends the table to docs/benchmarks.md.
# Usage: bench/novelty-speed.sh [data-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-demo/sequences/hdfs}
dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
rows=""
for threads in 1 2; do
  json=$(Worker__TorchThreads=$threads dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll seq lstm \
    --train "$data/hdfs_train" --test-normal "$data/alt_normal_logrobust.txt" --test-novel "$data/hdfs_test_abnormal")
  rows+=$(python3 - "$threads" <<PY "$json"
import json, sys
d = json.loads(sys.argv[2])
c, b, o, p = d["chosen"], d["batchScoring"], d["onlineScoringMs"], d["perplexity"]
print(f"| {sys.argv[1]} | E{c['embeddingSize']} H{c['hiddenSize']} L{c['layers']}, epoch {c['bestEpoch']} | {d['trainingSeconds']} "
      f"| {b['sequences']:,} ({b['distinct']:,} distinct) in {b['seconds']} s = **{b['sequencesPerSecond']:,.0f}/s** "
      f"| {o['p50']} / **{o['p99']}** | {p['rocAuc']} | {d['largestLogPerplexityDifferenceBatchVsOnline']:.1e} |")
PY
)$'\n'
done

report=$(cat <<MD

## Novelty scoring speed ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1 /proc/loadavg) at the end)
Command: \`bench/novelty-speed.sh\` — \`seq lstm\` with the default settings (grid E ∈ {16, 32} × H ∈ {64, 128}, 1 layer,
up to 100 epochs, patience 10, Adam 0.01, batches of 32 distinct sequences) on hdfs_train (10% of sessions held out for
validation), then scoring hdfs_test_abnormal + alt_normal_logrobust.txt. Online = LstmInference on one sequence per call
(2,000 random test sequences after a warm-up). Targets: ≥ 20,000 sequences/s in batch, online p99 < 10 ms.

| torch threads | chosen model | training s (whole grid) | batch scoring | online ms p50 / p99 | ROC-AUC (perplexity) | max \|Δ log perplexity\| batch vs online |
| --- | --- | --- | --- | --- | --- | --- |
${rows}
MD
)
echo "$report"
echo "$report" >>docs/benchmarks.md
