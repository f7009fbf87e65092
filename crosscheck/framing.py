"""Framing signals of one claim, and framing differences between two claims of the same fact.

Three aspects, each with the cue words as evidence:
- certainty: hedges lower it, boosters raise it back; an asserted claim has 1.0. Hedges come in
  four kinds (:func:`hedge_kind`): epistemic ("likely", "appears to", "suggests"), modal
  ("may", "might", "could"), conditional ("if", "would") and reported ("reportedly",
  "allegedly", "is said to", "is believed"). "would" after a reporting verb is reported
  speech in the past ("said it would"), not a hedge; "could not" and "could be seen" are not
  one either;
- attribution: who the claim is attributed to ("KCNA said", "according to ..."), compared in
  a normalised form (:func:`normalise_source`: "South Korea's intelligence agency" and "the
  South Korean intelligence agency" match; "sources familiar with the talks" and "people
  familiar with the matter" are both anonymous sources), or ``unattributed`` when stated as
  fact;
- wording: loaded or subjective words and phrases (``LOADED``).

The lexicons are the project's own, kept explicit so an editor can see why a cue fired. A hedge
is about the writer's certainty that something happened: "potential deployment" names a
possible event and is not a hedge; "likely discussed" is.

How ``LOADED`` was built: words a neutral report would not need — speech verbs that
characterise ("slammed", "complained", "scoffed"), vivid verbs for ordinary actions ("gutted",
"raided"), evaluative and emotive adjectives and nouns ("phony", "testy", "fiasco", "regime"),
editorialising adverbs ("wildly", "famously") and distancing labels ("so-called",
"self-styled") — written from general knowledge of news language, then checked on the dev
years of BASIL (2010–2012) with ``crosscheck eval --format basil``: words that fired mostly on
sentences without a lexical-bias span were dropped when they are also common neutral news
words ("controversial", "failed", "crisis", "radical", "partisan", "merely", "massive",
"refused", "insisted", "threat", "demand", "powerful"), and single common words that the dev
spans showed to be loaded ("complained", "threatened", "dangled", "testy", "frosty") were
added. Only single common English words and short set phrases are listed; no text from the
data set is. The 2013–2014 years were not looked at while building it (they are the held-out
figures). Lexical-bias F1 at sentence level: dev 0.12 → 0.53 (partly fitted), held-out
0.21 → 0.29; the every-sentence-with-an-adjective baseline scores 0.14 / 0.11. A review of
framing findings on ECB+ (crime, disasters, piracy) showed "threatened" in its plain senses
("pirates threatened a vessel", "a threatened species"); it now counts only as a threat to act
("threatened Monday to file"): dev 0.53 → 0.52, held-out 0.286 → 0.288.

A statistical alternative was measured and left out: a logistic regression over the embedding
model's vectors of single words, trained on the dev years' lexical-bias spans, scores held-out
F1 0.16–0.18 alone and 0.29–0.30 together with this list: 139 positive dev sentences are too
few to learn loaded wording from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.config import FramingSettings
from crosscheck.types import Claim, ClaimShape, Cue, Evidence, Span

# Hedges, by kind. Each lowers certainty by HEDGE_WEIGHT.
EPISTEMIC_HEDGES = (
    "likely", "unlikely", "probably", "possibly", "perhaps", "maybe", "apparently",
    "seemingly", "presumably", "appears to", "appear to", "appeared to", "seems to",
    "seem to", "seemed to", "appears aimed", "is expected to", "are expected to",
    "was expected to", "were expected to", "is projected", "are projected", "projected to",
    "is estimated", "are estimated", "suggests", "suggest", "suggested", "suggesting",
    "speculation", "speculated", "unconfirmed", "unclear", "not clear", "it is possible",
    "is seen as", "are seen as", "was seen as", "were seen as",
)
MODAL_HEDGES = ("may", "might", "could")
CONDITIONAL_HEDGES = ("if", "would", "unless")
REPORTED_HEDGES = (
    "reportedly", "allegedly", "purportedly", "supposedly", "rumoured", "rumored",
    "is said to", "are said to", "was said to", "were said to", "is believed", "are believed",
    "was believed", "were believed", "believed to", "is thought", "are thought", "thought to",
    "is understood to", "was understood to", "were understood to",
)
HEDGES = EPISTEMIC_HEDGES + MODAL_HEDGES + CONDITIONAL_HEDGES + REPORTED_HEDGES
BOOSTERS = (
    "clearly", "certainly", "definitely", "undoubtedly", "indeed", "in fact", "confirmed",
    "confirms", "proved", "proves", "without doubt", "no doubt", "undeniably", "obviously",
)
# Loaded or subjective wording a neutral report would avoid (see the module docstring for how
# the list was built). Word forms are listed explicitly; matching is whole-word, any case.
LOADED = (
    # speech verbs that characterise rather than report ("slammed" for "criticised")
    "slammed", "slams", "slamming", "blasted", "blasts", "blasting", "lashed out",
    "lashing out", "lambasted", "lambasting", "excoriated", "excoriating", "chided", "chiding",
    "scolded", "scolding", "berated", "berating", "derided", "deriding", "mocked", "mocking",
    "mockingly", "ridiculed", "ridiculing", "scoffed", "scoffing", "sneered", "sneering",
    "taunted", "taunting", "railed", "railing against", "ranted", "ranting", "rant", "tirade",
    "tirades", "bashed", "bashing", "assailed", "savaged", "skewered", "pounced", "pouncing",
    "rebuked", "rebuffed", "snubbed", "bemoaned", "complained", "complaining", "whined",
    "whining", "boasted", "boasting", "bragged", "bragging", "trumpeted", "crowed", "gloated",
    "fumed", "fuming", "seethed", "caved", "flip-flopped", "flip-flop", "flip-flops",
    "backpedaled", "backpedaling", "dodged", "dodging", "stonewalled", "stonewalling",
    "demagogued", "demagogue", "demagoguery", "smeared", "smears", "peddled", "peddling",
    "refused to budge", "threatened", "hailed", "lauded", "heralded",
    # vivid action verbs for ordinary actions ("gutted" a budget, "raided" a fund)
    "ripped", "ripping", "gutted", "gutting", "slashed", "slashes", "slashing", "raided",
    "raiding", "stole", "plundered", "torpedoed", "sabotaged", "hijacked", "decimated",
    "wreaked", "stoked", "stoking", "inflamed", "dangled", "dangling", "flirted", "flirting",
    "clinging", "squeezed out", "skyrocketed", "ballooned", "terrorize", "terrorise",
    # evaluative and emotive adjectives and nouns
    "phony", "bogus", "sham", "dishonest", "hypocritical", "hypocrisy", "hypocrite",
    "appalling", "dismal", "devastating", "ferocious", "frosty", "testy", "fiery", "nasty",
    "vicious", "venomous", "vitriolic", "vitriol", "scathing", "blistering", "fierce",
    "fiercely", "furious", "furiously", "incensed", "livid", "irate", "contemptuous",
    "disdainful", "dismissive", "condescending", "arrogant", "smug", "pompous", "bombastic",
    "grandiose", "shrill", "strident", "combative", "belligerent", "provocative",
    "inflammatory", "incendiary", "extremist", "extremists", "zealots", "fanatical", "fringe",
    "hardline", "hard-line", "far-right", "far-left", "draconian", "heavy-handed", "reckless",
    "recklessly", "irresponsible", "disastrous", "disaster", "catastrophic", "dangerous",
    "alarming", "shocking", "stunning", "staggering", "astonishing", "huge", "whopping",
    "lavish", "bloated", "wasteful", "exorbitant", "absurd", "ridiculous", "ludicrous",
    "preposterous", "bizarre", "outlandish", "laughable", "pathetic", "shameful", "shameless",
    "disgraceful", "disgusting", "despicable", "deplorable", "abysmal", "awful", "horrific",
    "horrendous", "atrocious", "egregious", "blatant", "blatantly", "flagrant", "brazen",
    "brazenly", "notorious", "embattled", "beleaguered", "hapless", "feckless", "inept",
    "incompetent", "clueless", "gaffe", "gaffe-prone", "blunder", "fiasco", "debacle",
    "meltdown", "chaos", "chaotic", "turmoil", "uproar", "firestorm", "furor", "onslaught",
    "barrage", "crusade", "witch hunt", "power grab", "scheme", "ploy", "gimmick", "stunt",
    "charade", "ruse", "propaganda", "cronies", "crony", "thug", "thugs", "regime", "puppet",
    "lackey", "stooge", "job-killing", "illegals", "handouts", "slush fund", "boondoggle",
    "giveaway", "giveaways", "obstructionist", "do-nothing", "rubber-stamp", "pandering",
    "fearmongering", "fear-mongering", "backroom", "shadowy", "shady", "cushy", "unhinged",
    "wacky", "hysterical", "hysteria", "apocalyptic", "nightmare", "hatred", "hateful",
    "coercion", "disregard", "destabilisation", "destabilization", "aggression", "ruthless",
    "rogue", "bombshell", "tyranny", "tyrant", "brutal", "brutally", "sheer", "prestigious",
    "heroic", "visionary", "masterful", "triumphant", "legendary", "iconic",
    # manner adverbs and intensifiers that editorialise
    "wildly", "strikingly", "famously", "unabashedly", "defiantly", "shamelessly",
    "stubbornly", "relentlessly", "grudgingly", "begrudgingly", "conveniently", "ironically",
    "stunningly", "utterly", "erroneously", "falsely", "wrongly", "misleadingly", "stiffly",
    "curtly",
    # distancing labels
    "so-called", "self-styled", "self-proclaimed", "self-titled", "would-be",
)
# Phrases that mark the writer's own argument rather than a report of events.
OPINION = (
    "cannot be viewed", "should be seen", "must be seen", "it is clear that", "in other words",
    "therefore", "ought to", "should", "we believe", "i believe", "i think", "in my view",
    "it is time", "make no mistake", "the truth is", "reflects a", "it remains to be seen",
    "arguably", "needless to say", "here's a prediction", "here’s a prediction",
    "here is a prediction",
)
REPORTING_VERBS = (
    "said", "says", "told", "claimed", "claims", "stated", "states", "reported", "reports",
    "added", "noted", "explained", "warned", "insisted", "argued", "alleged",
    "alleges", "wrote", "writes", "indicated", "indicates", "confirmed",
    "estimated", "estimates", "believes", "believe", "acknowledged", "according to", "cited",
    "say", "suggest", "suggests", "interpret", "interprets", "expect", "expects", "predicted",
    "predict", "predicts", "assess", "assessed", "assesses",
)


# The reporting verbs as a regular-expression alternation, longest first ("said" before "say"),
# for the patterns that find an attribution ("according to" has patterns of its own).
REPORTING_VERB_ALTERNATION = "|".join(re.escape(v) for v in sorted(
    (v for v in REPORTING_VERBS if v != "according to"), key=len, reverse=True))


# "he said", "she told": a pronoun that stands for a source named earlier.
PRONOUN_ATTRIBUTION = re.compile(rf"\b(he|she|they)\s+(?:has\s+|have\s+|had\s+)?"
                           rf"(?:{REPORTING_VERB_ALTERNATION})\b", re.I)


def _lexicon_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in alternatives) + r")(?![\w-])",
                      re.IGNORECASE)


_PATTERNS = {
    "hedge": _lexicon_pattern(HEDGES),
    "booster": _lexicon_pattern(BOOSTERS),
    "loaded": _lexicon_pattern(LOADED),
    "opinion": _lexicon_pattern(OPINION),
}
_HEDGE_KIND = {**{w: "epistemic" for w in EPISTEMIC_HEDGES}, **{w: "modal" for w in MODAL_HEDGES},
               **{w: "conditional" for w in CONDITIONAL_HEDGES},
               **{w: "reported" for w in REPORTED_HEDGES}}
_REPORTING_BEFORE = re.compile(r"(?<![\w-])(?:said|says|told|stated|added|warned|announced|insisted|"
                               r"argued|predicted|promised|indicated|indicating|saying|"
                               r"vowed|pledged|expected|believed|thought|hoped|claimed)"
                               r"(?![\w-])[^.;:!?]*$", re.I)
_QUESTION_BEFORE = re.compile(r"(?<![\w-])(?:asked|ask|asking|wondered|know|decide|see)\s+$", re.I)
# An indirect question ("asked whether it could") reports a question, not a hedge.
_INDIRECT_QUESTION = re.compile(r"(?<![\w-])(?:asked|asking|wondered)\s+(?:if|whether)\b[^,.;:]*$", re.I)
_NOT_AFTER = re.compile(r"^\s+(?:not\b|n[o']t\b)", re.I)
# "flames could be seen", "neighbours could hear shouting": what someone was able to perceive,
# not a doubt about it ("could be seen as a snub" weighs a reading, and stays a hedge).
_PERCEPTION_AFTER = re.compile(r"^\s+(?:(?:still|also|clearly|easily|even|only)\s+)?(?:be\s+)?"
                               r"(?:see|seen|hear|heard|smell|smelled|smelt|feel|felt|spot|"
                               r"spotted)\b(?!\s+as\b)", re.I)
# "Perhaps the most memorable photos were her bondage poses": the hedge weighs a superlative,
# a judgement of rank, and leaves the fact (she posed) asserted.
_SUPERLATIVE_AFTER = re.compile(r"^\s+the\s+(?:most|least|best|worst|biggest|largest|greatest|"
                                r"strongest|clearest|hardest|toughest|highest|lowest|[a-z]+iest)"
                                r"(?![\w-])", re.I)
_SUPERLATIVE_HEDGES = frozenset({"perhaps", "maybe", "probably", "possibly"})
# A hedge cue lowers certainty by this much; several compound, with a floor.
HEDGE_WEIGHT = 0.35
CERTAINTY_FLOOR = 0.1


def hedge_kind(word: str) -> str:
    """epistemic, modal, conditional or reported."""
    return _HEDGE_KIND.get(" ".join(word.lower().split()), "epistemic")


def _is_hedge(text: str, start: int, end: int) -> bool:
    word = text[start:end].lower()
    if word == "may" and text[start:end] == "May":
        return False  # the month, not the modal
    before, after = text[:start], text[end:]
    if word == "would" and _REPORTING_BEFORE.search(before):
        return False  # "said it would": reported future, not a hedge
    if word == "could" and (_NOT_AFTER.match(after) or _PERCEPTION_AFTER.match(after)):
        return False  # "could not be reached", "could be seen": past ability
    if word == "if" and _QUESTION_BEFORE.search(before):
        return False  # "asked if": an indirect question
    if _INDIRECT_QUESTION.search(before):
        return False  # "asked whether it could"
    if word in _SUPERLATIVE_HEDGES and _SUPERLATIVE_AFTER.match(after):
        return False  # "perhaps the most memorable": a ranking hedged, not the fact
    return True


# Loaded words whose plain sense is common news language, loaded only in the use given:
# "threatened to withhold aid" characterises a demand; "pirates threatened a vessel" and "a
# threatened species" are plain.
_LOADED_ONLY_BEFORE = {
    "threatened": re.compile(r"^(?:\s+[\w’'-]+){0,3}?\s+to\s+[a-z]"),
}


def _is_loaded(text: str, start: int, end: int) -> bool:
    only_before = _LOADED_ONLY_BEFORE.get(text[start:end].lower())
    return only_before is None or bool(only_before.match(text[end:]))


def find_cues(text: str, offset: int = 0) -> tuple[Cue, ...]:
    """Framing cue words in a sentence; spans are shifted by ``offset`` into the article."""
    cues = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            if kind == "hedge" and not _is_hedge(text, match.start(), match.end()):
                continue
            if kind == "loaded" and not _is_loaded(text, match.start(), match.end()):
                continue
            cues.append(Cue(kind, match.group(0), offset + match.start(), offset + match.end()))
    return tuple(sorted(cues, key=lambda c: c.start))


def certainty(cues: tuple[Cue, ...]) -> float:
    """1.0 for a plain assertion, lower with each hedge, capped at 1.0 with boosters."""
    hedges = sum(1 for c in cues if c.kind == "hedge")
    boosters = sum(1 for c in cues if c.kind == "booster")
    score = (1.0 - HEDGE_WEIGHT) ** hedges + 0.1 * boosters
    return round(max(CERTAINTY_FLOOR, min(1.0, score)), 3)


def is_opinion(cues: tuple[Cue, ...], attributed: bool = False) -> bool:
    """The writer argues rather than reports: an opinion marker ("should", "I think"). Loaded
    words alone do not make a sentence opinion: they are a framing finding of their own, and a
    loaded sentence still reports a fact. An attributed sentence ("..., the senator said")
    reports someone else's view: not the writer's opinion."""
    if attributed:
        return False
    return any(c.kind == "opinion" for c in cues)


# --- attribution --------------------------------------------------------------------------

# US states as news agencies abbreviate them with a stop ("Corpus Christi, Tex."), by the
# abbreviation without its stops (the name's words); those that are also common words or
# names are left out.
US_STATES = {abbreviation: tuple(name.split("_")) for abbreviation, name in (
    pair.split(":") for pair in """ala:alabama ariz:arizona ark:arkansas
    calif:california colo:colorado conn:connecticut fla:florida ga:georgia ill:illinois
    kan:kansas kans:kansas ky:kentucky md:maryland mass:massachusetts mich:michigan
    minn:minnesota mont:montana neb:nebraska nebr:nebraska nev:nevada nh:new_hampshire
    nj:new_jersey nm:new_mexico ny:new_york nc:north_carolina nd:north_dakota okla:oklahoma
    ore:oregon pa:pennsylvania ri:rhode_island sc:south_carolina sd:south_dakota
    tenn:tennessee tex:texas vt:vermont va:virginia wva:west_virginia wis:wisconsin
    wisc:wisconsin wyo:wyoming""".split())}

# Demonyms to the country, so "South Korean agency" and "South Korea's agency" match.
_DEMONYMS = {
    "korean": "korea", "russian": "russia", "chinese": "china", "american": "us",
    "japanese": "japan", "ukrainian": "ukraine", "british": "uk", "french": "france",
    "german": "germany", "iranian": "iran", "israeli": "israel", "indian": "india",
    "turkish": "turkey", "european": "europe", "syrian": "syria", "iraqi": "iraq",
    "afghan": "afghanistan", "pakistani": "pakistan", "canadian": "canada",
    "mexican": "mexico", "italian": "italy", "spanish": "spain", "palestinian": "palestine",
    "egyptian": "egypt", "saudi": "saudi arabia", "taiwanese": "taiwan", "polish": "poland",
}
_SYNONYMS = {"spy": "intelligence", "defence": "defense", "department": "ministry",
             "govt": "government", "united states": "us", "united kingdom": "uk",
             "britain": "uk", "administration": "government"}
_DROP = re.compile(r"\b(the|a|an|mr|mrs|ms|dr|its|his|her|their|own|top|senior|chief|"
                   r"spokesman|spokeswoman|spokesperson|spokespeople|official|officials|"
                   r"representative|representatives)\b")
# Kinds of source that are a category rather than a name.
_ANONYMOUS = re.compile(r"\b(sources?|people|persons?|officials?|insiders?)\b[^,]*\b(familiar with|"
                        r"close to|with knowledge of|briefed on|who (asked|spoke|declined)|"
                        r"on (the )?condition of anonymity|not authori[sz]ed)|"
                        r"\b(anonymous|unnamed|unidentified) (sources?|officials?|people)\b", re.I)
_EXPERTS = re.compile(r"^(some |many |other |several |western |independent )*(analysts?|experts?|"
                      r"observers|commentators|scholars|critics)\b", re.I)
_PRONOUN_SOURCE = re.compile(r"^(he|she|they|it|we|i)$", re.I)


# "u.s.", "a.g.", "n.a.a.c.p.": two or more single letters, each followed by a stop
_INITIALS = re.compile(r"\b[a-z]\.(?:\s?[a-z]\.)+")


def normalise_source(source: str) -> str:
    """A comparable form of an attribution: lower case; no articles, titles or possessives;
    demonyms as countries ("South Korean" → "south korea"); anonymous sources and unnamed
    analysts as categories; a name's appositive (", president of ...") dropped."""
    if not source.strip():
        return ""
    if _ANONYMOUS.search(source):
        return "anonymous sources"
    text = source.split(",")[0] if "," in source and not _EXPERTS.match(source) else source
    if _EXPERTS.match(text.strip()):
        return "analysts"
    text = text.lower().replace("’", "'")
    # initials written with stops are one word: "U.S." → "us", "the A.G." → "ag" (else the
    # "a" of "A.G." is read as an article and dropped)
    text = _INITIALS.sub(lambda m: m.group(0).replace(".", "").replace(" ", ""), text)
    text = re.sub(r"'s\b|s'(?=\s|$)", " ", text)
    text = _DROP.sub(" ", text)
    text = re.sub(r"[^\w]+", " ", text)
    words = [_DEMONYMS.get(w, w) for w in text.split()]
    text = " ".join(words)
    for word, canonical in _SYNONYMS.items():
        text = re.sub(rf"\b{word}\b", canonical, text)
    return " ".join(text.split())


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w not in ("of", "and", "for", "the"))


