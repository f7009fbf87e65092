"""The pair judge: NLI in both directions + numeric check + cheap cues → agree / contradict /
unrelated, through one small calibrated combination.

Features of a pair (all cheap once the NLI model has run):
- the NLI model's contradiction and entailment probabilities in both directions (min, max,
  and the distance from 0.5, which carries signal for two-output models whose entailments sit
  near 0.5), from the output columns the model's manifest or ``config.id2label`` names;
- the embedding similarity of the two claims;
- the numeric check (aligned quantities conflict / agree, and which side is more specific);
- a negation mismatch (one side negated, the other not).

A multinomial logistic regression maps the standardised features to calibrated probabilities
of (agree, contradict, unrelated). Its weights come from the settings' ``[calibration]`` if set
(``crosscheck tune`` writes them), else from the model manifest's ``[calibration]`` table.
A model with neither falls back to its own labels, averaged over both directions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.align import NEAR_MISS, strong_enough
from crosscheck.config import AlignSettings, CalibrationSettings, JudgeSettings, Settings
from crosscheck.errors import ConfigError
from crosscheck.framing import may_differ
from crosscheck.quantities import compare_quantities, extract_quantities, specificity
from crosscheck.types import (PAIR_LABELS, Alignment, Claim, Finding, Judgement, NumericCheck,
                              Span)

FEATURES = (
    "contradiction_min", "contradiction_max", "entailment_min", "entailment_max",
    "midband_min", "midband_max", "similarity", "numeric_conflict", "numeric_consistent",
    "numeric_specificity", "negation_mismatch",
)
# Features whose value depends on which claim comes first. A claim pair in ``run`` has no
# direction (its order is the claims' order in the story), so its judgement must not either:
# there it is judged both ways round and the two readings averaged (see
# :func:`reversed_features`).
DIRECTED_FEATURES = ("numeric_specificity",)
_NEGATION = re.compile(r"\b(not|no|never|nobody|none|nothing|neither|nor|without|cannot|"
                       r"denied|denies|deny|refused|rejects?|rejected)\b|n[’']t\b", re.IGNORECASE)


@dataclass(frozen=True)
class Calibration:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # [3, n_features], rows in PAIR_LABELS order
    bias: np.ndarray  # [3]
    trained_on: str = ""

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def to_settings(self, model: str) -> CalibrationSettings:
        return CalibrationSettings(
            model=model, features=self.features,
            mean=tuple(round(float(v), 6) for v in self.mean),
            scale=tuple(round(float(v), 6) for v in self.scale),
            weights=tuple(round(float(v), 6) for v in self.weights.ravel()),
            bias=tuple(round(float(v), 6) for v in self.bias), trained_on=self.trained_on)

    @classmethod
    def from_table(cls, table: dict | CalibrationSettings, where: str) -> "Calibration":
        get = (lambda k: getattr(table, k)) if isinstance(table, CalibrationSettings) else table.get
        features = tuple(get("features") or ())
        n = len(features)
        unknown = [f for f in features if f not in FEATURES]
        if unknown or n == 0:
            raise ConfigError(f"{where}: calibration.features has unknown or no features "
                              f"{unknown} (known: {', '.join(FEATURES)})")
        arrays = {k: np.asarray(get(k) or (), dtype=np.float64) for k in ("mean", "scale", "weights", "bias")}
        expected = {"mean": n, "scale": n, "weights": 3 * n, "bias": 3}
        for key, size in expected.items():
            if arrays[key].size != size:
                raise ConfigError(f"{where}: calibration.{key} has {arrays[key].size} values, "
                                  f"expected {size} for {n} features")
        return cls(features, arrays["mean"], np.where(arrays["scale"] > 0, arrays["scale"], 1.0),
                   arrays["weights"].reshape(3, n), arrays["bias"], str(get("trained_on") or ""))


def _specificity(check: NumericCheck) -> float:
    """+1 when the first claim's figure is more specific than the second's (it can entail it:
    "3 cards" → "fewer than 8 cards"), -1 for the reverse, 0 otherwise."""
    if check.status != "consistent" or check.quantity_a is None or check.quantity_b is None:
        return 0.0
    return float(specificity(check.quantity_a, check.quantity_b))


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def pair_features(forward: np.ndarray, backward: np.ndarray, labels: Sequence[str],
                  similarity: np.ndarray, numeric: Sequence[NumericCheck],
                  negation_mismatch: np.ndarray) -> np.ndarray:
    """One row of FEATURES per pair. ``forward``/``backward``: NLI probabilities [n, outputs]."""
    n = len(forward)
    columns = {name: i for i, name in enumerate(labels)}

    def column(name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in columns:
            return np.zeros(n), np.zeros(n)
        return forward[:, columns[name]], backward[:, columns[name]]

    c_f, c_b = column("contradiction")
    e_f, e_b = column("entailment")
    mid_f, mid_b = 4 * (c_f - 0.5) ** 2, 4 * (c_b - 0.5) ** 2
    values = {
        "contradiction_min": np.minimum(c_f, c_b), "contradiction_max": np.maximum(c_f, c_b),
        "entailment_min": np.minimum(e_f, e_b), "entailment_max": np.maximum(e_f, e_b),
        "midband_min": np.minimum(mid_f, mid_b), "midband_max": np.maximum(mid_f, mid_b),
        "similarity": np.asarray(similarity, dtype=np.float64),
        "numeric_conflict": np.array([c.status == "conflict" for c in numeric], dtype=np.float64),
        "numeric_consistent": np.array([c.status == "consistent" for c in numeric], dtype=np.float64),
        "numeric_specificity": np.array([_specificity(c) for c in numeric], dtype=np.float64),
        "negation_mismatch": np.asarray(negation_mismatch, dtype=np.float64),
    }
    return np.column_stack([values[name] for name in FEATURES]) if n else np.zeros((0, len(FEATURES)))


# Features computed from the NLI model's outputs (all others are known before it runs).
NLI_FEATURES = ("contradiction_min", "contradiction_max", "entailment_min", "entailment_max",
                "midband_min", "midband_max")
# Cells per unknown model output when bounding the agree probability: finer cells give a
# tighter bound for more arithmetic (cells ** outputs per direction, per pair).
_BOUND_CELLS = {1: 40, 2: 12}


def _midband_range(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The range of 4 (c - 0.5)² over c in [lo, hi]."""
    at_lo, at_hi = 4 * (lo - 0.5) ** 2, 4 * (hi - 0.5) ** 2
    inside = (lo <= 0.5) & (hi >= 0.5)
    return np.where(inside, 0.0, np.minimum(at_lo, at_hi)), np.maximum(at_lo, at_hi)


