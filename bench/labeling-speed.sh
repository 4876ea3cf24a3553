#!/usr/bin/env bash
# Labelling queue speed: server time from submitting a label to receiving the next item, with N concurrent
# simulated experts on a throwaway PostgreSQL (default durability settings: fsync on). Two scenarios: experts
# answering about once a second (faster than anyone reads a sentence) and a no-think-time stress test.
# Rewrites the section "Labelling: submit to next item" of docs/benchmarks.md.
# Usage: bench/labeling-speed.sh [experts]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
experts=${1:-20}
work=$(mktemp -d /tmp/labeling-speed.XXXXXX)
chmod 755 "$work"
port=$(pg_free_port 55700)
trap 'pg_stop "$work/pgdata"; rm -rf "$work"' EXIT
pg_init "$work/pgdata" trust
pg_start "$work/pgdata" "$port" "$work/postgres.log" "-c max_connections=300"
export TEST_PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=$(pg_superuser);Database=postgres"
dotnet build bench/LabelingSpeed -c Release -nologo -v quiet >/dev/null
run() { dotnet bench/LabelingSpeed/bin/Release/net10.0/LabelingSpeed.dll "$@" 2>/dev/null | grep '^|'; }
rows=$(run "$experts" 20 1000; run "$experts" 30 0; run 1 60 0)

section=$(cat <<MD
## Labelling: submit to next item
$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m). Command: \`bench/labeling-speed.sh $experts\` — the web's own
\`LabelingService.SubmitAsync\` (label + claim + audit record in one transaction, then the automatic-retraining
check) then \`LabelingQueue.NextAsync\` (next item by margin of an active model's predictions, claimed), called
in-process by concurrent simulated experts on one project; PostgreSQL on the same machine with fsync on.
Times in ms, per submit-to-next; "submit p95" is the submit part alone; think time is drawn uniformly in ±50 %.

| experts | think ms | samples | p50 | p95 | p99 | max | submit p95 | labels/s |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$rows

Target: p95 < 50 ms with 20 concurrent experts. The queue claims places on items with a unique key instead of
a project-wide lock (\`docs/decisions/0006-labelling-claims.md\`); before that change the same benchmark gave
p95 181.9 ms (p50 59.2) with 20 experts at 1 s think time.
MD
)
python3 - "$section" <<'PY'
import re, sys
path = "docs/benchmarks.md"
text = open(path, encoding="utf-8").read()
section = sys.argv[1].rstrip() + "\n"
pattern = re.compile(r"^## Labelling: submit to next item\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
