"""Recall benchmark: does top-k nearest-neighbour pairing find the contradictions that
exhaustive pairing finds? Figures printed (not a pass/fail test).

    .venv/bin/python benchmarks/bench_recall.py [FOLDER ...] [--ks 5,10,20] [--floor 0.3]
                                                [--max-pairs 40000] [--cache-dir DIR]

Default: the BASIL dev stories (2010-2012, split by triplet-uuid). For every story the
candidate pairs of each pairing are judged by the same pipeline (real models) and the
contradiction and numeric findings compared, by their pair of claims:

- ``exhaustive >= threshold``: every cross-outlet pair with similarity >= pairs.similarity_threshold
  (top_k unlimited), the reference;
- ``exhaustive >= FLOOR``: every cross-outlet pair with similarity >= --floor, a looser
  reference (findings below the pairing threshold can only come from there);
- ``top-k`` for each k in --ks, with the default threshold.

Pair counts (and the count of literally all cross-outlet pairs) are printed first; the pairings
whose count exceeds --max-pairs are skipped. NLI scores go through the cache (a private folder
unless --cache-dir), so a pair gets the same score in every pairing: the comparison measures
pairing, not the int8 model's batch-to-batch noise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck import ingest  # noqa: E402
from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.cache import open_cache  # noqa: E402
from crosscheck.claims import claims_for  # noqa: E402
from crosscheck.config import Settings  # noqa: E402
from crosscheck.pairs import find_pairs  # noqa: E402

BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles"
KINDS = ("contradiction", "numeric")


def findings_by_kind(result) -> dict[str, set[frozenset[str]]]:
    """Flagged pairs of claims by kind, each pair a joined finding holds counted alone."""
    return {kind: {frozenset(pair) for f in result.findings if f.kind == kind
                   for pair in f.details.get("compared") or (f.claim_ids,)}
            for kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*",
                        default=[str(BASIL / year) for year in ("2010", "2011", "2012")])
    parser.add_argument("--story-key", default="triplet-uuid")
    parser.add_argument("--ks", default="5,10,20")
    parser.add_argument("--floor", type=float, default=0.3)
    parser.add_argument("--max-pairs", type=int, default=40_000)
    parser.add_argument("--cache-dir", default="")
    args = parser.parse_args()
    ks = [int(k) for k in args.ks.split(",")]
    cache_dir = args.cache_dir or tempfile.mkdtemp(prefix="crosscheck-recall-")
    base = Settings().replace(ingest={"story_key": args.story_key},
                              judge={"max_seconds_per_story": 0.0},
                              cache={"enabled": True, "dir": cache_dir})
    threshold = base.pairs.similarity_threshold
    unlimited = 1_000_000
    pairings = {f"exhaustive >= {threshold:g}": {"top_k": unlimited},
                f"exhaustive >= {args.floor:g}": {"top_k": unlimited,
                                                  "similarity_threshold": args.floor}}
    pairings.update({f"top-{k}": {"top_k": k} for k in ks})
    reference = f"exhaustive >= {threshold:g}"

    stories = ingest.read_stories(args.folders, base.ingest)
    started = time.perf_counter()
    analyser = Analyser(base, cache=open_cache(base, print))
    print(f"{len(stories)} stories; models loaded in {time.perf_counter() - started:.1f} s; "
          f"cache {cache_dir}")

    # Pair counts from the embeddings alone.
    counts = {name: 0 for name in pairings}
    all_cross = 0
    claims_total = 0
    for _, articles, _ in stories:
        claims = claims_for(articles, base.claims)[:base.claims.max_claims_per_story]
        claims_total += len(claims)
        outlet_of = {a.id: a.outlet for a in articles}
        outlets = [outlet_of[c.article_id] for c in claims]
        vectors = analyser.embedder.encode([c.content for c in claims], base.embed.batch_size)
        codes = np.unique(np.asarray(outlets), return_inverse=True)[1] if claims else []
        sizes = np.bincount(codes) if len(codes) else np.zeros(0)
        all_cross += int((sizes.sum() ** 2 - (sizes ** 2).sum()) // 2)
        for name, change in pairings.items():
            found = find_pairs([c.id for c in claims], outlets, vectors,
                               base.pairs.__class__(**{**base.to_dict()["pairs"], **change}))
            counts[name] += len(found.pairs)
    print(f"{claims_total} claims; all cross-outlet pairs: {all_cross}")
    for name, n in counts.items():
        print(f"  {name:>18}: {n} candidate pairs ({n / max(1, claims_total):.2f} per claim)")

    found: dict[str, dict[str, set]] = {}
    seconds: dict[str, float] = {}
    # The widest pairing first: its NLI scores fill the cache for the others.
    for name in sorted(pairings, key=lambda n: -counts[n]):
        if counts[name] > args.max_pairs:
            print(f"  {name}: {counts[name]} pairs > --max-pairs {args.max_pairs}, skipped")
            continue
        analyser.settings = base.replace(pairs=pairings[name])
        clock = time.perf_counter()
        per_kind = {kind: set() for kind in KINDS}
        for story, articles, inputs in stories:
            result = analyser.analyse(story, articles, inputs)
            for kind, items in findings_by_kind(result).items():
                per_kind[kind] |= {(story, item) for item in items}
        found[name] = per_kind
        seconds[name] = time.perf_counter() - clock
        print(f"  judged {name} in {seconds[name]:.0f} s", flush=True)

    print()
    header = f"{'pairing':>18} | {'pairs':>7} | " + " | ".join(
        f"{kind} found / recall vs {ref}" for kind in KINDS
        for ref in (reference, f"exhaustive >= {args.floor:g}"))
    print(header)
    for name in pairings:
        if name not in found:
            continue
        cells = []
        for kind in KINDS:
            for ref in (reference, f"exhaustive >= {args.floor:g}"):
                if ref not in found:
                    cells.append("n/a")
                    continue
                truth = found[ref][kind]
                hit = len(found[name][kind] & truth)
                recall = hit / len(truth) if truth else float("nan")
                cells.append(f"{len(found[name][kind])} / {hit}/{len(truth)} = {recall:.3f}")
        print(f"{name:>18} | {counts[name]:>7} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
