"""The embedding/NLI cache: hits skip the models, bad entries and bad files never crash."""

import os
import sqlite3
import threading

import numpy as np
import pytest

from crosscheck.analysis import Analyser
from crosscheck.cache import (FILE_NAME, Cache, CachedEmbedder, CachedNli, cache_dir, entry_key,
                              open_cache)
from crosscheck.config import Settings
from crosscheck.pipeline import run

from conftest import FakeEmbedder, FakeNli


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        self.texts = []

    def encode(self, texts, batch_size=64, show_progress_bar=False):
        self.texts.extend(texts)
        return super().encode(texts, batch_size, show_progress_bar)


class CountingNli(FakeNli):
    def __init__(self):
        super().__init__()
        self.pairs = []

    def predict(self, premises, hypotheses, batch_size=32, show_progress_bar=False):
        self.pairs.extend(zip(premises, hypotheses))
        return super().predict(premises, hypotheses, batch_size, show_progress_bar)


def test_tests_never_use_the_home_cache():
    assert os.environ["CROSSCHECK_CACHE_DIR"]
    assert cache_dir() == cache_dir(os.environ["CROSSCHECK_CACHE_DIR"])
    assert ".cache" not in str(cache_dir()).split(os.sep)[-2:]


def test_keys_separate_parts_models_and_directions():
    assert entry_key("ab", "c") != entry_key("a", "bc")
    assert entry_key("nli", "m1", "p", "h") != entry_key("nli", "m1", "h", "p")
    assert entry_key("nli", "m1", "p", "h") != entry_key("nli", "m2", "p", "h")


def test_embeddings_come_back_from_the_cache(tmp_path):
    cache = Cache(tmp_path)
    model = CountingEmbedder()
    cached = CachedEmbedder(model, cache, ("fake", "1"), model.dimensions)
    texts = ["The dam failed on Tuesday.", "Rain fell for days.", "The dam failed on Tuesday."]
    first = cached.encode(texts)
    assert model.texts == texts[:2]  # each distinct text once
    again = CachedEmbedder(model, Cache(tmp_path), ("fake", "1"), model.dimensions)
    second = again.encode(texts + ["A new sentence here."])
    assert model.texts == texts[:2] + ["A new sentence here."]
    np.testing.assert_array_equal(first, second[:3])
    np.testing.assert_array_equal(second, model.encode(texts + ["A new sentence here."]))
    # Another model version never sees these entries.
    other = CachedEmbedder(model, Cache(tmp_path), ("fake", "2"), model.dimensions)
    other.encode(texts[:1])
    assert model.texts[-1] == texts[0]


def test_bfloat16_vectors_are_cached_apart_and_float32_keeps_its_entries(tmp_path):
    from crosscheck.analysis import cached_embedder
    from crosscheck.cache import model_identity

    settings = Settings().replace(cache={"dir": str(tmp_path)})
    cache = Cache(tmp_path)
    exact, fast = CountingEmbedder(), CountingEmbedder()
    fast.precision = "bfloat16"
    texts = ["The dam failed on Tuesday.", "Rain fell for days."]
    # float32 reads what a build without the setting wrote under the bare model identity.
    CachedEmbedder(CountingEmbedder(), cache, model_identity(exact.info), 256).encode(texts)
    cached_embedder(settings, cache, exact).encode(texts)
    assert exact.texts == []
    cached_embedder(settings, cache, fast).encode(texts)
    assert fast.texts == texts  # never the float32 rows


def test_the_report_says_when_embeddings_are_bfloat16(tmp_path):
    fast = CountingEmbedder()
    fast.precision = "bfloat16"
    analyser = Analyser(Settings(), embedder=fast, nli=FakeNli(), cache=Cache(tmp_path))
    assert "computed in bfloat16 (embed.precision)" in analyser.models[0].notes
    plain = Analyser(Settings(), embedder=CountingEmbedder(), nli=FakeNli(), cache=Cache(tmp_path))
    assert "bfloat16" not in plain.models[0].notes


