"""Reviewer verdicts: reading verdicts files and matching them to a run's findings.

A verdicts file is JSONL, one reviewed finding a line, in the layout of
``shared/data/basil-findings/`` (the report's "Export verdicts" writes it):

    {"story": "...", "kind": "contradiction", "verdict": "wrong",
     "claims": [{"outlet": "fox", "article": "a_1.json", "text": "..."}, ...],
     "finding_id": "F3", "score": 0.81, "note": "...", "tool_reason": "...",
     "models": ["..."], "settings_id": "...", "report_id": "...", "time": "2026-12-01T18:00:00Z"}

Only ``kind``, ``verdict`` and ``claims[].text`` are required. A finding is identified by its
kind and its sentences (texts normalised: case, spacing, quotation marks and dashes), not by
its id or story name, which change between runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.types import (FINDING_KINDS, VERDICTS, ReviewedClaim, RunResult, StoryResult,
                              Verdict)

Warn = Callable[[str], None]
# A verdicts line may also say the reviewers disagreed: kept for the record, used nowhere.
READ_VERDICTS = (*VERDICTS, "disputed")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'",
                         "–": "-", "—": "-", "‐": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """A sentence as it is compared across runs: NFKC, straight quotes and dashes, one space,
    case-folded, no spaces at the ends."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def finding_key(kind: str, texts: Iterable[str]) -> str:
    """The identity of a finding across runs and reports: its kind and its sentences."""
    body = "\n".join(sorted(normalise_text(t) for t in texts))
    return hashlib.sha256(f"{kind}\n{body}".encode("utf-8")).hexdigest()[:20]


def verdict_key(verdict: Verdict) -> str:
    return finding_key(verdict.kind, (c.text for c in verdict.claims))


def claims_key(kind: str, claim_ids: Iterable[str], texts: Mapping[str, str]) -> str:
    """:func:`finding_key` of a finding given by its claim ids (``texts``: claim id → sentence;
    an id without one is left out)."""
    return finding_key(kind, [texts[c] for c in claim_ids if c in texts])


def joined_pair_keys(kind: str, compared: Iterable[Iterable[str]] | None,
                     texts: Mapping[str, str]) -> list[str]:
    """The :func:`claims_key` of each pair of outlets a joined finding joins
    (``details["compared"]``: lists of claim ids)."""
    return [claims_key(kind, pair, texts) for pair in compared or ()]


def story_finding_keys(story: StoryResult) -> dict[str, str]:
    """finding id → :func:`finding_key` for every finding of ``story``."""
    texts = {c.id: c.text for c in story.claims}
    return {f.id: claims_key(f.kind, f.claim_ids, texts) for f in story.findings}


def read_verdicts(paths: Sequence[str | Path], warn: Warn) -> list[Verdict]:
    """Every well-formed verdict in ``paths``, in file and line order. A malformed line is
    reported through ``warn`` as ``FILE:LINE: why`` and skipped; a file that cannot be read
    at all is an :class:`InputError`."""
    verdicts = []
    for path in map(Path, paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot read verdicts: {getattr(e, 'strerror', None) or e}"
                             ) from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                verdicts.append(parse_verdict(line, where))
            except ValueError as e:
                warn(f"{where}: skipped: {e}")
    return verdicts


def parse_verdict(line: str, where: str = "") -> Verdict:
    """One JSONL line → :class:`Verdict`; ``ValueError`` saying what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    kind, verdict = record.get("kind"), record.get("verdict")
    if kind not in FINDING_KINDS:
        raise ValueError(f"'kind' is {kind!r}; expected one of {', '.join(FINDING_KINDS)}")
    if verdict not in READ_VERDICTS:
        raise ValueError(f"'verdict' is {verdict!r}; expected one of {', '.join(READ_VERDICTS)}")
    claims = record.get("claims")
    if not isinstance(claims, list) or not claims:
        raise ValueError("'claims' must be a non-empty list")
    reviewed = []
    for i, claim in enumerate(claims):
        if not isinstance(claim, dict) or not isinstance(claim.get("text"), str) \
                or not claim["text"].strip():
            raise ValueError(f"claims[{i}] needs a non-empty 'text'")
        reviewed.append(ReviewedClaim(_string(claim.get("outlet")), _string(claim.get("article")),
                                      claim["text"]))
    score = record.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float, type(None))):
        raise ValueError(f"'score' is {score!r}; expected a number")
    return Verdict(kind=kind, verdict=verdict, claims=tuple(reviewed),
                   story=_string(record.get("story")),
                   finding_id=_string(record.get("finding_id")),
                   score=None if score is None else float(score),
                   note=_string(record.get("note")), time=_string(record.get("time")),
                   where=where)


def _string(value) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def reviewed(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """The verdicts that say something: correct, partly or wrong (not disputed)."""
    return [v for v in verdicts if v.verdict in VERDICTS]


def split_by_story(verdicts: Sequence[Verdict], sample: str) -> list[Verdict]:
    """``all``, or every other story (``even``: 1st, 3rd, …; ``odd``: 2nd, 4th, … in sorted
    story order): every finding of a story lands in the same half."""
    if sample == "all":
        return list(verdicts)
    stories = sorted({v.story for v in verdicts})
    wanted = set(stories[0 if sample == "even" else 1::2])
    return [v for v in verdicts if v.story in wanted]


def latest_by_key(verdicts: Iterable[Verdict]) -> dict[str, Verdict]:
    """One verdict per finding: the most recent (by ``time``, then by file order)."""
    order = sorted(enumerate(reviewed(verdicts)), key=lambda iv: (iv[1].time, iv[0]))
    return {verdict_key(v): v for _, v in order}


def apply_verdicts(result: RunResult, verdicts: Sequence[Verdict]) -> tuple[RunResult, int]:
    """The run with each story's matching verdicts attached (``StoryResult.verdicts``), and
    how many verdicts matched a finding. A finding that joins pairs of outlets
    (``details["compared"]``) matches its own verdict, or else the one its pairs share."""
    by_key = latest_by_key(verdicts)
    matched: set[str] = set()
    stories = []
    for story in result.stories:
        found = {}
        keys = story_finding_keys(story)
        texts = {c.id: c.text for c in story.claims}
        for finding in story.findings:
            key = keys[finding.id]
            if key in by_key:
                found[finding.id] = by_key[key]
                matched.add(key)
                continue
            # A finding that joins pairs across outlets takes the verdict its pairs were
            # given, when each of them was reviewed and all alike.
            pairs = joined_pair_keys(finding.kind, finding.details.get("compared"), texts)
            given = [by_key[k] for k in pairs if k in by_key]
            if pairs and len(given) == len(pairs) and len({v.verdict for v in given}) == 1:
                found[finding.id] = max(given, key=lambda v: v.time)
                matched.update(pairs)
        stories.append(dataclasses.replace(story, verdicts=found))
    return dataclasses.replace(result, stories=tuple(stories)), len(matched)


def verdict_record(verdict: Verdict) -> dict:
    """A verdict as findings.json records it on its finding."""
    return {"verdict": verdict.verdict, "note": verdict.note, "time": verdict.time,
            "from": verdict.where}
