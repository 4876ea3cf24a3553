#!/usr/bin/env python3
"""Self-check of the generated demo scenario: re-derives every count from the written files and checks
them against each other and against FewRel. Usage: python3 demo/relation-extraction/check.py [FEWREL_DIR]"""
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
fewrel = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data", "fewrel")
data = json.load(open(os.path.join(fewrel, "val_wiki.json"), encoding="utf-8"))


def jl(p):
    return [json.loads(x) for x in open(os.path.join(HERE, p), encoding="utf-8")]


def tsv(p):
    rows = [x.rstrip("\n").split("\t") for x in open(os.path.join(HERE, p), encoding="utf-8")]
    return rows[0], rows[1:]


lines = jl("sentences.jsonl")
hdr, kb = tsv("kb.tsv")
assert hdr == ["head_id", "head_name", "relation", "tail_id", "tail_name"]
_, rels = tsv("relations.tsv")
_, aliases = tsv("aliases.tsv")
rel2id = json.load(open(os.path.join(HERE, "opennre", "rel2id.json")))
relations = [r[0] for r in rels]
assert relations[0] == "NA" and relations[1:] == list(data) and list(rel2id) == relations
assert list(rel2id.values()) == list(range(17))

# candidates against FewRel
insts = [(r, x) for r in data for x in data[r]]
assert len(insts) == 11200
rev = {"P26": "P26", "P25": "P40", "P40": None}
k = 0
ids = set()
for n, (r, x) in enumerate(insts):
    l = lines[k]; k += 1
    assert l["id"] == "fewrel-val-%06d" % n and l["relation"] == r and l["token"] == x["tokens"]
    for m, e in ((l["h"], x["h"]), (l["t"], x["t"])):
        s, t = m["pos"]
        assert m["id"] == e[1] and s == e[2][0][0] and t == e[2][0][-1] + 1 and m["name"] == " ".join(x["tokens"][s:t])
    if rev.get(r, "NA") is not None:
        l2 = lines[k]; k += 1
        assert l2["id"] == l["id"] + "-rev" and l2["h"] == l["t"] and l2["t"] == l["h"]
        assert l2["relation"] == rev.get(r, "NA")
    ids.add(l["id"])
assert k == len(lines)
assert len({l["id"] for l in lines}) == len(lines)

# KB
true = {(l["h"]["id"], l["relation"], l["t"]["id"]) for l in lines if l["relation"] != "NA"}
kbf = [(h, r, t) for h, _, r, t, _ in kb]
assert len(set(kbf)) == len(kbf)
correct = [f for f in kbf if f in true]
wrong = [f for f in kbf if f not in true]
assert all(r in relations[1:] for _, r, _ in kbf)
kept_pairs = {(h, t) for h, _, t in kbf}
# every wrong fact stands for a true fact of the same ordered pair
assert all(any((h, r2, t) in true for r2 in relations[1:] if r2 != r) for h, r, t in wrong)
print("true facts", len(true), "kb facts", len(kbf), "correct", len(correct), "corrupted", len(wrong),
      "dropped", len(true) - len(kbf))
assert abs((len(true) - len(kbf)) / len(true) - 0.30) < 0.001
assert abs(len(wrong) / len(kbf) - 0.10) < 0.001

# aliases: distinct (entity, alias) rows, never equal to the entity's KB name
assert len(set(map(tuple, aliases))) == len(aliases)
kbname = {}
for h, hn, _, t, tn in kb:
    kbname.setdefault(h, hn); kbname.setdefault(t, tn)
assert all(a != kbname[e] for e, a in aliases if e in kbname)
print("aliases", len(aliases), "entities with aliases", len({e for e, _ in aliases}))

# splits
kbrel = {}
for h, r, t in kbf:
    kbrel.setdefault((h, t), set()).add(r)
byid = {}
for l in lines:
    byid.setdefault(l["id"], l)
seen = {}
for sp in ["train", "val", "test"]:
    rows = jl(os.path.join("opennre", sp + ".txt"))
    for row in rows:
        pair = frozenset((row["h"]["id"], row["t"]["id"]))
        assert seen.setdefault(pair, sp) == sp, "pair in two splits"
        g = byid[row["id"]]
        assert row["token"] == g["token"] and row["h"] == g["h"] and row["t"] == g["t"]
        if sp == "test":
            assert row["relation"] == g["relation"]
        else:
            assert row["relation"] in kbrel.get((row["h"]["id"], row["t"]["id"]), {"NA"})
    cands = {r["id"] for r in rows}
    print(sp, "lines", len(rows), "candidates", len(cands), "pairs", len({frozenset((r["h"]["id"], r["t"]["id"])) for r in rows}))
assert sum(1 for _ in seen) == len({frozenset((l["h"]["id"], l["t"]["id"])) for l in lines})
print("OK: %d candidates, %d pairs" % (len(lines), len(seen)))