def test_nli_scores_cached_per_direction(tmp_path):
    model = CountingNli()
    cached = CachedNli(model, Cache(tmp_path), ("fake-nli", "bucketed:8"))
    premises = ["The dam was inspected.", "Trains stopped."]
    hypotheses = ["The dam was not inspected.", "Schools closed."]
    first = cached.predict(premises, hypotheses)
    assert len(model.pairs) == 2
    both = cached.predict(premises + hypotheses, hypotheses + premises)
    assert len(model.pairs) == 4  # only the backward direction was new
    np.testing.assert_array_equal(both[:2], first)
    np.testing.assert_array_equal(both, model.predict(premises + hypotheses,
                                                      hypotheses + premises))
    assert cached.predict([], []).shape == (0, len(model.labels))


def test_corrupt_entries_are_recomputed(tmp_path):
    model = CountingEmbedder()
    cached = CachedEmbedder(model, Cache(tmp_path), ("fake", "1"), model.dimensions)
    texts = ["One sentence about the dam.", "Another about the rain."]
    expected = cached.encode(texts)
    db = sqlite3.connect(tmp_path / FILE_NAME)
    key0, key1 = (entry_key("embedding", "fake", "1", t) for t in texts)
    db.execute("UPDATE entries SET value = ? WHERE key = ?", (b"\x00\x01\x02", key0))
    db.execute("UPDATE entries SET value = ? WHERE key = ?",
               (np.full(model.dimensions, np.nan, dtype="<f4").tobytes(), key1))
    db.commit()
    db.close()
    model.texts.clear()
    again = CachedEmbedder(model, Cache(tmp_path), ("fake", "1"), model.dimensions)
    np.testing.assert_array_equal(again.encode(texts), expected)
    assert model.texts == texts
    # ... and the repaired entries are used next time.
    model.texts.clear()
    CachedEmbedder(model, Cache(tmp_path), ("fake", "1"), model.dimensions).encode(texts)
    assert model.texts == []


def test_nli_entries_that_are_not_probabilities_are_recomputed(tmp_path):
    model = CountingNli()
    cached = CachedNli(model, Cache(tmp_path), ("fake-nli",))
    expected = cached.predict(["a b c d"], ["a b c e"])
    key = entry_key("nli", "fake-nli", "a b c d", "a b c e")
    Cache(tmp_path).put([(key, np.array([5.0, 5.0, 5.0], dtype="<f4").tobytes())])
    model.pairs.clear()
    np.testing.assert_array_equal(cached.predict(["a b c d"], ["a b c e"]), expected)
    assert len(model.pairs) == 1


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b""])
def test_a_corrupt_cache_file_warns_and_runs_without(tmp_path, dam_story, content):
    folder = tmp_path / "cache"
    folder.mkdir()
    if content:
        (folder / FILE_NAME).write_bytes(content)
    else:
        (folder / FILE_NAME).mkdir()  # not even a file
    messages = []
    settings = Settings().replace(cache={"dir": str(folder)})
    assert open_cache(settings, messages.append) is None
    assert messages and "running without it" in messages[0]
    model = CountingEmbedder()
    cache = Cache(folder, messages.append)
    cached = CachedEmbedder(model, cache, ("fake",), model.dimensions)
    assert cached.encode(["Some sentence about a dam."]).shape == (1, model.dimensions)


def test_damage_during_a_run_turns_the_cache_off(tmp_path):
    messages = []
    cache = Cache(tmp_path, messages.append)
    cache.put([(b"k", b"\x00" * 4)])
    cache._db.close()  # as if the file went bad under us
    assert cache.get([b"k"]) == {}
    cache.put([(b"k2", b"\x00" * 4)])
    assert not cache.enabled and len(messages) == 1


