#!/usr/bin/env bash
# Relation extraction: our PCNN (C# worker, TorchSharp) vs the PyTorch reference, on the same data, with the
# same hyperparameters and thread count, one after the other, each under /usr/bin/time -v (peak RSS).
# Writes the section "Relation extraction: PCNN, ours vs PyTorch reference" of docs/benchmarks.md
# (replacing it if present, keeping the rest).
#
# Usage: bench/relation-extraction/run.sh [threads ...]          (default: 2 1)
# Settings (environment): DATA (demo/relation-extraction/opennre) AGGREGATION (att) OPTIMIZER (sgd)
#   LR (0.1 for sgd, 0.001 for adam) EPOCHS (30) BATCH_SIZE (160) SEED (42) MAX_LENGTH (128) PATIENCE (5)
#   PYTHON (/usr/bin/python3, Debian's, with python3-torch) SKIP_CS=1 (PyTorch only) NO_DOC=1 (print only)
#   NOTE (a remark for the docs, e.g. the machine's load)
#   WORK (a folder for the raw results; default a new temporary one)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/relation-extraction

threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(2 1)
DATA=${DATA:-demo/relation-extraction/opennre}
AGGREGATION=${AGGREGATION:-att}
OPTIMIZER=${OPTIMIZER:-sgd}
if [ -z "${LR:-}" ]; then [ "$OPTIMIZER" = adam ] && LR=0.001 || LR=0.1; fi
EPOCHS=${EPOCHS:-30}
BATCH_SIZE=${BATCH_SIZE:-160}
SEED=${SEED:-42}
MAX_LENGTH=${MAX_LENGTH:-128}
PATIENCE=${PATIENCE:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=${WORK:-$(mktemp -d /tmp/re-bench.XXXXXX)}
mkdir -p "$WORK"
dll=src/Workers/bin/Release/net10.0/WebApp.Workers.dll
common=(--data "$DATA" --aggregation "$AGGREGATION" --optimizer "$OPTIMIZER" --lr "$LR" --epochs "$EPOCHS"
        --batch-size "$BATCH_SIZE" --seed "$SEED" --max-length "$MAX_LENGTH" --patience "$PATIENCE")

"$PYTHON" -c 'import torch' 2>/dev/null || { echo "no torch for $PYTHON: apt-get install -y python3-torch" >&2; exit 1; }

cs_skip=""
if [ -n "${SKIP_CS:-}" ]; then
  cs_skip="skipped (SKIP_CS set)"
elif ! command -v dotnet >/dev/null; then
  cs_skip="skipped: no dotnet on PATH"
else
  echo "building the worker (Release)..." >&2
  if ! dotnet build -c Release src/Workers -nologo -v quiet >"$WORK/build.log" 2>&1; then
    cs_skip="skipped: the Release build of src/Workers failed (see $WORK/build.log)"
  else
    probe=$(dotnet "$dll" re 2>&1 || true)
    if grep -qi "unknown command 're'" <<<"$probe"; then
      cs_skip="skipped: this build of the worker has no 're' command yet"
    fi
  fi
fi
[ -z "$cs_skip" ] || echo "C# side $cs_skip" >&2

for t in "${threads[@]}"; do
  if [ -z "$cs_skip" ]; then
    echo "C# re train, $t thread(s)..." >&2
    Worker__TorchThreads=$t /usr/bin/time -v -o "$WORK/cs-$t.time" \
      dotnet "$dll" re train "${common[@]}" --threads "$t" --out "$WORK/cs-$t.model" \
      >"$WORK/cs-$t.json" 2>"$WORK/cs-$t.log" || echo "C# run failed ($t threads): see $WORK/cs-$t.log" >&2
  else
    echo "$cs_skip" >"$WORK/cs-$t.skip"
  fi
  echo "PyTorch reference, $t thread(s)..." >&2
  OMP_NUM_THREADS=$t /usr/bin/time -v -o "$WORK/py-$t.time" \
    "$PYTHON" "$here/reference_pcnn.py" "${common[@]}" --threads "$t" --out "$WORK/py-$t.out.json" \
    >"$WORK/py-$t.json" 2>"$WORK/py-$t.log" || echo "PyTorch run failed ($t threads): see $WORK/py-$t.log" >&2
done

cmd="bench/relation-extraction/run.sh ${threads[*]}"
settings="$AGGREGATION, $OPTIMIZER lr $LR, batch $BATCH_SIZE bags, at most $EPOCHS epochs, patience $PATIENCE, seed $SEED, max length $MAX_LENGTH"
doc=(--doc docs/benchmarks.md)
[ -z "${NO_DOC:-}" ] || doc=()
"$PYTHON" "$here/summarise.py" --dir "$WORK" --threads "${threads[*]}" --data "$DATA" --max-length "$MAX_LENGTH" \
  --command "$cmd" --settings "$settings" --note "${NOTE:-}" "${doc[@]}"
echo "raw results: $WORK" >&2
