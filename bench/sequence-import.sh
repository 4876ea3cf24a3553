#!/usr/bin/env bash
# Sequence import speed: the worker's `seq import` (the import job's code path: parse, vocabulary, binary COPY,
# labels, audit record, one transaction) on the HDFS demo files concatenated COPIES times (default 2: 1,032,468
# events), in each format (one sequence per line, CSV with shuffled rows, JSONL), into a fresh PostgreSQL with
# default durability (fsync on). Target: 1M events in under 30 s. Rewrites the section "Sequence import" of
# docs/benchmarks.md.
# Usage: bench/sequence-import.sh [copies]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
copies=${1:-2}
work=$(mktemp -d /tmp/sequence-import.XXXXXX)
chmod 755 "$work"
port=$(pg_free_port 55800)
trap 'pg_stop "$work/pgdata"; rm -rf "$work"' EXIT
pg_init "$work/pgdata" trust
pg_start "$work/pgdata" "$port" "$work/postgres.log"
export ConnectionStrings__App="Host=127.0.0.1;Port=$port;Username=$(pg_superuser);Database=postgres"
dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
dotnet tool restore >/dev/null
dotnet ef database update --project migrations --startup-project migrations >/dev/null

# Inputs: every line of the three HDFS files (awk adds the final newlines the originals lack), COPIES times.
demo=demo/sequences/hdfs
for _ in $(seq 1 "$copies"); do awk '{print}' $demo/hdfs_train $demo/hdfs_test_abnormal $demo/alt_normal_logrobust.txt; done >"$work/hdfs.txt"
awk '{printf "{\"id\": %d, \"events\": [", NR; for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? ", " : ""), $i; print "]}"}' \
  "$work/hdfs.txt" >"$work/hdfs.jsonl"
# CSV rows in a scrambled order (sequences interleaved, positions out of order), so the importer has to sort.
{ echo "sequence_id,position,event"
  awk '{for (i = 1; i <= NF; i++) printf "%d\t%s,%d,%s\n", (NR * 7919 + i * 104729) % 1000003, "blk_" NR, i, $i}' "$work/hdfs.txt" \
    | sort -n -k1,1 | cut -f2; } >"$work/hdfs.csv"

worker="dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll"
load=$(cut -d' ' -f1-3 /proc/loadavg)
rows=""
for format in lines csv jsonl; do
  case $format in lines) file=$work/hdfs.txt ;; csv) file=$work/hdfs.csv ;; jsonl) file=$work/hdfs.jsonl ;; esac
  start=$(date +%s.%N)
  json=$($worker seq import --dataset "bench-$format" --format "$format" --file "$file" --part train)
  end=$(date +%s.%N)
  field() { sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" <<<"$json" | head -n 1; }
  process=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
  size=$(du -m "$file" | cut -f1)
  rows+="| $format | $size | $(field sequences) | $(field events) | $(field seconds) | $(field wallSeconds) | $process | $(field eventsPerSecond) |"$'\n'
done

section=$(cat <<MD
## Sequence import
$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m). Command: \`bench/sequence-import.sh $copies\` — the worker's
\`seq import --dataset NAME --format FORMAT --file F --part train\` (the import job's code path: streaming parser,
vocabulary, binary COPY of the sequences, one transaction with its audit record) on the three HDFS demo files
concatenated $copies times, each format into a new dataset of a fresh PostgreSQL 15 on the same machine (fsync on).
The CSV has one row per event, rows scrambled across sequences and positions. "import s" is the transaction
(parse + COPY + vocabulary + labels); "command s" adds connecting, the schema check and the commit; "process s" is
the whole \`dotnet\` process including .NET start-up. A job reads the same bytes from the upload store instead of a
local file.

| format | MiB | sequences | events | import s | command s | process s | events/s (command) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows%$'\n'}

Target: 1M events in under 30 s. Load average when the imports started: $load (other work on the machine slows
them; parsing takes one core, PostgreSQL's COPY another).
MD
)
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Sequence import\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