def same_source(a: str, b: str) -> bool:
    """Two attributions name the same source: equal once normalised, one contained in the other
    ("Yang" and "Yang Moo-jin"), or an acronym of the other ("KCNA"); or a name set off by
    commas in one is the other's ("the statement from Grimm's attorney, William McGinley" and
    "William McGinley")."""
    if _one_source(a, b):
        return True
    names_a, names_b = _names_in(a), _names_in(b)
    if not (names_a or names_b):
        return False
    return any(_one_source(x, y) for x in names_a or [a] for y in names_b or [b]
               if (x, y) != (a, b))


# A part of a source between commas that is a name: two or more capitalised words, a title
# at most before them ("Rep. Ana Berg"); not "a Democrat" or "D-Mont.".
_NAME_PART = re.compile(r"^(?:[A-Z][a-z]{1,4}\.\s+)?[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)+$")


def _names_in(source: str) -> list[str]:
    """The names a source sets off by commas ("Her lawyer, Ana Berg" → ["Ana Berg"])."""
    parts = [part.strip() for part in source.split(",")]
    return [part for part in parts if _NAME_PART.match(part)] if len(parts) > 1 else []


def _one_source(a: str, b: str) -> bool:
    """:func:`same_source` on two attributions as written, without looking inside commas."""
    na, nb = normalise_source(a), normalise_source(b)
    if not na or not nb:
        return na == nb
    if na == nb:
        return True
    wa, wb = na.split(), nb.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True
    return (len(wa) == 1 and wa[0] == _acronym(wb)) or (len(wb) == 1 and wb[0] == _acronym(wa))


