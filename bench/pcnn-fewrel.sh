#!/usr/bin/env bash
# PCNN relation extraction on FewRel 1.0 val_wiki (16 relations + reversed-pair NA, split 70/10/20 by pair):
# training and scoring throughput at 1 and 2 torch threads, and test AUC. Prints one JSON summary per run.
# Usage: bench/pcnn-fewrel.sh [extra re-train options, e.g. --epochs 30 --patience 0]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${PCNN_DATA:-/tmp/fewrel-re}
[ -f "$data/train.txt" ] || python3 bench/fewrel-to-opennre.py ../shared/data/fewrel/val_wiki.json "$data"
dotnet build src/Workers -c Release -nologo -v quiet >/dev/null
for threads in 1 2; do
  out=$(mktemp)
  dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll re train --data "$data" --threads "$threads" --out "$out" "$@" >/dev/null
  python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["test"]
print(json.dumps({"device": r["device"], "optimizer": r["options"]["optimizer"], "aggregation": r["options"]["aggregation"],
  "epochsRun": r["epochsRun"], "bestEpoch": r["bestEpoch"], "devAuc": round(r["devAuc"], 4),
  "trainSentencesPerSecond": round(r["trainSentencesPerSecond"]), "scoringSentencesPerSecond": round(r["scoringSentencesPerSecond"]),
  "trainingSeconds": round(r["trainingSeconds"], 1), "testAuc": round(t["auc"], 4), "p@100/200/300": [t["precisionAt100"], t["precisionAt200"], t["precisionAt300"]],
  "maxF1": round(t["maxF1"], 4), "sentenceMicroF1": round(t["sentences"]["microF1"], 4)}))
PY
  rm -f "$out"
done
