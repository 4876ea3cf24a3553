#!/usr/bin/env python3
"""Turn the JSON results of bench/relation-extraction/run.sh into the markdown section of docs/benchmarks.md.

Usage: summarise.py --dir WORKDIR --threads "2 1" --data DIR --max-length 128 --command "..." [--doc docs/benchmarks.md]
WORKDIR holds, per thread count T: cs-T.json / py-T.json (the stdout of each side) and cs-T.time / py-T.time
(the stderr of `/usr/bin/time -v`). A missing C# result shows as "—".
"""
import argparse
import datetime
import json
import os
import platform
import re

HEADING = "## Relation extraction: PCNN, ours vs PyTorch reference"

# The ONE place that knows the result's key names. Each entry: candidate dotted paths, tried in order; a path
# matches at any nesting depth (so {"result": {"test": {"auc": ...}}} works too). Extend the lists if the C#
# CLI names a figure differently.
KEYS = {
    "train_sps": ["trainSentencesPerSecond", "trainingSentencesPerSecond", "trainSentencesPerSec"],
    # bag scoring (the held-out PR-curve path) is what the reference measures; C# also reports per-sentence
    # scoring as scoringSentencesPerSecond, used only when the bag figure is missing
    "score_sps": ["bagScoringSentencesPerSecond", "scoreSentencesPerSecond", "scoringSentencesPerSecond"],
    "train_s": ["trainingSeconds", "trainSeconds"],  # whole training call: vocabulary, epochs, dev scoring
    "epochs": ["epochsRun", "epochsTrained"],
    "best_epoch": ["bestEpoch"],
    "auc": ["test.auc", "testAuc", "test.prAuc"],
    "p100": ["test.precisionAt100", "test.pAt100", "test.p100", "testPrecisionAt100"],
    "p200": ["test.precisionAt200", "test.pAt200", "test.p200", "testPrecisionAt200"],
    "p300": ["test.precisionAt300", "test.pAt300", "test.p300", "testPrecisionAt300"],
    "max_f1": ["test.maxF1", "test.maxF1Score", "testMaxF1"],
}

# FLOPs of the model (PCNN: 50 + 2x5 input features, window 3, 230 filters, 3x230 -> R linear)
IN_FEATURES, WINDOW, FILTERS, POOLED = 60, 3, 230, 3 * 230
PEAK_PER_CORE = 225e9  # FLOP/s, measured on these machines (AVX-512), see the spec


def forward_flops(length, relations):
    conv = 2 * length * WINDOW * IN_FEATURES * FILTERS       # 82,800 * L
    linear = 2 * POOLED * relations                          # classifier
    return conv + linear


def train_flops(length, relations):
    return 3 * forward_flops(length, relations)              # backward ~ 2x forward


def lookup(obj, path):
    parts = path.split(".")

    def at(o):
        for p in parts:
            if not isinstance(o, dict) or p not in o:
                return None
            o = o[p]
        return o

    stack = [obj]
    while stack:
        o = stack.pop(0)
        v = at(o)
        if v is not None:
            return v
        if isinstance(o, dict):
            stack.extend(x for x in o.values() if isinstance(x, dict))
    return None


def get(result, name):
    if result is None:
        return None
    for path in KEYS[name]:
        v = lookup(result, path)
        if v is not None:
            return v
    return None


def parse_json_output(path):
    """The top-level JSON object of a file with logs around it: the last object that starts at column 0
    (pretty-printed nested objects are indented); failing that, the longest object found anywhere."""
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8", errors="replace").read()
    dec = json.JSONDecoder()
    for pattern in (r"(?m)^\{", r"\{"):
        found, longest = None, -1
        for m in re.finditer(pattern, text):
            try:
                obj, end = dec.raw_decode(text, m.end() - 1)
            except ValueError:
                continue
            if isinstance(obj, dict) and (pattern == r"(?m)^\{" or end - m.start() > longest):
                found, longest = obj, end - m.start()
        if found is not None:
            return found
    return None


def peak_mb(path):
    if not os.path.exists(path):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(path, errors="replace").read())
    return int(m.group(1)) / 1024 if m else None