def attribution(claim: Claim) -> str:
    """The claim's normalised source, or ``unattributed`` for a claim stated as fact."""
    return normalise_source(claim.source) or "unattributed"


@dataclass(frozen=True)
class FramingDifference:
    aspect: str  # certainty, attribution, wording
    score: float
    reason: str
    evidence: tuple[Evidence, ...]
    details: dict


# "who-according to police-rammed": a dash run into the words still sets off the source
_ACCORDING_TO = r"(?<!\w)according to(?![\w-])"
# Words that show a sentence reports someone's words even without a parsed source.
_REPORTING_ANYWHERE = re.compile(_ACCORDING_TO + r"|"
                                 r"(?<![\w-])(?:said|says|say|saying|told|report\w*|"
                                 r"announced|claimed|stated|wrote|added|accused|testif\w+|"
                                 r"tweet(?:s|ed)|confirm(?:s|ed)|estimat(?:e|es|ed)|insist\w*|"
                                 r"accuses|alleged|alleges|allegations?|charged|disputed|"
                                 r"under (?:the )?(?:new )?(?:[\w-]+ ){0,3}(?:policy|rules|law|"
                                 r"guidance|guidelines|plan|order)|"
                                 # "State records show Lasalle has three prior convictions"
                                 r"(?:records|documents|filings|data|figures|polls?|surveys?|"
                                 r"stud(?:y|ies)) (?:also )?(?:shows?|showed|indicated?|"
                                 r"indicates|suggest(?:s|ed)?)|"
                                 # "investigators suspect arson": the fact is still theirs
                                 r"(?:police|investigators|officials|authorities|detectives|"
                                 r"officers|prosecutors|experts|analysts|they) (?:now |also |"
                                 r"still )?(?:suspects?|suspected|believes?|believed|thinks?|"
                                 r"thought|fears?|feared))(?![\w-])",
                                 re.IGNORECASE)