def _output_cells(columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Boxes covering [0, 1] ** columns: (low corners, high corners), each [cells, columns]."""
    edges = np.linspace(0.0, 1.0, _BOUND_CELLS[columns] + 1)
    grids = np.meshgrid(*[np.arange(len(edges) - 1)] * columns, indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1)
    return edges[index], edges[index + 1]


def _nli_feature_box(forward: tuple[np.ndarray, np.ndarray], backward: tuple[np.ndarray, np.ndarray],
                     columns: Sequence[str]) -> tuple[dict, dict]:
    """Lower and upper values of each NLI feature over boxes of the two directions' outputs
    (``forward``/``backward``: (low, high) arrays, last axis one per name in ``columns``)."""
    # A missing output reads as 0 in pair_features, so its midband is 4 (0 - 0.5)² = 1.
    low = {"midband_min": 1.0, "midband_max": 1.0}
    high = dict(low)
    for name in ("contradiction", "entailment"):
        if name not in columns:
            continue
        k = list(columns).index(name)
        f_lo, f_hi, b_lo, b_hi = forward[0][..., k], forward[1][..., k], \
            backward[0][..., k], backward[1][..., k]
        low[f"{name}_min"], high[f"{name}_min"] = np.minimum(f_lo, b_lo), np.minimum(f_hi, b_hi)
        low[f"{name}_max"], high[f"{name}_max"] = np.maximum(f_lo, b_lo), np.maximum(f_hi, b_hi)
        if name == "contradiction":
            mf_lo, mf_hi = _midband_range(f_lo, f_hi)
            mb_lo, mb_hi = _midband_range(b_lo, b_hi)
            low["midband_min"], high["midband_min"] = np.minimum(mf_lo, mb_lo), np.minimum(mf_hi, mb_hi)
            low["midband_max"], high["midband_max"] = np.maximum(mf_lo, mb_lo), np.maximum(mf_hi, mb_hi)
    return low, high


def agreement_bound(calibration: Calibration, labels: Sequence[str], known: np.ndarray,
                    forward: np.ndarray | None = None) -> np.ndarray:
    """An upper bound, per pair, on the symmetric calibrated agree probability
    (:meth:`Judge.label`) over every output the NLI model could still give: both directions
    unknown, or only b → a when ``forward`` (a → b outputs, [n, outputs]) is given.
    ``known``: the pairs' feature rows ([n, FEATURES]; NLI columns are ignored).

    The unknown outputs are covered by small boxes; over a box each NLI feature lies in an
    interval, so each logit difference z_k - z_agree has a lower bound and the agree
    probability 1 / (1 + Σ exp(z_k - z_agree)) an upper bound. The bound is rigorous, not a
    sample: a pair whose bound is below the agreement threshold cannot be labelled agree."""
    n = len(known)
    columns = [name for name in ("contradiction", "entailment") if name in labels]
    if not n:
        return np.zeros(0)
    index = [FEATURES.index(f) for f in calibration.features]
    weights = calibration.weights / calibration.scale  # per raw feature value
    offset = calibration.bias - weights @ calibration.mean
    differences = weights[1:] - weights[0]  # [2, calibration features]
    bias = offset[1:] - offset[0]
    nli = [i for i, f in enumerate(calibration.features) if f in NLI_FEATURES]
    fixed = [i for i, f in enumerate(calibration.features) if f not in NLI_FEATURES]
    if columns:
        cell_lo, cell_hi = _output_cells(len(columns))  # [cells, columns]
        if forward is None:
            pairs_lo, pairs_hi = np.meshgrid(np.arange(len(cell_lo)), np.arange(len(cell_lo)),
                                             indexing="ij")
            f_box = (cell_lo[pairs_lo.ravel()][None], cell_hi[pairs_lo.ravel()][None])
            b_box = (cell_lo[pairs_hi.ravel()][None], cell_hi[pairs_hi.ravel()][None])
        else:
            given = np.asarray(forward, dtype=np.float64)[:, [list(labels).index(c) for c in columns]]
            f_box = (given[:, None, :], given[:, None, :])
            b_box = (cell_lo[None], cell_hi[None])
        low, high = _nli_feature_box(f_box, b_box, columns)
        shape = np.broadcast(f_box[0][..., 0], b_box[0][..., 0]).shape  # [1 or n, cells]
        # Lower bound of the NLI part of each logit difference over each box: [1 or n, cells, 2].
        nli_part = np.zeros(shape + (2,))
        for i in nli:
            name = calibration.features[i]
            lo = np.broadcast_to(low.get(name, 0.0), shape)  # a missing output reads as 0
            hi = np.broadcast_to(high.get(name, 0.0), shape)
            for k in range(2):
                nli_part[..., k] += np.minimum(lo * differences[k, i], hi * differences[k, i])
    else:  # no output the features read: they are constants
        nli_part = np.zeros((1, 1, 2))
        for i in nli:
            value = 1.0 if calibration.features[i].startswith("midband") else 0.0
            nli_part[..., :] += value * differences[:, i]
    bounds = []
    for rows in (known, reversed_features(known)):
        x = rows[:, index][:, fixed]
        fixed_part = x @ differences[:, fixed].T + bias  # [n, 2]
        rest = np.exp(np.minimum(nli_part + fixed_part[:, None, :], 700.0)).sum(axis=2)
        bounds.append(1.0 / (1.0 + rest.min(axis=1)))
    return (bounds[0] + bounds[1]) / 2


class Judge:
    """Labels pairs; holds the NLI model and calibration so they load once per process."""

    def __init__(self, settings: Settings, nli=None):
        from crosscheck.models import load_nli

        self.settings = settings
        self.nli = nli if nli is not None else load_nli(settings.judge.nli_model,
                                                        settings.judge.threads)
        self.calibration = self._calibration()

    def _calibration(self) -> Calibration | None:
        if self.settings.calibration.model:
            if self.settings.calibration.model != self.nli.info.name:
                raise ConfigError(
                    f"calibration.model: the calibration was fitted for "
                    f"'{self.settings.calibration.model}' but judge.nli_model is "
                    f"'{self.nli.info.name}'; run 'crosscheck tune' for this model")
            return Calibration.from_table(self.settings.calibration, "settings")
        table = getattr(self.nli, "calibration_table", None)
        return Calibration.from_table(table, f"manifest of {self.nli.info.name}") if table else None

    # -- the NLI part ---------------------------------------------------------------------------
    def nli_both_ways(self, premises: Sequence[str], hypotheses: Sequence[str],
                      show_progress_bar: bool = False) -> tuple[np.ndarray, np.ndarray]:
        batch = self.settings.judge.batch_size
        both = self.nli.predict(list(premises) + list(hypotheses),
                                list(hypotheses) + list(premises), batch, show_progress_bar)
        return both[:len(premises)], both[len(premises):]

    # -- labelling -------------------------------------------------------------------------------
    def label(self, forward: np.ndarray, backward: np.ndarray, similarity: np.ndarray,
              numeric: Sequence[NumericCheck], negation_mismatch: np.ndarray,
              symmetric: bool = False) -> np.ndarray:
        """Calibrated probabilities [n, 3] in PAIR_LABELS order. ``symmetric``: the pairs have
        no direction (claim pairs in a story), so the probabilities are the mean of both
        readings, a → b and b → a (directed features change sign)."""
        features = pair_features(forward, backward, self.nli.labels, similarity, numeric,
                                 negation_mismatch)
        if self.calibration is None:
            return self._uncalibrated(forward, backward)
        index = [FEATURES.index(f) for f in self.calibration.features]
        probabilities = self.calibration.probabilities(features[:, index])
        if symmetric:
            reverse = self.calibration.probabilities(reversed_features(features)[:, index])
            probabilities = (probabilities + reverse) / 2
        return probabilities

    def _uncalibrated(self, forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
        mean = (forward + backward) / 2
        columns = {name: i for i, name in enumerate(self.nli.labels)}
        out = np.zeros((len(mean), 3))
        for label, name in (("agree", "entailment"), ("contradict", "contradiction"),
                            ("unrelated", "neutral")):
            if name in columns:
                out[:, PAIR_LABELS.index(label)] = mean[:, columns[name]]
        total = out.sum(axis=1, keepdims=True)
        return np.divide(out, total, out=np.full_like(out, 1 / 3), where=total > 0)

    def decide(self, probabilities: np.ndarray, numeric: Sequence[NumericCheck]) -> list[str]:
        return decide_labels(probabilities, numeric, self.settings.judge)

    def judge_texts(self, premises: Sequence[str], hypotheses: Sequence[str],
                    similarity: np.ndarray, premise_quantities=None, hypothesis_quantities=None,
                    show_progress_bar: bool = False):
        """Judge raw text pairs (used by eval/tune). Returns (labels, probabilities, forward,
        backward, numeric checks, features)."""
        if premise_quantities is None:
            premise_quantities = [extract_quantities(t) for t in premises]
        if hypothesis_quantities is None:
            hypothesis_quantities = [extract_quantities(t) for t in hypotheses]
        numeric = [compare_quantities(qa, qb, self.settings.numeric, strict_bounds=True)
                   for qa, qb in zip(premise_quantities, hypothesis_quantities)]
        mismatch = np.array([negated(a) != negated(b) for a, b in zip(premises, hypotheses)])
        forward, backward = self.nli_both_ways(premises, hypotheses, show_progress_bar)
        probabilities = self.label(forward, backward, similarity, numeric, mismatch)
        features = pair_features(forward, backward, self.nli.labels, similarity, numeric, mismatch)
        return self.decide(probabilities, numeric), probabilities, forward, backward, numeric, features

    def judge_pairs(self, alignments: Sequence[Alignment], claims: dict[str, Claim],
                    show_progress_bar: bool = False) -> list[Judgement]:
        """Judge same-fact pairs (the align stage has decided which pairs those are; pairs
        that are not the same fact are not judged at all).

        The label is ``contradict`` when the claims' figures conflict or the align stage found
        a mismatch between the outlets' own assertions of the fact (an explicit conflict, which
        the NLI model, weak on a changed day or name, does not overrule); ``agree`` when
        nothing differs and the calibrated NLI probability of agreement passes its threshold,
        or one claim prints the other's words (``Alignment.verbatim``: no NLI needed);
        otherwise ``unrelated`` (no verdict). The NLI scores and calibration give each label
        its probability, in both directions, so swapping the claims changes nothing."""
        if not alignments:
            return []
        pairs = [al.pair for al in alignments]
        a = [claims[p.a] for p in pairs]
        b = [claims[p.b] for p in pairs]
        similarity = np.array([p.similarity for p in pairs])
        numeric = [al.numeric if al.numeric is not None
                   and al.strength >= self.settings.numeric.min_alignment
                   else NumericCheck("none", reason="not aligned closely enough to compare figures")
                   for al in alignments]
        mismatch = np.array([negated(x.content) != negated(y.content) for x, y in zip(a, b)])
        premises, hypotheses = [x.content for x in a], [y.content for y in b]
        needed = self._directions_needed(alignments, a, b, similarity, numeric, mismatch,
                                         premises, hypotheses, show_progress_bar)
        if needed is None:
            forward, backward = self.nli_both_ways(premises, hypotheses, show_progress_bar)
            ways = np.full(len(pairs), 2)
        else:
            forward, backward, ways = needed.forward, needed.backward, needed.count
        scored = np.flatnonzero(ways == 2)
        probabilities = np.zeros((len(pairs), 3))
        probabilities[scored] = self.label(forward[scored], backward[scored], similarity[scored],
                                           [numeric[i] for i in scored], mismatch[scored],
                                           symmetric=True)
        confirmed = self._corroborations(alignments, premises, hypotheses, forward, backward,
                                         ways)
        alignments = [corroborated(al, confirmed.get(n, {})) for n, al in enumerate(alignments)]
        labels = decide_pair_labels(probabilities, numeric, alignments, self.settings)

        def rounded(values, keep: bool) -> tuple[float, ...]:
            return tuple(round(float(v), 4) for v in values) if keep else ()

        return [Judgement(pair, label, rounded(p, n == 2), rounded(f, n >= 1), rounded(r, n == 2),
                          check, alignment)
                for pair, label, p, f, r, check, alignment, n in zip(
                    pairs, labels, probabilities, forward, backward, numeric, alignments, ways)]

    def _corroborations(self, alignments: Sequence[Alignment], premises: Sequence[str],
                        hypotheses: Sequence[str], forward: np.ndarray, backward: np.ndarray,
                        ways: np.ndarray) -> dict[int, dict[int, tuple[float, float]]]:
        """Which mismatches that need corroboration (:attr:`Mismatch.corroborate`) the NLI
        model confirms, by pair and mismatch index, with the model's contradiction with and
        without the mismatch's words (:attr:`Mismatch.confirmed_by`).

        Confirmed: the mismatch is one to ask about (:func:`to_corroborate`); the model reads a
        contradiction both ways round (``align.corroboration_min_contradiction``); and the
        contradiction is the mismatch's: with its words taken out of both claims (the two
        times or places, the negation) the model's contradiction, the mean of both ways,
        falls to ``align.corroboration_max_without`` or below. "Hired him on June 27" /
        "fired him on March 2" still conflict without their dates: a sequence, not a
        different date."""
        align = self.settings.align
        if "contradiction" not in self.nli.labels:
            return {}
        column = list(self.nli.labels).index("contradiction")
        tests: list[tuple[int, int, str, str]] = []
        for n, al in enumerate(alignments):
            if not (ways[n] == 2 and min(forward[n, column], backward[n, column])
                    >= align.corroboration_min_contradiction):
                continue
            for k in to_corroborate(al, align):
                m = al.mismatches[k]
                a_side = without_mismatch(premises[n], m.a, m.kind)
                b_side = without_mismatch(hypotheses[n], m.b, m.kind)
                if a_side is not None and b_side is not None and (
                        a_side, b_side) != (premises[n], hypotheses[n]):
                    tests.append((n, k, a_side, b_side))
        if not tests:
            return {}
        there, back = self.nli_both_ways([t[2] for t in tests], [t[3] for t in tests])
        residual = (there[:, column] + back[:, column]) / 2
        confirmed: dict[int, dict[int, tuple[float, float]]] = {}
        for (n, k, _, _), left in zip(tests, residual):
            if left <= align.corroboration_max_without:
                model = float(min(forward[n, column], backward[n, column]))
                confirmed.setdefault(n, {})[k] = (round(model, 4), round(float(left), 4))
        return confirmed

    def _directions_needed(self, alignments: Sequence[Alignment], a: Sequence[Claim],
                           b: Sequence[Claim], similarity: np.ndarray,
                           numeric: Sequence[NumericCheck], mismatch: np.ndarray,
                           premises: list[str], hypotheses: list[str],
                           show_progress_bar: bool) -> "_Scored | None":
        """NLI only where it can change a label or a finding (``judge.score_all_pairs`` off).
        A pair the align stage or its figures label contradict is scored both ways (its score
        is shown); so is every pair that may differ in framing (see
        :func:`crosscheck.framing.may_differ`) when ``judge.framing_floor`` is set. A pair
        with a mismatch that is not a contradiction can only be unrelated: no NLI. Any other
        pair is agree or unrelated by its agree probability: when the bound on it
        (:func:`agreement_bound`) is below ``judge.agreement_threshold`` before the model
        runs, no NLI; after a → b, no b → a. None: score every pair both ways."""
        settings = self.settings
        if settings.judge.score_all_pairs or self.calibration is None:
            return None
        n = len(alignments)
        sure = [corroborated(al, {}) for al in alignments]
        decided = np.array(decide_pair_labels(np.zeros((n, 3)), numeric, sure, settings))
        open_pair = np.array([not al.mismatches for al in sure]) & (decided != "contradict")
        # a mismatch that needs the model's corroboration: both ways, to ask it
        both = (decided == "contradict") | np.array(
            [bool(to_corroborate(al, settings.align)) for al in alignments], dtype=bool)
        if settings.judge.framing_floor > 0:
            both |= open_pair & np.array([may_differ(x, y, al.strength, al.pair.similarity,
                                                     settings.framing)
                                          for x, y, al in zip(a, b, alignments)], dtype=bool)
        threshold = settings.judge.agreement_threshold
        known = pair_features(np.zeros((n, len(self.nli.labels))),
                              np.zeros((n, len(self.nli.labels))), self.nli.labels, similarity,
                              numeric, mismatch)
        # one claim printing the other's words agrees with it whatever the model reads
        maybe = open_pair & ~both & ~np.array([al.verbatim for al in alignments], dtype=bool)
        maybe[maybe] = agreement_bound(self.calibration, self.nli.labels, known[maybe]) >= threshold
        first = np.flatnonzero(both | maybe)
        twice = np.flatnonzero(both)
        outputs = len(self.nli.labels)
        forward, backward = np.zeros((n, outputs)), np.zeros((n, outputs))
        if len(first):
            scores = self.nli.predict(
                [premises[i] for i in first] + [hypotheses[i] for i in twice],
                [hypotheses[i] for i in first] + [premises[i] for i in twice],
                settings.judge.batch_size, show_progress_bar)
            forward[first], backward[twice] = scores[:len(first)], scores[len(first):]
        later = maybe.copy()
        later[maybe] = agreement_bound(self.calibration, self.nli.labels, known[maybe],
                                       forward[maybe]) >= threshold
        second = np.flatnonzero(later)
        if len(second):
            backward[second] = self.nli.predict([hypotheses[i] for i in second],
                                                [premises[i] for i in second],
                                                settings.judge.batch_size, show_progress_bar)
        count = np.zeros(n, dtype=int)
        count[first] = 1
        count[twice] = count[second] = 2
        return _Scored(forward, backward, count)


@dataclass(frozen=True)
class _Scored:
    """NLI outputs of some pairs: ``count`` per pair is how many directions were scored (0, 1:
    a → b only, 2: both); unscored rows of ``forward``/``backward`` are zeros."""
    forward: np.ndarray
    backward: np.ndarray
    count: np.ndarray


def reversed_features(features: np.ndarray) -> np.ndarray:
    """The features of the same pairs read the other way round (b → a): the directed ones
    change sign; the others are symmetric by construction (min/max over both directions)."""
    out = np.array(features, dtype=np.float64, copy=True)
    for name in DIRECTED_FEATURES:
        column = FEATURES.index(name)
        out[:, column] = -out[:, column]
    return out


def to_corroborate(alignment: Alignment, settings: AlignSettings) -> list[int]:
    """The indices of the mismatches the model is asked to confirm: those that need it, in a
    pair of the outlets' own assertions, whose sides are surely enough one fact
    (:func:`crosscheck.align.strong_enough`)."""
    if not alignment.comparable:
        return []
    return [k for k, m in enumerate(alignment.mismatches)
            if m.corroborate and strong_enough(m, settings)]


def corroborated(alignment: Alignment,
                 confirmed: Mapping[int, tuple[float, float]]) -> Alignment:
    """``alignment`` with the model's figures on the mismatches it confirmed (``confirmed``, by
    mismatch index; see :meth:`Judge._corroborations`) and without the "loose" ones it did
    not: those were a conflict only if the model saw one. An unconfirmed "weak" one stays
    (it does not count as a contradiction, but the pair is no agreement either)."""
    if not any(m.corroborate for m in alignment.mismatches):
        return alignment
    kept = tuple(dataclasses.replace(m, confirmed_by=confirmed[k]) if k in confirmed else m
                 for k, m in enumerate(alignment.mismatches)
                 if m.corroborate != "loose" or k in confirmed)
    return dataclasses.replace(alignment, mismatches=kept)


# what makes a polarity mismatch's negative side: "not", "never", "no", "n't", and the near
# misses of the align stage ("nearly destroyed")
_NEGATOR = re.compile(r"\s*\b(?:" + "|".join(["not", "never", "no", *sorted(NEAR_MISS)])
                      + r")\b|n[’']t\b", re.IGNORECASE)
_BEFORE = r"(?:\b(?:on|in|at|during|last|this|next|from|early|late)\s+)?"


def without_mismatch(content: str, span: Span | None, kind: str) -> str | None:
    """``content`` with one side of a mismatch taken out: a time or a place with the word
    that leads it in ("on Friday", "in Baltimore"), a negation's negator ("does not mark" →
    "does mark", "nearly destroyed" → "destroyed"); the positive side of a polarity mismatch
    stays as it is. None when the words are not in ``content``."""
    if span is None or span.text not in content:
        return None
    if kind == "polarity":
        plain = re.sub(r"\bwo(n[’']t)\b", "will", span.text, flags=re.IGNORECASE)
        plain = re.sub(r"\bca(n[’']t)\b", "can", plain, flags=re.IGNORECASE)
        plain = _NEGATOR.sub("", plain).strip()
        return content.replace(span.text, plain, 1)
    out = re.sub(_BEFORE + re.escape(span.text), "", content, count=1, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out).replace(" ,", ",").replace(" .", ".")


def decide_pair_labels(probabilities: np.ndarray, numeric: Sequence[NumericCheck],
                       alignments: Sequence[Alignment], settings: Settings) -> list[str]:
    """Labels of same-fact claim pairs in a story (see :meth:`Judge.judge_pairs`)."""
    labels = []
    for p, check, alignment in zip(probabilities, numeric, alignments):
        if check.status == "conflict":
            labels.append("contradict")
        elif alignment.comparable and any(strong_enough(m, settings.align) and m.settled
                                          for m in alignment.mismatches):
            labels.append("contradict")
        elif not alignment.mismatches and (alignment.verbatim
                                           or p[0] >= settings.judge.agreement_threshold):
            labels.append("agree")
        else:
            labels.append("unrelated")
    return labels


def decide_labels(probabilities: np.ndarray, numeric: Sequence[NumericCheck],
                  judge: JudgeSettings) -> list[str]:
    """Labels from calibrated probabilities: contradict above its threshold (or on a numeric
    conflict when ``numeric_override``), else agree above its threshold, else unrelated."""
    labels = []
    for p, check in zip(probabilities, numeric):
        if judge.numeric_override and check.status == "conflict":
            labels.append("contradict")
        elif p[1] >= judge.contradiction_threshold:
            labels.append("contradict")
        elif p[0] >= judge.agreement_threshold:
            labels.append("agree")
        else:
            labels.append("unrelated")
    return labels


def fit_calibration(features: np.ndarray, targets: np.ndarray, trained_on: str,
                    l2: float = 1e-3, iterations: int = 3000, sample_weight=None,
                    not_targets=None, start: Calibration | None = None,
                    keep_margins=None) -> Calibration:
    """Multinomial logistic regression by full-batch gradient descent (the data are small).
    ``features``: rows in FEATURES order. ``targets``: class indices in PAIR_LABELS order, or
    -1 for a row whose ``not_targets`` entry names the one class it is *not* (a reviewer's
    "wrong" says the flagged label was wrong, not which label was right): such a row adds
    -log(1 - p[not_target]) to the loss. ``start``: a calibration to begin from and stay near
    (its features and standardisation are kept, and ``l2`` pulls towards its weights instead
    of towards 0), so that a few reviewed findings adjust it rather than replace it.
    ``keep_margins``: per row, NaN, or a probability its target only needs to reach (a
    reviewer's "correct" asks to keep a finding flagged, not to make its label likelier than
    that): such a row adds to the loss only while its target's probability is below it."""
    targets = np.asarray(targets)
    not_targets = np.full(len(targets), -1) if not_targets is None else np.asarray(not_targets)
    margins = (np.full(len(targets), np.nan) if keep_margins is None
               else np.asarray(keep_margins, dtype=np.float64))
    hinged = ~np.isnan(margins)
    if start is not None:
        names = start.features
        x = features[:, [FEATURES.index(f) for f in names]]
        mean, scale = start.mean, start.scale
        weights, bias = start.weights.copy(), start.bias.copy()
    else:
        names, x = FEATURES, features
        mean = x.mean(axis=0)
        scale = x.std(axis=0)
        scale = np.where(scale > 1e-9, scale, 1.0)
        weights, bias = np.zeros((3, x.shape[1])), np.zeros(3)
    anchor_w, anchor_b = weights.copy(), bias.copy()
    x = (x - mean) / scale
    n = len(x)
    full = targets >= 0
    onehot = np.zeros((n, 3))
    onehot[full, targets[full]] = 1.0
    partial = ~full & (not_targets >= 0)
    excluded = np.zeros((n, 3))
    excluded[partial, not_targets[partial]] = 1.0
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = np.where(full | partial, w, 0.0)
    if w.sum() <= 0:
        if start is None:
            raise ValueError("fit_calibration: no labelled rows")
        return dataclasses.replace(start, trained_on=trained_on)
    w = w / w.sum()
    rate = 0.5
    for _ in range(iterations):
        logits = x @ weights.T + bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        # d/dz of -log(1 - p_k) is p_k / (1 - p_k) * (e_k - p).
        p_not = (p * excluded).sum(axis=1, keepdims=True)
        satisfied = hinged & ((p * onehot).sum(axis=1) >= np.nan_to_num(margins))
        full_error = np.where(satisfied[:, None], 0.0, p - onehot)
        partial_error = p_not / np.maximum(1 - p_not, 1e-6) * (excluded - p)
        error = np.where(full[:, None], full_error, partial_error) * w[:, None]
        weights -= rate * (error.T @ x + l2 * (weights - anchor_w))
        bias -= rate * (error.sum(axis=0) + (l2 * (bias - anchor_b) if start is not None else 0))
    return Calibration(tuple(names), mean, scale, weights, bias, trained_on)


