"""Turn judged pairs, clusters and coverage into findings a reviewer can check.

Each finding carries both claims, a score in 0..1, a severity, the evidence spans to
highlight and one plain-language reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from crosscheck.align import weekdays_named, word_sequence
from crosscheck.claims import named_source
from crosscheck.config import Settings
from crosscheck.framing import compare_framing, is_question, same_source
from crosscheck.pairs import root
from crosscheck.quantities import written_in
from crosscheck.types import (FINDING_KINDS, PAIR_LABELS, Article, Claim, ClaimShape, Evidence,
                              Finding, Judgement, Mismatch)

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def build_findings(claims: Sequence[Claim], articles: Sequence[Article],
                   judgements: Sequence[Judgement], clusters: Sequence[tuple[str, ...]],
                   best_other_outlet: np.ndarray, settings: Settings,
                   shapes: Mapping[str, ClaimShape] | None = None,
                   closest_other_outlet: np.ndarray | None = None) -> tuple[Finding, ...]:
    """Findings from judged same-fact pairs: a numeric conflict is a numeric finding, a
    contradict label a contradiction (with the mismatch it rests on), and a pair with neither
    may carry a framing difference; agreements come from clusters of agreeing claims, and
    single-outlet findings from claims no other outlet comes close to
    (``best_other_outlet``, and ``closest_other_outlet``: the index in ``claims`` of the
    closest claim of another outlet, -1 if none)."""
    by_id = {c.id: c for c in claims}
    outlet_of = {a.id: a.outlet for a in articles}
    shapes = shapes or {}
    findings: list[Finding] = []
    for judgement in judgements:
        a, b = by_id[judgement.pair.a], by_id[judgement.pair.b]
        outlet_a, outlet_b = outlet_of[a.article_id], outlet_of[b.article_id]
        alignment = judgement.alignment
        if judgement.numeric.status == "conflict":
            findings.append(_numeric(judgement, a, b, outlet_a, outlet_b))
        elif judgement.label == "contradict" and alignment is not None and alignment.mismatches:
            findings.append(_contradiction(judgement, a, b, outlet_a, outlet_b))
        elif alignment is not None and not alignment.mismatches and a.id in shapes \
                and b.id in shapes and alignment.strength >= min(
                    settings.framing.min_alignment, settings.framing.certainty_min_alignment) \
                and not alignment.two_measures:
            # "killing at least three people, according to reports" / "killing 10 people", or
            # "knocked down by 6:40 a.m." / "took three hours to knock it down, he said": two
            # stages or measures of the news, not one fact attributed by one outlet only
            difference = compare_framing(a, b, shapes[a.id], shapes[b.id], outlet_a, outlet_b,
                                         settings.framing, same_words=alignment.verbatim)
            certainty = difference is not None and difference.aspect == "certainty"
            needed = (settings.framing.certainty_min_alignment if certainty
                      else settings.framing.min_alignment)
            close = certainty or judgement.pair.similarity >= settings.framing.min_similarity
            if difference is not None and close and alignment.strength >= needed:
                score = round(difference.score * alignment.strength, 3)
                findings.append(Finding(
                    id="", kind="framing", score=score,
                    severity="medium" if score >= settings.framing.medium_score else "low",
                    claim_ids=(a.id, b.id),
                    reason=f"Same fact, framed differently ({difference.aspect}): "
                           f"{difference.reason}",
                    evidence=difference.evidence,
                    details={**difference.details, "similarity": judgement.pair.similarity,
                             "alignment": alignment.strength,
                             "shared_words": list(alignment.shared),
                             **({"probabilities": dict(zip(PAIR_LABELS, judgement.probabilities))}
                                if judgement.probabilities else {})}))
    findings = _strongest_framing(findings, by_id)
    findings += _agreements(clusters, by_id, outlet_of, judgements, settings)
    findings += _single_outlet(claims, articles, best_other_outlet, closest_other_outlet,
                               settings, shapes)
    findings = sorted((f for f in findings if f.score >= settings.findings.min_score),
                      key=rank_key)
    return tuple(Finding(f"F{i + 1}", f.kind, f.score, f.severity, f.claim_ids, f.reason,
                         f.evidence, f.details) for i, f in enumerate(findings))


def _strongest_framing(findings: list[Finding], by_id: dict[str, Claim]) -> list[Finding]:
    """One framing finding per claim, aspect and other article: the one loaded sentence set
    against three close sentences of one other article is one finding, not three."""
    kept: dict[tuple, Finding] = {}
    framing = sorted((f for f in findings if f.kind == "framing"), key=lambda f: -f.score)
    for f in framing:
        a, b = (by_id[c] for c in f.claim_ids)
        aspect = f.details.get("aspect")
        keys = [(a.id, aspect, b.article_id), (b.id, aspect, a.article_id)]
        if not any(k in kept for k in keys):
            for k in keys:
                kept[k] = f
    unique = {id(f): f for f in kept.values()}
    return [f for f in findings if f.kind != "framing"] + list(unique.values())


def group_framing(findings: Sequence[Finding], claims: Sequence[Claim],
                  articles: Sequence[Article],
                  one_fact: Collection[frozenset[str]]) -> tuple[Finding, ...]:
    """One framing finding per fact and aspect, not one per pair of outlets: where twelve
    outlets carry one fact, two attributing it to the navy and ten stating it as fact, the
    pairs between them (twenty) become one finding that names both sides. The pairs of one
    aspect that share a claim are one fact (each passed the align stage); each claim sits on
    one side, the *marked* one (hedged, attributed, loaded) or the plain one. An outlet that
    also tells the fact plainly in another sentence is no outlet that frames it differently:
    its marked sentences leave the group (and a group left with no marked outlet is no
    finding). A finding of one pair stays as it was. Pairs that share a claim need not tell
    one fact, as a long sentence holds several: so a group holds only claims that are one fact
    with each other claim of another outlet in it (``one_fact``: the pairs the align stage
    judged one fact, each a frozenset of two claim ids), built from its strongest pair down;
    a pair that would bring in a claim of another fact leaves the group. The findings come
    back ranked and renumbered F1, F2, …"""
    by_id = {c.id: c for c in claims}
    order = {c.id: i for i, c in enumerate(claims)}
    outlet_of = {a.id: a.outlet for a in articles}
    framing = [f for f in findings if f.kind == "framing"]
    grouped = [f for f in findings if f.kind != "framing"]
    # one node per claim and aspect
    for members in _connected(framing, [[(f.details.get("aspect", ""), c) for c in f.claim_ids]
                                        for f in framing]):
        grouped += _framing_group(_one_fact_only(members, one_fact, by_id, outlet_of), by_id,
                                  order, outlet_of)
    grouped.sort(key=rank_key)
    return tuple(replace(f, id=f"F{i + 1}") for i, f in enumerate(grouped))


def _one_fact_only(members: list[Finding], one_fact: Collection[frozenset[str]],
                   by_id: Mapping[str, Claim], outlet_of: Mapping[str, str]) -> list[Finding]:
    """The pairs of a framing group whose claims all tell one fact, strongest pair first: "2.44
    million people cast their ballots" and "over 2.5 million people were eligible to vote"
    each share a fact with "almost all of the 2.5 million people eligible cast their votes,
    reports said", but not with each other, so only the stronger pair stays."""
    kept: set[int] = set()
    held: dict[str, str] = {}  # claim id → outlet
    for finding in sorted(members, key=lambda f: -f.score):
        new = {c: outlet_of[by_id[c].article_id] for c in finding.claim_ids if c not in held}
        if all(frozenset((c, d)) in one_fact for c, outlet in new.items()
               for d, other in held.items() if other != outlet):
            kept.add(id(finding))
            held.update(new)
    return [f for f in members if id(f) in kept]