# Words that give a statement to a source, wherever they stand in the sentence.
_SOURCE_WORDS = re.compile(r"(?<![\w-])(?:said|says|say|saying|told)(?![\w-])|" + _ACCORDING_TO,
                           re.IGNORECASE)
_FUTURE = re.compile(r"(?<![\w-])(?:will|shall|is to|are to|is set to|are set to)(?![\w-])", re.I)
# Someone's stated intention: "said he would reverse", "will veto", "vowed to repeal".
_INTENTION = re.compile(r"(?<![\w-])(?:would|will|['’]ll|plans? to|intends? to|vowed to|"
                        r"promised to|pledged to)\s+(\w+)(?:\s+(\w+))?", re.I)
_PREDICTION = re.compile(r"^(?:(?:is|are|was|were) )?(?:expected|projected|estimated)\b", re.I)
_ALLEGATION = re.compile(r"(?<![\w-])(?:accus\w*|alleg\w*|claim\w*|charg\w*|report\w*)(?![\w-])",
                         re.IGNORECASE)
# A news organisation credited with a report ("dpa reported", "the station also reported", "the
# New York Times reports"): the outlet passes on another newsroom's reporting, not a source's
# account, so stating the fact plainly is no difference of voice. State media stay sources.
_NEWS_CREDIT = re.compile(r"^(?:the )?(?:(?:[\w.&'’-]+ ){0,3}(?:times|post|journal|tribune|herald|"
                          r"gazette|globe|news|newspaper|paper|magazine|station|network|channel|"
                          r"broadcaster|news agency|wire service|website|daily|telegraph)|reuters|"
                          r"afp|dpa|ap|upi|ansa|efe|cnn|bbc|nbc|cbs|abc|msnbc|politico|"
                          r"associated press|agence france-presse)$", re.I)
