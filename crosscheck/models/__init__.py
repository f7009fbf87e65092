"""The model layer: the registry of manifests and the backends that load weights.

Models load once per process: :func:`load_embedder` and :func:`load_nli` cache by spec.
"""

from __future__ import annotations

import functools

from crosscheck.errors import ModelError
from crosscheck.models.registry import Manifest, resolve


@functools.cache
def load_embedder(spec: str):
    from crosscheck.models.backends import Embedder

    manifest = resolve(spec, "embedder")
    if manifest.backend != "sentence-transformers":
        raise ModelError(f"embedding model '{spec}': unsupported backend '{manifest.backend}'")
    return Embedder(manifest)


@functools.cache
def load_nli(spec: str, threads: int = 0):
    from crosscheck.models.backends import OnnxNli, TransformersNli

    manifest = resolve(spec, "nli")
    backends = {"onnx": OnnxNli, "transformers": TransformersNli}
    if manifest.backend not in backends:
        raise ModelError(f"NLI model '{spec}': unsupported backend '{manifest.backend}' "
                         f"(supported: {', '.join(backends)})")
    return backends[manifest.backend](manifest, threads)


@functools.cache
def load_parser(spec: str):
    """The dependency parser / NER pipeline of the align stage (spaCy)."""
    from crosscheck.models.backends import SpacyParser

    manifest = resolve(spec, "parser")
    if manifest.backend != "spacy":
        raise ModelError(f"parser model '{spec}': unsupported backend '{manifest.backend}'")
    return SpacyParser(manifest)


__all__ = ["Manifest", "load_embedder", "load_nli", "load_parser", "resolve"]
