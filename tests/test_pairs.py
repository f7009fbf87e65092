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
    assert list(result.closest_other_outlet) == [2, 2, 1, 0]  # a1, a2 → b1; b1 → a2; b2 → a1


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
    assert result.closest_other_outlet.shape == (0,)


def test_clusters_span_articles_and_do_not_chain():
    pairs = [ClaimPair("a1", "b1", 0.9), ClaimPair("b1", "c1", 0.8), ClaimPair("a2", "b2", 0.3)]
    ids = ["a1", "a2", "b1", "b2", "c1"]
    articles = ["A", "A", "B", "B", "C"]
    assert cluster(ids, articles, pairs, threshold=0.6) == (("a1", "b1", "c1"),)


def test_a_claim_links_only_to_its_best_match_per_article():
    pairs = [ClaimPair("a1", "b1", 0.9), ClaimPair("a1", "b2", 0.7)]
    clusters = cluster(["a1", "b1", "b2"], ["A", "B", "B"], pairs, threshold=0.6)
    assert clusters == (("a1", "b1"),)


# -- search methods ---------------------------------------------------------------------------
import pytest  # noqa: E402

from crosscheck.config import SearchSettings  # noqa: E402
from crosscheck.pairs import search_method  # noqa: E402


def clustered(n, outlets=3, seed=0, dimensions=32):
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(max(1, n // 10), dimensions))
    vectors = unit(topics[rng.integers(0, len(topics), n)] + 0.6 * rng.normal(size=(n, dimensions)))
    ids = [f"c{i}" for i in range(n)]
    return ids, [f"o{i % outlets}" for i in range(n)], vectors


def brute_force(ids, outlets, vectors, settings):
    """Every claim's top_k cross-outlet neighbours above the threshold, one by one."""
    found = {}
    similarity = vectors @ vectors.T
    for i in range(len(ids)):
        others = [j for j in range(len(ids)) if outlets[j] != outlets[i]]
        best = sorted(others, key=lambda j: -similarity[i, j])[:settings.top_k]
        for j in best:
            if similarity[i, j] >= settings.similarity_threshold:
                found[tuple(sorted((ids[i], ids[j])))] = True
    return set(found)


def test_exact_search_is_top_k_per_claim():
    ids, outlets, vectors = clustered(120)
    settings = PairSettings(similarity_threshold=0.3, top_k=3)
    result = find_pairs(ids, outlets, vectors, settings, SearchSettings(method="exact"))
    pairs = {(p.a, p.b) for p in result.pairs}
    assert {tuple(sorted(p)) for p in pairs} == brute_force(ids, outlets, vectors, settings)
    # Pairs grow with claims × k.
    assert len(pairs) <= len(ids) * settings.top_k


def test_auto_is_exact_numpy_for_small_inputs():
    assert search_method(100, SearchSettings()) == "exact"
    assert search_method(100, SearchSettings(method="faiss-hnsw")) == "faiss-hnsw"


@pytest.mark.parametrize("method", ["faiss-flat", "faiss-hnsw"])
def test_faiss_search_matches_exact(method):
    pytest.importorskip("faiss")
    ids, outlets, vectors = clustered(600, outlets=4)
    settings = PairSettings(similarity_threshold=0.3, top_k=5)
    exact = find_pairs(ids, outlets, vectors, settings, SearchSettings(method="exact"))
    indexed = find_pairs(ids, outlets, vectors, settings, SearchSettings(method=method))
    exact_pairs = {(p.a, p.b) for p in exact.pairs}
    indexed_pairs = {(p.a, p.b) for p in indexed.pairs}
    overlap = len(exact_pairs & indexed_pairs) / len(exact_pairs)
    assert overlap >= (0.999 if method == "faiss-flat" else 0.97)
    assert len(indexed_pairs) <= len(ids) * settings.top_k
    np.testing.assert_allclose(indexed.best_other_outlet, exact.best_other_outlet, atol=1e-5)
    # the closest claim is another outlet's, as similar as the best similarity says
    rows = np.arange(len(ids))
    for found in (exact, indexed):
        assert (found.closest_other_outlet >= 0).all()
        assert all(outlets[j] != outlets[i] for i, j in enumerate(found.closest_other_outlet))
        np.testing.assert_allclose(
            (vectors[rows] * vectors[found.closest_other_outlet]).sum(axis=1),
            found.best_other_outlet, atol=1e-4)
    by_pair = {(p.a, p.b): p.similarity for p in exact.pairs}
    assert all(abs(by_pair[(p.a, p.b)] - p.similarity) < 2e-4
               for p in indexed.pairs if (p.a, p.b) in by_pair)


def test_auto_uses_faiss_above_the_threshold():
    pytest.importorskip("faiss")
    ids, outlets, vectors = clustered(200)
    search = SearchSettings(index_min_claims=100)
    assert search_method(200, search) == "faiss-flat"
    settings = PairSettings(similarity_threshold=0.3, top_k=3)
    assert ({(p.a, p.b) for p in find_pairs(ids, outlets, vectors, settings, search).pairs}
            == {(p.a, p.b) for p in find_pairs(ids, outlets, vectors, settings).pairs})


def test_faiss_with_a_single_outlet_has_no_pairs():
    pytest.importorskip("faiss")
    ids, _, vectors = clustered(30)
    result = find_pairs(ids, ["A"] * 30, vectors, PairSettings(), SearchSettings(method="faiss-flat"))
    assert result.pairs == () and (result.best_other_outlet == -1).all()