_STATE_MEDIA = re.compile(r"(?<![\w-])(?:state|official|government)(?!\w)", re.I)
# What a speaker says of what they themselves saw, felt or want, told with a pronoun ("Nigel
# Hacker said he looked outside", "police said they wanted to thank residents"): only they can
# tell it. A pronoun before other verbs may be someone else ("police said she was struck").
_PERSONAL_PRONOUN = r"^\W*(he|she|they|we|i)\s"
_OWN_VERB = (r"\s*(?:(?:did not|didn['’]t|does not|doesn['’]t|had|has|have|also|then|first|"
             r"later|only|just)\s+)*(?:look(?:ed|s)?|saw|see[ns]?|hear[ds]?|watch(?:ed|es)?|"
             r"notic(?:ed|es)|felt|feels?|want(?:ed|s)?|wish(?:ed|es)?|hop(?:ed|es)|"
             r"thank(?:ed|s)?|remember(?:ed|s)?|recall(?:ed|s)?|smell(?:ed|s)?|know[ns]?|knew)"
             r"(?![\w-])")
_OWN_ACCOUNT = re.compile(_PERSONAL_PRONOUN + _OWN_VERB, re.I)
_OWN_VERB_AFTER_NAME = re.compile(_OWN_VERB, re.I)
# A capitalised word of a source that can be its surname ("Lt. Gregg Hastings" → Hastings).
_SURNAME = re.compile(r"([A-Z][a-z][\w'’-]*)\W*$")
# Acts done by saying: naming, announcing, thanking.
_SPEECH_ACT = re.compile(r"^\s+(?:(?:has|have|had|also|then|later|formally|officially|publicly)"
                         r"\s+)*(?:named|appointed|announced|thanked|apologi[sz]ed|declared|"
                         r"confirmed|praised|condemned|welcomed|urged|pledged|vowed|promised)"
                         r"(?![\w-])", re.I)
_PRONOUN_OPENING = re.compile(_PERSONAL_PRONOUN, re.I)
# "The", "a" or "an" opening a source or a sentence, with any quotation mark before it.
_LEADING_ARTICLE = re.compile(r"^\W*(?:the|a|an)\s+", re.I)
# Verbs too light to tell what a source's words are about ("the warship is on patrol").
_LIGHT_VERBS = frozenset({"be", "have", "do"})
# Steps of the law: a source credited with one tells of that step, not of the act it concerns
# ("X was charged with murdering the deputy, Cooley said" / "the deputy was killed").
_LEGAL_STEPS = frozenset("charge indict accuse convict sentence sue prosecute acquit "
                         "plead".split())
_LEGAL_STEMS = frozenset(w[:5] for w in _LEGAL_STEPS)
# Heads that are documents, numbers or nothing at all, not speakers.
_NOT_A_SPEAKER_HEAD = re.compile(r"^(?:two|three|both|statement|rules?|report|policy|plan|"
                                 r"document|documents|law|bill|it|this|that)\b", re.I)
_NOT_SPEAKER = re.compile(r"^(?:let|asked|saying|in|on|at|after|before|when|while|as)\b|"
                          r"\b(?:urges|said|says)\b|\b(?-i:[a-z]+ing)\b", re.I)


def is_speaker(source: str) -> bool:
    """Whether an attribution names a speaker (a name, or a kind of speaker such as "state
    media" or "a person briefed on the matter"), rather than a fragment the attribution
    patterns caught by mistake ("Let's", "Asked by Schieffer about his", "In a statement
    issued by his lawyers on Friday after court records", "The two")."""
    source = source.split(",")[0].strip()  # "Yang Moo-jin, president of ...": the name
    bare = re.sub(r"^(?:the|a|an)\b\s*", "", source, flags=re.I)
    if not bare or _PRONOUN_SOURCE.match(source) or len(source.split()) > 8:
        return False
    if _NOT_SPEAKER.search(source) or _NOT_A_SPEAKER_HEAD.match(bare):
        return False
    return bool(re.search(r"[A-Za-z]{2,}", bare))


def may_differ(a: Claim, b: Claim, strength: float, similarity: float,
               settings: FramingSettings) -> bool:
    """Whether a framing finding could come of two claims aligned with ``strength`` and
    embedded ``similarity`` apart, from what the claims stage read (no parse): a certainty
    gap on a pair aligned closely enough; or, on a closer pair, one claim alone naming a
    speaker while the other uses no reporting word and asks no question (with
    ``framing.attribution``, on by default), or (with ``framing.wording``) loaded words. A
    superset of what :func:`compare_framing` and the findings stage's thresholds let through;
    the judge scores only such pairs for ``judge.framing_floor``."""
    if a.is_opinion or b.is_opinion or (a.is_quote and b.is_quote):
        return False
    if abs(a.certainty - b.certainty) >= settings.certainty_gap \
            and strength >= settings.certainty_min_alignment:
        return True
    if a.is_quote or b.is_quote or strength < settings.min_alignment \
            or similarity < settings.min_similarity:
        return False  # a quotation against a plain claim is compared on certainty only
    if settings.wording and any(c.kind == "loaded" for c in a.cues + b.cues):
        return True
    if not settings.attribution or bool(a.source) == bool(b.source):
        return False
    attributed, bare = (a, b) if a.source else (b, a)
    return is_speaker(attributed.source) and not _REPORTING_ANYWHERE.search(bare.text) \
        and not is_question(bare.text)


def is_question(text: str) -> bool:
    """The sentence, or a quotation it carries, ends in a question mark ("Port Makes Offer To
    Skipper (8 Years?)"): it asks, and asserts nothing."""
    return bool(re.search(r"\?\s*(?:[\"”’')]|$)", text.strip()))


