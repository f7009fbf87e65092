"""``crosscheck eval --format verdicts`` and ``crosscheck tune --verdicts``: reviewed findings
measure the current settings and tune the judge.

A verdict is a precision label: it says whether a finding that was flagged was right, not what
was missed. So ``eval`` reports, per kind, how many reviewed findings the current settings
still flag and how many of those were marked correct (precision); and ``tune`` only moves a
floor as far as the verdicts support it (see :func:`choose_floor`).

Re-judging: the sentences of each reviewed finding become a small story of their own (one
article per sentence, with the outlet the verdict records) and go through the same
:class:`~crosscheck.analysis.Analyser` ``run`` uses, claims to findings, with every
cross-outlet pair a candidate (``pairs.similarity_threshold = -1``): the reviewed pairs were
candidates in the run that flagged them, so what is measured is the current align stage, judge
and findings stage. A reviewed finding is flagged again when that story has a finding of the
same kind on the same sentences. What the small story lacks is the article around each
sentence (its date, a quotation opened in an earlier sentence).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.evaluate import LabelledPair, Scorer, choose_thresholds, tuned_toml
from crosscheck.files import write_text_atomic
from crosscheck.judge import (FEATURES, Calibration, finding_floor, finding_support,
                              fit_calibration, negated, pair_features, reversed_features)
from crosscheck.types import (PAIR_LABELS, VERDICTS, Article, Finding, Judgement, Progress,
                              StoryResult, Verdict, silent)
from crosscheck.verdicts import normalise_text, reviewed

PAIR_KINDS = ("contradiction", "numeric", "framing", "agreement")
# A floor moves only with at least this many findings of its kind marked correct: with fewer,
# a precision label cannot say what a higher floor would lose.
MIN_CORRECT = 3
# ... and keeps at least this share of them.
KEEP_CORRECT = 0.9
# How strongly the fit stays near the calibration it starts from (see fit_calibration).
PRIOR = 0.01
FLOOR_KEYS = {"contradiction": "contradiction_floor", "numeric": "numeric_floor",
              "framing": "framing_floor", "agreement": "agreement_threshold"}


@dataclass(frozen=True)
class Rejudged:
    """One reviewed finding, run again through the current pipeline."""

    verdict: Verdict
    finding: Finding | None  # the finding of the same kind on the same sentences, if flagged
    judgements: tuple[Judgement, ...]  # judged pairs among the reviewed sentences
    features: np.ndarray  # [len(judgements), len(FEATURES)]
    outcome: str = ""  # flagged / flagged as KIND / not a claim / not the same fact / judged...
    kinds: frozenset[str] = frozenset()  # kinds of the findings on exactly these sentences


def rejudge_settings(settings: Settings) -> Settings:
    """``settings`` with every cross-outlet pair of a small story a candidate, each scored
    both ways (tuning reads every reviewed pair's NLI features)."""
    return settings.replace(pairs={"similarity_threshold": -1.0},
                            judge={"score_all_pairs": True})


class Rejudger:
    """Runs reviewed findings through the pipeline's Analyser; models load once."""

    def __init__(self, settings: Settings, embedder=None, nli=None):
        from crosscheck.analysis import Analyser

        self.settings = rejudge_settings(settings)
        self.analyser = Analyser(self.settings, embedder=embedder, nli=nli)

    def rejudge(self, verdicts: Sequence[Verdict], progress: Progress = silent) -> list[Rejudged]:
        out = []
        for i, verdict in enumerate(verdicts):
            if i and i % 25 == 0:
                progress(f"re-judged {i} of {len(verdicts)} reviewed findings")
            story = self.analyser.analyse(f"review-{i}", small_story(i, verdict), ())
            out.append(self._match(verdict, story))
        return out

    def _match(self, verdict: Verdict, story: StoryResult) -> Rejudged:
        wanted = {normalise_text(c.text) for c in verdict.claims}
        text = {c.id: normalise_text(c.text) for c in story.claims}
        finding = next((f for f in story.findings if f.kind == verdict.kind
                        and {text[c] for c in f.claim_ids} == wanted), None)
        judgements = tuple(j for j in story.judgements
                           if text[j.pair.a] in wanted and text[j.pair.b] in wanted)
        kinds = frozenset(f.kind for f in story.findings
                          if {text[c] for c in f.claim_ids} == wanted)
        other = next((k for k in PAIR_KINDS if k in kinds and k != verdict.kind), None)
        outcome = ("flagged" if finding is not None
                   else f"flagged as {other}" if other is not None
                   else "not a claim" if not wanted <= set(text.values())
                   else "not the same fact" if not judgements else "judged, not flagged")
        return Rejudged(verdict, finding, judgements, self._features(story, judgements), outcome,
                        kinds)

    def _features(self, story: StoryResult, judgements: Sequence[Judgement]) -> np.ndarray:
        if not judgements:
            return np.zeros((0, len(FEATURES)))
        content = {c.id: c.content for c in story.claims}
        return pair_features(
            np.array([j.nli_forward for j in judgements]),
            np.array([j.nli_backward for j in judgements]), self.analyser.judge.nli.labels,
            np.array([j.pair.similarity for j in judgements]), [j.numeric for j in judgements],
            np.array([negated(content[j.pair.a]) != negated(content[j.pair.b])
                      for j in judgements]))


def small_story(index: int, verdict: Verdict) -> list[Article]:
    """One article per reviewed sentence, with the outlet and file name the verdict records."""
    articles = []
    for k, claim in enumerate(verdict.claims):
        text = claim.text.strip()
        articles.append(Article(
            id=f"review-{index}/{k}", story=f"review-{index}",
            outlet=claim.outlet or f"outlet {k + 1}", title="",
            path=claim.article or f"sentence-{k + 1}", text=text, paragraphs=((0, len(text)),)))
    return articles


# --------------------------------------------------------------------------- eval


def evaluate_verdicts(verdicts: Sequence[Verdict], settings: Settings,
                      rejudger: Rejudger | None = None, progress: Progress = silent) -> dict:
    """Per kind: reviewed findings by verdict, how many the current settings flag again, and
    the precision of those (correct / flagged; ``partly`` counts as not correct, and is also
    shown on its own)."""
    usable = reviewed(verdicts)
    if not usable:
        raise InputError("no reviewed findings (correct, partly or wrong) to measure on")
    rejudger = rejudger or Rejudger(settings)
    rows = rejudger.rejudge(usable, progress)
    kinds = {}
    for kind in PAIR_KINDS + ("single_outlet",):
        mine = [r for r in rows if r.verdict.kind == kind]
        if not mine:
            continue
        reviewed_counts = Counter(r.verdict.verdict for r in mine)
        flagged = Counter(r.verdict.verdict for r in mine if r.finding is not None)
        n_flagged = sum(flagged.values())
        kinds[kind] = {
            "reviewed": {v: reviewed_counts[v] for v in VERDICTS},
            "flagged": {v: flagged[v] for v in VERDICTS},
            "precision": round(flagged["correct"] / n_flagged, 4) if n_flagged else None,
            "precision_reviewed_run": round(reviewed_counts["correct"] / len(mine), 4),
            "correct_kept": f"{flagged['correct']} of {reviewed_counts['correct']}",
            "outcomes": dict(Counter(r.outcome for r in mine).most_common()),
            # Pairs reviewed as another kind that are now flagged as this kind: no verdict
            # vouches for them.
            "from_other_kinds": sum(1 for r in rows if r.verdict.kind != kind and kind in r.kinds),
        }
    return {"verdicts": len(usable), "skipped_disputed": len(verdicts) - len(usable),
            "kinds": kinds}


def format_verdicts_report(figures: dict) -> str:
    lines = [f"reviewed findings: {figures['verdicts']} "
             f"(disputed, not used: {figures['skipped_disputed']})", "",
             f"{'kind':<15}{'reviewed':>9}{'flagged':>9}{'correct':>9}{'partly':>8}{'wrong':>7}"
             f"{'precision':>11}{'as reviewed':>13}{'other kinds':>13}"]
    for kind, row in figures["kinds"].items():
        flagged = row["flagged"]
        precision = "–" if row["precision"] is None else f"{row['precision']:.3f}"
        lines.append(f"{kind:<15}{sum(row['reviewed'].values()):>9}{sum(flagged.values()):>9}"
                     f"{flagged['correct']:>9}{flagged['partly']:>8}{flagged['wrong']:>7}"
                     f"{precision:>11}{row['precision_reviewed_run']:>13.3f}"
                     f"{row['from_other_kinds']:>13}")
    lines += ["", "what became of the reviewed findings:"]
    for kind, row in figures["kinds"].items():
        lines.append(f"  {kind}: " + ", ".join(f"{n} {outcome}"
                                              for outcome, n in row["outcomes"].items()))
    lines += ["", "flagged: reviewed findings the current settings flag again (same kind, same "
                  "sentences); precision: correct / flagged ('–': none flagged); as reviewed: "
                  "correct / reviewed, the precision of the run that was reviewed; other kinds: "
                  "pairs reviewed as another kind now flagged as this one (unreviewed as such)."]
    return "\n".join(lines)


# --------------------------------------------------------------------------- tune


def calibration_label(verdict: Verdict, pairs: int) -> tuple[int, int] | None:
    """(target, not_target) a verdict gives each judged pair of its finding (-1: none), or
    None when it says nothing about the pair's label. A finding marked wrong only says its
    pair is *not* what the finding claimed."""
    kind, said = verdict.kind, verdict.verdict
    agree, contradict, _ = (PAIR_LABELS.index(x) for x in PAIR_LABELS)
    if said == "partly":
        return None
    if kind in ("contradiction", "numeric"):
        return (contradict, -1) if said == "correct" else (-1, contradict)
    if kind == "agreement":
        if said == "correct":
            return agree, -1
        return (-1, agree) if pairs == 1 else None  # which pair of several is wrong is unknown
    if kind == "framing" and said == "correct":
        return agree, -1  # one fact, told two ways: the statements agree
    return None


def _symmetric(calibration: Calibration, features: np.ndarray) -> np.ndarray:
    index = [FEATURES.index(f) for f in calibration.features]
    return (calibration.probabilities(features[:, index])
            + calibration.probabilities(reversed_features(features)[:, index])) / 2


def _support(row: Rejudged, kind: str, calibration: Calibration) -> float | None:
    """The support under ``calibration`` of the ``kind`` finding on the row's sentences (the
    least agreeing pair for an agreement of several sentences); None if there is none."""
    if kind not in row.kinds or not len(row.features):
        return None
    values = [finding_support(kind, p) for p in _symmetric(calibration, row.features)]
    return min(values) if values else None


def _floor_evidence(rows: Sequence[Rejudged], kind: str, calibration: Calibration
                    ) -> tuple[list[float], list[float]]:
    """(keep, drop) support values for ``kind``'s floor: findings of the kind marked correct,
    and those marked wrong. For agreement, ``drop`` also holds the reviewed pairs of other
    kinds that would be agreements: a verdict on another kind does not vouch for an agreement
    (a recalibrated judge must not turn a wrong contradiction into an unreviewed agreement)."""
    keep, drop = [], []
    for row in rows:
        value = _support(row, kind, calibration)
        if value is None:
            continue
        if row.verdict.kind == kind:
            {"correct": keep, "wrong": drop}.get(row.verdict.verdict, []).append(value)
        elif kind == "agreement":
            drop.append(value)
    return keep, drop


def choose_floor(correct: Sequence[float], wrong: Sequence[float], current: float,
                 may_lower: bool = False) -> tuple[float, str]:
    """A floor on support values that drops as many findings marked wrong as it can while
    keeping at least KEEP_CORRECT of those marked correct that ``current`` keeps; among equally
    good floors, the one closest to ``current``. It never goes below ``current`` unless
    ``may_lower`` (labelled pairs say what a floor misses; verdicts alone cannot vouch for the
    findings a lower floor would add). With fewer than MIN_CORRECT correct ones, ``current``
    stays."""
    if len(correct) < MIN_CORRECT:
        return current, (f"kept: {len(correct)} marked correct, fewer than {MIN_CORRECT} "
                         "(a precision label cannot say what a higher floor would lose)")
    base = correct if may_lower else [v for v in correct if v >= current]
    need = math.ceil(KEEP_CORRECT * len(base))
    values = [*correct, *wrong]
    candidates = {0.0, current, *values, *(min(1.0, v + 1e-4) for v in values)}
    best_key, best = None, current
    for floor in sorted(candidates):
        if floor < current and not may_lower:
            continue
        if sum(v >= floor for v in correct) < need:
            continue
        key = (sum(v < floor for v in wrong), -abs(floor - current))
        if best_key is None or key > best_key:
            best_key, best = key, floor
    return round(best, 4), "fitted"


def tune_from_verdicts(verdicts: Sequence[Verdict], pairs: Sequence[LabelledPair],
                       settings: Settings, output, objective: str, trained_on: str,
                       rejudger: Rejudger | None = None, scorer: Scorer | None = None,
                       progress: Progress = silent) -> str:
    """Fit the judge's calibration (starting from the current one) on reviewed findings and
    optional labelled ``pairs``, then each kind's floor (see :func:`choose_floor`); write TOML.
    Returns a summary, with before/after counts on the tuning verdicts."""
    usable = reviewed(verdicts)
    if not usable:
        raise InputError("no reviewed findings (correct, partly or wrong) to tune on")
    # Every floor open and every same-fact pair free to agree: which findings each floor or
    # the agreement threshold would keep is then decided here, under the new calibration.
    open_settings = settings.replace(judge={"contradiction_floor": 0.0, "numeric_floor": 0.0,
                                            "framing_floor": 0.0, "agreement_threshold": 0.0})
    rejudger = rejudger or Rejudger(open_settings)
    rows = rejudger.rejudge(usable, progress)
    judge = rejudger.analyser.judge
    before = judge.calibration

    features, targets, not_targets, margins, groups = [], [], [], [], []
    for row in rows:
        label = calibration_label(row.verdict, len(row.judgements))
        if label is None or not len(row.features):
            continue
        # A finding marked correct should stay flagged: its label needs to reach the kind's
        # floor (at least an even chance), no more.
        margin = (max(0.5, finding_floor(row.verdict.kind, settings.judge)) if label[0] >= 0
                  else np.nan)
        for reading in (row.features, reversed_features(row.features)):  # both ways, as run
            features.append(reading)
            targets += [label[0]] * len(reading)
            not_targets += [label[1]] * len(reading)
            margins += [margin] * len(reading)
            groups += [f"verdict {label}"] * len(reading)
    pair_numeric = None
    if pairs:
        scorer = scorer or Scorer(settings, embedder=rejudger.analyser.embedder, nli=judge.nli)
        _, _, _, _, pair_numeric, pair_features_ = scorer.judge_all(pairs)
        features.append(pair_features_)
        targets += [PAIR_LABELS.index(p.label) for p in pairs]
        not_targets += [-1] * len(pairs)
        margins += [np.nan] * len(pairs)
        groups += [f"pair {p.label}" for p in pairs]
    if not features:
        raise InputError("none of the reviewed findings could be judged again (their sentences "
                         "are not claims, or not the same fact, for the current settings)")
    x = np.vstack(features)
    # Each kind of label weighs the same, however many rows it has.
    sizes = Counter(groups)
    weight = np.array([1.0 / sizes[g] for g in groups])
    calibration = fit_calibration(x, np.array(targets), trained_on, sample_weight=weight,
                                  not_targets=np.array(not_targets), start=before,
                                  keep_margins=np.array(margins),
                                  l2=PRIOR if before is not None else 1e-3)
    # Two candidates, each with the floors that suit it: the current calibration and the
    # adjusted one. The adjusted one is taken only if, on the reviewed findings, it does no
    # worse for any kind (no fewer marked correct flagged, no more marked wrong, no more pairs
    # reviewed as another kind) and better for one.
    candidates = {}
    for name, candidate in (("current", before), ("adjusted", calibration)):
        if candidate is None:
            continue
        probabilities = _pair_probabilities(candidate, pair_features_) if pairs else None
        floors = {kind: choose_floor(*_evidence(rows, kind, candidate, pairs, probabilities),
                                     finding_floor(kind, settings.judge), may_lower=bool(pairs))
                  for kind in PAIR_KINDS}
        counts = {kind: _flag_counts(rows, kind, candidate, floors[kind][0])
                  for kind in PAIR_KINDS}
        candidates[name] = (candidate, probabilities, floors, counts)
    current = candidates.get("current")
    adjusted = candidates["adjusted"]
    better = current is None or (
        all(_no_worse(adjusted[3][k], current[3][k]) for k in PAIR_KINDS)
        and any(adjusted[3][k] != current[3][k] for k in PAIR_KINDS))
    chosen_name = "adjusted" if better else "current"
    calibration, pair_probabilities, floors, counts = candidates[chosen_name]
    compared = "; ".join(f"{k} {_show(current[3][k])} vs {_show(adjusted[3][k])}"
                         for k in PAIR_KINDS) if current is not None else ""
    lines = [f"calibration: the {chosen_name} one (flagged correct/wrong/reviewed as another "
             f"kind with the current vs the adjusted calibration, each with its floors: "
             f"{compared or 'no current calibration'}; the adjusted one is taken only when it "
             "is no worse for every kind and better for one)"]
    judge_values = {}
    for kind in PAIR_KINDS:
        old = finding_floor(kind, settings.judge)
        floor, how = floors[kind]
        judge_values[FLOOR_KEYS[kind]] = floor
        before_counts = _show(_flag_counts(rows, kind, before, old))
        lines.append(f"{kind}: {FLOOR_KEYS[kind]} {old} → {floor} ({how}); on the tuning "
                     f"verdicts, flagged correct/wrong/reviewed as another kind "
                     f"{before_counts} → {_show(counts[kind])}")
    contradiction_threshold = settings.judge.contradiction_threshold
    if pairs:
        gold = [p.label for p in pairs]
        contradiction_threshold = choose_thresholds(pair_probabilities, pair_numeric, gold,
                                                    objective, settings)[0]
    tuned = settings.replace(judge={**judge_values,
                                    "contradiction_threshold": contradiction_threshold})
    n = len(usable) + len(pairs)
    text = tuned_toml(tuned, calibration, judge.nli.info.name, objective, trained_on, n,
                      floors=True)
    write_text_atomic(output, text)
    return "\n".join([f"wrote {output}",
                      f"fitted on {len(usable)} reviewed findings"
                      + (f" and {len(pairs)} labelled pairs" if pairs else ""), *lines])


def _pair_support(kind: str, pairs: Sequence[LabelledPair], probabilities: np.ndarray
                  ) -> tuple[list[float], list[float]]:
    """Labelled pairs as (correct, wrong) support values for ``kind``'s floor: a labelled
    contradiction is a contradiction or numeric difference that should be kept; for agreement,
    agree pairs should be kept and the others dropped. Framing has no labelled pairs."""
    if kind in ("contradiction", "numeric"):
        return [float(p[1]) for pair, p in zip(pairs, probabilities)
                if pair.label == "contradict"], []
    if kind == "agreement":
        keep = [float(p[0]) for pair, p in zip(pairs, probabilities) if pair.label == "agree"]
        drop = [float(p[0]) for pair, p in zip(pairs, probabilities) if pair.label != "agree"]
        return keep, drop
    return [], []


def _pair_probabilities(calibration: Calibration, features: np.ndarray) -> np.ndarray:
    return calibration.probabilities(features[:, [FEATURES.index(f)
                                                  for f in calibration.features]])


def _evidence(rows: Sequence[Rejudged], kind: str, calibration: Calibration,
              pairs: Sequence[LabelledPair], probabilities: np.ndarray | None
              ) -> tuple[list[float], list[float]]:
    keep, drop = _floor_evidence(rows, kind, calibration)
    if pairs:
        from_pairs = _pair_support(kind, pairs, probabilities)
        keep, drop = keep + from_pairs[0], drop + from_pairs[1]
    return keep, drop


def _flag_counts(rows: Sequence[Rejudged], kind: str, calibration: Calibration | None,
                 floor: float) -> tuple[int, int, int]:
    """(marked correct, marked wrong, reviewed as another kind): the reviewed findings
    flagged as ``kind`` under ``calibration`` and ``floor``."""
    kept = Counter()
    for r in rows:
        if kind not in r.kinds:
            continue
        value = _support(r, kind, calibration) if calibration is not None else None
        if value is None or value >= floor:
            kept[r.verdict.verdict if r.verdict.kind == kind else "other"] += 1
    return kept["correct"], kept["wrong"], kept["other"]


def _no_worse(new: tuple[int, int, int], old: tuple[int, int, int]) -> bool:
    return new[0] >= old[0] and new[1] <= old[1] and new[2] <= old[2]


def _show(counts: tuple[int, int, int]) -> str:
    return "/".join(map(str, counts))