def _marked(finding: Finding) -> str:
    """The claim of a framing pair that carries the difference: the hedged, attributed or
    loaded one."""
    a, b = finding.claim_ids
    details = finding.details
    if details.get("aspect") == "attribution":
        return a if details.get("source_a") else b
    return a if details.get("cues_a") else b


def _sides(pairs: list[tuple[Finding, str]]) -> tuple[set[str], set[str]]:
    """(marked, plain): the claims that carry a difference in some pair, and the others."""
    marked = {m for _, m in pairs}
    return marked, {c for f, m in pairs for c in f.claim_ids if c != m}


def _framing_group(members: list[Finding], by_id: Mapping[str, Claim], order: Mapping[str, int],
                   outlet_of: Mapping[str, str]) -> list[Finding]:
    """The framing pairs of one fact and aspect as one finding (see :func:`group_framing`)."""
    if len(members) == 1:
        return members
    pairs = [(f, _marked(f)) for f in members]
    marked, plain = _sides(pairs)
    if marked & plain:
        return members  # hedged against one claim, the firmer one against another: keep pairs
    outlet = {c: outlet_of[by_id[c].article_id] for c in marked | plain}
    plain_outlets = {outlet[c] for c in plain}
    pairs = [(f, m) for f, m in pairs if outlet[m] not in plain_outlets]
    members = [f for f, _ in pairs]
    if len(members) <= 1:
        return members
    marked, plain = _sides(pairs)
    aspect = members[0].details.get("aspect", "")
    cues: dict[str, list[str]] = {}
    for f, m in pairs:
        words = cues.setdefault(m, [])
        side = "cues_a" if f.claim_ids[0] == m else "cues_b"
        words += [w for w in f.details.get(side, []) if w not in words]

    def side_of(ids: set[str], note: Callable[[Claim], str]) -> list[dict]:
        return [{"claim_id": c, "outlet": outlet[c], "note": note(by_id[c])}
                for c in sorted(ids, key=order.__getitem__)]

    if aspect == "attribution":
        marked_side = side_of(marked, lambda c: c.source)
        plain_side = side_of(plain, lambda c: "")
    else:
        certainty = aspect == "certainty"
        marked_side = side_of(marked, lambda c: ", ".join(
            [repr(w) for w in cues.get(c.id, [])]
            + ([f"attributing it to {c.source}"] if c.source and certainty else [])))
        plain_side = side_of(plain, lambda c: f"reported by {c.source}"
                             if c.source and certainty else "")
    outlets = len({outlet[c] for c in marked | plain})
    same_words = all(f.details.get("same_words", False) for f in members)
    claim_ids = tuple(item["claim_id"] for side in sorted((marked_side, plain_side), key=len)
                      for item in side)  # the fewer first: the odd ones out
    return [Finding(
        id="", kind="framing", score=max(f.score for f in members),
        severity=min((f.severity for f in members), key=SEVERITY_ORDER.__getitem__),
        claim_ids=claim_ids,
        reason=f"Same fact, framed differently ({aspect}) by {outlets} outlets: "
               f"{_group_reason(aspect, marked_side, plain_side, same_words)}",
        evidence=tuple(dict.fromkeys(e for f in members for e in f.evidence)),
        details={"aspect": aspect, "marked": marked_side, "plain": plain_side,
                 **({"same_words": same_words} if aspect == "attribution" else {}),
                 "pairs": len(members), "compared": [list(f.claim_ids) for f in members],
                 "similarity": max(f.details.get("similarity", 0.0) for f in members),
                 "alignment": max(f.details.get("alignment", 0.0) for f in members)})]