def compare_framing(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                    outlet_a: str, outlet_b: str, settings: FramingSettings, *,
                    same_words: bool) -> FramingDifference | None:
    """The strongest framing difference between two claims the align stage found to tell the
    same fact without conflicting, if any, in the outlets' own voice:

    - certainty: one hedges the shared fact (the hedge qualifies a word both claims share, and
      sits outside quotations and if-clauses); the other asserts it with no hedge at all;
    - attribution (unless ``framing.attribution`` is off): one attributes the fact to a named
      source or a kind of speaker; the other states it with no source and no reporting words
      anywhere (``same_words``: the align stage found one claim to print the other's words,
      so the reason says the plain outlet prints the source's words as its own, as when
      outlets copy a statement unattributed);
    - wording (only with ``framing.wording``): one uses loaded words outside quotation marks
      (a quote's words are the speaker's); the other uses none.

    Opinion sentences are not compared, nor direct quotations (a sentence in the first person
    outside quotation marks, "we are thrilled to announce ...", is one too: someone's
    statement the outlet reproduces), except that an outlet which gives a fact only as a named
    speaker's hedged words ("... were likely discussed," an expert said) frames it differently
    from one that reports it plainly. A quotation printed elsewhere without quotation marks
    is not an attribution difference either: it is mostly a statement or post the other
    outlet reproduces as a block ("Dress like you deserve respect, not a spot at a bar.")."""
    if a.is_opinion or b.is_opinion:
        return None
    quoted_a = a.is_quote or _first_person(a, shape_a)
    quoted_b = b.is_quote or _first_person(b, shape_b)
    if quoted_a and quoted_b:
        return None
    if quoted_a or quoted_b:
        quoted = a if quoted_a else b
        if not is_speaker(quoted.source):
            return None
        return _certainty_difference(a, b, shape_a, shape_b, outlet_a, outlet_b, settings)
    candidates = [d for d in (_certainty_difference(a, b, shape_a, shape_b, outlet_a, outlet_b,
                                                    settings),
                              _attribution_difference(a, b, shape_a, shape_b, outlet_a, outlet_b,
                                                      same_words)
                              if settings.attribution else None,
                              _wording_difference(a, b, shape_a, shape_b, outlet_a, outlet_b)
                              if settings.wording else None)
                  if d is not None]
    return max(candidates, key=lambda d: d.score, default=None)


# A first-person subject with its verb ("we are", "I have", "I'm"); not "World War I was".
_FIRST_PERSON = re.compile(
    r"(?<!War )(?<!Title )\b(?:[Ww]e|I)(?:['’](?:m|ve|ll|d|re)\b|\s+(?:am|are|was|were|have|had|"
    r"will|would|can|could|do|did|don['’]t|know|think|believe|want|hope|feel|need|must|"
    r"should|said|say)\b)")


def _first_person(claim: Claim, shape: ClaimShape) -> bool:
    """The claim speaks in the first person outside quotation marks: the words of someone the
    outlet reproduces (a statement, a block quotation), not the outlet's own voice."""
    return any(not _in_quotes(claim.start + m.start(), shape)
               for m in _FIRST_PERSON.finditer(claim.text))


def _in_quotes(start: int, shape: ClaimShape) -> bool:
    return any(s <= start < e for s, e in shape.quoted)


def _cue_evidence(claim: Claim, kinds: tuple[str, ...], role: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(claim.id, c.start, c.end, role) for c in claim.cues if c.kind in kinds)


def _cue_words(claim: Claim, kinds: tuple[str, ...]) -> list[str]:
    return [c.text for c in claim.cues if c.kind in kinds]


def _hedge_kinds(claim: Claim) -> list[str]:
    return sorted({hedge_kind(c.text) for c in claim.cues if c.kind == "hedge"})


def _common_details(a: Claim, b: Claim) -> dict:
    return {"source_a": a.source, "source_b": b.source,
            "attribution_a": attribution(a), "attribution_b": attribution(b),
            "certainty_a": a.certainty, "certainty_b": b.certainty}


def _qualifying_hedges(shape: ClaimShape, other: ClaimShape) -> list[Span]:
    """Hedges of ``shape`` that qualify a word the other claim shares (by five-letter stem:
    "likely discussed" qualifies "discussions")."""
    shared = _stems(shape.words | shape.predicates) & _stems(other.words | other.predicates)
    known = _stems(other.words | other.names)
    return [span for span, verb in zip(shape.hedges, shape.hedge_verbs) if verb[:5] in shared
            and not (hedge_kind(span.text) == "reported" and _doers(shape, verb) - known)]


def _doers(shape: ClaimShape, verb: str) -> set[str]:
    """Stems of who does ``verb`` in a claim, when told by a common noun, not a name. "A former
    employee allegedly shot a man" against "a man was shot by a gunman": "allegedly" weighs
    who shot him, which the other claim does not say, and leaves the shooting asserted."""
    return _stems(who for who in shape.doers_of(verb)
                  if who not in shape.names)  # "Ross was allegedly paid" / "He was paid"


def _stems(words) -> set[str]:
    return {w[:5] for w in words}


