"""Candidate pairs and clusters from claim embeddings.

Pairs are only formed across outlets, by nearest-neighbour search: each claim keeps its
``top_k`` most similar claims from other outlets above ``similarity_threshold``, so the
number of pairs grows with claims × k, not claims².

Search (``search.method``):
- ``exact`` (numpy): similarities computed block by block, so memory stays at block × claims;
  O(claims²) dot products, which on a laptop is seconds at 20,000 claims, far below the NLI
  cost of the pairs it yields.
- ``faiss-flat``: the same exact search with faiss, one index per outlet, each claim querying
  the other outlets' indexes.
  About 1.7× faster than numpy at 5,000-50,000 claims (benchmarks/README.md).
- ``faiss-hnsw``: an approximate graph index (HNSW) per outlet; sub-quadratic search, but
  building it costs more than exact search below a few hundred thousand claims.
- ``auto`` (default): numpy below ``search.index_min_claims`` claims, faiss-flat from there
  when the optional ``faiss-cpu`` package is installed, else numpy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.config import PairSettings, SearchSettings
from crosscheck.types import ClaimPair

BLOCK = 1024
# HNSW parameters: links per node, candidate list while building and while searching.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def faiss_available() -> bool:
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


def search_method(n_claims: int, search: SearchSettings) -> str:
    """The search ``find_pairs`` uses for this many claims: exact, faiss-flat or faiss-hnsw."""
    if search.method == "auto":
        if n_claims >= search.index_min_claims and faiss_available():
            return "faiss-flat"
        return "exact"
    return search.method


@dataclass(frozen=True)
class Neighbourhood:
    pairs: tuple[ClaimPair, ...]
    # For each claim: its highest similarity to any claim of another outlet (-1 if none).
    best_other_outlet: np.ndarray
    # For each claim: the index of that closest claim of another outlet (-1 if none).
    closest_other_outlet: np.ndarray


_WORD = re.compile(r"[a-z][a-z'’-]{3,}")
_STOP = frozenset("""that this with from have were been their there they which would could
    might should about after before while where when into over also than them then these those
    said says according other more most some such only very just being does will amid among
    during against between within without since until under upon across along around behind
    beyond toward towards despite including what whom whose your because""".split())


def _lexical_keys(text: str) -> set[str]:
    """Crude word keys of a sentence for the lexical channel: lower case, 6-letter prefixes."""
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}


def find_pairs(claim_ids: Sequence[str], outlets: Sequence[str], vectors: np.ndarray,
               settings: PairSettings, search: SearchSettings | None = None,
               texts: Sequence[str] | None = None) -> Neighbourhood:
    """Cross-outlet candidate pairs. ``vectors`` are L2-normalised, one row per claim.

    With ``texts``, a second channel adds pairs that share rare words (see
    :func:`lexical_pairs`): two long sentences that tell one fact in one clause each are often
    far apart as whole-sentence embeddings."""
    neighbourhood = _embedding_pairs(claim_ids, outlets, vectors, settings, search)
    if texts is None or settings.lexical_top_k == 0 or not len(claim_ids):
        return neighbourhood
    found = {(min(i, j), max(i, j)): float(vectors[i] @ vectors[j])
             for i, j in lexical_pairs(outlets, texts, settings)}
    index = {cid: i for i, cid in enumerate(claim_ids)}
    for pair in neighbourhood.pairs:
        found[(index[pair.a], index[pair.b])] = pair.similarity
    return Neighbourhood(_claim_pairs(claim_ids, found), neighbourhood.best_other_outlet,
                         neighbourhood.closest_other_outlet)


def lexical_pairs(outlets: Sequence[str], texts: Sequence[str],
                  settings: PairSettings) -> set[tuple[int, int]]:
    """Cross-outlet pairs (i, j) that share at least ``pairs.lexical_min_shared`` rare words
    (in at most ``pairs.lexical_max_share`` of the story's claims), or one word that only the
    two of them have in the whole story, each claim keeping its
    ``pairs.lexical_top_k`` best by summed inverse document frequency. An inverted index over
    rare words only, so the cost grows with the pairs found, not with claims²."""
    n = len(texts)
    keys = [_lexical_keys(t) for t in texts]
    postings: dict[str, list[int]] = {}
    for i, words in enumerate(keys):
        for word in words:
            postings.setdefault(word, []).append(i)
    rare_limit = max(2, int(settings.lexical_max_share * n))
    scores: dict[tuple[int, int], list[float]] = {}
    for word, members in postings.items():
        if len(members) > rare_limit or len(members) < 2:
            continue
        weight = math.log(n / len(members))
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if outlets[i] != outlets[j]:
                    entry = scores.setdefault((i, j), [0, 0.0])
                    entry[0] += 1
                    entry[1] += weight
    best: dict[int, list[tuple[float, int, int]]] = {}
    unique_words = {tuple(members) for members in postings.values() if len(members) == 2}
    for (i, j), (count, weight) in scores.items():
        # Enough rare words, or one word no other claim of the story has.
        if count >= settings.lexical_min_shared or (i, j) in unique_words:
            best.setdefault(i, []).append((weight, i, j))
            best.setdefault(j, []).append((weight, i, j))
    chosen = set()
    for candidates in best.values():
        for _, i, j in sorted(candidates, reverse=True)[:settings.lexical_top_k]:
            chosen.add((i, j))
    return chosen


def _embedding_pairs(claim_ids: Sequence[str], outlets: Sequence[str], vectors: np.ndarray,
                     settings: PairSettings, search: SearchSettings | None = None) -> Neighbourhood:
    n = len(claim_ids)
    best = np.full(n, -1.0, dtype=np.float32)
    closest = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return Neighbourhood((), best, closest)
    outlet_codes = np.unique(np.asarray(outlets), return_inverse=True)[1]
    k = min(settings.top_k, n)
    method = search_method(n, search or SearchSettings())
    if method != "exact":
        return _find_pairs_faiss(claim_ids, outlet_codes, vectors, settings, k,
                                 hnsw=method == "faiss-hnsw")
    found: dict[tuple[int, int], float] = {}
    for begin in range(0, n, BLOCK):
        block = slice(begin, min(begin + BLOCK, n))
        similarity = vectors[block] @ vectors.T
        same_outlet = outlet_codes[block][:, None] == outlet_codes[None, :]
        similarity[same_outlet] = -np.inf
        nearest = similarity.argmax(axis=1)
        top_similarity = similarity[np.arange(len(nearest)), nearest]
        best[block] = np.maximum(top_similarity, -1.0)
        closest[block] = np.where(np.isfinite(top_similarity), nearest, -1)
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        for row, neighbours in enumerate(top):
            i = begin + row
            for j in neighbours:
                score = float(similarity[row, j])
                if score >= settings.similarity_threshold:
                    found[(min(i, j), max(i, j))] = score
    return Neighbourhood(_claim_pairs(claim_ids, found), best, closest)


def _claim_pairs(claim_ids: Sequence[str],
                 found: dict[tuple[int, int], float]) -> tuple[ClaimPair, ...]:
    """Index pairs (i < j) with their similarity, as ClaimPairs in a stable order."""
    return tuple(ClaimPair(claim_ids[i], claim_ids[j], round(score, 4))
                 for (i, j), score in sorted(found.items()))


def _find_pairs_faiss(claim_ids: Sequence[str], outlet_codes: np.ndarray, vectors: np.ndarray,
                      settings: PairSettings, k: int, hnsw: bool) -> Neighbourhood:
    """One faiss index per outlet; every claim queries the indexes of the other outlets and
    keeps its k best over all of them (exact with flat indexes, approximate with HNSW)."""
    try:
        import faiss
    except ImportError:
        raise ImportError("search.method = faiss-*: the faiss-cpu package is not installed; "
                          "pip install 'faiss-cpu>=1.8,<2' or set search.method = exact") from None
    n, dimensions = vectors.shape
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    top_sim = np.full((n, k), -np.inf, dtype=np.float32)
    top_idx = np.full((n, k), -1, dtype=np.int64)
    for code in np.unique(outlet_codes):
        members = np.flatnonzero(outlet_codes == code)
        queries = np.flatnonzero(outlet_codes != code)
        if not len(queries):
            continue
        if hnsw:
            index = faiss.IndexHNSWFlat(dimensions, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = max(HNSW_EF_SEARCH, 2 * k)
        else:
            index = faiss.IndexFlatIP(dimensions)
        index.add(data[members])
        kk = min(k, len(members))
        for begin in range(0, len(queries), BLOCK * 16):
            rows = queries[begin:begin + BLOCK * 16]
            sims, found = index.search(data[rows], kk)
            found_global = np.where(found >= 0, members[np.maximum(found, 0)], -1)
            sims = np.where(found >= 0, sims, -np.inf).astype(np.float32)
            merged_sim = np.concatenate([top_sim[rows], sims], axis=1)
            merged_idx = np.concatenate([top_idx[rows], found_global], axis=1)
            keep = np.argsort(-merged_sim, axis=1, kind="stable")[:, :k]
            top_sim[rows] = np.take_along_axis(merged_sim, keep, axis=1)
            top_idx[rows] = np.take_along_axis(merged_idx, keep, axis=1)
    best = np.maximum(np.where(np.isfinite(top_sim[:, 0]), top_sim[:, 0], -1.0), -1.0)
    closest = np.where(np.isfinite(top_sim[:, 0]), top_idx[:, 0], -1)
    found_pairs: dict[tuple[int, int], float] = {}
    for i in range(n):
        for score, j in zip(top_sim[i], top_idx[i]):
            if j >= 0 and score >= settings.similarity_threshold:
                found_pairs[(min(i, int(j)), max(i, int(j)))] = float(score)
    return Neighbourhood(_claim_pairs(claim_ids, found_pairs), best.astype(np.float32),
                         closest)


def root(parent: list[int], i: int) -> int:
    """The root of i in a union-find forest (``parent[k] == k`` at a root), halving the path
    on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


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
    for (src, _), (_, dst) in best_per_article.items():
        if best_per_article[(dst, articles[src])][1] == src:
            parent[root(parent, src)] = root(parent, dst)
    groups: dict[int, list[int]] = {}
    for i in range(len(claim_ids)):
        groups.setdefault(root(parent, i), []).append(i)
    clusters = [tuple(claim_ids[i] for i in members) for members in groups.values()
                if len({articles[i] for i in members}) > 1]
    return tuple(sorted(clusters, key=lambda c: (-len(c), index[c[0]])))
