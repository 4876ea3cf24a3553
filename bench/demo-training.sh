#!/usr/bin/env bash
# Demo training time on this machine, 1 vs 2 torch threads, interleaved runs (ratios, not absolutes, are
# what carry across these noisy machines). Appends the table to docs/benchmarks.md.
# Usage: bench/demo-training.sh [epochs] [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-300}
repeats=${2:-5}
dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
worker="dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll demo-train --epochs $epochs"

declare -A times
for _ in $(seq 1 "$repeats"); do
  for threads in 1 2; do
    seconds=$(Worker__TorchThreads=$threads $worker 2>/dev/null | sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p')
    times[$threads]+="$seconds "
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m1=$(median "${times[1]}")
m2=$(median "${times[2]}")
ratio=$(awk -v a="$m2" -v b="$m1" 'BEGIN {printf "%.2f", a/b}')

report=$(cat <<MD

## Demo training ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))
Command: \`bench/demo-training.sh $epochs $repeats\` — TinyClassifier (2-32-32-2), 1,638 training points,
batch 64, $epochs epochs, CPU, median of $repeats interleaved runs.

| torch threads | median seconds | runs (s) |
| --- | --- | --- |
| 1 | $m1 | ${times[1]}|
| 2 | $m2 | ${times[2]}|

2 threads / 1 thread: **$ratio×** the time.
MD
)
echo "$report"
echo "$report" >>docs/benchmarks.md