def finding_support(kind: str, probabilities: Sequence[float]) -> float | None:
    """The calibrated probability (agree, contradict, unrelated) a finding of ``kind`` rests
    on: contradict for contradictions and numeric differences, agree for framing (one fact
    told two ways: the statements agree) and for agreement; None for kinds that rest on no
    pair."""
    if kind in ("contradiction", "numeric"):
        return float(probabilities[1])
    if kind in ("framing", "agreement"):
        return float(probabilities[0])
    return None


def finding_floor(kind: str, judge: JudgeSettings) -> float:
    """The floor on :func:`finding_support` a finding of ``kind`` needs in ``run`` (agreement's
    is the agreement threshold, applied when pairs are labelled)."""
    return {"contradiction": judge.contradiction_floor, "numeric": judge.numeric_floor,
            "framing": judge.framing_floor, "agreement": judge.agreement_threshold}.get(kind, 0.0)


def keep_supported(findings: Sequence[Finding], judgements: Sequence[Judgement],
                   judge: JudgeSettings) -> tuple[Finding, ...]:
    """The findings whose pair's support reaches its kind's floor (``judge.*_floor``),
    renumbered F1, F2, … in their order. With every floor at 0 nothing changes. A detail told
    two ways across the story (``scope`` "slot") is exempt: its sentences are unlike by design,
    so the model's support says nothing about it."""
    floors = {kind: finding_floor(kind, judge) for kind in ("contradiction", "numeric", "framing")}
    if not any(floors.values()):
        return tuple(findings)
    by_pair = {frozenset((j.pair.a, j.pair.b)): j for j in judgements}
    kept = []
    for finding in findings:
        judgement = by_pair.get(frozenset(finding.claim_ids))
        slot = judgement is not None and judgement.alignment is not None \
            and judgement.alignment.scope == "slot"  # unlike sentences by design: no floor
        if floors.get(finding.kind, 0.0) > 0 and judgement is not None \
                and judgement.probabilities and len(finding.claim_ids) == 2 and not slot \
                and finding_support(finding.kind, judgement.probabilities) < floors[finding.kind]:
            continue
        kept.append(finding)
    return tuple(dataclasses.replace(f, id=f"F{i + 1}") for i, f in enumerate(kept))
