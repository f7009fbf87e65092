import numpy as np

from crosscheck.config import PairSettings
from crosscheck.pairs import cluster, find_pairs
from crosscheck.types import ClaimPair


def unit(rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_pairs_only_across_outlets_and_above_threshold():
    vectors = unit([[1, 0, 0], [1, 0.05, 0], [0.99, 0.1, 0], [0, 0, 1]])
    ids = ["a1", "a2", "b1", "b2"]
    outlets = ["A", "A", "B", "B"]
    result = find_pairs(ids, outlets, vectors, PairSettings(similarity_threshold=0.5, top_k=5))
    assert {(p.a, p.b) for p in result.pairs} == {("a1", "b1"), ("a2", "b1")}
    assert all(p.similarity >= 0.5 for p in result.pairs)
    assert result.best_other_outlet[3] < 0.5  # b2 has no counterpart in outlet A


def test_top_k_bounds_pairs_per_claim():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(1, 8))
    vectors = unit(base + 0.01 * rng.normal(size=(40, 8)))
    ids = [f"c{i}" for i in range(40)]
    outlets = ["A" if i < 20 else "B" for i in range(40)]
    result = find_pairs(ids, outlets, vectors, PairSettings(similarity_threshold=0.0, top_k=2))
    # Each claim contributes at most k pairs; pairs are de-duplicated.
    assert len(result.pairs) <= 40 * 2
    assert len({(p.a, p.b) for p in result.pairs}) == len(result.pairs)


def test_no_claims():
    result = find_pairs([], [], np.zeros((0, 3), dtype=np.float32), PairSettings())
    assert result.pairs == () and result.best_other_outlet.shape == (0,)


def test_clusters_span_articles_and_do_not_chain():
    pairs = [ClaimPair("a1", "b1", 0.9), ClaimPair("b1", "c1", 0.8), ClaimPair("a2", "b2", 0.3)]
    ids = ["a1", "a2", "b1", "b2", "c1"]
    articles = ["A", "A", "B", "B", "C"]
    assert cluster(ids, articles, pairs, threshold=0.6) == (("a1", "b1", "c1"),)


def test_a_claim_links_only_to_its_best_match_per_article():
    pairs = [ClaimPair("a1", "b1", 0.9), ClaimPair("a1", "b2", 0.7)]
    clusters = cluster(["a1", "b1", "b2"], ["A", "B", "B"], pairs, threshold=0.6)
    assert clusters == (("a1", "b1"),)
