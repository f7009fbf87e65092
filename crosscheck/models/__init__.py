"""The model layer: the registry of manifests and the backends that load weights.

Models load once per process: :func:`load_embedder`, :func:`load_nli` and :func:`load_parser`
cache by spec.
"""

from __future__ import annotations

import functools

from crosscheck.errors import ModelError
from crosscheck.models.registry import Manifest, resolve


def _resolve_backend(spec: str, role: str, what: str, backends: dict):
    """The manifest for ``spec`` and the backend class its manifest names."""
    manifest = resolve(spec, role)
    if manifest.backend not in backends:
        supported = f" (supported: {', '.join(backends)})" if len(backends) > 1 else ""
        raise ModelError(f"{what} '{spec}': unsupported backend '{manifest.backend}'{supported}")
    return manifest, backends[manifest.backend]


def load_embedder(spec: str, precision: str = "float32"):
    """The embedding model of ``spec``, computing in ``precision`` ("auto", "float32" or
    "bfloat16"; see :func:`embedding_precision`)."""
    return _load_embedder(spec, embedding_precision(precision))


@functools.cache
def _load_embedder(spec: str, precision: str):
    from crosscheck.models.backends import Embedder

    manifest, backend = _resolve_backend(spec, "embedder", "embedding model",
                                         {"sentence-transformers": Embedder})
    return backend(manifest, precision)


def embedding_precision(setting: str) -> str:
    """``embed.precision`` made concrete: "auto" is bfloat16 where the CPU computes it natively
    and float32 elsewhere."""
    from crosscheck.models.backends import native_bfloat16

    if setting == "auto":
        return "bfloat16" if native_bfloat16() else "float32"
    return setting


@functools.cache
def load_nli(spec: str, threads: int = 0):
    from crosscheck.models.backends import OnnxNli, TransformersNli

    manifest, backend = _resolve_backend(spec, "nli", "NLI model",
                                         {"onnx": OnnxNli, "transformers": TransformersNli})
    return backend(manifest, threads)


@functools.cache
def load_parser(spec: str):
    """The dependency parser / NER pipeline of the align stage (spaCy)."""
    from crosscheck.models.backends import SpacyParser

    manifest, backend = _resolve_backend(spec, "parser", "parser model", {"spacy": SpacyParser})
    return backend(manifest)


__all__ = ["Manifest", "embedding_precision", "load_embedder", "load_nli", "load_parser",
           "resolve"]
