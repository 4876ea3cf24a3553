#!/usr/bin/env python3
"""Build the distant-supervision demo scenario for the relation-extraction pillar from FewRel 1.0 val_wiki.

Deterministic (seed 42), Python standard library only. Usage, from the repository root:

    python3 demo/relation-extraction/generate.py [FEWREL_DIR] [--out DIR]

FEWREL_DIR defaults to ../shared/data/fewrel (relative to the repository root); --out defaults to the
directory of this script. Writes sentences.jsonl, kb.tsv, aliases.tsv, relations.tsv, opennre/ and
prints the counts (as JSON) that SOURCE.md documents.
"""
import argparse
import json
import os
import random
import sys
from collections import Counter, OrderedDict

SEED = 42
DROP_RATE = 0.30      # incomplete KB: share of the distinct true facts left out
CORRUPT_RATE = 0.10   # wrong KB: share of the remaining facts whose relation is replaced
SPLIT = (0.7, 0.1, 0.2)
NA = "NA"
NA_ROW = ("NA", "no relation", "The sentence does not express any of the relations between the two entities.")
# Gold label of the reversed candidate (t, h); None: not written. Anything else: NA.
REVERSED = {"P26": "P26", "P25": "P40", "P40": None}

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def mention(tokens, ent):
    occ = ent[2][0]
    start, end = occ[0], occ[-1] + 1
    return {"name": " ".join(tokens[start:end]), "id": ent[1], "pos": [start, end]}


