#!/usr/bin/python3
"""PyTorch reference for the benchmark: PCNN (Zeng et al., EMNLP 2015) with bag aggregation ONE / AVG / ATT
(Lin et al., ACL 2016), OpenNRE-style, on OpenNRE-format data (train.txt / val.txt / test.txt / rel2id.json).

    /usr/bin/python3 bench/relation-extraction/reference_pcnn.py --data demo/relation-extraction/opennre \
        --aggregation att --optimizer sgd --lr 0.1 --epochs 30 --batch-size 160 --threads 2

Prints one JSON object (camelCase keys, the names the C# `re train` command uses). Training bags are per
(ordered pair, relation), evaluation bags per ordered pair (OpenNRE's convention). Each batch is padded to its
longest sentence. Early stopping on the dev AUC; the test figures come from the best epoch's weights.
"""
import argparse
import json
import math
import random
import sys
import time

import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, UNK = 0, 1
warnings.filterwarnings("ignore", message="scatter_reduce")


# ----------------------------------------------------------------------------------------------- data
def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def build_vocab(items):
    vocab = {"[PAD]": PAD, "[UNK]": UNK}
    for it in items:
        for w in it["token"]:
            vocab.setdefault(w.lower(), len(vocab))
    return vocab


def encode(item, vocab, max_length):
    """Token ids, head/tail relative position indices and the piecewise segment (1, 2, 3) of every token."""
    tokens = item["token"][:max_length]
    n = len(tokens)
    hs = min(item["h"]["pos"][0], max_length - 1)
    ts = min(item["t"]["pos"][0], max_length - 1)
    ids = [vocab.get(w.lower(), UNK) for w in tokens]
    clip = lambda d: max(-max_length, min(max_length, d)) + max_length + 1  # 1 .. 2*max_length+1; 0 = padding
    p1 = [clip(i - hs) for i in range(n)]
    p2 = [clip(i - ts) for i in range(n)]
    lo, hi = min(hs, ts), max(hs, ts)
    # OpenNRE's segments: [0, lo], (lo, hi], (hi, n) over the entities' first tokens
    seg = [1 if i <= lo else 2 if i <= hi else 3 for i in range(n)]
    return ids, p1, p2, seg


def make_bags(items, rel2id, training):
    """Training: one bag per (h, t, relation). Evaluation: one bag per (h, t) (labels: the set of relations)."""
    bags = {}
    for i, it in enumerate(items):
        key = (it["h"]["id"], it["t"]["id"]) + ((it["relation"],) if training else ())
        bags.setdefault(key, []).append(i)
    out = []
    for key, idx in bags.items():
        if training:
            out.append((key[:2], rel2id[key[2]], sorted(set(idx))))
        else:
            out.append((key, None, sorted(set(idx))))
    return out


def collate(encoded, sent_idx):
    """Pad a list of sentences to the longest one. Returns tensors (n, L)."""
    L = max(len(encoded[i][0]) for i in sent_idx)
    n = len(sent_idx)
    tok = torch.zeros(n, L, dtype=torch.long)
    p1 = torch.zeros(n, L, dtype=torch.long)
    p2 = torch.zeros(n, L, dtype=torch.long)
    seg = torch.zeros(n, L, dtype=torch.long)
    for r, i in enumerate(sent_idx):
        a, b, c, d = encoded[i]
        k = len(a)
        tok[r, :k] = torch.tensor(a)
        p1[r, :k] = torch.tensor(b)
        p2[r, :k] = torch.tensor(c)
        seg[r, :k] = torch.tensor(d)
    return tok, p1, p2, seg


