"""The plain, frozen records the stages hand each other.

Stages refer to each other's records by id (``Claim.article_id``, ``Finding.claim_ids``), so a
record can be serialised on its own. Character offsets always point into ``Article.text``,
the repaired body text, so the report can show any claim in its article's context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Finding kinds, in the order the report lists them.
FINDING_KINDS = ("contradiction", "numeric", "framing", "agreement", "single_outlet")
# Pair labels produced by the judge.
PAIR_LABELS = ("agree", "contradict", "unrelated")

# A stage's progress messages go to such a callback (the CLI sends them to stderr).
Progress = Callable[[str], None]


def silent(message: str) -> None:
    """The progress callback of a caller that wants no messages."""


@dataclass(frozen=True)
class InputRecord:
    """One input file (or one line of a JSONL file) and what became of it."""

    path: str
    status: str  # "used" or "skipped"
    reason: str  # why skipped, or notes on a used file ("encoding repaired: ...")
    article_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    id: str
    story: str
    outlet: str
    title: str
    path: str
    text: str  # repaired body text; every offset in a Claim or Quantity points into it
    paragraphs: tuple[tuple[int, int], ...]  # character span of each paragraph in text
    date: str | None = None  # ISO date when known
    url: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()  # other string metadata (e.g. triplet-uuid)


@dataclass(frozen=True)
class Quantity:
    """A number found in a claim, normalised.

    ``start``/``end`` are offsets into the article text. ``low``/``high`` are the bounds the
    wording allows (``more than 10,000`` → low=10000, high=None; ``10-12`` → 10 and 12).
    """

    text: str
    start: int
    end: int
    value: float
    kind: str  # count, money, percent, measure, year, date
    unit: str = ""  # "%", "USD", "km", "mm", "t", ... (canonical unit of the family)
    counted: str = ""  # the noun the number counts: "troops", "containers", "shells"
    qualifier: str = "exact"  # exact, approximate, lower_bound, upper_bound, range
    low: float | None = None
    high: float | None = None
    additional: bool = False  # "an additional 6,000", "another 500": an increment, not a total


@dataclass(frozen=True)
class Cue:
    """A framing cue word or phrase found in a claim (offsets into the article text)."""

    kind: str  # hedge, booster, attribution, opinion, loaded
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    id: str
    article_id: str
    text: str
    start: int
    end: int
    paragraph: int
    sentence: int  # index of the sentence in the article
    content: str  # the claim without its attribution ("X said"), what gets compared
    source: str = ""  # who the claim is attributed to, "" when stated as fact
    quantities: tuple[Quantity, ...] = ()
    cues: tuple[Cue, ...] = ()
    certainty: float = 1.0  # 1.0 asserted, lower when hedged
    is_opinion: bool = False
    is_quote: bool = False  # the sentence is (mostly) a direct quotation


@dataclass(frozen=True)
class ClaimPair:
    """A cross-article candidate pair; ``a`` < ``b`` by claim order."""

    a: str
    b: str
    similarity: float


@dataclass(frozen=True)
class Span:
    """A piece of a claim: its text and offsets into the article text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Slot:
    """One descriptive fact a claim attaches to a common noun (its *anchor*): who holds a role
    ("the moderator, Martha Raddatz"), where or when something was ("a speech at Key Bridge",
    "Thursday's vote"), or how many ("250 pages of emails", "a seven-term congressman")."""

    anchor: str  # the noun's lemma ("moderator"; a figure's counted noun, "page")
    kind: str  # actor, place, time, figure
    key: str  # the filler as compared: a surname, a place, "thursday", "250"
    filler: Span  # where the filler is, for evidence
    qualifiers: frozenset[str] = frozenset()  # the anchor's modifiers ("us", "email")
    own_voice: bool = True  # the outlet states it (not inside someone's reported clause)


