"""Reading one claim for the align stage: its parse (spaCy, loaded once by the model layer)
turned into a :class:`~crosscheck.types.ClaimShape` (actors, predicates, negation and hedge
scope, times, places, quotations, clauses) and the *slots* the story-wide comparison reads
(who holds a role, where or when a named thing was, a count of a rare noun, an age, who spoke
a quotation). The parse stays inside this module; the rest of the pipeline gets plain
records. See :mod:`crosscheck.align` for the stage as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from crosscheck.framing import CONDITIONAL_HEDGES, PRONOUN_ATTRIBUTION, US_STATES, _DEMONYMS
from crosscheck.quantities import is_figure
from crosscheck.types import Claim, ClaimShape, Quantity, Slot, Span


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
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
OPPOSITE_OF: dict[str, set[str]] = {}
for _pair in OPPOSITES:
    _x, _y = tuple(_pair)
    OPPOSITE_OF.setdefault(_x, set()).add(_y)
    OPPOSITE_OF.setdefault(_y, set()).add(_x)

COUNTRIES = frozenset(_DEMONYMS.values())
_NEGATIVE_PRONOUNS = frozenset({"nobody", "nothing", "none", "noone"})
_NEGATING_ADVERBS = frozenset({"no", "never"})  # not "barely": "barely won" is won
NEAR_MISS = frozenset({"nearly", "almost"})  # "nearly destroyed": not destroyed
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
TITLES = frozenset("mr mrs ms dr sen rep gov pres gen lt col sgt president senator "
                   "representative governor secretary minister chairman leader judge "
                   "justice the".split())
_QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"))
_HEDGE_VERBS = frozenset("appear seem expect believe think project estimate understand say "
                         "report".split())
# Hedges that are only conditional wording; they make a claim conditional, not hedged.
_CONDITIONAL = frozenset(CONDITIONAL_HEDGES)


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


def inside_any(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
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
            elif word not in TITLES and len(word) > 1:
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
        return "" if word in TITLES else _DEMONYMS.get(word, word)
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
    offset = claim.start
    quotes = quotation_spans(claim.text)
    source_start, source_end = _source_span(claim)

    def in_content(t) -> bool:
        return not (source_start <= t.idx < source_end)

    tokens = [t for t in doc if in_content(t)]
    clause_of = {t.i: _clause_head(t).i for t in doc}
    # clause heads in sentence order (the dict keeps it) → clause number
    clause_index = {head: n for n, head in enumerate(sorted(set(clause_of.values())))}
    clause_sets: list[set[str]] = [set() for _ in clause_index]
    for t in tokens:
        key = _word_key(t)
        if key:
            clause_sets[clause_index[clause_of[t.i]]].add(key)
    words, word_spans, predicates = _content_words(tokens, offset)
    negated, negation_spans = _negations(tokens, doc, offset)
    infinitives: set[str] = set()  # verbs only as "to ...": "in talks to direct"
    finite: set[str] = set()
    for t in tokens:
        if t.pos_ == "VERB":
            (infinitives if _infinitival(t) else finite).add(_lemma(t))
    # "barely landed a punch" is neither a landing nor a miss: compared with neither
    barely = {_lemma(t.head) for t in tokens if t.lower_ in ("barely", "hardly", "scarcely")}
    doers = [(_lemma(t), who) for t in tokens
             if t.pos_ == "VERB" and not inside_any(t.idx, quotes) for who in [_doer(t)] if who]
    hedges, conditional, conditioned = _hedges(claim, doc, tokens, quotes, clause_of, in_content)
    loaded = _loaded(claim, doc, quotes, in_content)
    return ClaimShape(
        claim_id=claim.id, words=frozenset(words), names=frozenset(_name_tokens(tokens)),
        negated=frozenset(negated), predicates=frozenset(predicates),
        unasserted=frozenset((infinitives - finite) | barely),
        subjects=tuple(_subjects(tokens, doc, quotes, offset)),
        times=tuple(_times(tokens, doc, quotes, offset, in_content)),
        places=tuple(_places(doc, quotes, offset, in_content)),
        doers=tuple(doers),
        hedges=tuple(span for _, span in hedges),
        hedge_verbs=tuple(_lemma(verb) for verb, _ in hedges),
        hedge_clauses=tuple(sorted({clause_index[clause_of[verb.i]] for verb, _ in hedges})),
        conditional_clauses=tuple(sorted(clause_index[head] for head in conditioned)),
        loaded=tuple(span for _, _, span in loaded),
        loaded_heads=tuple((verb, head) for verb, head, _ in loaded),
        conditional=conditional,
        reported_spans=tuple(_reported_spans(tokens, offset, in_content)),
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
                              if t.pos_ == "VERB" and not inside_any(t.idx, quotes)
                              for c in t.children
                              if c.dep_ == "dobj" and c.pos_ == "NOUN"})),
        moves=tuple(sorted({move for t in tokens if t.pos_ == "VERB"
                            and not inside_any(t.idx, quotes) for move in _moves(t)})))


def _source_span(claim: Claim) -> tuple[int, int]:
    """Where the claim's attribution ("X said") sits in its text, (-1, -1) if nowhere."""
    text = claim.text
    source_start = text.find(claim.source) if claim.source else -1
    if claim.source and source_start < 0:
        # "He said" whose "He" the claims stage resolved to the speaker named before ("Mr.
        # Weiner"): the attribution is still the pronoun in the text.
        pronoun = PRONOUN_ATTRIBUTION.search(text)
        if pronoun:
            return pronoun.span(1)
    return (source_start, source_start + len(claim.source)) if source_start >= 0 else (-1, -1)