def mean_length(data, max_length):
    n = total = 0
    with open(os.path.join(data, "train.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                total += min(len(json.loads(line)["token"]), max_length)
                n += 1
    return total / n


def fmt(v, kind):
    if v is None:
        return "—"
    if kind == "int":
        return f"{v:,.0f}"
    if kind == "pct":
        return f"{100 * v:.1f} %"
    return f"{v:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", default="2 1")
    ap.add_argument("--data", required=True)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--command", default="bench/relation-extraction/run.sh")
    ap.add_argument("--settings", default="")
    ap.add_argument("--doc", default=None)
    ap.add_argument("--note", default="", help="a remark printed under the table (e.g. machine load)")
    a = ap.parse_args()

    rel = len(json.load(open(os.path.join(a.data, "rel2id.json"))))
    L = mean_length(a.data, a.max_length)
    f_mean, f_128 = train_flops(L, rel), train_flops(128, rel)

    rows = []
    notes = []
    for t in a.threads.split():
        t = int(t)
        cs = parse_json_output(os.path.join(a.dir, f"cs-{t}.json"))
        py = parse_json_output(os.path.join(a.dir, f"py-{t}.json"))
        if cs is None:
            notes.append(f"{t} thread(s): no C# result ({open(os.path.join(a.dir, f'cs-{t}.skip')).read().strip()})"
                         if os.path.exists(os.path.join(a.dir, f"cs-{t}.skip")) else f"{t} thread(s): no C# result")
        figures = [
            ("training sentences/s", "train_sps", "int"),
            ("scoring sentences/s", "score_sps", "int"),
            ("peak memory MB", "peak", "int"),
            ("held-out AUC", "auc", "f"),
            ("P@100", "p100", "f"),
            ("P@200", "p200", "f"),
            ("P@300", "p300", "f"),
            ("max F1", "max_f1", "f"),
            ("epochs run (best)", "epochs", "ep"),
            ("training seconds", "train_s", "f1"),
            ("training share of peak", "peak_frac", "pct"),
        ]
        for label, key, kind in figures:
            vals = []
            for side, res in (("cs", cs), ("py", py)):
                if key == "peak":
                    v = peak_mb(os.path.join(a.dir, f"{side}-{t}.time")) if res is not None else None
                elif key == "peak_frac":
                    sps = get(res, "train_sps")
                    v = sps * f_mean / (t * PEAK_PER_CORE) if sps else None
                else:
                    v = get(res, key)
                vals.append(v)
            ratio = (vals[0] / vals[1]) if all(isinstance(v, (int, float)) and v for v in vals) else None
            if kind == "ep":
                cells = [f"{v} ({get(r, 'best_epoch')})" if v is not None else "—" for v, r in zip(vals, (cs, py))]
            elif kind == "f1":
                cells = [f"{v:.1f}" if v is not None else "—" for v in vals]
            else:
                cells = [fmt(v, kind) for v in vals]
            rows.append(f"| {t} | {label} | {cells[0]} | {cells[1]} | {fmt(ratio, 'r') if ratio else '—'} |")

    date = datetime.datetime.utcnow().strftime("%Y-%m-%d")
    section = f"""{HEADING}
{date}, {os.cpu_count()} cores, {platform.machine()}. Command: `{a.command}`
Data: `{a.data}` (FewRel val_wiki DS scenario, see `demo/relation-extraction/SOURCE.md`). Same data,
hyperparameters and thread count for both sides, one after the other{" (settings: " + a.settings + ")" if a.settings else ""}.
Ours: `dotnet src/Workers/bin/Release/net10.0/WebApp.Workers.dll re train ...` (TorchSharp);
PyTorch: `bench/relation-extraction/reference_pcnn.py` (Debian `python3-torch`). Throughput: training
sentences per second of training loop (dev evaluation excluded); scoring: test sentences per second when
scoring the test bags; training seconds: the whole training call (vocabulary, epochs, dev scoring). Peak
memory: maximum RSS from `/usr/bin/time -v`. AUC, P@N, max F1: held-out (test gold facts), best dev epoch.

| threads | figure | ours (C#) | PyTorch | ours / PyTorch |
| --- | --- | --- | --- | --- |
""" + "\n".join(rows) + f"""

FLOPs per training sentence (forward ≈ 2·L·3·60·230 = 82,800·L for the convolution + 2·690·{rel} for the
classifier; forward + backward ≈ 3 × forward): **{f_mean / 1e6:.1f} MFLOP** at the data's mean training
sentence length L = {L:.1f}, **{f_128 / 1e6:.1f} MFLOP** at L = 128. "Training share of peak" = training
sentences/s × {f_mean / 1e6:.1f} MFLOP / (threads × 225 GFLOP/s per core); padding to the batch's longest
sentence is not counted as useful work.
""" + ("".join(f"\n- {n}" for n in notes + ([a.note] if a.note else [])) + "\n" if notes or a.note else "")

    print(section)
    if a.doc:
        doc = open(a.doc, encoding="utf-8").read() if os.path.exists(a.doc) else "# Benchmarks\n"
        start = doc.find(HEADING)
        if start >= 0:
            nxt = doc.find("\n## ", start + len(HEADING))
            end = len(doc) if nxt < 0 else nxt + 1
            doc = doc[:start] + section + ("\n" if nxt >= 0 else "") + doc[end:]
        else:
            doc = doc.rstrip("\n") + "\n\n" + section
        with open(a.doc, "w", encoding="utf-8") as f:
            f.write(doc)


if __name__ == "__main__":
    main()
