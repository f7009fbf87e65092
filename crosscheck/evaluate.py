"""``crosscheck eval`` and ``crosscheck tune``: measure and fit the pair judge on labelled pairs.

Both run the very judge ``crosscheck run`` uses (NLI both ways, numeric check, calibration).
Labels map to the run's vocabulary: entailment ↔ agree, contradiction ↔ contradict,
neutral ↔ unrelated.

The ``pairs`` format, for users' own sets: a CSV file with a header row, or a JSONL file,
with the fields ``premise``, ``hypothesis`` and ``label`` (one of entailment / contradiction /
neutral, or agree / contradict / unrelated).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.files import write_text_atomic
from crosscheck.judge import Judge, decide_labels, fit_calibration
from crosscheck.types import PAIR_LABELS

_TO_RUN_LABEL = {"entailment": "agree", "contradiction": "contradict", "neutral": "unrelated",
                 "agree": "agree", "contradict": "contradict", "unrelated": "unrelated"}
_TO_NLI_NAME = {"agree": "entailment", "contradict": "contradiction", "unrelated": "neutral"}


@dataclass(frozen=True)
class LabelledPair:
    premise: str
    hypothesis: str
    label: str  # agree, contradict or unrelated


SAMPLES = ("all", "even", "odd")


def detect_format(path: Path) -> str:
    """sick for .txt/.tsv, equate for .json, pairs for .csv/.jsonl."""
    suffix = path.suffix.lower()
    formats = {".txt": "sick", ".tsv": "sick", ".json": "equate", ".csv": "pairs",
               ".jsonl": "pairs"}
    if suffix not in formats:
        raise InputError(f"{path}: cannot tell the format from '{suffix}'; pass --format")
    return formats[suffix]


def read_pairs(path: Path, data_format: str, limit: int | None = None,
               sample: str = "all") -> list[LabelledPair]:
    """Labelled pairs from one file. ``sample`` even/odd keeps every other pair (0, 2, 4… or
    1, 3, 5…), so one half of a dev file can tune and the other half measure."""
    if data_format == "auto":
        data_format = detect_format(path)
    try:
        if data_format == "sick":
            with path.open(encoding="utf-8", newline="") as f:
                rows = [(r["sentence_A"], r["sentence_B"], r["entailment_judgment"])
                        for r in csv.DictReader(f, delimiter="\t")]
        elif data_format == "equate":
            rows = [(r["statement1"], r["statement2"], r["answer"])
                    for r in json.loads(path.read_text(encoding="utf-8"))]
        elif path.suffix.lower() == ".jsonl":
            rows = []
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    rows.append((record["premise"], record["hypothesis"], record["label"]))
        else:
            with path.open(encoding="utf-8", newline="") as f:
                rows = [(r["premise"], r["hypothesis"], r["label"]) for r in csv.DictReader(f)]
    except (KeyError, TypeError) as e:
        raise InputError(f"{path}: missing field {e} for --format {data_format}") from None
    except (ValueError, OSError) as e:
        raise InputError(f"{path}: cannot read as --format {data_format}: {e}") from None
    if sample != "all":
        rows = rows[SAMPLES.index(sample) - 1::2]
    pairs = []
    for premise, hypothesis, label in rows[:limit]:
        name = str(label).strip().lower()
        if name not in _TO_RUN_LABEL:
            raise InputError(f"{path}: unknown label {label!r} (expected entailment, "
                             "contradiction or neutral)")
        pairs.append(LabelledPair(str(premise), str(hypothesis), _TO_RUN_LABEL[name]))
    if not pairs:
        raise InputError(f"{path}: no labelled pairs found")
    return pairs


class Scorer:
    """The run's judge plus the embedder it needs for similarity; models load once."""

    def __init__(self, settings: Settings, embedder=None, nli=None):
        from crosscheck.models import load_embedder

        self.settings = settings
        self.embedder = (embedder if embedder is not None
                         else load_embedder(settings.embed.model, settings.embed.precision))
        self.judge = Judge(settings, nli)

    def similarity(self, pairs: Sequence[LabelledPair]) -> np.ndarray:
        batch = self.settings.embed.batch_size
        a = self.embedder.encode([p.premise for p in pairs], batch)
        b = self.embedder.encode([p.hypothesis for p in pairs], batch)
        return (a * b).sum(axis=1)

    def judge_all(self, pairs: Sequence[LabelledPair]):
        similarity = self.similarity(pairs)
        return self.judge.judge_texts([p.premise for p in pairs], [p.hypothesis for p in pairs],
                                      similarity)