def _content_words(tokens, offset: int) -> tuple[set[str], dict[str, Span], set[str]]:
    """(content lemmas, where each first stands, predicates): nouns, verbs, adjectives and
    adverbs that are not names, stop words, reporting verbs or negations; predicates are the
    verbs and adjectives that do not report speech."""
    words: set[str] = set()
    word_spans: dict[str, Span] = {}
    predicates: set[str] = set()
    for t in tokens:
        lemma = _lemma(t)
        if t.pos_ in ("VERB", "ADJ") and lemma.split("_")[0] not in REPORTING_LEMMAS:
            predicates.add(lemma)
        if t.pos_ in _CONTENT_POS and t.pos_ != "PROPN" and not t.is_stop and t.is_alpha \
                and len(lemma) > 1 and not _reporting(t, lemma) and t.dep_ != "neg" \
                and not (t.ent_type_ in _NAME_ENTS and t.pos_ != "VERB"):
            words.add(lemma)
            word_spans.setdefault(lemma, _span(t, offset))
    return words, word_spans, predicates


def _negations(tokens, doc, offset: int) -> tuple[set[str], dict[str, Span]]:
    """(negated lemmas, the words that negate each): "not", "no", "never", "nobody"; "nearly"
    before its verb; "refused to", "denied that"."""
    negated: set[str] = set()
    negation_spans: dict[str, Span] = {}
    for t in tokens:
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
    return negated, negation_spans


def _reported_spans(tokens, offset: int, in_content: Callable) -> list[tuple[int, int]]:
    """Clauses a stance verb of the content reports ("Moscow denied that ..."): a position,
    not the attribution verb; each from the verb to the end of its complement."""
    spans = []
    for t in tokens:
        if t.lemma_.lower() in _STANCE_LEMMAS and t.pos_ == "VERB" and not any(
                c.dep_ in _SUBJECT_DEPS and not in_content(c) for c in t.children):
            for c in t.children:
                if c.dep_ == "ccomp":
                    first = min(t.idx, c.left_edge.idx)
                    last = max(t.idx + len(t), c.right_edge.idx + len(c.right_edge))
                    spans.append((offset + first, offset + last))
    return spans


