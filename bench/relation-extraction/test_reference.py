#!/usr/bin/python3
"""Unit checks of the reference: segment masks, pooling (scatter-max == masked max, values and gradients),
padding invariance, segment softmax and the PR metrics. Run: /usr/bin/python3 bench/relation-extraction/test_reference.py"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_pcnn as R  # noqa: E402

torch.manual_seed(0)
item = {"token": "a b c d e f g".split(), "h": {"pos": [1, 2]}, "t": {"pos": [4, 6]}}
ids, p1, p2, seg = R.encode(item, {"[PAD]": 0, "[UNK]": 1}, 128)
assert seg == [1, 1, 2, 2, 2, 3, 3], seg            # [0, head], (head, tail], rest
assert p1[1] == 129 and p2[4] == 129 and p1[0] == 128
item2 = {"token": "a b c".split(), "h": {"pos": [2, 3]}, "t": {"pos": [0, 1]}}
assert R.encode(item2, {}, 128)[3] == [1, 2, 2]     # tail first; third segment empty

m = R.PCNN(50, 5, 128)
m.eval()
enc = [R.encode({"token": ["w"] * n, "h": {"pos": [h, h + 1]}, "t": {"pos": [t, t + 1]}}, {}, 128)
       for n, h, t in [(7, 1, 4), (3, 2, 0), (12, 0, 11), (5, 3, 1)]]
batch = R.collate(enc, range(4))
a = m.encode(*batch)
b = m.encode_masked(*batch)
assert torch.allclose(a, b), (a - b).abs().max()
# padding changes nothing: each sentence alone equals its row in the padded batch
for i in range(4):
    assert torch.allclose(m.encode(*R.collate(enc, [i])), a[i:i + 1], atol=1e-6)
# gradients of the two poolings agree
g = torch.randn_like(a)
ga = torch.autograd.grad((m.encode(*batch) * g).sum(), m.conv.weight)[0]
gb = torch.autograd.grad((m.encode_masked(*batch) * g).sum(), m.conv.weight)[0]
assert torch.allclose(ga, gb, atol=1e-5), (ga - gb).abs().max()

s = torch.tensor([1.0, 2.0, 3.0, 0.5])
w = R.segment_softmax(s, torch.tensor([0, 0, 1, 1]), 2)
assert torch.allclose(w, torch.cat([torch.softmax(s[:2], 0), torch.softmax(s[2:], 0)]))

# bag aggregation against a direct computation: bags [0, 1, 2] and [3]
rep = torch.randn(4, 690)
bag_of = torch.tensor([0, 0, 0, 1])
W, bias = m.fc.weight, m.fc.bias
with torch.no_grad():
    avg = m.bag_scores(rep, bag_of, 2, "avg")
    assert torch.allclose(avg[0], torch.softmax(W @ rep[:3].mean(0) + bias, 0), atol=1e-6)
    one = m.bag_scores(rep, bag_of, 2, "one")
    assert torch.allclose(one[0], torch.softmax(rep[:3] @ W.t() + bias, 1).max(0).values, atol=1e-6)
    att = m.bag_scores(rep, bag_of, 2, "att")
    for r in range(5):
        a_r = torch.softmax(rep[:3] @ W[r], 0)
        assert torch.allclose(att[0, r], torch.softmax(W @ (a_r @ rep[:3]) + bias, 0)[r], atol=1e-6)
    assert torch.allclose(att[1], avg[1], atol=1e-6) and torch.allclose(one[1], avg[1], atol=1e-6)
    m.drop.p = 0.0
    labels = torch.tensor([2, 4])
    lt = m.forward_train(rep, bag_of, labels, "att")
    a_2 = torch.softmax(rep[:3] @ W[2], 0)
    assert torch.allclose(lt[0], W @ (a_2 @ rep[:3]) + bias, atol=1e-5)
    lo = m.forward_train(rep, bag_of, labels, "one")
    best = torch.softmax(rep[:3] @ W.t() + bias, 1)[:, 2].argmax()
    assert torch.allclose(lo[0], W @ rep[best] + bias, atol=1e-5) and torch.allclose(lo[1], W @ rep[3] + bias, atol=1e-5)
    m.drop.p = 0.5

facts = {("a", "b", 1), ("c", "d", 2)}
res = [(0.9, ("a", "b", 1)), (0.8, ("x", "y", 1)), (0.7, ("c", "d", 2)), (0.1, ("a", "b", 2))]
mt = R.pr_metrics(res, facts)
# points (r, p): (.5, 1), (.5, .5), (1, 2/3), (1, .5): trapezoid = 0 + 0.5 * (0.5 + 2/3) / 2 + 0
assert abs(mt["auc"] - 0.5 * (0.5 + 2 / 3) / 2) < 1e-12, mt
assert abs(mt["maxF1"] - 0.8) < 1e-12, mt
print("reference_pcnn checks OK")