def dump_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def tsv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            assert all("\t" not in str(x) and "\n" not in str(x) for x in r), r
            f.write("\t".join(str(x) for x in r) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("fewrel", nargs="?", default=os.path.join(ROOT, "..", "shared", "data", "fewrel"))
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    with open(os.path.join(args.fewrel, "val_wiki.json"), encoding="utf-8") as f:
        data = json.load(f, object_pairs_hook=OrderedDict)
    with open(os.path.join(args.fewrel, "pid2name.json"), encoding="utf-8") as f:
        pid2name = json.load(f)
    relations = list(data.keys())  # file order: P177, P364, ...
    assert len(relations) == 16

    # --- candidates (gold) ---------------------------------------------------------------------
    names = {}      # entity id -> lower-case FewRel name, first seen
    surfaces = {}   # entity id -> distinct surface forms (every occurrence), first-seen order
    lines = []
    n_sent = 0
    for rel in relations:
        for inst in data[rel]:
            tokens = inst["tokens"]
            for ent in (inst["h"], inst["t"]):
                names.setdefault(ent[1], ent[0])
                forms = surfaces.setdefault(ent[1], [])
                for occ in ent[2]:
                    s = " ".join(tokens[occ[0]:occ[-1] + 1]).lower()
                    if s not in forms:
                        forms.append(s)
            h, t = mention(tokens, inst["h"]), mention(tokens, inst["t"])
            sid = "fewrel-val-%06d" % n_sent
            n_sent += 1
            lines.append({"id": sid, "token": tokens, "h": h, "t": t, "relation": rel})
            rev = REVERSED.get(rel, NA)
            if rev is not None:
                lines.append({"id": sid + "-rev", "token": tokens, "h": t, "t": h, "relation": rev})

    # --- knowledge base: true facts, then an incomplete and partly wrong copy -------------------
    rng = random.Random(SEED)
    true_facts = list(OrderedDict.fromkeys(
        (l["h"]["id"], l["relation"], l["t"]["id"]) for l in lines if l["relation"] != NA))
    n_drop = round(DROP_RATE * len(true_facts))
    dropped = set(rng.sample(range(len(true_facts)), n_drop))
    kept = [f for i, f in enumerate(true_facts) if i not in dropped]
    n_corrupt = round(CORRUPT_RATE * len(kept))
    corrupt_idx = sorted(rng.sample(range(len(kept)), n_corrupt))
    kb = list(kept)
    present = set(kept)
    for i in corrupt_idx:
        h, r, t = kb[i]
        # a different relation that the pair does not already have (keeps the KB free of duplicates)
        choices = [x for x in relations if x != r and (h, x, t) not in present]
        new = rng.choice(choices)
        present.discard((h, r, t))
        present.add((h, new, t))
        kb[i] = (h, new, t)
    corrupted = set(corrupt_idx)
    kb_rel = {}
    for h, r, t in kb:
        kb_rel.setdefault((h, t), []).append(r)
    order = {r: i for i, r in enumerate([NA] + relations)}
    for v in kb_rel.values():
        v.sort(key=order.get)

    # --- splits by unordered entity pair --------------------------------------------------------
    pairs = list(OrderedDict.fromkeys(frozenset((l["h"]["id"], l["t"]["id"])) for l in lines))
    idx = list(range(len(pairs)))
    rng.shuffle(idx)
    n_train = round(SPLIT[0] * len(pairs))
    n_val = round(SPLIT[1] * len(pairs))
    split_of = {}
    for k, i in enumerate(idx):
        split_of[pairs[i]] = "train" if k < n_train else "val" if k < n_train + n_val else "test"

    # --- write ------------------------------------------------------------------------------------
    out = args.out
    os.makedirs(os.path.join(out, "opennre"), exist_ok=True)
    dump_jsonl(os.path.join(out, "sentences.jsonl"), lines)
    tsv(os.path.join(out, "kb.tsv"), ["head_id", "head_name", "relation", "tail_id", "tail_name"],
        [(h, names[h], r, t, names[t]) for h, r, t in kb])
    # Aliases of the KB's own entities only: an aliases file names entities of the knowledge base.
    in_kb = {h for h, _, _ in kb} | {t for _, _, t in kb}
    alias_rows = [(e, s) for e, forms in surfaces.items() if e in in_kb for s in forms if s != names[e]]
    tsv(os.path.join(out, "aliases.tsv"), ["entity_id", "alias"], alias_rows)
    tsv(os.path.join(out, "relations.tsv"), ["relation", "name", "description"],
        [NA_ROW] + [(r, pid2name[r][0], pid2name[r][1]) for r in relations])
    with open(os.path.join(out, "opennre", "rel2id.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({r: i for i, r in enumerate([NA] + relations)}, f, indent=1)
        f.write("\n")

    stats = Counter()
    split_rows = {"train": [], "val": [], "test": []}
    split_pairs = {"train": set(), "val": set(), "test": set()}
    for l in lines:
        gold = l["relation"]
        ds = kb_rel.get((l["h"]["id"], l["t"]["id"]), [NA])
        if ds == [gold]:
            stats["ds_equals_gold"] += 1
        elif gold != NA and ds == [NA]:
            stats["false_na"] += 1
        elif gold == NA:
            stats["false_positive"] += 1
        elif gold in ds:
            stats["gold_plus_extra_relation"] += 1
        else:
            stats["wrong_relation"] += 1
        sp = split_of[frozenset((l["h"]["id"], l["t"]["id"]))]
        split_pairs[sp].add(frozenset((l["h"]["id"], l["t"]["id"])))
        stats["candidates_" + sp] += 1
        if sp == "test":
            split_rows[sp].append(l)
        else:
            for r in ds:
                split_rows[sp].append(dict(l, relation=r))
    for sp, rows in split_rows.items():
        dump_jsonl(os.path.join(out, "opennre", sp + ".txt"), rows)

    report = OrderedDict([
        ("seed", SEED), ("drop_rate", DROP_RATE), ("corrupt_rate", CORRUPT_RATE),
        ("sentences", n_sent), ("candidates", len(lines)),
        ("gold_distribution", OrderedDict(sorted(Counter(l["relation"] for l in lines).items(),
                                                 key=lambda kv: order[kv[0]]))),
        ("entities", len(names)), ("aliases", len(alias_rows)), ("entities_with_aliases", len({e for e, _ in alias_rows})),
        ("facts_true", len(true_facts)), ("facts_dropped", n_drop), ("facts_kept", len(kept)),
        ("facts_corrupted", n_corrupt), ("facts_in_kb", len(kb)),
        ("kb_distribution", OrderedDict(sorted(Counter(r for _, r, _ in kb).items(), key=lambda kv: order[kv[0]]))),
        ("candidates_ds_vs_gold", OrderedDict(
            (k, stats[k]) for k in ["ds_equals_gold", "false_na", "wrong_relation",
                                    "gold_plus_extra_relation", "false_positive"])),
        ("pairs", len(pairs)),
        ("split_pairs", OrderedDict((s, len(split_pairs[s])) for s in ["train", "val", "test"])),
        ("split_candidates", OrderedDict((s, stats["candidates_" + s]) for s in ["train", "val", "test"])),
        ("split_lines", OrderedDict((s, len(split_rows[s])) for s in ["train", "val", "test"])),
        ("split_line_labels", OrderedDict(
            (s, OrderedDict([("NA", sum(1 for r in split_rows[s] if r["relation"] == NA)),
                             ("not_NA", sum(1 for r in split_rows[s] if r["relation"] != NA))]))
            for s in ["train", "val", "test"])),
    ])
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