def _subjects(tokens, doc, quotes: list[tuple[int, int]], offset: int) -> list[tuple]:
    """(verb lemma, the named subject or passive agent's name words, its span), outside
    quotations."""
    subjects = []
    for t in tokens:
        if t.pos_ not in ("VERB", "AUX") or inside_any(t.idx, quotes):
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
    return subjects


def _times(tokens, doc, quotes: list[tuple[int, int]], offset: int,
           in_content: Callable) -> list[tuple]:
    """(time key, the event verb's lemma, span) of the content outside quotations: weekdays,
    month and day ("aug 9"), "in April", "in 2009", "in March 2008"."""
    times = []
    for t in tokens:
        if t.lower_ in WEEKDAYS and not inside_any(t.idx, quotes):
            times.append((t.lower_, _lemma(_event_verb(t)), _span(t, offset)))
    for ent in doc.ents:
        if ent.label_ == "DATE" and in_content(ent[0]) and not inside_any(ent.start_char, quotes):
            match = MONTH_DAY.search(ent.text.lower())  # "August 9", "Aug. 9": "aug 9"
            if match:
                times.append((f"{match.group(1)} {int(match.group(2))}",
                              _lemma(_event_verb(ent.root)), _span(ent, offset)))
            elif ent.text.lower() in MONTHS and ent.root.head.lower_ == "in":
                times.append((ent.text.lower(), _lemma(_event_verb(ent.root)),
                              _span(ent, offset)))  # "in April"
            elif ent.root.head.lower_ == "in" and MONTH_YEAR.fullmatch(ent.text.lower()):
                # "in 2009", "in March 2008": "2009", "mar 2008"
                month, year = MONTH_YEAR.fullmatch(ent.text.lower()).groups()
                times.append((f"{month} {year}" if month else year,
                              _lemma(_event_verb(ent.root)), _span(ent, offset)))
    return times


def _places(doc, quotes: list[tuple[int, int]], offset: int, in_content: Callable) -> list[tuple]:
    """(place name, the event verb's lemma, span, entity label) of places the content puts an
    event at ("in Tucson", "at Key Bridge"), outside quotations."""
    places = []
    for ent in doc.ents:
        if (ent.label_ in _PLACE_ENTS and in_content(ent[0])
                and not inside_any(ent.start_char, quotes)):
            root = ent.root
            if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
                places.append((" ".join(_name_tokens(ent)) or ent.text.lower(),
                               _lemma(_event_verb(root)), _span(ent, offset), ent.label_))
    return places


def _hedges(claim: Claim, doc, tokens, quotes: list[tuple[int, int]],
            clause_of: Mapping[int, int], in_content: Callable) -> tuple[list, bool, set[int]]:
    """(the hedges that qualify a predicate the claim does not also state plainly, each with
    its clause's verb; whether the claim is conditional; the clause heads a condition
    governs)."""
    offset = claim.start
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
        if token is None or not in_content(token) or (inside_any(local, quotes)
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
                   and not inside_any(t.idx, quotes) and not _infinitival(t)
                   and not _under_condition(t, attribution_verbs)} if hedges else set()
    hedges = [(verb, span) for verb, span in hedges if _lemma(verb) not in plain_verbs]
    for t in tokens:
        marks = [c for c in t.children if c.dep_ == "mark" and c.lower_ in ("if", "unless")]
        if t.dep_ == "advcl" and marks and t.head.dep_ == "ROOT":
            conditional = True
            conditioned.update(_conditioned(marks[0], clause_of))
    return hedges, conditional, conditioned


def _loaded(claim: Claim, doc, quotes: list[tuple[int, int]],
            in_content: Callable) -> list[tuple[str, str, Span]]:
    """(clause verb, what the loaded word is about, its span) of each loaded-word cue of the
    content outside quotations."""
    offset = claim.start
    by_offset = {t.idx: t for t in doc}
    loaded = []
    for cue in claim.cues:
        token = by_offset.get(cue.start - offset)
        if cue.kind == "loaded" and token is not None and in_content(token) \
                and not inside_any(cue.start - offset, quotes):
            verb = _clause_verb(token)
            # A loaded verb's own clause says what it is about, not the noun the clause hangs
            # from ("pirates who threatened a vessel" is about the vessel, not the pirates).
            head = verb if verb.i == token.i else token.head
            loaded.append((_lemma(verb), _lemma(head), Span(cue.text, cue.start, cue.end)))
    return loaded


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
MONTH_DAY = re.compile(r"\b(%s)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
                       % "|".join(m[:3] for m in MONTHS))
