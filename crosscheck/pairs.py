"""Candidate pairs and clusters from claim embeddings.

Pairs are only formed across outlets, by nearest-neighbour search: each claim keeps its
``top_k`` most similar claims from other outlets above ``similarity_threshold``, so the
number of pairs grows with claims × k, not claims². Similarities are computed block by
block, so memory stays at block × claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.config import PairSettings
from crosscheck.types import ClaimPair

BLOCK = 1024


@dataclass(frozen=True)
class Neighbourhood:
    pairs: tuple[ClaimPair, ...]
    # For each claim: its highest similarity to any claim of another outlet (-1 if none).
    best_other_outlet: np.ndarray


def find_pairs(claim_ids: Sequence[str], outlets: Sequence[str], vectors: np.ndarray,
               settings: PairSettings) -> Neighbourhood:
    """Cross-outlet candidate pairs. ``vectors`` are L2-normalised, one row per claim."""
    n = len(claim_ids)
    best = np.full(n, -1.0, dtype=np.float32)
    if n == 0:
        return Neighbourhood((), best)
    outlet_codes = np.unique(np.asarray(outlets), return_inverse=True)[1]
    k = min(settings.top_k, n)
    found: dict[tuple[int, int], float] = {}
    for begin in range(0, n, BLOCK):
        block = slice(begin, min(begin + BLOCK, n))
        similarity = vectors[block] @ vectors.T
        same_outlet = outlet_codes[block][:, None] == outlet_codes[None, :]
        similarity[same_outlet] = -np.inf
        best[block] = np.maximum(similarity.max(axis=1), -1.0)
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        for row, neighbours in enumerate(top):
            i = begin + row
            for j in neighbours:
                score = float(similarity[row, j])
                if score >= settings.similarity_threshold:
                    found[(min(i, j), max(i, j))] = score
    pairs = tuple(ClaimPair(claim_ids[i], claim_ids[j], round(score, 4))
                  for (i, j), score in sorted(found.items()))
    return Neighbourhood(pairs, best)


def cluster(claim_ids: Sequence[str], articles: Sequence[str], pairs: Sequence[ClaimPair],
            threshold: float) -> tuple[tuple[str, ...], ...]:
    """Groups of claims from more than one article that tell the same fact.

    Union-find over pairs at or above ``threshold``; to stop chains of loosely related claims
    from merging whole articles, two claims link only when each is the other's best match in
    its article.
    """
    index = {cid: i for i, cid in enumerate(claim_ids)}
    best_per_article: dict[tuple[int, str], tuple[float, int]] = {}
    for pair in pairs:
        if pair.similarity < threshold:
            continue
        i, j = index[pair.a], index[pair.b]
        for src, dst in ((i, j), (j, i)):
            key = (src, articles[dst])
            if pair.similarity > best_per_article.get(key, (-2.0, -1))[0]:
                best_per_article[key] = (pair.similarity, dst)
    parent = list(range(len(claim_ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (src, _), (_, dst) in best_per_article.items():
        if best_per_article[(dst, articles[src])][1] == src:
            parent[root(src)] = root(dst)
    groups: dict[int, list[int]] = {}
    for i in range(len(claim_ids)):
        groups.setdefault(root(i), []).append(i)
    clusters = [tuple(claim_ids[i] for i in members) for members in groups.values()
                if len({articles[i] for i in members}) > 1]
    return tuple(sorted(clusters, key=lambda c: (-len(c), index[c[0]])))
