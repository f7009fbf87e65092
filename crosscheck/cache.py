"""A local cache of claim embeddings and NLI probabilities, so re-running a story (after
changing a setting that does not touch the models) skips the models.

One SQLite file, ``cache-v1.sqlite3``, in the cache folder: ``cache.dir`` if set, else
``$CROSSCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/crosscheck``, else ``~/.cache/crosscheck``.
Each entry's key is the SHA-256 of its parts:

- an embedding: the embedding model's identity (name, version, weights checksum) and the exact
  text embedded;
- an NLI score: the NLI model's identity, its length mode (fixed or bucketed, the rounding
  multiple, the truncation length), the premise and the hypothesis (each direction is its own
  entry).

Values are float32 bytes. The cache is safe to delete at any time (it is recreated). An entry
of the wrong size or with non-finite values is ignored and recomputed; a file that is not a
usable SQLite database turns the cache off for the run with one message, never an error.
Concurrent runs share the file (SQLite locking, with a timeout); a write that cannot get the
lock is skipped.

A cached NLI score is the score the pair got in the batch it was first computed in. The int8
graph quantises activations per batch, so a fresh run can differ from a cached one by that
batch-to-batch noise (see ``benchmarks/README.md``); labels flip only for pairs sitting on a
threshold.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

FILE_NAME = "cache-v1.sqlite3"
_TIMEOUT_SECONDS = 10.0
_CHUNK = 500  # keys per SELECT (SQLite's variable limit is 32766 on recent builds)


def default_dir() -> Path:
    if os.environ.get("CROSSCHECK_CACHE_DIR"):
        return Path(os.environ["CROSSCHECK_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "crosscheck"


def cache_dir(setting: str = "") -> Path:
    return Path(setting).expanduser() if setting else default_dir()


def entry_key(*parts: str) -> bytes:
    """SHA-256 over the parts, each length-prefixed so that no two part lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.digest()


class Cache:
    """Float32 rows by key in one SQLite file. Every failure is reported once through
    ``warn`` and turns the cache off; nothing here raises."""

    def __init__(self, folder: str | os.PathLike, warn: Callable[[str], None] = lambda m: None):
        self.path = Path(folder) / FILE_NAME
        self.warn = warn
        self.enabled = True
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=_TIMEOUT_SECONDS,
                                 isolation_level=None, check_same_thread=False)
            db.execute("CREATE TABLE IF NOT EXISTS entries "
                       "(key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
            db.execute("SELECT count(*) FROM (SELECT 1 FROM entries LIMIT 1)").fetchone()
            self._db = db
        except (sqlite3.Error, OSError) as e:
            self._off(f"cannot use the cache at {self.path} ({e}); running without it "
                      "(delete the file to reset it)")

    def _off(self, message: str) -> None:
        if self.enabled:
            self.warn(f"cache: {message}")
        self.enabled = False
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def get(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored bytes of the keys present (absent keys are missing from the result)."""
        if not self.enabled or not keys:
            return {}
        found: dict[bytes, bytes] = {}
        unique = list(dict.fromkeys(keys))
        try:
            for begin in range(0, len(unique), _CHUNK):
                chunk = unique[begin:begin + _CHUNK]
                rows = self._db.execute(
                    f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk).fetchall()
                found.update((bytes(k), bytes(v)) for k, v in rows
                             if isinstance(k, bytes) and isinstance(v, bytes))
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                return found  # another run holds the lock: treat as misses
            self._off(f"read failed ({e}); running without it")
            return {}
        except sqlite3.Error as e:
            self._off(f"the cache file {self.path} is damaged ({e}); running without it "
                      "(delete the file to reset it)")
            return {}
        return found

    def put(self, items: Sequence[tuple[bytes, bytes]]) -> None:
        if not self.enabled or not items:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                                     items)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                return  # another run is writing: skip, these rows are computed again next time
            if "readonly" in str(e) or "disk" in str(e) or "full" in str(e):
                self._off(f"cannot write to {self.path} ({e}); running without it")
                return
            self._off(f"write failed ({e}); running without it")
        except sqlite3.Error as e:
            self._off(f"the cache file {self.path} is damaged ({e}); running without it "
                      "(delete the file to reset it)")

    # -- float32 rows ------------------------------------------------------------------------
    def get_rows(self, keys: Sequence[bytes], width: int | None) -> list[np.ndarray | None]:
        """One float32 row per key, or None where absent or unusable. ``width``: the expected
        row length; None takes the most common length among the stored rows."""
        stored = self.get(keys)
        rows: list[np.ndarray | None] = []
        for key in keys:
            value = stored.get(key)
            row = None
            if value is not None and len(value) % 4 == 0 and value:
                row = np.frombuffer(value, dtype="<f4")
                if not np.isfinite(row).all():
                    row = None
            rows.append(row)
        if width is None:
            lengths = [len(r) for r in rows if r is not None]
            width = max(set(lengths), key=lengths.count) if lengths else 0
        rows = [r if r is not None and len(r) == width else None for r in rows]
        found = sum(r is not None for r in rows)
        self.hits += found
        self.misses += len(rows) - found
        return rows

    def put_rows(self, keys: Sequence[bytes], rows: np.ndarray) -> None:
        data = np.asarray(rows, dtype="<f4")
        self.put([(k, data[i].tobytes()) for i, k in enumerate(keys)
                  if np.isfinite(data[i]).all()])


def open_cache(settings, warn: Callable[[str], None] = lambda m: None) -> Cache | None:
    """The cache the ``[cache]`` settings ask for, or None when it is off or unusable."""
    if not settings.cache.enabled:
        return None
    cache = Cache(cache_dir(settings.cache.dir), warn)
    return cache if cache.enabled else None


# -- model identities ----------------------------------------------------------------------------
def _folder_fingerprint(folder: str) -> str:
    """Names, sizes and modification times of a local model directory's files (a local
    directory has no checksum in a manifest)."""
    path = Path(folder)
    if not path.is_dir():
        return ""
    parts = []
    for child in sorted(path.rglob("*")):
        if child.is_file():
            stat = child.stat()
            parts.append(f"{child.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def model_identity(info, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """What a cached value of this model depends on: name, backend, version and weights
    checksum; for a model without a checksum (a local directory), its files' fingerprint."""
    fingerprint = info.checksum or _folder_fingerprint(info.source) or info.source
    return (info.role, info.name, info.backend, info.version, fingerprint, *extra)


def nli_length_mode(nli) -> str:
    """The loaded NLI backend's length handling: padded to a fixed length, or bucketed by
    length (with its rounding multiple), and the truncation length."""
    max_length = int(getattr(nli, "max_length", 0) or 0)
    if not hasattr(nli, "fixed_length"):
        return f"{type(nli).__name__}:max{max_length}"
    alone = ":alone" if getattr(nli, "one_pair_per_run", False) else ""
    if nli.fixed_length:
        return f"fixed:{max_length}{alone}"
    if alone:
        return f"unpadded:max{max_length}{alone}"
    return f"bucketed:{int(getattr(nli, 'length_multiple', 1))}:max{max_length}"


# -- model wrappers ------------------------------------------------------------------------------
class LazyModel:
    """Loads a model on first use; until then ``info`` comes from the manifest, so a fully
    cached run never loads the weights."""

    def __init__(self, loader: Callable[[], object], manifest):
        self._loader = loader
        self._manifest = manifest
        self._model = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self):
        if self._model is None:
            self._model = self._loader()
        return self._model

    @property
    def info(self):
        return self._model.info if self._model is not None else self._manifest.info

    @property
    def dimensions(self):
        return self.model.dimensions

    def encode(self, *args, **kwargs):
        return self.model.encode(*args, **kwargs)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.model, name)


