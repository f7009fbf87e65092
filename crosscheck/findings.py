"""Turn judged pairs, clusters and coverage into findings a reviewer can check.

Each finding carries both claims, a score in 0..1, a severity, the evidence spans to
highlight and one plain-language reason.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import numpy as np

from crosscheck.config import Settings
from crosscheck.framing import compare_framing, same_fact
from crosscheck.types import (FINDING_KINDS, Article, Claim, Evidence, Finding, Judgement)

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_TOKEN = re.compile(r"\w[\w'’.,-]*\w|\w")
_STOPWORDS = frozenset("a an the of to in on at for and or but by with from as is are was were "
                       "be been has have had that this it its their his her they he she".split())


def build_findings(claims: Sequence[Claim], articles: Sequence[Article],
                   judgements: Sequence[Judgement], clusters: Sequence[tuple[str, ...]],
                   best_other_outlet: np.ndarray, settings: Settings) -> tuple[Finding, ...]:
    by_id = {c.id: c for c in claims}
    outlet_of = {a.id: a.outlet for a in articles}
    findings: list[Finding] = []
    for judgement in judgements:
        a, b = by_id[judgement.pair.a], by_id[judgement.pair.b]
        outlet_a, outlet_b = outlet_of[a.article_id], outlet_of[b.article_id]
        if judgement.numeric.status == "conflict":
            findings.append(_numeric(judgement, a, b, outlet_a, outlet_b))
        elif judgement.label == "contradict":
            if not (a.is_opinion or b.is_opinion) and same_fact(
                    a, b, settings.findings.contradiction_min_shared_words,
                    min_shared_common_words=1,
                    min_overlap=settings.findings.contradiction_min_overlap):
                findings.append(_contradiction(judgement, a, b, outlet_a, outlet_b))
        elif judgement.pair.similarity >= settings.framing.min_similarity:
            difference = compare_framing(a, b, outlet_a, outlet_b, settings.framing)
            if difference is not None:
                score = round(difference.score * judgement.pair.similarity, 3)
                findings.append(Finding(
                    id="", kind="framing", score=score,
                    severity="medium" if score >= 0.35 else "low", claim_ids=(a.id, b.id),
                    reason=f"Same fact, framed differently ({difference.aspect}): "
                           f"{difference.reason}",
                    evidence=difference.evidence,
                    details={**difference.details, "similarity": judgement.pair.similarity}))
    findings += _agreements(clusters, by_id, outlet_of, judgements, settings)
    findings += _single_outlet(claims, outlet_of, best_other_outlet, settings)
    findings = sorted((f for f in findings if f.score >= settings.findings.min_score),
                      key=rank_key)
    return tuple(Finding(f"F{i + 1}", f.kind, f.score, f.severity, f.claim_ids, f.reason,
                         f.evidence, f.details) for i, f in enumerate(findings))


def rank_key(finding: Finding) -> tuple:
    """Most important first: severity, then kind (contradictions and numbers before framing,
    agreement and coverage), then score."""
    return (SEVERITY_ORDER[finding.severity], FINDING_KINDS.index(finding.kind), -finding.score,
            finding.claim_ids)


def _numeric(judgement: Judgement, a: Claim, b: Claim, outlet_a: str, outlet_b: str) -> Finding:
    check = judgement.numeric
    qa, qb = check.quantity_a, check.quantity_b
    difference = check.relative_difference
    score = round(min(1.0, 0.5 + difference) * min(1.0, judgement.pair.similarity + 0.2), 3)
    evidence = tuple(Evidence(claim.id, q.start, q.end, "number")
                     for claim, q in ((a, qa), (b, qb)) if q is not None)
    return Finding(
        id="", kind="numeric", score=score, severity="high" if difference >= 0.1 else "medium",
        claim_ids=(a.id, b.id),
        reason=f"{outlet_a} and {outlet_b} report different figures: {check.reason}",
        evidence=evidence,
        details={"value_a": qa.value if qa else None, "value_b": qb.value if qb else None,
                 "text_a": qa.text if qa else "", "text_b": qb.text if qb else "",
                 "counted": (qa.counted or qa.unit) if qa else "",
                 "relative_difference": round(difference, 4),
                 "similarity": judgement.pair.similarity})


def _contradiction(judgement: Judgement, a: Claim, b: Claim, outlet_a: str,
                   outlet_b: str) -> Finding:
    score = judgement.probabilities[1]
    evidence = differing_spans(a, b)
    words_a = [a.text[e.start - a.start:e.end - a.start] for e in evidence if e.claim_id == a.id]
    words_b = [b.text[e.start - b.start:e.end - b.start] for e in evidence if e.claim_id == b.id]
    differs = ""
    if words_a or words_b:
        differs = (f" They differ in: {outlet_a} “{' … '.join(words_a[:4]) or '—'}” vs "
                   f"{outlet_b} “{' … '.join(words_b[:4]) or '—'}”.")
    return Finding(
        id="", kind="contradiction", score=round(score, 3),
        severity="high" if score >= 0.9 and judgement.pair.similarity >= 0.7 else "medium",
        claim_ids=(a.id, b.id),
        reason=f"The NLI model judges these two statements incompatible "
               f"(contradiction {score:.0%}, similarity {judgement.pair.similarity:.2f}).{differs}",
        evidence=evidence,
        details={"probabilities": dict(zip(("agree", "contradict", "unrelated"),
                                           judgement.probabilities)),
                 "similarity": judgement.pair.similarity})


# Below this share of common words, two sentences are worded too differently for a word diff
# to point at what differs: everything would be highlighted.
MIN_DIFF_OVERLAP = 0.35


def differing_spans(a: Claim, b: Claim) -> tuple[Evidence, ...]:
    """Content words present in one sentence and not the other, as evidence spans; none when
    the two are worded too differently for a diff to help."""
    tokens_a = [(m.group(0), m.start()) for m in _TOKEN.finditer(a.text)]
    tokens_b = [(m.group(0), m.start()) for m in _TOKEN.finditer(b.text)]
    matcher = difflib.SequenceMatcher(a=[t.lower() for t, _ in tokens_a],
                                      b=[t.lower() for t, _ in tokens_b], autojunk=False)
    if matcher.ratio() < MIN_DIFF_OVERLAP:
        return ()
    spans: list[Evidence] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for claim, tokens, lo, hi in ((a, tokens_a, i1, i2), (b, tokens_b, j1, j2)):
            for word, offset in tokens[lo:hi]:
                if word.lower() not in _STOPWORDS:
                    spans.append(Evidence(claim.id, claim.start + offset,
                                          claim.start + offset + len(word), "differs"))
    return tuple(spans)


def _agreements(clusters: Sequence[tuple[str, ...]], by_id: dict[str, Claim],
                outlet_of: dict[str, str], judgements: Sequence[Judgement],
                settings: Settings) -> list[Finding]:
    labels: dict[frozenset[str], Judgement] = {
        frozenset((j.pair.a, j.pair.b)): j for j in judgements}
    findings = []
    for members in clusters:
        outlets = sorted({outlet_of[by_id[c].article_id] for c in members})
        if len(outlets) < settings.findings.agreement_min_outlets:
            continue
        inside = [labels[frozenset((x, y))] for i, x in enumerate(members) for y in members[i + 1:]
                  if frozenset((x, y)) in labels]
        if not inside or any(j.label == "contradict" or j.numeric.status == "conflict"
                             for j in inside):
            continue
        agreeing = [j for j in inside if j.label == "agree"]
        if not agreeing:
            continue
        score = round(float(np.mean([j.probabilities[0] for j in agreeing])), 3)
        findings.append(Finding(
            id="", kind="agreement", score=score, severity="low", claim_ids=tuple(members),
            reason=f"Corroborated by {len(outlets)} outlets ({', '.join(outlets)}): the model "
                   f"judges their statements to agree.",
            details={"outlets": outlets}))
    return findings


def _single_outlet(claims: Sequence[Claim], outlet_of: dict[str, str],
                   best_other_outlet: np.ndarray, settings: Settings) -> list[Finding]:
    outlets = set(outlet_of.values())
    if len(outlets) < 2:
        return []
    findings = []
    limit = settings.findings.single_outlet_max_similarity
    for claim, best in zip(claims, best_other_outlet):
        if best >= limit or claim.is_opinion:
            continue
        outlet = outlet_of[claim.article_id]
        has_facts = bool(claim.quantities) or bool(claim.source)
        evidence = tuple(Evidence(claim.id, q.start, q.end, "number") for q in claim.quantities)
        findings.append(Finding(
            id="", kind="single_outlet", score=round(float(1 - max(best, 0.0)), 3),
            severity="low", claim_ids=(claim.id,),
            reason=f"Only {outlet} reports this; the closest statement elsewhere has similarity "
                   f"{max(best, 0.0):.2f}." + (" It carries figures or a named source the other "
                                               "outlets do not." if has_facts else ""),
            evidence=evidence,
            details={"outlet": outlet, "best_similarity": round(float(best), 4)}))
    return findings
