"""``eval --format claimdiff``: false alarms on claims two outlets make about one topic.

ClaimDiff (Ko et al. 2022) pairs a claim from one outlet's article with a claim from another
outlet's article on the same contentious topic, and labels how the second bears on the first:
it *strengthens* it, *weakens* it, or neither. These are argumentative relations, not
entailment, so they cannot say what crosscheck should find; but they say what it must not: a
strengthen or neither pair flagged as a contradiction or a numeric difference is a false alarm,
and a weaken pair is at most a soft conflict. Each pair is run through the pipeline as a story
of two one-sentence articles from two outlets, and the findings are counted by relation.

The data comes as two files with one record per pair, joined on ``pair_id``:
``ClaimDiff-strength-*.json`` (``relation`` 1: strengthen) and ``ClaimDiff-weak-*.json``
(``relation`` 1: weaken); a pair that is neither has 0 in both.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.evaluate_verdicts import PAIR_KINDS
from crosscheck.types import Article, Progress, silent

RELATIONS = ("strengthen", "weaken", "neither")
ALARMS = ("contradiction", "numeric")  # what no strengthen or neither pair may carry
_SHOWN = 3  # examples per relation and kind in the report


@dataclass(frozen=True)
class ClaimDiffPair:
    pair_id: str
    topic: str
    claim_a: str
    claim_b: str
    relation: str  # one of RELATIONS


def read_claimdiff(folder: Path, limit: int | None = None) -> tuple[list[ClaimDiffPair], int]:
    """The pairs of a ClaimDiff folder, each unordered pair of sentences once (the data holds
    some both ways round), and how many repeats were dropped."""
    strength = _records(folder, "ClaimDiff-strength-*.json")
    weak = _records(folder, "ClaimDiff-weak-*.json")
    pairs: list[ClaimDiffPair] = []
    seen: set[frozenset[str]] = set()
    repeats = 0
    for pair_id, record in strength.items():
        try:
            sentences = frozenset((record["claim_a"].strip(), record["claim_b"].strip()))
            strengthens = bool(record["relation"])
            weakens = bool(weak.get(pair_id, {}).get("relation", 0))
        except (KeyError, TypeError, AttributeError) as e:
            raise InputError(f"{folder}: pair {pair_id}: missing or bad field {e}") from None
        if sentences in seen:
            repeats += 1
            continue
        seen.add(sentences)
        relation = "strengthen" if strengthens else "weaken" if weakens else "neither"
        pairs.append(ClaimDiffPair(pair_id, str(record.get("topic", "")),
                                   record["claim_a"].strip(), record["claim_b"].strip(),
                                   relation))
    if not pairs:
        raise InputError(f"{folder}: no ClaimDiff pairs found")
    return pairs[:limit], repeats


def _records(folder: Path, pattern: str) -> dict[str, dict]:
    files = sorted(folder.glob(pattern))
    if not files:
        raise InputError(f"{folder}: no {pattern} (is this the ClaimDiff folder?)")
    records: dict[str, dict] = {}
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            rows = data["data"] if isinstance(data, dict) else data
            for row in rows:
                records[str(row["pair_id"])] = row
        except (ValueError, OSError) as e:
            raise InputError(f"{file}: cannot read as ClaimDiff JSON: {e}") from None
        except (KeyError, TypeError) as e:
            raise InputError(f"{file}: missing field {e} for --format claimdiff") from None
    return records


def two_outlet_story(pair: ClaimDiffPair) -> list[Article]:
    """The pair as a story: one article of one sentence per outlet."""
    return [Article(id=f"{pair.pair_id}-{side}", story=pair.pair_id, outlet=f"outlet {side}",
                    title="", path=f"{side}.txt", text=text, paragraphs=((0, len(text)),))
            for side, text in (("a", pair.claim_a), ("b", pair.claim_b))]


def evaluate_claimdiff(pairs: Sequence[ClaimDiffPair], settings: Settings, analyser=None,
                       progress: Progress = silent) -> dict:
    """Per relation: pairs, and pairs carrying each kind of finding (single-outlet findings
    aside); the false alarms (contradiction or numeric on a strengthen or neither pair) with
    their rate; and a few examples of each flagged kind."""
    if analyser is None:
        from crosscheck.analysis import Analyser

        analyser = Analyser(settings, progress=progress)
    counts = {relation: Counter() for relation in RELATIONS}
    examples: dict[str, dict[str, list[dict]]] = {relation: {} for relation in RELATIONS}
    for n, pair in enumerate(pairs):
        if n and n % 250 == 0:
            progress(f"{n} of {len(pairs)} pairs")
        story = analyser.analyse(pair.pair_id, two_outlet_story(pair), ())
        counts[pair.relation]["pairs"] += 1
        for kind in sorted({f.kind for f in story.findings if f.kind != "single_outlet"}):
            counts[pair.relation][kind] += 1
            finding = next(f for f in story.findings if f.kind == kind)
            shown = examples[pair.relation].setdefault(kind, [])
            if len(shown) < _SHOWN:
                shown.append({"pair_id": pair.pair_id, "a": pair.claim_a, "b": pair.claim_b,
                              "reason": finding.reason})
    table = {relation: {"pairs": counts[relation]["pairs"],
                        **{kind: counts[relation][kind] for kind in PAIR_KINDS}}
             for relation in RELATIONS}
    alarm_pairs = sum(table[r]["pairs"] for r in ("strengthen", "neither"))
    alarms = sum(table[r][k] for r in ("strengthen", "neither") for k in ALARMS)
    return {"pairs": len(pairs), "by_relation": table, "false_alarms": alarms,
            "false_alarm_rate": round(alarms / alarm_pairs, 4) if alarm_pairs else None,
            "examples": examples}


def format_claimdiff_report(figures: dict, repeats: int = 0) -> str:
    lines = [f"ClaimDiff pairs: {figures['pairs']}"
             + (f" ({repeats} repeated the other way round, counted once)" if repeats else ""),
             "", f"{'relation':12s}{'pairs':>7s}" + "".join(f"{k:>15s}" for k in PAIR_KINDS)]
    for relation, row in figures["by_relation"].items():
        lines.append(f"{relation:12s}{row['pairs']:>7d}"
                     + "".join(f"{row[k]:>15d}" for k in PAIR_KINDS))
    rate = figures["false_alarm_rate"]
    lines += ["", f"false alarms (a contradiction or numeric finding on a strengthen or neither "
                  f"pair): {figures['false_alarms']}"
              + (f" ({rate:.2%} of those pairs)" if rate is not None else "")]
    for relation, by_kind in figures["examples"].items():
        for kind, shown in by_kind.items():
            lines.append(f"\n{kind} on {relation} pairs, e.g.:")
            for example in shown:
                lines += [f"  - {example['a']}", f"    {example['b']}",
                          f"    ({example['reason']})"]
    lines.append("\nCells count pairs carrying at least one finding of the kind. Strengthen / "
                 "weaken are argumentative relations, not entailment: an agreement on a "
                 "strengthen pair may well be right, a contradiction on one is not.")
    return "\n".join(lines)
