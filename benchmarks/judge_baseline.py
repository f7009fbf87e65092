"""Quality baseline for the judge: the default NLI model with one fixed pair of thresholds.

    .venv/bin/python benchmarks/judge_baseline.py TRAIN_FILE TEST_FILE [--sample-train even]

The baseline labels a pair contradict when the smaller of the two directions' contradiction
scores reaches a threshold, agree when both directions sit within a band around 0.5 (where
this two-output model puts entailments), else unrelated. Both thresholds are chosen on
TRAIN_FILE for contradiction F1; figures are printed for TEST_FILE. It is what crosscheck's
calibrated judge is measured against (`crosscheck eval TEST_FILE`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck.config import Settings  # noqa: E402
from crosscheck.evaluate import read_pairs, score_labels  # noqa: E402
from crosscheck.judge import Judge  # noqa: E402


def contradiction_scores(judge: Judge, pairs):
    forward, backward = judge.nli_both_ways([p.premise for p in pairs],
                                            [p.hypothesis for p in pairs])
    column = judge.nli.labels.index("contradiction")
    return forward[:, column], backward[:, column]


def label(forward, backward, contradiction_threshold, band):
    low = np.minimum(forward, backward)
    near_half = (np.abs(forward - 0.5) <= band) & (np.abs(backward - 0.5) <= band)
    return np.where(low >= contradiction_threshold, "contradict",
                    np.where(near_half, "agree", "unrelated"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--sample-train", default="all", choices=["all", "even", "odd"])
    parser.add_argument("--sample-test", default="all", choices=["all", "even", "odd"])
    args = parser.parse_args()
    judge = Judge(Settings())
    train = read_pairs(Path(args.train), "auto", sample=args.sample_train)
    test = read_pairs(Path(args.test), "auto", sample=args.sample_test)
    f_train, b_train = contradiction_scores(judge, train)
    gold_train = [p.label for p in train]
    best = (-1.0, 0.0, 0.0)
    for threshold in np.arange(0.5, 1.0, 0.005):
        for band in np.arange(0.01, 0.3, 0.01):
            figures = score_labels(gold_train, label(f_train, b_train, threshold, band))
            value = figures["per_label"]["contradiction"]["f1"]
            if value > best[0]:
                best = (value, float(threshold), float(band))
    _, threshold, band = best
    f_test, b_test = contradiction_scores(judge, test)
    figures = score_labels([p.label for p in test], label(f_test, b_test, threshold, band))
    print(f"baseline thresholds (from {args.train}): contradiction ≥ {threshold:.3f}, "
          f"agree band 0.5 ± {band:.2f}")
    print(f"{args.test}: accuracy {figures['accuracy']:.3f}; " + "; ".join(
        f"{name} P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f}"
        for name, row in figures["per_label"].items()))


if __name__ == "__main__":
    main()