def test_deleting_the_cache_is_safe(tmp_path):
    model = CountingEmbedder()
    CachedEmbedder(model, Cache(tmp_path), ("fake",), model.dimensions).encode(["A dam failed."])
    (tmp_path / FILE_NAME).unlink()
    model.texts.clear()
    CachedEmbedder(model, Cache(tmp_path), ("fake",), model.dimensions).encode(["A dam failed."])
    assert model.texts == ["A dam failed."]
    assert (tmp_path / FILE_NAME).is_file()


def test_concurrent_writers_do_not_crash(tmp_path):
    errors = []

    def work(worker):
        try:
            cache = Cache(tmp_path, errors.append)
            for i in range(30):
                rows = np.random.default_rng(i).random((20, 8)).astype(np.float32)
                cache.put_rows([entry_key(str(worker), str(i), str(j)) for j in range(20)], rows)
                cache.get_rows([entry_key(str(1 - worker), str(i), str(j)) for j in range(20)], 8)
        except Exception as e:  # pragma: no cover - the assertion below reports it
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(w,)) for w in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _write_rows(folder: str, worker: int) -> None:
    cache = Cache(folder)
    for i in range(30):
        rows = np.random.default_rng([worker, i]).random((20, 8)).astype(np.float32)
        cache.put_rows([entry_key(str(worker), str(i), str(j)) for j in range(20)], rows)
        cache.get_rows([entry_key(str(1 - worker), str(i), str(j)) for j in range(20)], 8)
    if not cache.enabled:
        raise SystemExit(1)


def test_writers_in_separate_processes_share_the_file(tmp_path):
    """Ray workers on one machine are processes sharing one cache file: both write, and every
    row reads back as written."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_rows, args=(str(tmp_path), w)) for w in (0, 1)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [process.exitcode for process in workers] == [0, 0]
    cache = Cache(tmp_path)
    for worker in (0, 1):
        for i in range(30):
            expected = np.random.default_rng([worker, i]).random((20, 8)).astype(np.float32)
            rows = cache.get_rows([entry_key(str(worker), str(i), str(j)) for j in range(20)], 8)
            assert np.array_equal(np.stack(rows), expected)


def test_rerun_of_a_story_skips_the_models(dam_story, tmp_path):
    settings = Settings().replace(cache={"dir": str(tmp_path / "c")})
    embedder, nli = CountingEmbedder(), CountingNli()
    cache = open_cache(settings)
    first = run(settings, [dam_story], analyser=Analyser(settings, embedder, nli, cache=cache))
    assert embedder.texts and nli.pairs
    embedder.texts.clear()
    nli.pairs.clear()
    changed = settings.replace(report={"max_findings": 10})
    messages = []
    second = run(changed, [dam_story], progress=messages.append,
                 analyser=Analyser(changed, embedder, nli, cache=open_cache(changed),
                                   progress=messages.append))
    assert embedder.texts == [] and nli.pairs == []
    assert [f.reason for f in first.stories[0].findings] == \
        [f.reason for f in second.stories[0].findings]


def test_analyser_loads_the_embedder_only_on_a_miss(dam_story, tmp_path, monkeypatch):
    loads = []

    def load_embedder(spec, precision="float32"):
        loads.append(spec)
        return FakeEmbedder()

    monkeypatch.setattr("crosscheck.models.load_embedder", load_embedder)
    monkeypatch.setattr("crosscheck.models.load_nli", lambda spec, threads=0: FakeNli())
    settings = Settings().replace(cache={"dir": str(tmp_path / "c")})
    run(settings, [dam_story])
    assert len(loads) == 1
    messages = []
    run(settings, [dam_story], progress=messages.append)
    assert len(loads) == 1  # everything came from the cache
    assert any("from the cache" in m for m in messages)
    # Switched off: no cache folder is read or written.
    off = Settings().replace(cache={"enabled": False, "dir": str(tmp_path / "off")})
    run(off, [dam_story])
    assert not (tmp_path / "off").exists()