# A year, alone or after its month: "2009", "march 2008" (lower case)
MONTH_YEAR = re.compile(r"(?:(%s)[a-z]*\.?\s+)?((?:1[89]|20)\d\d)"
                        % "|".join(m[:3] for m in MONTHS))


def _slot_anchor(token) -> bool:
    """A common noun that can carry a descriptive fact: "moderator", "speech", "attorney"; not a
    name, not a title shared by many ("Justice", "Sen.")."""
    if not token.is_alpha or len(token.text) < 3 or token.is_stop or token.ent_type_:
        return False
    if token.lemma_.lower() in TITLES or token.lemma_.lower() in REPORTING_LEMMAS:
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
    if TOTAL.search(claim.text):
        counts = []  # "so far, 923 rounds": a running total, not one count
    # a figure by any of its tokens: "$" or "34,000" of "$34,000", "two" of "nearly two-dozen"
    figures_at = {i: q for q in counts for i in range(q.start - offset, q.end - offset)}
    ents = [e for e in doc.ents if e.label_ in ("PERSON", "GPE", "FAC", "LOC", "DATE")
            and not inside_any(e.start_char, quotes)]
    for t in doc:
        described = _described_count(t, doc)
        anchors = _slot_anchor(t)  # a role, a place or a time may hang from it too
        if inside_any(t.idx, quotes) or not (described or anchors):
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
        if holder is not None and not inside_any(holder.idx, quotes):
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
        if inside_any(match.start(), quotes) or name.lower() in TITLES or not 0 < age < 111:
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
        namer = _namer(doc, start, end) if distinctive(words) else None
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
SPEAKING_LEMMAS = REPORTING_LEMMAS | frozenset("describe call dub label brand term".split())


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
        if verb.lemma_.lower() not in SPEAKING_LEMMAS:
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
_NOT_IN_A_NAME = TITLES | _RANKS | _NAME_SUFFIXES | _ARTICLES
COUNTS = frozenset({"figure", "age"})  # slots compared as numbers
TOTAL = re.compile(r"\b(?:in total|total|overall|in all|altogether|combined|so far|to date)\b",
                   re.I)
# A count of part of a span: "arrested three times since October", "four seasons as the Sixers'
# Director of Player Personnel" (against "19 seasons with the 76ers").
SCOPED = re.compile(r"\bsince\s+(?:[A-Z][a-z]+|\d{4}|last|early|late|the\s+start)\b|"
                    r"\bas\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+)?(?:[A-Z][\w’'.-]*\s+)*"
                    r"(?:[Dd]irector|[Cc]oach|[Pp]resident|[Cc]hairman|[Cc]hief|[Mm]anager|"
                    r"[Ss]ecretary|[Cc]aptain|[Cc]ommissioner|[Gg]overnor|[Mm]ayor|[Ss]enator)\b")
# A figure followed by this is a rate: "$22 million per season", "$5 an hour", "annually".
RATE = re.compile(r"\s*(?:\w+\s+)?(?:per|a|an|each)\s+(?:year|season|month|week|day|hour|"
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
    date = MONTH_DAY.search(text)
    if date:
        return f"{date.group(1)} {int(date.group(2))}"
    return day


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


def distinctive(words: Sequence[str]) -> bool:
    """A quotation long enough to be one person's words: three words or more, two of them of
    four letters or more ("dishonest and hypocritical"; not "not at all")."""
    return len(words) >= 3 and sum(len(w) >= 4 for w in words) >= 2
