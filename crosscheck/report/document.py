"""findings.json: the versioned, machine-readable record of one story."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from typing import Any

from crosscheck.findings import rank_key
from crosscheck.types import FINDING_KINDS, Finding, RunResult, StoryResult
from crosscheck.verdicts import story_finding_keys, verdict_record

# 1.1: a finding an earlier review matched (run --verdicts) carries "verdict" and "review".
# 1.2: a framing finding may hold more than two claims: one fact framed two ways across many
# outlets, its details naming the "marked" and the "plain" side.
# 1.3: a contradiction or numeric finding may hold more than two claims too: one conflict
# across many outlets, its details naming each claim's "sides" (words) or "figures".
# 1.4: a single-outlet finding's details name the "closest_elsewhere" claim of another outlet
# and the "figures_only_here".
# 1.5: "checked" says how much of the story was compared (see :func:`checked_counts`).
# 1.6: a single-outlet finding's details say whether it is "checkable" (gives a name, figure,
# date, source or quotation to look for); one that is not says so in its reason too.
FORMAT_VERSION = "1.6"

def rank_findings(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    """Most important first, in the findings stage's own order (one ranking for every view)."""
    return sorted(findings, key=rank_key)


def count_kinds(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    """Findings per kind, every known kind present (0 when absent)."""
    counts = dict.fromkeys(FINDING_KINDS, 0)
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts


def checked_counts(story: StoryResult) -> dict[str, Any]:
    """How much of the story crosscheck compared, the one count every view shows.

    ``compared``: the claims judged to tell the same fact as a claim of another outlet
    (:attr:`StoryResult.compared_claims`). The others, each in one group: ``not_judged``,
    matched as one fact with another outlet's claim but left unjudged by the time limit;
    ``only_one_outlet``, no claim of another outlet comes close (the single-outlet
    findings); ``not_compared``, the rest, which no pair made one fact with a claim of another
    outlet. ``by_outlet`` and ``by_article``: each outlet's and article's ``claims`` and how
    many were ``compared``. ``cross_checked``: the story has two outlets or more (with one,
    nothing could be compared)."""
    compared = story.compared_claims
    unjudged = story.unjudged_claims
    single = {claim_id for f in story.findings if f.kind == "single_outlet"
              for claim_id in f.claim_ids} - compared - unjudged
    by_article = {a.id: {"claims": 0, "compared": 0} for a in story.articles}
    for claim in story.claims:
        counts = by_article.get(claim.article_id)
        if counts is not None:
            counts["claims"] += 1
            counts["compared"] += claim.id in compared
    by_outlet: dict[str, dict[str, int]] = {}
    for a in story.articles:
        outlet = by_outlet.setdefault(a.outlet, {"claims": 0, "compared": 0})
        outlet["claims"] += by_article[a.id]["claims"]
        outlet["compared"] += by_article[a.id]["compared"]
    ids = {c.id for c in story.claims}
    single &= ids
    total = len(ids)
    return {"cross_checked": len(by_outlet) > 1, "claims": total, "compared": len(compared),
            "not_judged": len(unjudged), "only_one_outlet": len(single),
            "not_compared": total - len(compared) - len(unjudged) - len(single),
            "by_outlet": by_outlet, "by_article": by_article}


def story_inputs(story: StoryResult, result: RunResult) -> list:
    """The story's input records; in a one-story run also the run's inputs that no story
    claimed (skipped files), so every file in the folder is accounted for."""
    records = list(story.inputs)
    if len(result.stories) == 1:
        records += unassigned_inputs(result)
    return records


def unassigned_inputs(result: RunResult) -> list:
    """Inputs in no cross-checked story: skipped files, and in a grouped run none else
    (articles of one-outlet stories are listed on their own)."""
    assigned = {record.path for story in result.stories for record in story.inputs}
    assigned.update(a.path for a in result.assignments if a.status == "used" and a.story)
    return [record for record in result.inputs if record.path not in assigned]


def story_document(story: StoryResult, result: RunResult) -> dict:
    """The findings.json content for one story."""
    return {
        "format_version": FORMAT_VERSION,
        "story": story.story,
        "settings": jsonable(result.settings),
        "models": [jsonable(model) for model in result.models],
        "inputs": [{"path": record.path, "status": record.status, "reason": record.reason,
                    "article_ids": list(record.article_ids)}
                   for record in story_inputs(story, result)],
        "articles": [{"id": a.id, "outlet": a.outlet, "title": a.title, "path": a.path,
                      "date": a.date, "url": a.url} for a in story.articles],
        "claims": [{"id": c.id, "article_id": c.article_id, "text": c.text, "start": c.start,
                    "end": c.end, "paragraph": c.paragraph, "sentence": c.sentence,
                    "source": c.source, "certainty": jsonable(c.certainty),
                    "is_opinion": c.is_opinion,
                    "quantities": [jsonable(q) for q in c.quantities],
                    "cues": [jsonable(cue) for cue in c.cues]} for c in story.claims],
        "findings": [finding_record(story, f) for f in rank_findings(story.findings)],
        "clusters": [list(cluster) for cluster in story.clusters],
        "counts": count_kinds(story.findings),
        "checked": checked_counts(story),
    }


def finding_record(story: StoryResult, f: Finding) -> dict:
    record = {"id": f.id, "kind": f.kind, "score": jsonable(f.score), "severity": f.severity,
              "claim_ids": list(f.claim_ids), "reason": f.reason,
              "evidence": [{"claim_id": e.claim_id, "start": e.start, "end": e.end,
                            "role": e.role} for e in f.evidence],
              "details": jsonable(f.details)}
    verdict = story.verdicts.get(f.id)
    if verdict is not None:
        record["verdict"] = verdict.verdict
        record["review"] = verdict_record(verdict)
    return record


def report_identity(story: StoryResult, result: RunResult) -> dict[str, Any]:
    """What a review of this story's report is tied to: ``settings_id`` names the settings and
    models that produced the findings, ``report_id`` the story, its findings and those
    settings (the report's browser storage key, so re-rendering the same report keeps its
    marks and another report never sees them)."""
    models = [f"{m.role}: {m.name} {m.version}".strip() for m in result.models]
    settings_id = _digest(json.dumps([jsonable(result.settings), models], sort_keys=True))
    keys = sorted(story_finding_keys(story).values())
    return {"story": story.story, "models": models, "settings_id": settings_id,
            "report_id": _digest(json.dumps([story.story, keys, settings_id]))}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def jsonable(value: Any) -> Any:
    """Plain JSON data: dataclasses become dicts, tuples lists, floats rounded to 4 places,
    NaN and infinities null, numpy scalars Python numbers, anything else its str()."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        try:
            return jsonable(value.item())
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy array
        return jsonable(value.tolist())
    return str(value)

