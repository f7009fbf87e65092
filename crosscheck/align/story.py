"""The align stage across a whole story: slots (one descriptive detail told two ways in
sentences that are otherwise unlike) compared across every claim, mismatches the articles
themselves settle dropped, two stages or measures of the news marked, and the slot conflicts
merged with the candidate pairs' own alignments. See :mod:`crosscheck.align` for the stage as
a whole.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from crosscheck.align.compare import has_digit, mixed_dates, names_filler, who_did
from crosscheck.align.reading import (COUNTS, MONTH_DAY, MONTH_YEAR, SPEAKING_LEMMAS, TITLES,
                                      distinctive, inside_any, quotation_spans)
from crosscheck.config import AlignSettings, NumericSettings
from crosscheck.quantities import compare_quantities, other_figures, tenfold_apart
from crosscheck.types import (Alignment, Article, Claim, ClaimPair, ClaimShape, Mismatch,
                              NumericCheck, Quantity, Slot)


def slot_alignments(claims: Sequence[Claim], shapes: Mapping[str, ClaimShape],
                    articles: Mapping[str, Article], similarity: Callable[[str, str], float],
                    settings: AlignSettings, numeric: NumericSettings) -> list[Alignment]:
    """Conflicts between outlets over one descriptive fact, found across the whole story: one
    outlet names Gwen Ifill as "the moderator", another Martha Raddatz; one puts "the speech"
    at Memorial Bridge, the other at Key Bridge; one counts 250 "pages of emails", the other
    100. Such facts sit in a clause of long sentences that are otherwise far apart, so
    embedding similarity never pairs them.

    A conflict needs, for the anchor noun (with the same modifiers: "U.S. attorney" is not
    "defense attorney") and kind of filler: each outlet gives exactly one filler over all its
    claims and the two differ (or two names of one kind, see :func:`_conflicting`), neither
    outlet mentions the other's filler anywhere (an outlet that names both moderators is
    telling of two debates), and neither
    outlet has the anchor in more than ``align.slot_max_claims`` claims (a noun an article keeps
    using names many things). Its strength falls with how many claims of an outlet mention the
    anchor. Ages are compared only between articles dated within ``_AGE_DAYS`` of each other:
    people grow older between a manhunt and a trial. ``articles``: article id → article."""
    if not settings.slots:
        return []
    order = {c.id: n for n, c in enumerate(claims)}
    mentions: dict[tuple[str, str], int] = {}  # (outlet, word) → claims
    text_of: dict[str, list[str]] = {}
    groups: dict[tuple[str, str], dict[str, list[tuple[Claim, Slot]]]] = {}
    for claim in claims:
        shape = shapes.get(claim.id)
        if shape is None:
            continue
        outlet = articles[claim.article_id].outlet
        text_of.setdefault(outlet, []).append(claim.text)
        for word in shape.words | shape.joined:
            mentions[outlet, word] = mentions.get((outlet, word), 0) + 1
        for slot in shape.slots:
            groups.setdefault((slot.anchor, slot.kind), {}).setdefault(outlet, []).append(
                (claim, slot))
    _join_quotations(groups)
    raw = {outlet: " ".join(parts) for outlet, parts in text_of.items()}
    texts = {outlet: text.lower() for outlet, text in raw.items()}
    found = []
    for (anchor, kind), per_outlet in sorted(groups.items()):
        if len(per_outlet) < 2:
            continue
        outlets = sorted(per_outlet)
        for i, outlet_a in enumerate(outlets):
            for outlet_b in outlets[i + 1:]:
                items_a, items_b = per_outlet[outlet_a], per_outlet[outlet_b]
                # a person's surname in many claims is still one person (relatives aside)
                count = 1 if kind == "age" else max(mentions.get((outlet_a, anchor), 1),
                                                    mentions.get((outlet_b, anchor), 1))
                pick = _conflicting(items_a, items_b)
                if pick is None or count > settings.slot_max_claims:
                    continue
                strength = round(0.6 + 0.4 / count, 4)
                (a, slot_a), (b, slot_b) = pick
                if kind not in COUNTS and (names_filler(texts[outlet_b], kind, slot_a.key)
                                           or names_filler(texts[outlet_a], kind, slot_b.key)):
                    continue
                if kind == "age" and (not _same_time(articles[a.article_id].date,
                                                     articles[b.article_id].date) or _relatives(
                        raw[outlet_a] + " " + raw[outlet_b], anchor)):
                    continue
                if order[a.id] > order[b.id]:
                    (a, slot_a), (b, slot_b) = (b, slot_b), (a, slot_a)
                alignment = _slot_alignment(a, b, slot_a, slot_b, shapes, similarity, strength,
                                            numeric)
                if alignment is not None:
                    found.append(alignment)
    return found


def _join_quotations(groups: dict[tuple[str, str], dict[str, list]]) -> None:
    """One quotation that outlets give at two lengths is one: the speakers of “dishonest and
    hypocritical” join those of “Mitt Romney's Medicare ad is dishonest and hypocritical”.
    Only a :func:`~crosscheck.align.reading.distinctive` quotation, and only when it sits
    inside exactly one longer one."""
    anchors = sorted((anchor for anchor, kind in groups if kind == "speaker"), key=len)
    for short in anchors:
        if not distinctive(short.split()):
            continue
        longer = [a for a in anchors if len(a) > len(short) and f" {short} " in f" {a} "
                  and (a, "speaker") in groups]
        if len(longer) != 1:
            continue
        into = groups[longer[0], "speaker"]
        for outlet, items in groups.pop((short, "speaker")).items():
            into.setdefault(outlet, []).extend(items)


def _conflicting(items_a: list[tuple[Claim, Slot]],
                 items_b: list[tuple[Claim, Slot]]) -> tuple | None:
    """The two items whose fillers conflict: each outlet gives one filler for the anchor and
    they differ; or, when an outlet gives several (two speeches), two names of one kind that
    no other filler shares ("Memorial Bridge" / "Key Bridge"). None if nothing conflicts."""
    items_a = [x for x in items_a if any(_compatible(x[1], y[1]) for y in items_b)]
    items_b = [y for y in items_b if any(_compatible(x[1], y[1]) for x in items_a)]
    if not items_a or not items_b:
        return None
    keys_a = {slot.key for _, slot in items_a}
    keys_b = {slot.key for _, slot in items_b}
    if keys_a & keys_b:
        return None
    if items_a[0][1].kind == "time" and mixed_dates(keys_a | keys_b):
        return None  # "June 19" and "next Thursday" may well be one day
    if len(keys_a) == 1 and len(keys_b) == 1:
        return items_a[0], items_b[0]
    alike = [(x, y) for x in items_a for y in items_b
             if " " in x[1].key and " " in y[1].key
             and x[1].key.split()[-1] == y[1].key.split()[-1]]
    return alike[0] if len(alike) == 1 else None


_AGE_DAYS = 180


def _relatives(text: str, surname: str) -> bool:
    """Two people of one surname in the outlets' text ("Dzhokhar Tsarnaev", "Tamerlan
    Tsarnaev"): an age by surname cannot say whose. A nickname given in quotation marks
    ("William “Mo” Cowan", then "Mo Cowan") is the same person; a sentence's first word
    ("Though Weiner") is no first name."""
    from spacy.lang.en.stop_words import STOP_WORDS  # loaded with the parser already

    firsts = {m.group(1) for m in re.finditer(rf"\b([A-Z][a-z]+)\s+{re.escape(surname)}\b",
                                              text, re.I)
              if m.group(1)[:1].isupper() and m.group(1).lower() not in TITLES | {"said"}
              and not (m.group(1).lower() in STOP_WORDS
                       and re.search(r"(?:^|[.!?][\"”’']?\s+)$", text[:m.start()]))}
    nicknames = set(re.findall(rf"[\"“‘']([A-Z][a-z]+)[\"”’']\s+{re.escape(surname)}\b", text,
                               re.I))
    return len(firsts - nicknames) > 1


def _same_time(date_a: str | None, date_b: str | None) -> bool:
    """Both articles are dated, within ``_AGE_DAYS`` of each other."""
    try:
        day_a, day_b = (datetime.date.fromisoformat(str(d)[:10]) for d in (date_a, date_b))
    except ValueError:
        return False
    return abs((day_a - day_b).days) <= _AGE_DAYS


def _compatible(a: Slot, b: Slot) -> bool:
    """Whether two slots' anchors name one thing by their modifiers: a role needs the same
    ones ("U.N. ambassador" is not "ambassador to Libya"); an event, a count or a quotation
    may be more specific on one side ("the elections on Thursday" / "the House leadership
    elections"), not different ("the primary" / "the general election")."""
    if a.kind == "actor":
        return a.qualifiers == b.qualifiers
    return a.qualifiers <= b.qualifiers or b.qualifiers <= a.qualifiers


def _slot_alignment(a: Claim, b: Claim, slot_a: Slot, slot_b: Slot,
                    shapes: Mapping[str, ClaimShape], similarity: Callable[[str, str], float],
                    strength: float, numeric: NumericSettings) -> Alignment | None:
    pair = ClaimPair(a.id, b.id, round(similarity(a.id, b.id), 4))
    shape_a, shape_b = shapes[a.id], shapes[b.id]
    if slot_a.kind == "speaker":
        # who spoke a quotation is the outlet's own fact, whatever the quotation hedges or
        # makes conditional ("“If Nebraska succeeds, they will …,” Elliott said"); a hedge
        # outside it ("Elliott reportedly said") still counts
        comparable = slot_a.own_voice and slot_b.own_voice and not any(
            cue.kind == "hedge" and not inside_any(cue.start, shape.quoted)
            for claim, shape in ((a, shape_a), (b, shape_b)) for cue in claim.cues)
    elif slot_a.kind == "age":
        # "McCarthy, 49," is the outlet's own apposition, whatever the sentence goes on to
        # hedge: "On Friday, McCarthy, 53, appeared to be headed toward running unopposed"
        comparable = slot_a.own_voice and slot_b.own_voice
    else:
        comparable = slot_a.own_voice and slot_b.own_voice and not (
            shape_a.qualified or shape_b.qualified)
    why = "" if comparable else "one of them is someone's statement, hedged or conditional"
    if slot_a.kind in COUNTS:
        qa = _slot_quantity(a, slot_a)
        qb = _slot_quantity(b, slot_b)
        if qa is None or qb is None or not comparable or tenfold_apart(qa, qb):
            return None
        # both count the anchor, however the extractor read the noun after each number
        noun = "years" if slot_a.kind == "age" else slot_a.anchor
        shown = noun.split()[-1].rstrip("-")  # "four-day conference", "seven-term"
        counted_a = qa.counted if qa.counted.startswith(noun[:4]) else shown
        counted_b = qb.counted if qb.counted.startswith(noun[:4]) else shown
        check = compare_quantities((replace(qa, counted=counted_a),),
                                   (replace(qb, counted=counted_b),), numeric)
        if check.status != "conflict":
            return None
        if slot_a.kind == "age":
            named = re.search(rf"\b{re.escape(slot_a.anchor)}\b", a.text, re.I)
            told = (f"both give the age of {named.group(0) if named else slot_a.anchor.title()}"
                    ", each only once")
        else:
            counted = _counted_words(a, slot_a) or " of ".join(
                [slot_a.anchor.rstrip("-"), *sorted(slot_a.qualifiers | slot_b.qualifiers)])
            told = f"both count “{counted}”, and each outlet gives this count only once"
        check = replace(check, reason=f"{check.reason}; {told}")
        return Alignment(pair, True, strength, (slot_a.anchor,), (), why, comparable,
                         scope="slot", numeric=check)
    if slot_a.kind == "speaker":
        mismatch = Mismatch("actor", slot_a.filler, slot_b.filler,
                            f"who said “{_short(slot_a.anchor)}”", strength)
    else:
        what = {"actor": "who is", "place": "where is", "time": "when is"}[slot_a.kind]
        mismatch = Mismatch(slot_a.kind, slot_a.filler, slot_b.filler,
                            f"{what} the “{slot_a.anchor}”", strength)
    return Alignment(pair, True, strength, (slot_a.anchor,), (mismatch,), why, comparable,
                     scope="slot", numeric=NumericCheck("none", reason="not compared"))


def _counted_words(claim: Claim, slot: Slot) -> str:
    """The words between a figure and the noun it counts when they are its modifiers ("executive
    actions" of "32 executive actions"), "" for any other count ("250 pages of emails")."""
    after = claim.text[slot.filler.end - claim.start:].split()[:4]
    words = [w.strip(",.;:") for w in after]
    end = next((n for n, w in enumerate(words) if w.lower().startswith(slot.anchor[:4])), None)
    if not end:  # none, or the noun right after the figure
        return ""
    return " ".join(words[:end + 1])


def _slot_quantity(claim: Claim, slot: Slot) -> Quantity | None:
    found = next((q for q in claim.quantities if q.start == slot.filler.start), None)
    if found is None and slot.kind == "age":
        found = Quantity(slot.filler.text, slot.filler.start, slot.filler.end,
                         float(slot.key), "count", counted="years")
    return found


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def drop_mentioned(alignments: Sequence[Alignment], claims: Mapping[str, Claim],
                   articles: Mapping[str, Article]) -> tuple[Alignment, ...]:
    """Alignments without the actor, time and place mismatches that the articles themselves
    settle: when the article of one claim names the other claim's place, day or person
    anywhere, the two are not in conflict ("a shooting in Vancouver" / "a man in Canada": the
    Vancouver article says Canada too; "at SAP Arena" / "in Mannheim"). Weekdays are left
    alone, since articles name many in passing, unless the mismatch needs corroboration.
    Nor does a name settle who spoke a quotation both claims give: an outlet quoting the other
    outlet's speaker elsewhere does not give him this quotation.
    Slot mismatches were checked this way across each outlet already. Nor is it a conflict
    when one claim tells a state so far ("has not formally overturned it") and the other the
    event that ends it, reported no earlier (see :func:`_not_yet`). ``articles``: article
    id → article."""
    lowered: dict[str, str] = {}

    def names(article_id: str, value: str) -> bool:
        text = lowered.setdefault(article_id, articles[article_id].text.lower())
        date = MONTH_DAY.search(value.lower())
        if date:  # "March 9": the month and the day together, not any "9"
            return names_filler(text, "time", f"{date.group(1)} {int(date.group(2))}")
        year = MONTH_YEAR.fullmatch(value.lower())
        if year and year.group(1):  # "March 2008": the month and the year together
            return names_filler(text, "time", f"{year.group(1)} {year.group(2)}")
        words = [w for w in re.findall(r"[a-z0-9]+", value.lower()) if w not in TITLES]
        return bool(words) and names_filler(text, "name", words[-1])

    kept = []
    for al in alignments:
        a, b = claims[al.pair.a], claims[al.pair.b]
        if any(m.kind == "polarity" for m in al.mismatches):
            mismatches = tuple(m for m in al.mismatches if not _not_yet(m, a, b, articles))
            if mismatches != al.mismatches:
                al = replace(al, mismatches=mismatches)
        if al.scope != "slot" and any(m.kind in ("actor", "time", "place")
                                      for m in al.mismatches):
            one_quotation = _one_quotation(a.text, b.text)
            mismatches = tuple(
                m for m in al.mismatches if m.kind not in ("actor", "time", "place")
                or m.a is None or m.b is None
                or (m.kind == "time" and not has_digit(m) and not m.corroborate)
                or (one_quotation and m.kind == "actor" and _speaking(m))
                or not (names(a.article_id, m.b.text) or names(b.article_id, m.a.text)))
            if mismatches != al.mismatches:
                al = replace(al, mismatches=mismatches)
        kept.append(al)
    return tuple(kept)


# "has not formally overturned", "have not yet charged", "hasn't decided": a state up to the
# time of writing, which a later event ends.
_SO_FAR = re.compile(r"\b(?:has|have)(?:\s+not|n[’']t)\b|\bnot\s+yet\b|\byet\s+to\b", re.I)


def _not_yet(m: Mismatch, a: Claim, b: Claim, articles: Mapping[str, Article]) -> bool:
    """A polarity mismatch whose negated side tells a state so far ("has not formally
    overturned it") against an outlet that reports the event ("overturned the rule today"):
    events in sequence when the article reporting the event is dated later, or either article
    has no date; reported the same day or before, the two conflict."""
    if m.kind != "polarity" or m.a is None or m.b is None:
        return False
    for negated, span, other in ((a, m.a, b), (b, m.b, a)):
        before = negated.text[max(0, span.start - negated.start - 12):span.end - negated.start]
        if _SO_FAR.search(before) and not _SO_FAR.search(other.text):
            then, now = articles[other.article_id].date, articles[negated.article_id].date
            return not (then and now and then <= now)
    return False


def _one_quotation(text_a: str, text_b: str) -> bool:
    """Both claims give the same quotation, long enough to be one person's words
    (:func:`~crosscheck.align.reading.distinctive`), the one whole or inside the other."""
    def quoted(text: str) -> list[str]:
        return [" ".join(words) for s, e in quotation_spans(text)
                for words in [re.findall(r"[a-z0-9]+", text[s:e].lower().replace("’", "'"))]
                if distinctive(words)]
    return any(f" {x} " in f" {y} " or f" {y} " in f" {x} "
               for x in quoted(text_a) for y in quoted(text_b))


def _speaking(m: Mismatch) -> bool:
    """An actor mismatch over who speaks: its verb is one of saying ("who “say”")."""
    return m.description in {who_did(verb) for verb in SPEAKING_LEMMAS}


def mark_two_measures(alignments: Sequence[Alignment], claims: Mapping[str, Claim],
                      numeric: NumericSettings) -> tuple[Alignment, ...]:
    """The alignments with their same-fact pairs marked ``two_measures`` where the claims give
    the fact different figures ("killing at least three people" / "killing 10 people"; "by
    6:40 a.m." / "took three hours"): two stages or measures of the news, which no framing
    finding compares or joins (:func:`crosscheck.quantities.other_figures`, on the pair's own
    comparison of figures)."""
    return tuple(replace(al, two_measures=other_figures(
                     claims[al.pair.a], claims[al.pair.b], al.numeric or NumericCheck("none"),
                     numeric)) if al.same_fact else al
                 for al in alignments)


def merge_slot_alignments(alignments: Sequence[Alignment],
                          slots: Sequence[Alignment]) -> tuple[Alignment, ...]:
    """The candidate pairs' alignments with the story's slot conflicts added: a slot conflict
    replaces a pair's own alignment unless that one already holds a mismatch between the
    outlets' own assertions or a figure conflict."""
    by_pair = {(al.pair.a, al.pair.b): n for n, al in enumerate(alignments)}
    merged = list(alignments)
    for slot in slots:
        n = by_pair.get((slot.pair.a, slot.pair.b))
        if n is None:
            by_pair[(slot.pair.a, slot.pair.b)] = len(merged)
            merged.append(slot)
            continue
        own = merged[n]
        reportable = own.same_fact and (
            (own.comparable and own.mismatches)
            or (own.numeric is not None and own.numeric.status == "conflict"))
        if not reportable:
            merged[n] = slot
    return tuple(merged)