def evaluate_pairs(pairs: Sequence[LabelledPair], settings: Settings,
                   scorer: Scorer | None = None, errors_per_cell: int = 0) -> dict:
    """Figures for the judge on ``pairs``; with ``errors_per_cell``, also that many example
    errors for each (gold, predicted) confusion."""
    scorer = scorer or Scorer(settings)
    started = time.perf_counter()
    predicted, probabilities = scorer.judge_all(pairs)[:2]
    seconds = time.perf_counter() - started
    figures = score_labels([p.label for p in pairs], predicted)
    figures["seconds"] = round(seconds, 2)
    figures["pairs_per_second"] = round(len(pairs) / seconds, 2) if seconds else None
    if errors_per_cell:
        examples: dict[str, list] = {}
        for pair, label, p in zip(pairs, predicted, probabilities):
            key = f"{_TO_NLI_NAME[pair.label]} → {_TO_NLI_NAME[label]}"
            if label != pair.label and len(examples.setdefault(key, [])) < errors_per_cell:
                examples[key].append({"premise": pair.premise, "hypothesis": pair.hypothesis,
                                      "probabilities": [round(float(v), 3) for v in p]})
        figures["errors"] = examples
    return figures


def precision_recall_f1(true_positives: int, predicted: int, gold: int
                        ) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where a denominator is 0)."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_labels(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Accuracy, per-label precision/recall/F1 (NLI label names) and the confusion matrix."""
    confusion = {g: {p: 0 for p in PAIR_LABELS} for g in PAIR_LABELS}
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    per_label = {}
    for label in PAIR_LABELS:
        tp = confusion[label][label]
        predicted_n = sum(confusion[g][label] for g in PAIR_LABELS)
        gold_n = sum(confusion[label].values())
        precision, recall, f1 = precision_recall_f1(tp, predicted_n, gold_n)
        per_label[_TO_NLI_NAME[label]] = {"precision": round(precision, 4),
                                          "recall": round(recall, 4), "f1": round(f1, 4),
                                          "support": gold_n}
    n = len(gold)
    accuracy = sum(confusion[g][g] for g in PAIR_LABELS) / n if n else 0.0
    return {"n": n, "accuracy": round(accuracy, 4), "per_label": per_label,
            "confusion": {_TO_NLI_NAME[g]: {_TO_NLI_NAME[p]: v for p, v in row.items()}
                          for g, row in confusion.items()}}


