"""Framing signals of one claim, and framing differences between two claims of the same fact.

Three aspects, each with the cue words as evidence:
- certainty: hedges ("likely", "may", "reportedly") lower it; an asserted claim has 1.0;
- attribution: who the claim is attributed to ("KCNA said"), or stated as fact;
- wording: loaded or evaluative words ("regime", "slammed", "so-called").

The lexicons are the project's own, kept small and explicit so an editor can see why a cue
fired. A hedge here is about the writer's certainty that something happened: "potential
deployment" names a possible event and is not a hedge; "likely discussed" is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.config import FramingSettings
from crosscheck.types import Claim, Cue, Evidence

HEDGES = (
    "likely", "unlikely", "probably", "possibly", "perhaps", "maybe", "may", "might", "could",
    "reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly",
    "appears to", "appear to", "appeared to", "seems to", "seem to", "seemed to",
    "is believed", "are believed", "was believed", "were believed", "believed to",
    "is thought", "are thought", "thought to", "is expected to", "are expected to",
    "is projected", "are projected", "projected to", "is estimated", "are estimated",
    "is said to", "are said to", "suggests", "suggest", "suggested", "suggesting",
    "speculation", "speculated", "unconfirmed", "unclear", "rumoured", "rumored",
    "is understood to", "were understood to", "was understood to", "would", "if",
    "presumably", "it is possible", "not clear",
)
BOOSTERS = (
    "clearly", "certainly", "definitely", "undoubtedly", "indeed", "in fact", "confirmed",
    "confirms", "proved", "proves", "without doubt", "no doubt", "undeniably", "obviously",
)
# Evaluative or loaded words: signal wording a neutral report would avoid.
LOADED = (
    "regime", "slammed", "slams", "blasted", "blasts", "lashed out", "scathing", "fierce",
    "furious", "outrage", "outrageous", "shocking", "brutal", "brutally", "draconian",
    "radical", "extremist", "extremists", "notorious", "so-called", "scheme", "propaganda",
    "puppet", "thug", "thugs", "cronies", "disastrous", "disaster", "reckless", "alarming",
    "embattled", "hostile", "coercion", "disregard", "destabilisation", "destabilization",
    "aggression", "aggressive", "ruthless", "defiant", "defiance", "sham", "rogue",
    "controversial", "bombshell", "chaos", "chaotic", "crisis", "catastrophic",
    "stunning", "stunned", "staggering", "huge", "massive", "mere", "merely", "slashed",
    "gutted", "tirade", "rant", "ranted", "bizarre", "absurd", "ridiculous", "disgraceful",
    "shameful", "failed", "failure", "hypocrisy", "hypocritical", "pathetic", "dangerous",
    "terrorize", "terrorise", "lavish", "shady", "slush", "job-killing", "socialist",
    "far-right", "far-left", "hardline", "hard-line", "firebrand", "fringe", "draconian",
)
# Phrases that mark the writer's own argument rather than a report of events.
OPINION = (
    "cannot be viewed", "should be seen", "must be seen", "it is clear that", "in other words",
    "therefore", "ought to", "should", "we believe", "i believe", "i think", "in my view",
    "it is time", "make no mistake", "the truth is", "reflects a", "it remains to be seen",
    "arguably", "needless to say",
)
REPORTING_VERBS = (
    "said", "says", "told", "claimed", "claims", "stated", "states", "reported", "reports",
    "added", "noted", "explained", "warned", "insisted", "argued", "alleged",
    "alleges", "wrote", "writes", "indicated", "indicates", "confirmed", "denied",
    "estimated", "estimates", "believes", "believe", "acknowledged", "according to", "cited",
    "say", "suggest", "suggests", "interpret", "interprets", "expect", "expects", "predicted",
    "predict", "predicts", "assess", "assessed", "assesses",
)


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
# A hedge cue lowers certainty by this much; several compound, with a floor.
HEDGE_WEIGHT = 0.35
CERTAINTY_FLOOR = 0.1


def find_cues(text: str, offset: int = 0) -> tuple[Cue, ...]:
    """Framing cue words in a sentence; spans are shifted by ``offset`` into the article."""
    cues = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            if match.group(0) == "May":
                continue  # the month, not the modal
            cues.append(Cue(kind, match.group(0), offset + match.start(), offset + match.end()))
    return tuple(sorted(cues, key=lambda c: c.start))


def certainty(cues: tuple[Cue, ...]) -> float:
    """1.0 for a plain assertion, lower with each hedge, capped at 1.0 with boosters."""
    hedges = sum(1 for c in cues if c.kind == "hedge")
    boosters = sum(1 for c in cues if c.kind == "booster")
    score = (1.0 - HEDGE_WEIGHT) ** hedges + 0.1 * boosters
    return round(max(CERTAINTY_FLOOR, min(1.0, score)), 3)


def is_opinion(cues: tuple[Cue, ...]) -> bool:
    """The writer argues rather than reports: an opinion marker, or several loaded words."""
    return any(c.kind == "opinion" for c in cues) or sum(c.kind == "loaded" for c in cues) >= 2


def normalise_source(source: str) -> str:
    """A comparable form of an attribution: lower case, no titles, articles or possessives."""
    text = source.lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"\b(the|a|an|mr|mrs|ms|dr|president|minister|official|officials|"
                  r"spokesman|spokeswoman|spokesperson)\b\.?", " ", text)
    return re.sub(r"[^\w]+", " ", text).strip()


@dataclass(frozen=True)
class FramingDifference:
    aspect: str  # certainty, attribution, wording
    score: float
    reason: str
    evidence: tuple[Evidence, ...]
    details: dict


_CONTENT_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]{2,}")
_COMMON = frozenset("""the and for but not nor was are has had its his her who why how all any
can may one two out off our you yet now new own too via per
that this with from have were been their there they which
would could about after before while where when into over also than them then these those
said says according other more most some such only very just being does did will""".split())


def shared_content_words(a: str, b: str) -> set[str]:
    """Content words two sentences share, compared by a 5-letter stem so "deployment" and
    "deploying" or "defense" and "defence" match."""
    def stems(text: str) -> set[str]:
        return {w.lower()[:5] for w in _CONTENT_WORD.findall(text) if w.lower() not in _COMMON}
    return stems(a) & stems(b)


def same_fact(a: Claim, b: Claim, min_shared_words: int) -> bool:
    """Sharing enough content words to be one fact told twice (similarity alone also pairs
    different facts about the same people)."""
    return len(shared_content_words(a.content, b.content)) >= min_shared_words


def compare_framing(a: Claim, b: Claim, outlet_a: str, outlet_b: str,
                    settings: FramingSettings) -> FramingDifference | None:
    """The strongest framing difference between two claims of the same fact, if any."""
    if not same_fact(a, b, settings.min_shared_words):
        return None
    candidates = [d for d in (_certainty_difference(a, b, outlet_a, outlet_b, settings),
                              _attribution_difference(a, b, outlet_a, outlet_b),
                              _wording_difference(a, b, outlet_a, outlet_b))
                  if d is not None]
    return max(candidates, key=lambda d: d.score, default=None)


def _cue_evidence(claim: Claim, kinds: tuple[str, ...], role: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(claim.id, c.start, c.end, role) for c in claim.cues if c.kind in kinds)


def _cue_words(claim: Claim, kinds: tuple[str, ...]) -> list[str]:
    return [c.text for c in claim.cues if c.kind in kinds]


def _certainty_difference(a: Claim, b: Claim, outlet_a: str, outlet_b: str,
                          settings: FramingSettings) -> FramingDifference | None:
    gap = abs(a.certainty - b.certainty)
    if gap < settings.certainty_gap:
        return None
    hedged, asserted = (a, b) if a.certainty < b.certainty else (b, a)
    hedged_outlet, asserted_outlet = (outlet_a, outlet_b) if hedged is a else (outlet_b, outlet_a)
    words = _cue_words(hedged, ("hedge",))
    source = f", attributing it to {hedged.source}" if hedged.source else ""
    reason = (f"{asserted_outlet} states this as {'reported by ' + asserted.source if asserted.source else 'fact'}; "
              f"{hedged_outlet} hedges it ({', '.join(repr(w) for w in words)}){source}.")
    evidence = _cue_evidence(hedged, ("hedge",), "hedge") + _cue_evidence(asserted, ("booster",), "hedge")
    return FramingDifference("certainty", round(min(1.0, 0.2 + gap), 3), reason, evidence,
                             {"aspect": "certainty", "certainty_a": a.certainty,
                              "certainty_b": b.certainty,
                              "cues_a": _cue_words(a, ("hedge", "booster")),
                              "cues_b": _cue_words(b, ("hedge", "booster")),
                              "source_a": a.source, "source_b": b.source})


def _attribution_difference(a: Claim, b: Claim, outlet_a: str,
                            outlet_b: str) -> FramingDifference | None:
    if bool(a.source) == bool(b.source):
        return None  # both attributed (possibly to different sources) or both unattributed
    attributed, bare = (a, b) if a.source else (b, a)
    attributed_outlet, bare_outlet = (outlet_a, outlet_b) if attributed is a else (outlet_b, outlet_a)
    reason = (f"{bare_outlet} states this as fact; {attributed_outlet} attributes it to "
              f"{attributed.source}.")
    evidence = tuple(Evidence(c.claim_id, c.start, c.end, "attribution")
                     for c in _source_evidence(attributed))
    return FramingDifference("attribution", 0.3, reason, evidence,
                             {"aspect": "attribution", "source_a": a.source, "source_b": b.source,
                              "cues_a": [], "cues_b": []})


def _source_evidence(claim: Claim) -> list[Evidence]:
    start = claim.text.find(claim.source) if claim.source else -1
    if start < 0:
        return []
    return [Evidence(claim.id, claim.start + start, claim.start + start + len(claim.source),
                     "attribution")]


def _wording_difference(a: Claim, b: Claim, outlet_a: str,
                        outlet_b: str) -> FramingDifference | None:
    loaded_a, loaded_b = _cue_words(a, ("loaded",)), _cue_words(b, ("loaded",))
    if bool(loaded_a) == bool(loaded_b):
        return None
    loaded, plain = (a, b) if loaded_a else (b, a)
    loaded_outlet, plain_outlet = (outlet_a, outlet_b) if loaded is a else (outlet_b, outlet_a)
    words = _cue_words(loaded, ("loaded",))
    reason = (f"{loaded_outlet} uses loaded wording ({', '.join(repr(w) for w in words)}) "
              f"where {plain_outlet} reports the same fact neutrally.")
    score = min(1.0, 0.3 + 0.2 * len(words))
    return FramingDifference("wording", round(score, 3), reason,
                             _cue_evidence(loaded, ("loaded",), "loaded"),
                             {"aspect": "wording", "cues_a": loaded_a, "cues_b": loaded_b,
                              "source_a": a.source, "source_b": b.source})