@dataclass(frozen=True)
class ClaimShape:
    """What the align stage reads off one claim's parse (plain data; spaCy stays in align).

    Words are lemmas in lower case. ``words`` are content words that are not names;
    ``names`` are the lower-case tokens of proper nouns and named entities."""

    claim_id: str
    words: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    negated: frozenset[str] = frozenset()  # predicates with a negation of their own
    negation_spans: tuple[tuple[str, Span], ...] = ()  # negated predicate → "not been inspected"
    predicates: frozenset[str] = frozenset()  # verbs (and particles: "strike_down")
    # verbs only as an infinitive ("talks to direct") or qualified by "barely"
    unasserted: frozenset[str] = frozenset()
    subjects: tuple[tuple[str, tuple[str, ...], Span], ...] = ()  # (predicate, subject names, span)
    # ("tuesday" / "june 5" / "april", event verb, span)
    times: tuple[tuple[str, str, Span], ...] = ()
    # (name, event verb, span, entity label: GPE, LOC or FAC) after in/at/near
    places: tuple[tuple[str, str, Span, str], ...] = ()
    # (predicate, who does it): names, or a common noun ("stars"), also for a verb that takes
    # its subject from the verb it hangs from ("dominated Rahman ..., then landing blows")
    doers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    hedges: tuple[Span, ...] = ()  # hedges outside quotes and outside if/unless clauses
    hedge_verbs: tuple[str, ...] = ()  # the verb each hedge qualifies ("likely discussed")
    loaded: tuple[Span, ...] = ()  # loaded words in the outlet's own voice (outside quotes)
    loaded_heads: tuple[tuple[str, str], ...] = ()  # (clause verb, head word or that verb)
    conditional: bool = False  # the main clause depends on an if/unless clause or "would"
    # the clauses (indices into ``clauses``) a hedge qualifies, and those an if/unless clause or
    # "would" makes conditional (the if-clause itself and the clause it conditions)
    hedge_clauses: tuple[int, ...] = ()
    conditional_clauses: tuple[int, ...] = ()
    # the clauses that report a position ("X denied that ...", "hopes that"), article offsets
    reported_spans: tuple[tuple[int, int], ...] = ()
    quoted: tuple[tuple[int, int], ...] = ()  # quotation spans, article offsets
    word_spans: tuple[tuple[str, Span], ...] = ()  # lemma → where it is, for evidence
    clauses: tuple[frozenset[str], ...] = ()  # content words and names of each clause
    clause_heads: tuple[str, ...] = ()  # the lemma of each clause's verb
    # the lemma of the verb the content asserts: the sentence's root, or what a reporting
    # root reports ("said the lawsuit was without merit" → "be")
    main_verb: str = ""
    token_clause: tuple[tuple[int, int], ...] = ()  # (article offset of a token, clause index)
    clause_parents: tuple[int, ...] = ()  # the clause each clause hangs from (-1: the root)
    slots: tuple[Slot, ...] = ()  # descriptive facts attached to common nouns
    # nouns written with a hyphen, as the one word a slot anchors ("fundraiser" for
    # "fund-raiser"; ``words`` holds only "raiser")
    joined: frozenset[str] = frozenset()
    # (verb, the noun it takes as direct object) outside quotation marks: ("hire", "company")
    objects: tuple[tuple[str, str], ...] = ()
    # ("in" or "out", the place's head noun): someone going into or out of a place, outside
    # quotation marks ("checked into the Betty Ford Center" → ("in", "center"))
    moves: tuple[tuple[str, str], ...] = ()

    @property
    def reported(self) -> bool:
        """The content reports someone's position somewhere."""
        return bool(self.reported_spans)

    def clause_index(self, offset: int) -> int | None:
        """The clause holding the token at article ``offset`` (None if unknown)."""
        best = None
        for start, index in self.token_clause:
            if start > offset:
                break
            best = index
        return best if best is not None and best < len(self.clauses) else None

    @property
    def qualified(self) -> str:
        """"hedged" or "conditional" when the claim has a hedge or a condition anywhere (see
        ``hedges`` and ``conditional``), else ""."""
        return "hedged" if self.hedges else "conditional" if self.conditional else ""

    def qualified_at(self, offset: int) -> str:
        """"hedged" or "conditional" when a hedge or a condition of the claim governs the
        clause at article ``offset`` (that clause or one it hangs from), else "". A hedge
        elsewhere leaves it asserted: in "The council did not approve the budget, though it
        may vote again", the rejection is the outlet's own."""
        index = self.clause_index(offset)
        chain = []
        while index is not None and 0 <= index < len(self.clauses) and index not in chain:
            chain.append(index)
            index = self.clause_parents[index] if index < len(self.clause_parents) else -1
        if self.hedges and (not chain or not self.hedge_clauses
                            or set(chain) & set(self.hedge_clauses)):
            return "hedged"
        if self.conditional and (not chain or not self.conditional_clauses
                                 or set(chain) & set(self.conditional_clauses)):
            return "conditional"
        return ""

    def doers_of(self, predicate: str) -> frozenset[str]:
        """Who does ``predicate`` in this claim (see ``doers``): names or common nouns."""
        return frozenset(who for verb, names in self.doers if verb == predicate
                         for who in names)

    def clause_words(self, offset: int) -> frozenset[str]:
        """The words of the clause holding the token at article ``offset`` (empty if unknown)."""
        index = self.clause_index(offset)
        return self.clauses[index] if index is not None else frozenset()