def format_report(figures: dict) -> str:
    lines = [f"pairs: {figures['n']}   accuracy: {figures['accuracy']:.3f}   "
             f"pairs/s: {figures.get('pairs_per_second')}", "",
             f"{'label':<15}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, row in figures["per_label"].items():
        lines.append(f"{label:<15}{row['precision']:>10.3f}{row['recall']:>10.3f}"
                     f"{row['f1']:>10.3f}{row['support']:>10}")
    names = list(figures["confusion"])
    lines += ["", "confusion (rows: gold, columns: predicted)",
              f"{'':<15}" + "".join(f"{n:>15}" for n in names)]
    for gold in names:
        lines.append(f"{gold:<15}" + "".join(f"{figures['confusion'][gold][p]:>15}"
                                               for p in names))
    for kind, examples in figures.get("errors", {}).items():
        lines += ["", f"errors, gold → predicted: {kind} (probabilities agree, contradict, "
                      "unrelated)"]
        for example in examples:
            lines.append(f"  {example['premise']}  ⟶  {example['hypothesis']}  "
                         f"{example['probabilities']}")
    return "\n".join(lines)


def write_json(figures: dict, path: Path) -> None:
    write_text_atomic(path, json.dumps(figures, indent=2) + "\n")


def tune_judge(pairs: Sequence[LabelledPair], settings: Settings, output: Path, objective: str,
               trained_on: str, scorer: Scorer | None = None) -> str:
    """Fit the calibration on ``pairs``, choose thresholds for ``objective``, write TOML."""
    scorer = scorer or Scorer(settings)
    before_labels, _, _, _, numeric, features = scorer.judge_all(pairs)
    gold = [p.label for p in pairs]
    targets = np.array([PAIR_LABELS.index(g) for g in gold])
    # Balance the classes so a skewed training set does not bias the calibrated probabilities.
    counts = np.bincount(targets, minlength=3).astype(float)
    weight = (1.0 / np.maximum(counts, 1.0))[targets]
    calibration = fit_calibration(features, targets, trained_on, sample_weight=weight)
    probabilities = calibration.probabilities(features)
    best = choose_thresholds(probabilities, numeric, gold, objective, settings)
    tuned = settings.replace(judge={"contradiction_threshold": best[0],
                                    "agreement_threshold": best[1]})
    tuned_labels = decide_labels(probabilities, numeric, tuned.judge)
    before, after = score_labels(gold, before_labels), score_labels(gold, tuned_labels)
    text = tuned_toml(tuned, calibration, scorer.judge.nli.info.name, objective, trained_on,
                      len(pairs))
    write_text_atomic(output, text)
    return (f"wrote {output}\n"
            f"on the tuning data ({len(pairs)} pairs): accuracy {before['accuracy']:.3f} → "
            f"{after['accuracy']:.3f}; contradiction F1 "
            f"{before['per_label']['contradiction']['f1']:.3f} → "
            f"{after['per_label']['contradiction']['f1']:.3f}\n"
            f"thresholds: contradiction {best[0]}, agreement {best[1]}")


def choose_thresholds(probabilities: np.ndarray, numeric, gold: Sequence[str], objective: str,
                      settings: Settings) -> tuple[float, float]:
    grid = [round(float(v), 3) for v in np.arange(0.2, 0.901, 0.025)]
    best_value, best = -1.0, (0.5, 0.5)
    for t_c in grid:
        for t_a in grid:
            judge = dataclasses.replace(settings.judge, contradiction_threshold=t_c,
                                        agreement_threshold=t_a)
            labels = decide_labels(probabilities, numeric, judge)
            figures = score_labels(gold, labels)
            if objective == "macro-f1":
                value = float(np.mean([r["f1"] for r in figures["per_label"].values()]))
            else:
                # Contradiction F1 first; accuracy breaks ties so the other labels stay sane.
                value = figures["per_label"]["contradiction"]["f1"] + 1e-3 * figures["accuracy"]
            if value > best_value:
                best_value, best = value, (t_c, t_a)
    return best


def tuned_toml(settings: Settings, calibration, model: str, objective: str, trained_on: str,
               n: int, floors: bool = False) -> str:
    """The tuned settings file; ``floors``: also the per-kind floors ``tune --verdicts`` fits."""
    c = calibration.to_settings(model)
    judge = settings.judge
    floor_lines = [
        "# Findings in 'run' need their pair's calibrated probability to reach these floors",
        "# (fitted from reviewer verdicts; see README, 'Reviewing findings').",
        f"contradiction_floor = {judge.contradiction_floor}",
        f"numeric_floor = {judge.numeric_floor}",
        f"framing_floor = {judge.framing_floor}",
    ] if floors else []

    def floats(values) -> str:
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"

    return "\n".join([
        "# Written by 'crosscheck tune'. Pass it to 'crosscheck run -c' or 'crosscheck eval -c'.",
        f"# Fitted on {n} {'pairs and reviewed findings' if floors else 'pairs'} from: "
        f"{trained_on}; objective: {objective}.",
        "",
        "[judge]",
        f'nli_model = "{model}"',
        "# Calibrated probability (0..1) above which a pair is labelled contradict / agree.",
        f"contradiction_threshold = {settings.judge.contradiction_threshold}",
        f"agreement_threshold = {settings.judge.agreement_threshold}",
        *floor_lines,
        "",
        "# A multinomial logistic regression over the judge's features (see crosscheck/judge.py):",
        "# standardised with mean/scale, then weights (one row of len(features) per class:",
        "# agree, contradict, unrelated) and bias. Values are unbounded reals.",
        "[calibration]",
        f'model = "{model}"',
        "features = [" + ", ".join(f'"{f}"' for f in c.features) + "]",
        f"mean = {floats(c.mean)}",
        f"scale = {floats(c.scale)}",
        f"weights = {floats(c.weights)}",
        f"bias = {floats(c.bias)}",
        f'trained_on = "{trained_on}"',
        "",
    ])