class CachedEmbedder:
    """An embedder whose ``encode`` reads and fills the cache; only misses reach the model
    (each distinct text once). ``precision``: the number format the model computes in, known
    before a lazily loaded model loads."""

    def __init__(self, embedder, cache: Cache, identity: Sequence[str],
                 dimensions: int | None = None, precision: str = "float32"):
        self.embedder = embedder
        self.precision = precision
        self.cache = cache
        self.identity = tuple(identity)
        self._dimensions = dimensions
        self.lookups = 0
        self.hits = 0

    @property
    def info(self):
        return self.embedder.info

    @property
    def dimensions(self):
        return self._dimensions or self.embedder.dimensions

    def encode(self, texts: Sequence[str], batch_size: int = 64,
               show_progress_bar: bool = False) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.asarray(self.embedder.encode([], batch_size), dtype=np.float32)
        keys = [entry_key("embedding", *self.identity, t) for t in texts]
        rows = self.cache.get_rows(keys, self._dimensions)
        self.lookups += len(rows)
        self.hits += sum(r is not None and (not self._dimensions or len(r) == self._dimensions)
                         for r in rows)
        fresh: dict[str, np.ndarray] = {}
        for _ in range(2):  # twice at most: when stored rows' width was guessed wrong
            missing = list(dict.fromkeys(t for t, r in zip(texts, rows)
                                         if r is None and t not in fresh))
            if not missing:
                break
            computed = np.asarray(self.embedder.encode(missing, batch_size, show_progress_bar),
                                  dtype=np.float32)
            self._dimensions = computed.shape[1]
            self.cache.put_rows([entry_key("embedding", *self.identity, t) for t in missing],
                                computed)
            fresh.update(zip(missing, computed))
            rows = [fresh.get(t) if r is None or len(r) != self._dimensions else r
                    for t, r in zip(texts, rows)]
        return np.stack(rows).astype(np.float32)


class CachedNli:
    """An NLI model whose ``predict`` reads and fills the cache, one entry per direction;
    only misses reach the model (each distinct pair once)."""

    def __init__(self, nli, cache: Cache, identity: Sequence[str]):
        self.nli = nli
        self.cache = cache
        self.identity = tuple(identity)
        self.info = nli.info
        self.lookups = 0
        self.hits = 0

    @property
    def labels(self):
        return self.nli.labels

    @property
    def calibration_table(self):
        return getattr(self.nli, "calibration_table", None)

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str], batch_size: int = 32,
                show_progress_bar: bool = False) -> np.ndarray:
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        width = len(self.labels)
        pairs = list(zip(premises, hypotheses))
        keys = [entry_key("nli", *self.identity, p, h) for p, h in pairs]
        rows = self.cache.get_rows(keys, width)
        rows = [r if r is not None and _is_distribution(r) else None for r in rows]
        self.lookups += len(rows)
        self.hits += sum(r is not None for r in rows)
        missing = list(dict.fromkeys(pair for pair, r in zip(pairs, rows) if r is None))
        if missing:
            computed = np.asarray(self.nli.predict([p for p, _ in missing],
                                                   [h for _, h in missing], batch_size,
                                                   show_progress_bar), dtype=np.float32)
            self.cache.put_rows([entry_key("nli", *self.identity, p, h) for p, h in missing],
                                computed)
            fresh = dict(zip(missing, computed))
            rows = [r if r is not None else fresh[pair] for pair, r in zip(pairs, rows)]
        if not pairs:
            return np.zeros((0, width), dtype=np.float32)
        return np.stack(rows).astype(np.float32)


def _is_distribution(row: np.ndarray) -> bool:
    return bool((row >= -1e-6).all() and (row <= 1 + 1e-6).all() and abs(row.sum() - 1) < 1e-3)