# ---------------------------------------------------------------------------------------------- model
class PCNN(nn.Module):
    def __init__(self, vocab_size, num_rel, max_length, word_dim=50, pos_dim=5, hidden=230, dropout=0.5):
        super().__init__()
        self.word = nn.Embedding(vocab_size, word_dim, padding_idx=PAD)
        # position index 0 is padding (a zero vector), so a batch padded to its longest sentence gives
        # the same convolution at each sentence's last token as the sentence alone
        self.pos1 = nn.Embedding(2 * max_length + 2, pos_dim, padding_idx=0)
        self.pos2 = nn.Embedding(2 * max_length + 2, pos_dim, padding_idx=0)
        self.conv = nn.Conv1d(word_dim + 2 * pos_dim, hidden, kernel_size=3, padding=1)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(3 * hidden, num_rel)
        self.hidden = hidden

    def encode(self, tok, p1, p2, seg):
        """Sentence representations (n, 3*hidden): piecewise max pooling of ReLU(conv), padding excluded."""
        x = torch.cat([self.word(tok), self.pos1(p1), self.pos2(p2)], 2).transpose(1, 2)  # (n, 60, L)
        x = F.relu(self.conv(x))                                                          # (n, H, L)
        # Piecewise max pooling: one scatter-max over the tokens, keyed by segment (0 = padding, dropped).
        # x >= 0 after ReLU, so a zero start value changes nothing, and an empty segment pools to 0 (as
        # OpenNRE's max-then-ReLU). Ties at 0 get gradient here but ReLU's backward zeroes them.
        n, H, L = x.shape
        out = x.new_zeros(n, H, 4).scatter_reduce(2, seg.unsqueeze(1).expand(n, H, L), x, reduce="amax")
        return out[:, :, 1:].transpose(1, 2).reshape(n, 3 * H)                            # [seg1 | seg2 | seg3]

    def encode_masked(self, tok, p1, p2, seg):
        """The same pooling written as masks (reference for the test): max over x * mask per segment."""
        x = torch.cat([self.word(tok), self.pos1(p1), self.pos2(p2)], 2).transpose(1, 2)
        x = F.relu(self.conv(x))
        pools = [x.masked_fill((seg != k).unsqueeze(1), 0).max(2).values for k in (1, 2, 3)]
        return torch.cat(pools, 1)

    def forward_train(self, rep, bag_of, labels, aggregation):
        """rep (n, D) sentence reps; bag_of (n,) bag index; labels (B,). Returns bag logits (B, R)."""
        B = labels.shape[0]
        rep = self.drop(rep)
        if aggregation == "avg":
            s = torch.zeros(B, rep.shape[1]).index_add_(0, bag_of, rep)
            cnt = torch.zeros(B).index_add_(0, bag_of, torch.ones(rep.shape[0]))
            return self.fc(s / cnt.unsqueeze(1))
        if aggregation == "att":
            # the bag's label picks the query: the classifier's row for that relation (OpenNRE)
            score = (rep * self.fc.weight[labels[bag_of]]).sum(1)                          # (n,)
            w = segment_softmax(score, bag_of, B)
            bag_rep = torch.zeros(B, rep.shape[1]).index_add_(0, bag_of, rep * w.unsqueeze(1))
            return self.fc(bag_rep)
        # one: the sentence with the highest probability of the bag's label carries the bag
        logits = self.fc(rep)
        with torch.no_grad():
            p = logits.softmax(1).gather(1, labels[bag_of].unsqueeze(1)).squeeze(1)
            best = torch.full((B,), -1.0).scatter_reduce(0, bag_of, p, reduce="amax")
            pick = torch.zeros(B, dtype=torch.long)
            hit = (p == best[bag_of]).nonzero().squeeze(1)
            pick[bag_of[hit]] = hit  # any of the tied maxima
        return logits[pick]

    def bag_scores(self, rep, bag_of, B, aggregation):
        """Evaluation (no dropout): probability of every relation for every bag, (B, R)."""
        if aggregation == "avg":
            s = torch.zeros(B, rep.shape[1]).index_add_(0, bag_of, rep)
            cnt = torch.zeros(B).index_add_(0, bag_of, torch.ones(rep.shape[0]))
            return self.fc(s / cnt.unsqueeze(1)).softmax(1)
        if aggregation == "att":
            # per-relation query: bag rep for relation r, then P(r | that rep)
            score = rep @ self.fc.weight.t()                                               # (n, R)
            w = segment_softmax(score, bag_of, B)                                          # (n, R)
            bag_rep = torch.zeros(B, score.shape[1], rep.shape[1]).index_add_(
                0, bag_of, w.unsqueeze(2) * rep.unsqueeze(1))                              # (B, R, D)
            probs = self.fc(bag_rep).softmax(2)                                            # (B, R, R)
            return probs.diagonal(dim1=1, dim2=2)
        p = self.fc(rep).softmax(1)
        return torch.full((B, p.shape[1]), -1.0).scatter_reduce(
            0, bag_of.unsqueeze(1).expand_as(p), p, reduce="amax")


