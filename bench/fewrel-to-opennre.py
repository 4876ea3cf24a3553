#!/usr/bin/env python3
"""FewRel 1.0 (val_wiki.json) -> an OpenNRE-format folder for `WebApp.Workers re train`.

Split 70/10/20 by unordered entity pair (seeded); relation = Wikidata property id; NA examples are
reversed head/tail copies of a share of the sentences of asymmetric relations (same pair's split).
Usage: fewrel-to-opennre.py IN.json OUTDIR [--na-share 0.3] [--seed 1]
"""
import argparse, json, os, random

SYMMETRIC = {"P26", "P3373", "P47", "P530"}

def span(entity):
    first = entity[2][0]
    return [min(first), max(first) + 1]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input"); ap.add_argument("out")
    ap.add_argument("--na-share", type=float, default=0.3); ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    data = json.load(open(a.input))
    rng = random.Random(a.seed)
    by_pair = {}
    for rel, items in sorted(data.items()):
        for it in items:
            h, t = it["h"], it["t"]
            tokens = [tok if tok.strip() else "_" for tok in it["tokens"]]
            ex = {"token": tokens, "h": {"name": h[0], "id": h[1], "pos": span(h)},
                  "t": {"name": t[0], "id": t[1], "pos": span(t)}, "relation": rel}
            key = tuple(sorted((h[1], t[1])))
            by_pair.setdefault(key, []).append(ex)
            if rel not in SYMMETRIC and rng.random() < a.na_share:
                by_pair[key].append({"token": tokens, "h": ex["t"], "t": ex["h"], "relation": "NA"})
    pairs = sorted(by_pair)
    rng.shuffle(pairs)
    n = len(pairs)
    splits = {"train.txt": pairs[: int(n * .7)], "val.txt": pairs[int(n * .7): int(n * .8)], "test.txt": pairs[int(n * .8):]}
    os.makedirs(a.out, exist_ok=True)
    for name, keys in splits.items():
        with open(os.path.join(a.out, name), "w") as f:
            for k in keys:
                for ex in by_pair[k]:
                    f.write(json.dumps(ex) + "\n")
    rels = ["NA"] + sorted(data)
    json.dump({r: i for i, r in enumerate(rels)}, open(os.path.join(a.out, "rel2id.json"), "w"))
    for name, keys in splits.items():
        print(name, sum(len(by_pair[k]) for k in keys), "sentences", len(keys), "pairs")

main()