def _certainty_difference(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                          outlet_a: str, outlet_b: str,
                          settings: FramingSettings) -> FramingDifference | None:
    gap = abs(a.certainty - b.certainty)
    if gap < settings.certainty_gap:
        return None
    hedged, asserted = (a, b) if a.certainty < b.certainty else (b, a)
    hedged_shape, asserted_shape = (shape_a, shape_b) if hedged is a else (shape_b, shape_a)
    if asserted_shape.qualified or is_question(asserted.text):
        return None
    qualifying = _qualifying_hedges(hedged_shape, asserted_shape)
    if not qualifying:
        return None
    stems = {verb[:5] for span, verb in zip(hedged_shape.hedges, hedged_shape.hedge_verbs)
             if span in qualifying}
    if asserted_shape.main_verb in _LEGAL_STEPS and not stems & _LEGAL_STEMS:
        return None  # "is charged with ... intent to murder" asserts the charge, not the intent
        # that "may have intended to shoot" hedges
    if any(word[:5] in stems and _in_quotes(span.start, asserted_shape)
           for word, span in asserted_shape.word_spans):
        return None  # the firmer wording is inside a quotation: the speaker's, not the outlet's
    hedged_outlet, asserted_outlet = (outlet_a, outlet_b) if hedged is a else (outlet_b, outlet_a)
    words = [span.text for span in qualifying]
    kinds = sorted({hedge_kind(w) for w in words})
    if all(_PREDICTION.match(w) for w in words) and not _FUTURE.search(asserted.text):
        return None  # "is expected to plead guilty" / "pleaded guilty": before and after, not
        # a framing choice; against "will plead guilty" it is one
    if kinds == ["modal"] and asserted.source and any(
            (word or "")[:5].lower() in stems for m in _INTENTION.finditer(asserted.content)
            for word in m.groups()):
        return None  # "the rule could be reversed" / "Obama said he would reverse it": what
        # may happen and what someone means to do are two facts, neither of them asserted
    if kinds == ["reported"] and (_ALLEGATION.search(asserted.text)
                                  or (asserted.source and is_speaker(asserted.source))
                                  or _SOURCE_WORDS.search(asserted.text)):
        return None  # "allegedly hurled" / "accused them of hurling", "police said he hurled":
        # both outlets keep the claim at a distance, one by a hedge, one by naming who made it
        # (also where the claims stage split no source off: "who, according to police, …";
        # not "Cheney wrote: “…”", which tells what she did)
    source = f", attributing it to {hedged.source}" if hedged.source else ""
    stated = ("reported by " + asserted.source) if asserted.source else "fact"
    reason = (f"{asserted_outlet} states this as {stated}; {hedged_outlet} hedges it "
              f"({', '.join(repr(w) for w in words)}: {', '.join(kinds)}){source}.")
    evidence = (tuple(Evidence(hedged.id, span.start, span.end, "hedge") for span in qualifying)
                + tuple(_source_evidence(hedged)) + tuple(_source_evidence(asserted)))
    return FramingDifference("certainty", round(min(1.0, 0.2 + gap), 3), reason, evidence,
                             {"aspect": "certainty", **_common_details(a, b),
                              "cues_a": words if hedged is a else [],
                              "cues_b": words if hedged is b else [],
                              "hedge_kinds": kinds})


def _attribution_difference(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                            outlet_a: str, outlet_b: str,
                            same_words: bool) -> FramingDifference | None:
    if not a.source and not b.source:
        return None
    if a.source and b.source:
        # Two outlets naming two sources usually quote two people, not one fact framed two ways.
        return None
    else:
        attributed, bare = (a, b) if a.source else (b, a)
        bare_shape = shape_b if bare is b else shape_a
        attributed_shape = shape_a if attributed is a else shape_b
        if not is_speaker(attributed.source) or is_news_credit(attributed.source):
            return None
        if bare_shape.quoted or bare_shape.reported or _REPORTING_ANYWHERE.search(bare.text):
            return None  # the other outlet attributes too, in words the parse did not split
        if bare_shape.qualified or is_question(bare.text):
            return None  # not stated as fact either
        if not _states_what_is_attributed(attributed_shape, bare_shape):
            # "the fire is being treated as suspicious, police said" / "the store was
            # destroyed in a fire": the source speaks of another event of the story
            return None
        if _own_account(attributed, bare):
            return None  # "Hacker said he looked outside" / "He looked outside"
        attributed_outlet, bare_outlet = ((outlet_a, outlet_b) if attributed is a
                                          else (outlet_b, outlet_a))
        if same_words:
            reason = (f"{bare_outlet} prints the same words as fact, unattributed; "
                      f"{attributed_outlet} attributes them to {attributed.source}.")
        else:
            reason = (f"{bare_outlet} states this as fact, unattributed; {attributed_outlet} "
                      f"attributes it to {attributed.source}.")
        score = 0.35
    evidence = tuple(_source_evidence(a)) + tuple(_source_evidence(b))
    return FramingDifference("attribution", score, reason, evidence,
                             {"aspect": "attribution", **_common_details(a, b),
                              "cues_a": [], "cues_b": [], "same_words": same_words})


def is_news_credit(source: str) -> bool:
    """Whether an attribution credits a news organisation ("dpa", "the station", "the New York
    Times") rather than a source of the news; state media are a source."""
    source = source.strip()
    return bool(_NEWS_CREDIT.match(source)) and not _STATE_MEDIA.search(source)


def _own_account(attributed: Claim, bare: Claim) -> bool:
    """Whether both claims tell the source's own act or account: the plain claim opens with
    the source ("police have thanked residents" / "police said they wanted to thank
    residents"), or the source speaks of what it saw, felt, knew or wants and the plain claim
    tells it with the same pronoun or the source's surname ("Hacker said he looked outside" /
    "He looked outside"; "Lt. Hastings said he did not know why" / "Hastings did not know
    why")."""
    if _opens_with_source(attributed.source, bare.text):
        return True
    if _same_subject_knows(attributed.content, bare.text):
        return True
    own = _OWN_ACCOUNT.match(attributed.content)
    if not own:
        return False
    again = _PRONOUN_OPENING.match(bare.text)
    if again:
        return again.group(1).lower() == own.group(1).lower()
    # "Lieutenant Hastings said he did not know why" / "Hastings did not know why"
    surname = _SURNAME.search(attributed.source)
    if surname is None:
        return False
    named = re.match(rf"^\W*(?:[A-Z][\w.'’-]*\s+){{0,3}}?{re.escape(surname.group(1))}(?=\s)",
                     bare.text)
    return bool(named) and bool(_OWN_VERB_AFTER_NAME.match(bare.text[named.end():]))


def _same_subject_knows(content: str, text: str) -> bool:
    """Both open with the same subject (up to three words) and what it saw, knew or wants:
    "The authorities also did not know whether …, he said" / "Authorities also did not know
    whether …": a spokesman relays the authorities' own account of what they knew."""
    words_a = _LEADING_ARTICLE.sub("", content.strip()).split()
    words_b = _LEADING_ARTICLE.sub("", text.strip()).split()
    for n in range(1, 4):
        if len(words_a) > n and [w.lower() for w in words_a[:n]] == \
                [w.lower() for w in words_b[:n]] \
                and _OWN_VERB_AFTER_NAME.match(" " + " ".join(words_a[n:])) \
                and _OWN_VERB_AFTER_NAME.match(" " + " ".join(words_b[n:])):
            return True
    return False


def _opens_with_source(source: str, text: str) -> bool:
    """Whether a sentence tells the source's own act of speech ("Stefanski named DiLeo coach"
    against "Stefanski said DiLeo will coach"; "police have thanked residents"): the act is
    the statement that the other outlet credits to the source. Not a deed the source claims
    ("the navy has captured 23 pirates" / "the navy said it captured 23 pirates")."""
    source = _LEADING_ARTICLE.sub("", source.strip()).lower()
    text = _LEADING_ARTICLE.sub("", text.strip()).lower()
    return bool(source) and text.startswith(source + " ") \
        and bool(_SPEECH_ACT.match(text[len(source):]))