def _listed(names: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _notes_by_outlet(items: list[dict], template: str) -> list[str]:
    """Each outlet once, with its notes ("12_7_ecb (to the Indian navy)")."""
    notes: dict[str, list[str]] = {}
    for item in items:
        kept = notes.setdefault(item["outlet"], [])
        if item["note"] and item["note"] not in kept:
            kept.append(item["note"])
    return [f"{name} ({template.format('; '.join(kept))})" if kept else name
            for name, kept in notes.items()]


def _group_reason(aspect: str, marked: list[dict], plain: list[dict],
                  same_words: bool) -> str:
    """Who frames the fact which way, in words (``same_words``: every pair of the group prints
    the same words)."""
    plain_names = _notes_by_outlet(plain, "{}")
    many_plain = len(plain_names) > 1
    if aspect == "attribution":
        attributing = _notes_by_outlet(marked, "to {}")
        attribute = "attribute" if len(attributing) > 1 else "attributes"
        if same_words:
            return (f"{_listed(plain_names)} {'print' if many_plain else 'prints'} the same "
                    f"words as fact, unattributed; {_listed(attributing)} {attribute} them.")
        return (f"{_listed(plain_names)} {'state' if many_plain else 'states'} this as fact, "
                f"unattributed; {_listed(attributing)} {attribute} it.")
    marked_names = _notes_by_outlet(marked, "{}")
    many_marked = len(marked_names) > 1
    if aspect == "certainty":
        return (f"{_listed(plain_names)} {'state' if many_plain else 'states'} it without a "
                f"hedge; {_listed(marked_names)} {'hedge' if many_marked else 'hedges'} it.")
    return (f"{_listed(marked_names)} {'use' if many_marked else 'uses'} loaded wording; "
            f"{_listed(plain_names)} {'do' if many_plain else 'does'} not.")


def group_conflicts(findings: Sequence[Finding], claims: Sequence[Claim],
                    articles: Sequence[Article]) -> tuple[Finding, ...]:
    """One contradiction or numeric finding per conflict, not one per pair of outlets: where
    two outlets count 14 workers and a third 41, the two pairs (14/41, 14/41) become one
    finding that sets the odd figure against the others. Pairs of one kind are one conflict
    when they share a claim *and* that claim's evidence (the figure, or the words that
    differ): a sentence with two figures may take part in two conflicts. A contradiction is
    joined only around one claim that every pair shares (the one that says it differently);
    figures are joined whenever they chain, each outlet's figure listed. A claim that
    would sit in one conflict with two different figures or words keeps its pairs. A
    finding of one pair stays as it was. The findings come back ranked and renumbered F1,
    F2, …"""
    by_id = {c.id: c for c in claims}
    order = {c.id: i for i, c in enumerate(claims)}
    outlet_of = {a.id: a.outlet for a in articles}
    grouped = [f for f in findings if f.kind not in _CONFLICTS]
    for kind in _CONFLICTS:
        members = [f for f in findings if f.kind == kind]
        # a finding without evidence cannot tell which conflict it is: it stays alone
        for component in _connected(members, [_conflict_nodes(f) for f in members]):
            grouped += _conflict_group(component, by_id, order, outlet_of)
    grouped.sort(key=rank_key)
    return tuple(replace(f, id=f"F{i + 1}") for i, f in enumerate(grouped))


_CONFLICTS = ("contradiction", "numeric")


def _connected(findings: Sequence[Finding],
               nodes: Sequence[Sequence[Hashable]]) -> list[list[Finding]]:
    """The findings joined wherever they share a node (``nodes``: each finding's), by
    union-find (:func:`crosscheck.pairs.root`), in the order they come; a finding without
    nodes stands alone."""
    index = {node: i for i, node in enumerate(dict.fromkeys(n for ns in nodes for n in ns))}
    parent = list(range(len(index)))
    for first, *rest in (ns for ns in nodes if ns):
        for other in rest:
            parent[root(parent, index[other])] = root(parent, index[first])
    groups: dict[Hashable, list[Finding]] = {}
    for n, (finding, ns) in enumerate(zip(findings, nodes)):
        groups.setdefault(root(parent, index[ns[0]]) if ns else ("alone", n), []).append(finding)
    return list(groups.values())


def _conflict_nodes(finding: Finding) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """(claim, its evidence spans) for each claim of a conflict pair; [] when a claim has no
    evidence span."""
    spans = {c: tuple(sorted((e.start, e.end) for e in finding.evidence if e.claim_id == c))
             for c in finding.claim_ids}
    return list(spans.items()) if all(spans.values()) else []


def _conflict_group(members: list[Finding], by_id: Mapping[str, Claim],
                    order: Mapping[str, int], outlet_of: Mapping[str, str]) -> list[Finding]:
    """The pairs of one conflict as one finding (see :func:`group_conflicts`)."""
    if len(members) == 1:
        return members
    said: dict[str, set[str]] = {}  # claim → what it says that differs (a figure, words)
    for f in members:
        for c, words in _what_differs(f).items():
            said.setdefault(c, set()).add(words)
    hubs = set.intersection(*(set(f.claim_ids) for f in members))
    if any(len(words) > 1 for words in said.values()) or (
            members[0].kind == "contradiction" and len(hubs) != 1):
        return members  # two conflicts in one claim, or a contradiction with no one centre
    word = {c: words.pop() for c, words in said.items()}  # each claim's one figure or words
    claim_ids = sorted(word, key=order.__getitem__)
    outlet = {c: outlet_of[by_id[c].article_id] for c in claim_ids}
    # The claims that say alike, the fewer first: the odd ones out. A contradiction's shared
    # claim stands alone and first: the others each contradict it, whatever their words.
    numeric = members[0].kind == "numeric"
    centre = [] if numeric else sorted(hubs)
    sides: dict[str, list[str]] = {}
    for c in claim_ids:
        if c not in centre:
            sides.setdefault(_alike(numeric, word[c], by_id[c]), []).append(c)
    ordered = ([centre] if centre else []) + sorted(
        sides.values(), key=lambda side: (len(side), order[side[0]]))
    claim_ids = [c for side in ordered for c in side]
    outlets = len(set(outlet.values()))
    best = max(members, key=lambda f: f.score)

    if numeric:  # outlets that give one value together
        told = [(list(dict.fromkeys(outlet[c] for c in side)), [word[side[0]]])
                for side in ordered]
    else:
        # The centre's outlet, then each other outlet once with all its words ("rises" and
        # "rose" in two of its sentences); outlets that say the same words together.
        words_of: dict[str, list[str]] = {}
        for c in claim_ids[1:]:
            words = words_of.setdefault(outlet[c], [])
            if word[c] not in words:
                words.append(word[c])
        together: dict[tuple[str, ...], list[str]] = {}
        for name, words in words_of.items():
            together.setdefault(tuple(words), []).append(name)
        told = [([outlet[centre[0]]], [word[centre[0]]])] + [
            (names, list(words)) for words, names in together.items()]
    verb = ("report", "reports") if numeric else ("say", "says")
    listing = "; ".join(
        f"{_listed(names)} {verb[len(names) == 1]} "
        f"{_listed(words if numeric else [f'“{w}”' for w in words])}" for names, words in told)
    sources = {by_id[c].source for c in claim_ids}
    cites = "; ".join(dict.fromkeys(f"{outlet[c]} cites {by_id[c].source or 'no source'}"
                                    for c in claim_ids))
    if numeric:
        widest = max(members, key=lambda f: f.details.get("relative_difference", 0.0))
        reason = (f"Same fact, different figures across {outlets} outlets: {listing} "
                  f"(the widest gap: {widest.details.get('comparison', '')})")
        if sources != {""}:
            reason += f" ({cites})"
        details = {"figures": [{"outlet": outlet[c], "claim_id": c, "text": word[c],
                                "source": by_id[c].source} for c in claim_ids],
                   "counted": best.details.get("counted", ""),
                   "relative_difference": max(f.details.get("relative_difference", 0.0)
                                              for f in members)}
    else:
        kinds = ", ".join(dict.fromkeys(
            MISMATCH_LABELS.get(m.get("kind", ""), m.get("kind", ""))
            for f in members for m in f.details.get("mismatches", [])))
        voice = ("All state it as their own reporting" if sources == {""}
                 else f"All give it as what {next(iter(sources))} said" if len(sources) == 1
                 else cites)
        confirmed = [f"{outlet[f.claim_ids[0]]} / {outlet[f.claim_ids[1]]}: contradiction "
                     f"{m['model_with']:.2f} as written, {m['model_without']:.2f} without "
                     f"“{m.get('a', '')}” / “{m.get('b', '')}”"
                     for f in members for m in f.details.get("mismatches", [])
                     if "model_with" in m]
        reason = (f"Same fact, {kinds}, across {outlets} outlets: {listing}."
                  + (f" {voice}." if voice else "")
                  + (f" The wording alone did not settle {len(confirmed)} of these pairs; the "
                     f"model confirmed each." if confirmed else ""))
        details = {"sides": [{"outlet": outlet[c], "claim_id": c, "says": word[c],
                              "source": by_id[c].source} for c in claim_ids],
                   "scope": best.details.get("scope", ""), "confirmed_by_model": confirmed}
    return [Finding(
        id="", kind=members[0].kind, score=max(f.score for f in members),
        severity=min((f.severity for f in members), key=SEVERITY_ORDER.__getitem__),
        claim_ids=tuple(claim_ids),
        reason=f"{reason.rstrip('.')}. It joins {len(members)} pairs of sentences, each "
               f"flagged on its own.",
        evidence=tuple(dict.fromkeys(e for f in members for e in f.evidence)),
        details={**details, "pairs": len(members),
                 "compared": [list(f.claim_ids) for f in members],
                 "similarity": max(f.details.get("similarity", 0.0) for f in members),
                 "alignment": max(f.details.get("alignment") or 0.0 for f in members)})]


def _what_differs(finding: Finding) -> dict[str, str]:
    """Each claim of a conflict pair → the words that differ in it: its figure, or its side
    of the mismatches."""
    a, b = finding.claim_ids
    d = finding.details
    if finding.kind == "numeric":
        return {a: str(d.get("text_a", "")), b: str(d.get("text_b", ""))}
    mismatches = d.get("mismatches", [])
    return {a: " / ".join(str(m.get("a", "")) for m in mismatches),
            b: " / ".join(str(m.get("b", "")) for m in mismatches)}


def _alike(numeric: bool, words: str, claim: Claim) -> str:
    """What claims on one side of a conflict share: the same figure (by value), or the same
    words."""
    if numeric:
        value = next((q.value for q in claim.quantities if q.text == words), None)
        return f"{value}" if value is not None else words.lower()
    return words.lower()


def rank_key(finding: Finding) -> tuple:
    """Most important first: severity, then kind (contradictions and numbers before framing,
    agreement and coverage), then score. Among agreements, a fact more outlets carry comes
    first, and one told in the outlets' own words before one they print in the same words (a
    quotation or wire copy each reprints: sure, but it tells a reader less). Among single-outlet
    claims, one with a detail to look for (:func:`checkable`) comes first."""
    details = finding.details or {}
    agreement = (-len(details.get("outlets", ())),
                 details.get("same_words_pairs", 0) == details.get("pairs", -1)) \
        if finding.kind == "agreement" else ()
    no_detail = (not checkable(finding),) if finding.kind == "single_outlet" else ()
    return (SEVERITY_ORDER[finding.severity], FINDING_KINDS.index(finding.kind), *agreement,
            *no_detail, -finding.score, finding.claim_ids)


def _numeric(judgement: Judgement, a: Claim, b: Claim, outlet_a: str, outlet_b: str) -> Finding:
    check = judgement.numeric
    qa, qb = check.quantity_a, check.quantity_b
    difference = check.relative_difference
    strength = judgement.alignment.strength if judgement.alignment else judgement.pair.similarity
    score = round(min(1.0, 0.5 + difference) * min(1.0, strength + 0.2), 3)
    evidence = tuple(Evidence(claim.id, q.start, q.end, "number")
                     for claim, q in ((a, qa), (b, qb)) if q is not None)
    sources = ""
    if a.source or b.source:
        sources = (f" ({outlet_a} cites {a.source or 'no source'}; "
                   f"{outlet_b} cites {b.source or 'no source'})")
    text_a, text_b = qa.text if qa else "?", qb.text if qb else "?"
    if check.quoted:
        speaker = named_source(a) or named_source(b)
        quotes = f"quotes {speaker} saying" if speaker else "quotes"
        reason = (f"One quotation, different figures: {outlet_a} {quotes} {text_a}, "
                  f"{outlet_b} {text_b} ({check.reason}); the words around the figure are "
                  f"quoted alike: “{check.quoted}”.")
    else:
        reason = (f"Same fact, different figures: {outlet_a} reports {text_a}, {outlet_b} "
                  f"reports {text_b} ({check.reason}){sources}.")
    return Finding(
        id="", kind="numeric", score=score, severity="high" if difference >= 0.1 else "medium",
        claim_ids=(a.id, b.id),
        reason=reason,
        evidence=evidence,
        details={"value_a": qa.value if qa else None, "value_b": qb.value if qb else None,
                 "text_a": qa.text if qa else "", "text_b": qb.text if qb else "",
                 "counted": (qa.counted or qa.unit) if qa else "",
                 "relative_difference": round(difference, 4), "comparison": check.reason,
                 **({"quoted_alike": check.quoted} if check.quoted else {}),
                 "similarity": judgement.pair.similarity,
                 "alignment": judgement.alignment.strength if judgement.alignment else None})


MISMATCH_LABELS = {"polarity": "one denies what the other reports",
                   "outcome": "opposite outcomes", "actor": "a different actor",
                   "time": "a different day or date", "place": "a different place"}


def describe_mismatch(m: Mismatch, outlet_a: str, outlet_b: str, source_a: str = "",
                      source_b: str = "") -> str:
    """The mismatch in words: "fox says “passed”; nyt says “failed”"; with the source one
    outlet cites for its side alone: "nyt, citing Bower, says “2009”"."""
    cites_a = f", citing {source_a}," if source_a and not source_b else ""
    cites_b = f", citing {source_b}," if source_b and not source_a else ""
    return f"{outlet_a}{cites_a} says “{m.a.text}”; {outlet_b}{cites_b} says “{m.b.text}”"


# A slot conflict between sentences this similar is not "in otherwise different sentences".
_SLOT_ALIKE = 0.6


def _contradiction(judgement: Judgement, a: Claim, b: Claim, outlet_a: str,
                   outlet_b: str) -> Finding:
    alignment = judgement.alignment
    # a mismatch still waiting for the model's corroboration is not part of the conflict
    mismatches = [m for m in alignment.mismatches if m.settled] or list(alignment.mismatches)
    mismatch = max(mismatches, key=lambda m: m.strength)
    strength = mismatch.strength
    score = round(min(1.0, 0.5 * strength + 0.5 * judgement.probabilities[1]
                      + 0.1 * (len(mismatches) - 1)), 3)
    evidence = tuple(Evidence(claim.id, span.start, span.end, "differs")
                     for m in mismatches
                     for claim, span in ((a, m.a), (b, m.b)) if span is not None)
    kinds = ", ".join(dict.fromkeys(MISMATCH_LABELS[m.kind] for m in mismatches))
    shared = ", ".join(alignment.shared[:6])
    if alignment.scope == "slot":
        apart = ("the sentences are otherwise different: "
                 if judgement.pair.similarity < _SLOT_ALIKE else "")
        reason = (f"One detail told two ways, {mismatch.description}: "
                  f"{describe_mismatch(mismatch, outlet_a, outlet_b)}. Each outlet gives only "
                  f"its own, in its own voice, and neither mentions the other's ({apart}"
                  f"similarity {judgement.pair.similarity:.2f}).")
    else:
        if a.source and b.source:
            voice = f"Both give it as what {a.source} said"
        elif a.source or b.source:
            voice = (f"{outlet_b if a.source else outlet_a} states it as its own reporting: "
                     "the source and the outlet cannot both be right")
        else:
            voice = "Both state it as their own reporting"
        tie = (f"; the same “{mismatch.tied}” on both sides ties it to one fact"
               if mismatch.tied else "")
        told = describe_mismatch(mismatch, outlet_a, outlet_b, a.source, b.source)
        reason = (f"Same fact, {kinds}: {told}. "
                  f"{voice} (similarity {judgement.pair.similarity:.2f}; shared: {shared}"
                  f"{tie}).")
    if mismatch.confirmed_by:
        with_words, without = mismatch.confirmed_by
        reason += (f" The wording alone does not settle that this is one fact's conflict, so "
                   f"the model was asked: it reads a contradiction both ways ({with_words:.2f}), "
                   f"falling to {without:.2f} once “{mismatch.a.text}” and "
                   f"“{mismatch.b.text}” are left out.")
    return Finding(
        id="", kind="contradiction", score=score,
        severity="high" if strength >= 0.75 else "medium",
        claim_ids=(a.id, b.id),
        reason=reason, evidence=evidence,
        details={"mismatches": [{"kind": m.kind, "a": m.a.text if m.a else "",
                                 "b": m.b.text if m.b else "",
                                 **({"model_with": m.confirmed_by[0],
                                     "model_without": m.confirmed_by[1]}
                                    if m.confirmed_by else {})}
                                for m in mismatches],
                 "probabilities": dict(zip(PAIR_LABELS, judgement.probabilities)),
                 "similarity": judgement.pair.similarity, "alignment": strength,
                 "scope": alignment.scope, "shared_words": list(alignment.shared)})


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
        # a claim in conflict with another of the cluster corroborates nothing; the rest may
        # (a cluster chains claims, and a conflict between two of them says nothing of a
        # quotation three outlets print alike)
        conflicted = {claim_id for j in inside if j.label == "contradict"
                      or j.numeric.status == "conflict"
                      or (j.alignment is not None and j.alignment.mismatches)
                      for claim_id in (j.pair.a, j.pair.b)}
        agree = [j for j in inside if j.label == "agree"
                 and not conflicted.intersection((j.pair.a, j.pair.b))
                 and _one_voice(by_id[j.pair.a], by_id[j.pair.b])]
        for core in _agreeing_cores(members, agree):
            outlets = sorted({outlet_of[by_id[c].article_id] for c in core})
            if len(outlets) < settings.findings.agreement_min_outlets:
                continue
            agreeing = [j for j in agree if j.pair.a in core and j.pair.b in core]
            findings.append(_agreement(core, outlets, agreeing))
    return findings


def _agreement(members: tuple[str, ...], outlets: list[str],
               agreeing: list[Judgement]) -> Finding:
    """The agreement finding of claims that all agree with one another (``agreeing``: their
    agreeing pairs)."""
    score = round(float(np.mean([_agreement_score(j) for j in agreeing])), 3)
    shared_sets = [set(j.alignment.shared) for j in agreeing if j.alignment is not None]
    shared = sorted(set.intersection(*shared_sets)) if shared_sets else []
    verbatim = sum(_verbatim(j) for j in agreeing)
    why = ("they print the same words" if verbatim == len(agreeing)
           else "the same fact, and the model judges the statements to agree"
           + (", some printed in the same words" if verbatim else ""))
    return Finding(
        id="", kind="agreement", score=score, severity="low", claim_ids=members,
        reason=f"Corroborated by {len(outlets)} outlets ({', '.join(outlets)}): {why}"
               + (f" (shared: {', '.join(shared[:6])})." if shared else "."),
        details={"outlets": outlets, "shared_words": shared, "same_words_pairs": verbatim,
                 "pairs": len(agreeing)})


def _verbatim(judgement: Judgement) -> bool:
    """One claim of the pair prints the other's words (``Alignment.verbatim``)."""
    return judgement.alignment is not None and judgement.alignment.verbatim


def _agreement_score(judgement: Judgement) -> float:
    """How surely a pair agrees: 1 when one claim prints the other's words (the model is not
    asked), else the calibrated probability of agreement."""
    return 1.0 if _verbatim(judgement) else judgement.probabilities[0]


def _one_voice(a: Claim, b: Claim) -> bool:
    """Whether two claims can be one fact told twice, as far as who says it and when goes.

    A quotation is its speaker's words: it agrees with another outlet's claim only when that
    names the same speaker (or none), or quotes the same words. An AARP director and a
    politician both saying Social Security needs "a package of changes" are two statements,
    not one fact told twice; a fire that "officials said" and "the port authority said" broke
    out is one fact. Two quotations in other words are two statements, whoever spoke them;
    so are two named speakers' statements ("Dock unions say" / "Berg said"). A
    question asserts nothing to agree with, and a remark made on Monday in one outlet and on
    Tuesday in the other is not corroborated by either."""
    days_a, days_b = weekdays_named(a.text), weekdays_named(b.text)
    if days_a and days_b and not days_a & days_b:
        return False
    if _same_words(a, b):
        return True
    if is_question(a.text) or is_question(b.text):
        return False
    if a.source and b.source and same_source(a.source, b.source):
        return True
    if a.is_quote and b.is_quote:
        return False
    if a.is_quote or b.is_quote:
        return not (a.source and b.source)
    return not (_names_someone(a.source) and _names_someone(b.source))


def _same_words(a: Claim, b: Claim) -> bool:
    """Speakers are named many ways ("he", "the church's minister" / "the Rev. Larry Kroon"):
    the same words are one quotation whoever the outlets say spoke them."""
    words_a, words_b = (set(word_sequence(c.content)) for c in (a, b))
    smaller = min(len(words_a), len(words_b))
    return bool(smaller) and len(words_a & words_b) / smaller >= 0.8


def _names_someone(source: str) -> bool:
    """The source names someone ("Berg", "Dock Workers Union"), rather than describing
    ("officials", "people familiar with the case") or pointing back ("he")."""
    words = source.split()
    return any(w[:1].isupper() for w in words[1:]) or (
        bool(words) and words[0][:1].isupper()
        and words[0].lower() not in _NOT_NAMES)


_NOT_NAMES = frozenset({"the", "a", "an", "he", "she", "they", "it", "we", "i", "some",
                        "many", "one", "two", "three", "several", "officials", "critics",
                        "experts", "analysts", "police", "witnesses", "sources", "people",
                        "authorities", "residents", "others"})


def _agreeing_cores(members: Sequence[str],
                    agreeing: Sequence[Judgement]) -> list[tuple[str, ...]]:
    """The groups of members that all agree with one another: a cluster chains claims (A
    close to B, B close to C), and A and C can be two different steps of a story, or two facts
    each told alike by several outlets. The first group starts from the surest agreeing pair
    and adds, in cluster order, each claim judged to agree with every claim already in; the
    next starts from the surest pair of claims in no group yet, and so on."""
    agree = {frozenset((j.pair.a, j.pair.b)) for j in agreeing}
    cores: list[tuple[str, ...]] = []
    taken: set[str] = set()
    left = list(agreeing)
    while left:
        best = max(left, key=_agreement_score)
        core = [best.pair.a, best.pair.b]
        for claim_id in members:
            if claim_id not in core and claim_id not in taken and all(
                    frozenset((claim_id, c)) in agree for c in core):
                core.append(claim_id)
        cores.append(tuple(c for c in members if c in core))
        taken.update(core)
        left = [j for j in left if j.pair.a not in taken and j.pair.b not in taken]
    return cores


def _single_outlet(claims: Sequence[Claim], articles: Sequence[Article],
                   best_other_outlet: np.ndarray, closest_other_outlet: np.ndarray | None,
                   settings: Settings, shapes: Mapping[str, ClaimShape]) -> list[Finding]:
    """Claims no claim of another outlet comes close to in meaning
    (``findings.single_outlet_max_similarity``): possibly facts only one outlet reports. Two
    reviewers judged about half of a sample of them right on real coverage (README); the
    rest another outlet tells in other words ("three weeks to reach a deal" / "with just
    three weeks left for lawmakers to avert a fiscal crisis"), in part or in whole, and
    neither the similarity nor shared rare words tell which. So the reason says what was
    checked, names only the figures that no other outlet's articles write, and says so when the
    claim gives nothing to look for (``details.checkable`` false, see :func:`_gives_detail`); the
    finding carries the closest claim of another outlet for the reader to check against.
    ``shapes``: the parsed claims (the analysis parses every single-outlet candidate)."""
    outlet_of = {a.id: a.outlet for a in articles}
    texts: dict[str, list[str]] = {}
    for article in articles:
        texts.setdefault(article.outlet, []).extend((article.title.lower(), article.text.lower()))
    if len(texts) < 2:
        return []
    elsewhere = {outlet: " ".join(text for other, parts in texts.items() if other != outlet
                                  for text in parts) for outlet in texts}
    findings = []
    for n, (claim, best) in enumerate(zip(claims, best_other_outlet)):
        if not may_be_single_outlet(best, settings) or claim.is_opinion:
            continue
        detail = _gives_detail(claim, shapes.get(claim.id))
        outlet = outlet_of[claim.article_id]
        only_here = _figures_only_here(claim, elsewhere[outlet])
        nearest = int(closest_other_outlet[n]) if closest_other_outlet is not None else -1
        closest = {} if nearest < 0 else {"closest_elsewhere": {
            "claim_id": claims[nearest].id, "outlet": outlet_of[claims[nearest].article_id],
            "text": claims[nearest].text}}
        evidence = tuple(Evidence(claim.id, q.start, q.end, "number") for q in claim.quantities)
        findings.append(Finding(
            id="", kind="single_outlet", score=round(float(1 - max(best, 0.0)), 3),
            severity="low", claim_ids=(claim.id,),
            reason=f"No other outlet has a sentence close to this one (the closest has "
                   f"similarity {max(best, 0.0):.2f}): possibly only {outlet} reports it."
                   + (f" No other outlet gives {', '.join(only_here)}." if only_here else "")
                   + ("" if detail else " It gives no name, figure, date, source or "
                                        "quotation to look for in the other articles."),
            evidence=evidence,
            details={"outlet": outlet, "best_similarity": round(float(best), 4),
                     "figures_only_here": only_here, "checkable": detail, **closest}))
    return findings


def may_be_single_outlet(best_other_outlet: float, settings: Settings) -> bool:
    """Whether a claim whose closest claim of another outlet has this similarity is a
    single-outlet candidate (below ``findings.single_outlet_max_similarity``)."""
    return best_other_outlet < settings.findings.single_outlet_max_similarity


def checkable(finding: Finding) -> bool:
    """Whether a single-outlet finding gives a detail to look for (``details.checkable``; a
    finding read from findings.json before 1.6 has none and counts as checkable)."""
    return bool((finding.details or {}).get("checkable", True))


def _gives_detail(claim: Claim, shape: ClaimShape | None) -> bool:
    """Whether a sentence carries a detail a reader can look for in another outlet's article:
    a figure or date, a name, a source (a pronoun too: "…, he said" reports a statement), or
    words in quotation marks. Single-outlet claims without any ("Nor is he a pundit.", "This
    time he let loose.") were judged right less often by two reviewers (14 of 36 on BASIL,
    against 28 of 44 with one): asides, or facts another outlet tells in other words, though
    some are facts only one outlet has ("The national railway suspended trains through the
    valley"). So they are kept, ranked after the others, and say so. A claim that was not
    parsed (``shape`` None) is taken as checkable."""
    return shape is None or bool(claim.quantities or shape.names or claim.source
                                 or claim.is_quote or shape.quoted)


def _figures_only_here(claim: Claim, elsewhere: str) -> list[str]:
    """The claim's figures that the other outlets' articles (``elsewhere``, in lower case) do
    not write. Not years or dates, nor a count in words ("the two leaders"): a detail, not a
    figure a reader checks."""
    return [q.text for q in claim.quantities
            if q.kind not in ("year", "date") and not written_in(q, elsewhere)
            and not (q.kind == "count" and not any(ch.isdigit() for ch in q.text))]
