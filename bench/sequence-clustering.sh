#!/usr/bin/env bash
# Wall time of each automatic sequence clustering on the full HDFS training set (4,855 sessions, 839 distinct),
# through `seq cluster --file`: the job's fitting code without the database. One thread everywhere (ML.NET's LDA
# and k-means are pinned to one; k-medoids is single-threaded). Median of N runs per method; prints the table and
# appends it to docs/benchmarks.md.
# Usage: bench/sequence-clustering.sh [repeats] [file]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
file=${2:-}
if [ -z "$file" ]; then
  for candidate in demo/sequences/hdfs/hdfs_train ../shared/data/hdfs/hdfs_train; do
    [ -f "$candidate" ] && file=$candidate && break
  done
fi
[ -n "$file" ] || { echo "hdfs_train not found: pass its path" >&2; exit 1; }
dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$1" "$2"; }

rows=""
# name | arguments
variants=(
  "LDA ensemble k=2…8, fit on distinct (default)|--method lda"
  "LDA ensemble k=2…8, fit on all sessions|--method lda --lda-fit all"
  "k-means k=2…10 + silhouettes|--method kmeans"
  "k-medoids k=2…10 (edit distance) + silhouettes|--method kmedoids"
)
for variant in "${variants[@]}"; do
  name=${variant%%|*}
  arguments=${variant#*|}
  walls="" fits=""
  for _ in $(seq 1 "$repeats"); do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll seq cluster --file "$file" $arguments --out "$out/result.json" >/dev/null 2>&1
    end=$(date +%s.%N)
    walls+="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b-a}') "
    fits+="$(field "$out/result.json" "d['seconds']") "
  done
  summary=$(field "$out/result.json" "'k=' + str(d['chosenK']) + ', silhouette by k: ' + ', '.join(f\"{q['k']}: {q['silhouette']:.3f}\" for q in d['perK']) if d['chosenK'] else 'argmax silhouette by k: ' + ', '.join(f\"{q['k']}: {q['silhouette']:.3f}\" for q in d['perK'])")
  rows+="| $name | $(median "$fits") | $(median "$walls") | $summary |"$'\n'
done

busy=$(awk '{print $1}' /proc/loadavg)
report=$(cat <<MD

## Sequence clustering ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), load average $busy at the end)
Command: \`bench/sequence-clustering.sh $repeats\` on \`$(basename "$file")\` ($(field "$out/result.json" "d['sequences']") sessions,
$(field "$out/result.json" "d['distinct']") distinct), 1 thread, median of $repeats runs. "Fit" is the clustering code alone
(all k and their silhouettes); "wall" is the whole command (process start, reading the file, JSON out).

| method | fit s | wall s | result |
| --- | --- | --- | --- |
${rows}
MD
)
echo "$report"
echo "$report" >>docs/benchmarks.md