def segment_softmax(score, seg, B):
    """Softmax of score (n,) or (n, R) within each segment id of seg (n,)."""
    shape = (B,) + tuple(score.shape[1:])
    idx = seg.view(-1, *([1] * (score.dim() - 1))).expand_as(score)
    mx = torch.full(shape, -math.inf).scatter_reduce(0, idx, score, reduce="amax")
    e = (score - mx[seg]).exp()
    den = torch.zeros(shape).index_add_(0, seg, e)
    return e / den[seg]


# ------------------------------------------------------------------------------------------ evaluation
def pr_metrics(results, facts):
    """OpenNRE's held-out PR curve. results: [(score, (h, t, relation id))] for every (pair, relation != NA);
    facts: {(h, t, relation id)} of the true facts. AUC as sklearn.metrics.auc(recall, precision)."""
    results.sort(key=lambda x: -x[0])
    total = len(facts)
    correct = 0
    prec, rec = [], []
    for k, (_, key) in enumerate(results, 1):
        correct += key in facts
        prec.append(correct / k)
        rec.append(correct / total if total else 0.0)
    auc = sum((rec[i] - rec[i - 1]) * (prec[i] + prec[i - 1]) / 2 for i in range(1, len(rec)))  # sklearn.metrics.auc
    f1 = max((2 * p * r / (p + r) for p, r in zip(prec, rec) if p + r > 0), default=0.0)
    at = lambda k: (sum(1 for _, key in results[:k] if key in facts) / k) if len(results) >= k else None
    return {"auc": auc, "precisionAt100": at(100), "precisionAt200": at(200), "precisionAt300": at(300),
            "maxF1": f1, "facts": total, "scored": len(results)}