@dataclass(frozen=True)
class Mismatch:
    """One way two same-fact claims conflict, with the words on each side."""

    kind: str  # polarity, outcome, actor, time, place
    a: Span | None
    b: Span | None
    description: str  # plain words: "fox says the Senate passed it; nyt says it failed"
    strength: float = 0.0  # how surely the two sides tell one fact: sentences' or clauses'
    # The rules see the conflict but cannot tell alone that it is one fact's, so it counts
    # only when the NLI model confirms it (see judge.Judge._corroborations): "loose", the two
    # verbs of the event differ or the negation falls on another verb (unconfirmed, it is no
    # mismatch at all); "weak", the claims are aligned less strongly than
    # align.contradiction_min_strength (unconfirmed, it still keeps the pair from agreeing)
    corroborate: str = ""
    # once the model confirmed it: its contradiction probability (the lower of both ways)
    # with the claims as they are, and (the mean of both ways) with the mismatch's words out
    confirmed_by: tuple[float, float] = ()
    # what ties both sides to one fact beyond the alignment: the object both negated and
    # asserted verbs take ("company" in "has not hired a security company" / "had hired an
    # Internet security company")
    tied: str = ""

    @property
    def settled(self) -> bool:
        """Not waiting for the model: it needs no corroboration, or the model gave it."""
        return not self.corroborate or bool(self.confirmed_by)


@dataclass(frozen=True)
class Alignment:
    """Whether a candidate pair tells the same fact, and how its claims differ if so."""

    pair: "ClaimPair"
    same_fact: bool
    strength: float  # 0..1: how surely the two claims tell one fact
    shared: tuple[str, ...] = ()  # shared content words (lemmas)
    mismatches: tuple[Mismatch, ...] = ()
    reason: str = ""  # why not the same fact, or why a mismatch is not a contradiction
    comparable: bool = False  # both are the outlets' own assertions (not quotes, not hedged)
    # "sentence": the claims tell one fact; "clause": one clause each; "slot": one descriptive
    # fact each (see Slot), found across the story rather than by sentence similarity
    scope: str = "sentence"
    numeric: "NumericCheck | None" = None  # the claims' figures compared (same-fact pairs)
    # one claim prints the other's words (see crosscheck.align.prints_same_words)
    verbatim: bool = False
    # the claims give the fact different figures, or a time of day against a duration: two
    # stages or measures of the news, not one fact told two ways (see
    # crosscheck.align.mark_two_measures; set on same-fact pairs only)
    two_measures: bool = False


@dataclass(frozen=True)
class NumericCheck:
    """The outcome of comparing aligned quantities in a pair."""

    status: str  # "consistent", "conflict", or "none" (nothing comparable)
    quantity_a: Quantity | None = None
    quantity_b: Quantity | None = None
    relative_difference: float = 0.0
    reason: str = ""
    # a figure both claims give alike beside the conflicting ones ("17 percent"): they tell one
    # list of figures
    beside: str = ""
    # for figures inside one quotation both outlets print: the words they quote alike around
    # the figure, the figure left out ("… freshmen running for their first re-elections")
    quoted: str = ""


@dataclass(frozen=True)
class Judgement:
    pair: ClaimPair
    label: str  # one of PAIR_LABELS
    probabilities: tuple[float, float, float]  # agree, contradict, unrelated
    nli_forward: tuple[float, ...]  # raw model probabilities, a → b
    nli_backward: tuple[float, ...]  # raw model probabilities, b → a
    numeric: NumericCheck = field(default_factory=lambda: NumericCheck("none"))
    alignment: Alignment | None = None

    @property
    def score(self) -> float:
        return self.probabilities[PAIR_LABELS.index(self.label)]


@dataclass(frozen=True)
class Evidence:
    """A span to highlight: offsets into the article text of the claim's article."""

    claim_id: str
    start: int
    end: int
    role: str  # number, hedge, attribution, loaded, opinion, differs


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str  # one of FINDING_KINDS
    score: float  # 0..1, how sure / how strong
    severity: str  # high, medium, low
    claim_ids: tuple[str, ...]
    reason: str  # plain-language, one or two sentences
    evidence: tuple[Evidence, ...] = ()
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ReviewedClaim:
    """One sentence of a reviewed finding, as a verdicts file records it."""

    outlet: str
    article: str  # the article's file name
    text: str


