#!/usr/bin/env bash
# Curator's workbench response times on the full HDFS training set (4,855 sequences, an ensemble k = 2…8 = 35
# topics with a mixture per sequence and model) on a throwaway PostgreSQL (fsync on). Page loads through HTTP with a
# signed-in curator's cookie; actions through the service methods plus the view reload the page does after each.
# Rewrites the section "Curator's workbench" of docs/benchmarks.md.
# Usage: bench/sequence-workbench.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
repetitions=${1:-30}
work=$(mktemp -d /tmp/sequence-workbench.XXXXXX)
chmod 755 "$work"
port=$(pg_free_port 55760)
trap 'pg_stop "$work/pgdata"; rm -rf "$work"' EXIT
pg_init "$work/pgdata" trust
pg_start "$work/pgdata" "$port" "$work/postgres.log" "-c max_connections=200"
export TEST_PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=$(pg_superuser);Database=postgres"
dotnet build bench/SequenceWorkbench -c Release -nologo -v quiet >/dev/null
load=$(cut -d' ' -f1-3 /proc/loadavg)
busy=$(awk -v l="${load%% *}" -v n="$(nproc)" 'BEGIN { if (l > n) print " The machine was busy (other builds and tests ran alongside): figures are upper bounds."; }')
output=$(dotnet bench/SequenceWorkbench/bin/Release/net10.0/SequenceWorkbench.dll "$repetitions" 2>/dev/null)
rows=$(grep '^|' <<<"$output")
cold=$(grep '^cold:' <<<"$output" | sed 's/^cold: //')

section=$(cat <<MD
## Curator's workbench
$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), load average before the run: $load.$busy Command: \`bench/sequence-workbench.sh $repetitions\`.
Full HDFS training set (4,855 sequences), an LDA-like ensemble k = 2…8 (35 topics, 33,985 mixtures) written by the
benchmark, a draft with 4 categories + Others. Pages: HTTP GET with a signed-in curator's cookie (in-process test
server; the server-side render runs the page's queries). Actions: the service method (one transaction: row-version
check, undo step, reassignment of every sequence, audit record) followed by the workbench view reload the page does.
PostgreSQL on the same machine with fsync on. Times in ms after 3 warm-up runs. The $cold.

| what | how | runs | p50 | p95 | max |
| --- | --- | --- | --- | --- | --- |
$rows

Target: under 300 ms. Sequences, ensemble mixtures (immutable per ensemble) and a clustering's assignments (per row
version) are cached in the web process (\`CurationCache\`), so a request reads only the clustering row, its clusters
and the vocabulary; an edit writes only the assignments that change.
MD
)
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Curator's workbench\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