# --------------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--aggregation", choices=["att", "avg", "one"], default="att")
    ap.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--lr", type=float, default=None, help="default 0.1 for sgd, 1e-3 for adam")
    ap.add_argument("--weight-decay", type=float, default=None,
                    help="default 1e-5 for sgd, 0 for adam (the C# trainer's effective defaults)")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch-size", type=int, default=160, help="bags per batch")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--patience", type=int, default=5, help="epochs without a better dev AUC before stopping; 0: never")
    ap.add_argument("--out", default=None, help="also write the JSON result to this file")
    ap.add_argument("--model-out", default=None, help="save the best weights and the vocabulary (torch.save)")
    ap.add_argument("--history", action="store_true", help="include per-epoch loss / dev AUC / seconds")
    a = ap.parse_args()
    lr = a.lr if a.lr is not None else (0.1 if a.optimizer == "sgd" else 1e-3)
    if a.weight_decay is None:
        a.weight_decay = 1e-5 if a.optimizer == "sgd" else 0.0

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    t_start = time.perf_counter()

    rel2id = json.load(open(f"{a.data}/rel2id.json", encoding="utf-8"))
    R = len(rel2id)
    train, dev, test = (read_jsonl(f"{a.data}/{s}.txt") for s in ("train", "val", "test"))
    t_train = time.perf_counter()
    vocab = build_vocab(train)
    enc = {name: [encode(it, vocab, a.max_length) for it in items]
           for name, items in (("train", train), ("dev", dev), ("test", test))}
    train_bags = make_bags(train, rel2id, True)
    dev_bags, test_bags = make_bags(dev, rel2id, False), make_bags(test, rel2id, False)

    model = PCNN(len(vocab), R, a.max_length)
    params = model.parameters()
    opt = (torch.optim.SGD(params, lr=lr, weight_decay=a.weight_decay) if a.optimizer == "sgd"
           else torch.optim.Adam(params, lr=lr, weight_decay=a.weight_decay))

    def run_eval(encoded, bags, items):
        facts = {(it["h"]["id"], it["t"]["id"], rel2id[it["relation"]]) for it in items if it["relation"] != "NA"}
        model.eval()
        results, n_sent = [], 0
        t0 = time.perf_counter()
        with torch.no_grad():
            for b in range(0, len(bags), a.batch_size):
                chunk = bags[b:b + a.batch_size]
                sent = [i for _, _, idx in chunk for i in idx]
                bag_of = torch.tensor([k for k, (_, _, idx) in enumerate(chunk) for _ in idx])
                probs = model.bag_scores(model.encode(*collate(encoded, sent)), bag_of, len(chunk), a.aggregation)
                n_sent += len(sent)
                for (pair, _, _), row in zip(chunk, probs.tolist()):
                    results.extend((row[r], pair + (r,)) for r in range(1, R))
        seconds = time.perf_counter() - t0
        model.train()
        return pr_metrics(results, facts), n_sent, seconds

    train_seconds, train_sent = 0.0, 0
    best_auc, best_epoch, best_state, bad, history = -1.0, 0, None, 0, []
    epochs_run = 0
    for epoch in range(1, a.epochs + 1):
        order = list(range(len(train_bags)))
        rng.shuffle(order)
        t0 = time.perf_counter()
        loss_sum, n_batches, epoch_sent = 0.0, 0, 0
        for b in range(0, len(order), a.batch_size):
            chunk = [train_bags[i] for i in order[b:b + a.batch_size]]
            sent = [i for _, _, idx in chunk for i in idx]
            bag_of = torch.tensor([k for k, (_, _, idx) in enumerate(chunk) for _ in idx])
            labels = torch.tensor([lab for _, lab, _ in chunk])
            rep = model.encode(*collate(enc["train"], sent))
            loss = F.cross_entropy(model.forward_train(rep, bag_of, labels, a.aggregation), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            n_batches += 1
            epoch_sent += len(sent)
        dt = time.perf_counter() - t0
        train_seconds += dt
        train_sent += epoch_sent
        epochs_run = epoch
        dev_m, _, _ = run_eval(enc["dev"], dev_bags, dev)
        history.append({"epoch": epoch, "loss": loss_sum / max(1, n_batches), "devAuc": dev_m["auc"], "seconds": dt})
        print(f"epoch {epoch}: loss {loss_sum / max(1, n_batches):.4f} dev auc {dev_m['auc']:.4f} "
              f"({epoch_sent / dt:.0f} sentences/s)", file=sys.stderr, flush=True)
        if dev_m["auc"] > best_auc:
            best_auc, best_epoch, bad = dev_m["auc"], epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if a.patience and bad >= a.patience:
                break
    training_call_seconds = time.perf_counter() - t_train  # like the C# trainer: vocabulary, epochs, dev scoring
    model.load_state_dict(best_state)
    test_m, test_sent, score_seconds = run_eval(enc["test"], test_bags, test)
    if a.model_out:
        torch.save({"state": best_state, "vocab": vocab, "rel2id": rel2id, "maxLength": a.max_length}, a.model_out)

    lengths = [len(e[0]) for e in enc["train"]]
    result = {
        "implementation": "pytorch-reference",
        "torchVersion": torch.__version__,
        "data": a.data, "aggregation": a.aggregation, "optimizer": a.optimizer, "lr": lr,
        "weightDecay": a.weight_decay, "epochs": a.epochs, "batchSize": a.batch_size, "seed": a.seed,
        "threads": a.threads, "maxLength": a.max_length, "patience": a.patience,
        "vocabulary": len(vocab), "parameters": sum(p.numel() for p in model.parameters()),
        "trainSentences": len(train), "trainBags": len(train_bags), "meanTrainSentenceLength": sum(lengths) / len(lengths),
        "devBags": len(dev_bags), "testSentences": len(test), "testBags": len(test_bags),
        "epochsRun": epochs_run, "bestEpoch": best_epoch, "bestDevAuc": best_auc,
        "trainingSeconds": training_call_seconds, "trainLoopSeconds": train_seconds,
        "trainSentencesPerSecond": train_sent / train_seconds,
        "scoringSeconds": score_seconds, "scoreSentencesPerSecond": test_sent / score_seconds,
        "bagScoringSentencesPerSecond": test_sent / score_seconds,
        "totalSeconds": time.perf_counter() - t_start,
        "test": test_m,
    }
    if a.history:
        result["history"] = history
    text = json.dumps(result, indent=1)
    print(text)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