@dataclass(frozen=True)
class Verdict:
    """A reviewer's verdict on one finding (one line of a verdicts JSONL file)."""

    kind: str  # one of FINDING_KINDS
    verdict: str  # one of VERDICTS, or "disputed" (reviewers disagreed: no verdict)
    claims: tuple[ReviewedClaim, ...]
    story: str = ""
    finding_id: str = ""
    score: float | None = None
    note: str = ""
    time: str = ""  # ISO 8601, when the mark was made
    where: str = ""  # "file:line" it was read from


# What a reviewer can say of a finding.
VERDICTS = ("correct", "partly", "wrong")


@dataclass(frozen=True)
class ModelInfo:
    role: str  # embedder or nli
    name: str
    backend: str
    source: str  # where it loaded from
    version: str = ""
    licence: str = ""
    checksum: str = ""
    notes: str = ""


@dataclass(frozen=True)
class StoryResult:
    story: str
    inputs: tuple[InputRecord, ...]
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]
    judgements: tuple[Judgement, ...]  # the same-fact pairs, judged
    clusters: tuple[tuple[str, ...], ...]  # claim ids telling the same fact, >1 article each
    findings: tuple[Finding, ...]
    seconds: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    alignments: tuple[Alignment, ...] = ()  # every candidate pair: same fact or not, and why
    # Verdicts from earlier reviews (``run --verdicts``) that match a finding: finding id → verdict.
    verdicts: dict[str, Verdict] = field(default_factory=dict, hash=False, compare=False)
    folder: str = ""  # the folder under OUTDIR it had before (kept stable); "" to choose one

    def claim(self, claim_id: str) -> Claim:
        return self._claims_by_id[claim_id]

    def article(self, article_id: str) -> Article:
        return self._articles_by_id[article_id]

    @cached_property
    def compared_claims(self) -> frozenset[str]:
        """The claims crosscheck compared: those judged to tell the same fact as a claim of
        another outlet. Every finding but a single-outlet claim rests on such a pair."""
        return self._cross_outlet(j.pair for j in self.judgements)

    @cached_property
    def unjudged_claims(self) -> frozenset[str]:
        """Claims the align stage matched with another outlet's as one fact that the judge
        did not reach (``judge.max_seconds_per_story``), and that no judged pair compared."""
        return self._cross_outlet(al.pair for al in self.alignments
                                  if al.same_fact) - self.compared_claims

    def _cross_outlet(self, pairs) -> frozenset[str]:
        """The claims of ``pairs`` whose two claims are of this story, from two outlets."""
        outlet = {a.id: a.outlet for a in self.articles}
        outlet_of = {c.id: outlet[c.article_id] for c in self.claims if c.article_id in outlet}
        return frozenset(claim_id for pair in pairs
                         if pair.a in outlet_of and pair.b in outlet_of
                         and outlet_of[pair.a] != outlet_of[pair.b]
                         for claim_id in (pair.a, pair.b))

    @cached_property
    def _claims_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    @cached_property
    def _articles_by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


@dataclass(frozen=True)
class StoryAssignment:
    """An input and the story it went to: one row of ``stories.csv``."""

    path: str
    story: str  # "" for a skipped input
    title: str = ""
    outlet: str = ""
    date: str | None = None
    status: str = "used"  # "used" or "skipped"
    reason: str = ""
    cross_checked: bool = True  # False: its story has articles from one outlet only


@dataclass(frozen=True)
class StoryFailure:
    """A story whose analysis raised twice (it is tried once more after the first failure)."""

    story: str
    reason: str  # one line: the exception's type and message
    articles: int = 0
    folder: str = ""  # the folder an earlier run gave it (StoryResult.folder), kept for the next


@dataclass(frozen=True)
class RunResult:
    stories: tuple[StoryResult, ...]
    settings: dict[str, dict[str, Any]]  # effective settings, as plain data
    models: tuple[ModelInfo, ...]
    inputs: tuple[InputRecord, ...]  # every input file of the run, whatever story it went to
    assignments: tuple[StoryAssignment, ...] = ()  # every input and its story, input order
    grouped: bool = False  # stories were grouped by event (stories.group = auto)
    failed: tuple[StoryFailure, ...] = ()  # stories not analysed, in input order