def _states_what_is_attributed(attributed: ClaimShape, bare: ClaimShape) -> bool:
    """Whether the plain claim states what the source is credited with. Some verb or adjective
    of one claim must be a word of the other (:func:`_speaks_of`), and not only in what the
    attributed claim tells before the verb its source reports: "a man who opened fire …, has
    been charged with murder, police said" credits the police with the charge, and the
    shooting that the plain claim states is the background of theirs."""
    if not (_speaks_of(attributed, bare) or _speaks_of(bare, attributed)):
        return False
    verb = attributed.main_verb
    spans = dict(attributed.word_spans)
    if len(verb) < 3 or verb in _LIGHT_VERBS or verb not in spans:
        return True  # none, a light verb ("is on patrol") or a piece ("re-hired": "re")
    bare_stems = _unhyphenated_stems(bare.words | bare.predicates)
    if _unhyphenated_stems([verb]) & bare_stems:
        return True
    if verb in _LEGAL_STEPS:
        # the charge, not the killing: only a plain claim that speaks of a step of the law too
        return bool(_LEGAL_STEMS & bare_stems)
    return any(spans[w].start > spans[verb].start for w in attributed.words | attributed.predicates
               if w in spans and not _capitalised(spans[w])
               and _unhyphenated_stems([w]) & bare_stems)


def _speaks_of(shape: ClaimShape, other: ClaimShape) -> bool:
    """Whether what one claim predicates (a verb or an adjective) is a word of the other, by
    stem: "investigators believe" / "is being investigated", "re-hired" / "rehired". A
    capitalised word the parse reads as one ("a Waitrose store") is a name."""
    spans = dict(shape.word_spans)
    said = _unhyphenated_stems(w for w in shape.predicates
                               if not (w in spans and _capitalised(spans[w])))
    return bool(said & _unhyphenated_stems(other.words | other.predicates))


def _unhyphenated_stems(words) -> set[str]:
    """:func:`_stems` of words written with or without hyphens alike ("re-hired" / "rehired")."""
    return _stems(w.replace("-", "") for w in words)


def _capitalised(span: Span) -> bool:
    """A word the parse reads as a verb or adjective but written as a name ("a Waitrose store")."""
    return span.text[:1].isupper()


def _source_evidence(claim: Claim) -> list[Evidence]:
    """Where the claim names its source; for a source resolved from a pronoun ("…, he said",
    the speaker named in an earlier sentence), the pronoun that stands for it."""
    start = claim.text.find(claim.source) if claim.source else -1
    if start >= 0:
        return [Evidence(claim.id, claim.start + start,
                         claim.start + start + len(claim.source), "attribution")]
    pronoun = PRONOUN_ATTRIBUTION.search(claim.text) if claim.source else None
    if pronoun is None:
        return []
    return [Evidence(claim.id, claim.start + pronoun.start(1), claim.start + pronoun.end(1),
                     "attribution")]


def _qualifying_loaded(shape: ClaimShape, other: ClaimShape) -> list[Span]:
    """Loaded words of ``shape`` in the outlet's own voice that bear on the shared fact: their
    head or their clause's verb is a word the other claim also has, or their clause shares at
    least two content words with it ("The senator slammed the budget proposal" / "criticised
    the budget proposal"). A loaded verb needs the clause: the other claim must tell what it
    does ("pirates who threatened a vessel" / "captured 23 pirates": the threat is not told)."""
    other_stems = _stems(other.words | other.predicates)
    shared = _stems(shape.words | shape.predicates) & other_stems
    kept = []
    for span, (verb, head) in zip(shape.loaded, shape.loaded_heads):
        clause = _stems(shape.clause_words(span.start) & shape.words) - {span.text.lower()[:5],
                                                                         verb[:5]}
        is_verb = head == verb
        if (not is_verb and (verb[:5] in shared or head[:5] in shared)) \
                or len(clause & other_stems) >= 2:
            kept.append(span)
    return kept


def _distances_like(word: str, loaded: Claim, plain: Claim, plain_shape: ClaimShape) -> bool:
    """A distancing label ("so-called X") where the other outlet puts X in quotation marks."""
    if word.lower() not in ("so-called", "self-styled", "self-proclaimed"):
        return False
    following = re.match(r"\s*[\"“]?([\w’'-]+)", loaded.text[loaded.text.lower().find(word.lower())
                                                          + len(word):])
    if not following:
        return False
    at = plain.text.lower().find(following.group(1).lower())
    return at >= 0 and _in_quotes(plain.start + at, plain_shape)


def _wording_difference(a: Claim, b: Claim, shape_a: ClaimShape, shape_b: ClaimShape,
                        outlet_a: str, outlet_b: str) -> FramingDifference | None:
    if bool(shape_a.loaded) == bool(shape_b.loaded):
        return None  # neither, or both, use loaded words in their own voice
    loaded, plain = (a, b) if shape_a.loaded else (b, a)
    loaded_shape, plain_shape = (shape_a, shape_b) if loaded is a else (shape_b, shape_a)
    cues = _qualifying_loaded(loaded_shape, plain_shape)
    if not cues:
        return None
    if any(re.search(rf"(?<![\w-]){re.escape(c.text)}(?![\w-])", plain.text, re.I) for c in cues):
        return None  # the other outlet uses the same word: no difference
    if any(c.kind == "loaded" for c in plain.cues):
        return None  # the other outlet's quote is loaded too: not a difference of voice
    if all(_distances_like(c.text, loaded, plain, plain_shape) for c in cues):
        return None  # "so-called marriage penalty" / the “marriage penalty”: both keep a distance
    loaded_outlet, plain_outlet = (outlet_a, outlet_b) if loaded is a else (outlet_b, outlet_a)
    words = [c.text for c in cues]
    reason = (f"{loaded_outlet} uses loaded wording ({', '.join(repr(w) for w in words)}) "
              f"where {plain_outlet} reports the same fact neutrally.")
    score = min(1.0, 0.3 + 0.2 * len(words))
    return FramingDifference("wording", round(score, 3), reason,
                             tuple(Evidence(loaded.id, c.start, c.end, "loaded") for c in cues),
                             {"aspect": "wording", **_common_details(a, b),
                              "cues_a": words if loaded is a else [],
                              "cues_b": words if loaded is b else []})
