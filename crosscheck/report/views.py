"""What the HTML report shows, computed from a StoryResult as plain records.

Templates only format these records. Every piece of untrusted text that needs markup around
it (highlighted sentences, article bodies, the SVG chart) is built here with
``markupsafe.escape`` on each text piece and ``Markup`` joins, so there is one escaping path.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from markupsafe import Markup, escape

from crosscheck.findings import checkable
from crosscheck.quantities import is_figure
from crosscheck.report.document import (checked_counts, count_kinds, rank_findings,
                                        report_identity)
from crosscheck.types import (FINDING_KINDS, PAIR_LABELS, Article, Claim, Finding, ModelInfo,
                              RunResult, StoryAssignment, StoryResult, Verdict)
from crosscheck.verdicts import finding_key

KIND_LABELS = {
    "contradiction": "Contradiction",
    "numeric": "Numbers differ",
    "framing": "Framing",
    "agreement": "Agreement",
    "single_outlet": "Only one outlet",
}
# Badge and bar colours; each has at least 4.5:1 contrast against white text.
KIND_COLOURS = {
    "contradiction": "#b42318",
    "numeric": "#a15c07",
    "framing": "#6941c6",
    "agreement": "#067647",
    "single_outlet": "#475467",
}
ROLE_LABELS = {"number": "number", "hedge": "hedge", "booster": "booster",
               "attribution": "attribution", "loaded": "loaded word", "opinion": "opinion",
               "differs": "differs"}
QUALIFIER_LABELS = {"exact": "", "approximate": "approx.", "lower_bound": "at least",
                    "upper_bound": "at most", "range": "range"}
# Framing cue kinds as evidence roles, for findings that carry no evidence spans.
_CUE_ROLES = {"hedge": "hedge", "booster": "hedge", "attribution": "attribution",
              "loaded": "loaded", "opinion": "opinion"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def css_token(text: str) -> str:
    """A safe class-name fragment for a role or kind coming from data."""
    return re.sub(r"[^a-z0-9-]+", "-", str(text).lower()).strip("-") or "other"


def percent(x: Any) -> str:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "–"
    return f"{round(x * 100)}%" if math.isfinite(x) else "–"


def format_number(value: Any) -> str:
    """``13000.0`` → ``13,000``; other numbers to at most 4 significant decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.2f}"


# --------------------------------------------------------------------------- lookups


@dataclass
class Lookup:
    """Ids to records, plus the stable anchors and outlet numbering the page uses."""

    story: StoryResult
    claims: dict[str, Claim]
    articles: dict[str, Article]
    claim_anchor: dict[str, str]  # only claims whose article is in the story (shown in context)
    article_anchor: dict[str, str]
    outlets: list[str]
    outlet_index: dict[str, int]

    def article_of(self, claim_id: str) -> Article | None:
        claim = self.claims.get(claim_id)
        return self.articles.get(claim.article_id) if claim else None

    def outlet_of(self, claim_id: str) -> str | None:
        article = self.article_of(claim_id)
        return article.outlet if article else None


def build_lookup(story: StoryResult) -> Lookup:
    articles = {a.id: a for a in story.articles}
    outlets: list[str] = []
    for a in story.articles:
        if a.outlet not in outlets:
            outlets.append(a.outlet)
    return Lookup(
        story=story,
        claims={c.id: c for c in story.claims},
        articles=articles,
        # Anchors are positional, never derived from ids, so any id is safe in the page.
        claim_anchor={c.id: f"claim-{i}" for i, c in enumerate(story.claims)
                      if c.article_id in articles},
        article_anchor={a.id: f"article-{i}" for i, a in enumerate(story.articles)},
        outlets=outlets,
        outlet_index={o: i for i, o in enumerate(outlets)},
    )


# --------------------------------------------------------------------------- highlighting


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """``text`` escaped, with each (start, end, role) span — offsets into ``text`` — wrapped
    in ``<mark class="ev ev-ROLE">``. Spans are clipped; overlapping spans share a mark."""
    n = len(text)
    clean = [(max(0, s), min(n, e), role) for s, e, role in spans if min(n, e) > max(0, s)]
    if not clean:
        return escape(text)
    bounds = sorted({0, n, *(s for s, _, _ in clean), *(e for _, e, _ in clean)})
    parts = []
    for lo, hi in zip(bounds, bounds[1:]):
        piece = escape(text[lo:hi])
        roles = sorted({role for s, e, role in clean if s <= lo and hi <= e})
        if roles:
            classes = " ".join(f"ev-{css_token(r)}" for r in roles)
            label = ", ".join(ROLE_LABELS.get(r, r) for r in roles)
            parts.append(Markup('<mark class="ev {}" title="{}">{}</mark>').format(
                classes, label, piece))
        else:
            parts.append(piece)
    return Markup("").join(parts)


def claim_spans(finding: Finding, claim: Claim) -> list[tuple[int, int, str]]:
    """The finding's evidence spans in ``claim``, as offsets into the claim text. A finding
    with no evidence at all falls back to the claim's own numbers or framing cues."""
    spans = [(e.start - claim.start, e.end - claim.start, e.role)
             for e in finding.evidence if e.claim_id == claim.id]
    if spans or finding.evidence:
        return spans
    if finding.kind == "numeric":
        return quantity_spans(claim)
    if finding.kind == "framing":
        return [(cue.start - claim.start, cue.end - claim.start, _CUE_ROLES.get(cue.kind, cue.kind))
                for cue in claim.cues]
    return []


def quantity_spans(claim: Claim) -> list[tuple[int, int, str]]:
    return [(q.start - claim.start, q.end - claim.start, "number") for q in claim.quantities]


# --------------------------------------------------------------------------- claims and findings


@dataclass(frozen=True)
class ClaimView:
    claim_id: str
    outlet: str
    title: str
    position: str  # "paragraph 3, sentence 12"
    html: Markup  # the sentence, escaped, evidence highlighted
    source: str  # who the claim is attributed to, "" when stated as fact
    anchor: str | None  # id of the sentence in the article view; None: not shown there
    found: bool = True
    text: str = ""  # the plain sentence


def claim_view(lookup: Lookup, claim_id: str,
               spans: list[tuple[int, int, str]] | None = None) -> ClaimView:
    claim = lookup.claims.get(claim_id)
    if claim is None:
        return ClaimView(claim_id, "", "", "", escape(f"(claim {claim_id} is not in this story)"),
                         "", None, found=False)
    article = lookup.articles.get(claim.article_id)
    return ClaimView(
        claim_id=claim.id,
        outlet=article.outlet if article else "(unknown outlet)",
        title=article.title if article else "",
        position=f"paragraph {claim.paragraph + 1}, sentence {claim.sentence + 1}",
        html=highlight(claim.text, spans or []),
        source=claim.source,
        anchor=lookup.claim_anchor.get(claim.id),
        text=claim.text,
    )


# Cards listed before the rest of a kind is folded under "show more" (per kind, in rank order).
FOLD_AFTER = {"contradiction": 20, "numeric": 20, "framing": 20, "agreement": 10,
              "single_outlet": 10}
_FOLD_DEFAULT = 20


@dataclass(frozen=True)
class FindingCard:
    anchor: str
    id: str
    kind: str
    kind_label: str
    kind_class: str
    severity: str
    score: float
    percent: str
    reason: str
    sides: list[ClaimView]
    score_text: str  # "score 84%", or for a single-outlet claim its closest similarity
    details: list[tuple[str, str]]
    outlet_indices: str  # space-separated outlet numbers, for the outlet filter
    compact: bool = False  # one sentence, no side-by-side: drawn smaller
    key: str = ""  # the finding's identity across runs (kind and sentences): verdicts use it
    claims: list[dict] = field(default_factory=list)  # outlet, article, text: for the export
    verdict: Verdict | None = None  # from an earlier review (run --verdicts)

    @property
    def discrepancy(self) -> bool:
        """A finding of outlets telling the news differently, whose severity means something to
        a reader (an agreement or a single-outlet claim is ranked, but not severe)."""
        return self.kind in ("contradiction", "numeric", "framing")

    @property
    def outlets_text(self) -> str:
        names: list[str] = []
        for side in self.sides:
            if side.found and side.outlet not in names:
                names.append(side.outlet)
        return " vs ".join(names)


def score_text(f: Finding) -> str:
    """How a card states its score: "score 84%"; for a single-outlet claim, whose score (1 −
    the similarity of the closest claim elsewhere) only ranks it, that similarity, "closest
    elsewhere 0.20": a percentage would read as a confidence that about half of them do not
    deserve (README)."""
    best = (f.details or {}).get("best_similarity")
    if f.kind == "single_outlet" and isinstance(best, (int, float)):
        return f"closest elsewhere {max(float(best), 0.0):.2f}"
    return f"score {percent(_float(f.score))}"


def finding_cards(story: StoryResult, lookup: Lookup) -> list[FindingCard]:
    """Every finding, ranked by severity then score, ready to show."""
    cards = []
    for i, f in enumerate(rank_findings(story.findings)):
        sides = []
        claims = [lookup.claims.get(claim_id) for claim_id in f.claim_ids]
        differing = _differing_words(f, claims)
        for claim_id, claim in zip(f.claim_ids, claims):
            spans = claim_spans(f, claim) + differing.get(claim_id, []) if claim else None
            sides.append(claim_view(lookup, claim_id, spans))
        outlet_numbers = sorted({lookup.outlet_index[s.outlet] for s in sides
                                 if s.outlet in lookup.outlet_index})
        score = _float(f.score)
        found = [(claim, lookup.articles.get(claim.article_id)) for claim in claims if claim]
        cards.append(FindingCard(
            anchor=f"finding-{i}", id=f.id, kind=f.kind, kind_label=kind_label(f.kind),
            kind_class=css_token(f.kind), severity=f.severity, score=score,
            percent=percent(score), reason=f.reason, sides=sides,
            score_text=score_text(f),
            details=finding_details(f, [s.outlet for s in sides]),
            outlet_indices=" ".join(str(n) for n in outlet_numbers),
            compact=len(sides) == 1,
            key=finding_key(f.kind, [claim.text for claim, _ in found]),
            claims=[{"outlet": article.outlet if article else "",
                     "article": _file_name(article.path) if article else "",
                     "text": claim.text} for claim, article in found],
            verdict=story.verdicts.get(f.id)))
    return cards


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def dismissed_cards(cards: list[FindingCard]) -> tuple[list[FindingCard], list[FindingCard]]:
    """(kept, dismissed): findings an earlier review marked wrong leave the main list."""
    kept = [c for c in cards if not (c.verdict and c.verdict.verdict == "wrong")]
    return kept, [c for c in cards if c.verdict and c.verdict.verdict == "wrong"]


def fold_cards(cards: list[FindingCard]) -> tuple[list[FindingCard], list[FindingCard]]:
    """(listed, folded): the first FOLD_AFTER[kind] cards of each kind stay in the list, the
    rest (lower-ranked) go under a "show more" element, still in rank order."""
    seen: Counter = Counter()
    listed, folded = [], []
    for card in cards:
        seen[card.kind] += 1
        (listed if seen[card.kind] <= FOLD_AFTER.get(card.kind, _FOLD_DEFAULT) else folded).append(card)
    return listed, folded


def fold_summary(folded: list[FindingCard]) -> str:
    """``"12 Only one outlet, 3 Framing"`` for the folded cards."""
    counts = Counter(card.kind_label for card in folded)
    return ", ".join(f"{n} {label}" for label, n in counts.most_common())


def top_cards(cards: list[FindingCard], n: int = 3) -> list[FindingCard]:
    """The ``n`` highest-ranked cards, skipping one that shows the same sentences as a card
    already picked (the same quote carried by two outlets gives twin findings). Never a
    single-outlet claim: that no other outlet seems to tell a fact is a lead to check, right
    for about half of those two reviewers judged on real coverage (README), not a finding to
    head a report."""
    picked, seen = [], set()
    for card in cards:
        key = frozenset(re.sub(r"\W+", " ", side.text).strip().lower() for side in card.sides)
        if key in seen or card.kind == "single_outlet":
            continue
        seen.add(key)
        picked.append(card)
        if len(picked) == n:
            break
    return picked


_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
              "denied", "denies", "deny", "false", "untrue"}
_STOPWORDS = {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by",
              "with", "from", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had",
              "it", "its", "this", "that", "these", "those", "he", "she", "they", "his", "her",
              "their", "we", "i", "you", "said", "says", "mr", "ms", "mrs", "also", "which",
              "who", "will", "would", "s"}


def _differing_words(f: Finding, claims: list[Claim | None]) -> dict[str, list[tuple[int, int, str]]]:
    """For a contradiction without evidence spans: the words one sentence has and the other
    lacks, marked "differs", so the reader sees where two otherwise similar sentences part.
    Only when they share at least a third of their content words (else nearly every word
    would be marked); negations are always marked."""
    if f.kind != "contradiction" or f.evidence or len(claims) != 2 or None in claims:
        return {}
    tokens = [[(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(c.text)]
              for c in claims]
    words = [{w for _, _, w in ts if w not in _STOPWORDS} for ts in tokens]
    shared = len(words[0] & words[1]) / max(1, min(len(words[0]), len(words[1])))
    out: dict[str, list[tuple[int, int, str]]] = {}
    for i, claim in enumerate(claims):
        other = {w for _, _, w in tokens[1 - i]}
        spans = [(s, e, "differs") for s, e, w in tokens[i]
                 if w not in other and (w in _NEGATIONS or w.endswith("n't") or w.endswith("n’t")
                                        or (shared >= 1 / 3 and w not in _STOPWORDS))]
        if spans:
            out[claim.id] = spans
    return out


def finding_details(f: Finding, outlets: list[str]) -> list[tuple[str, str]]:
    """The judge's ``details`` as (label, text) rows; known keys worded, others listed."""
    d = dict(f.details or {})
    a = outlets[0] if outlets else "A"
    b = outlets[1] if len(outlets) > 1 else "B"
    rows: list[tuple[str, str]] = []
    used: set[str] = set()

    def take(key: str) -> Any:
        used.add(key)
        return d.get(key)

    if f.kind == "numeric":
        text_a, text_b = take("text_a"), take("text_b")
        value_a, value_b = take("value_a"), take("value_b")
        fig_a = text_a or (format_number(value_a) if value_a is not None else None)
        fig_b = text_b or (format_number(value_b) if value_b is not None else None)
        figures = take("figures")
        if isinstance(figures, list) and figures:  # one conflict across outlets
            rows.append(("Figures", " · ".join(
                f"{item.get('outlet', '?')}: {item.get('text', '–')}"
                for item in figures if isinstance(item, dict))))
        elif fig_a is not None or fig_b is not None:
            rows.append(("Figures", f"{a}: {fig_a or '–'} · {b}: {fig_b or '–'}"))
        take("comparison")  # the reason states it
        if take("counted"):
            rows.append(("What is counted", str(d["counted"])))
        if take("quoted_alike"):
            rows.append(("Quoted alike by both", f"“{d['quoted_alike']}”"))
        if take("relative_difference") is not None:
            rows.append(("Relative difference" if not figures else "Widest difference",
                         percent(d["relative_difference"])))
    elif f.kind == "framing":
        if take("aspect"):
            rows.append(("Aspect", str(d["aspect"])))
        marked, plain = take("marked"), take("plain")
        if isinstance(marked, list) and isinstance(plain, list):  # one fact across outlets
            labels = _GROUP_SIDES.get(str(d.get("aspect")), ("Framed so in", "Not in"))
            for label, side in zip(labels, (marked, plain)):
                rows.append((label, " · ".join(
                    f"{item.get('outlet', '?')} ({item['note']})" if item.get("note")
                    else str(item.get("outlet", "?"))
                    for item in side if isinstance(item, dict))))
            if take("pairs"):
                rows.append(("Pairs compared", str(d["pairs"])))
            take("compared")  # the card lists every sentence
        for key, outlet in (("cues_a", a), ("cues_b", b)):
            if take(key) is not None:
                rows.append((f"Cues in {outlet}", _join(d[key]) or "none"))
        for key, outlet in (("source_a", a), ("source_b", b)):
            if key in d:
                rows.append((f"Source in {outlet}", str(take(key) or "") or "stated as fact"))
        for key, outlet in (("certainty_a", a), ("certainty_b", b)):
            if take(key) is not None:
                rows.append((f"Certainty in {outlet}", _certainty(d[key])))
    elif f.kind == "agreement":
        if take("outlets"):
            rows.append(("Outlets", _join(d["outlets"])))
    elif f.kind == "single_outlet":
        take("outlet")  # the card already names it
        take("best_similarity")  # the findings stage's reason states it
        take("figures_only_here")  # and the figures no other outlet gives
        take("checkable")  # and, when there is none, that it gives no detail to look for
        closest = take("closest_elsewhere")
        if isinstance(closest, dict) and closest.get("text"):
            rows.append(("Closest sentence elsewhere",
                         f"{closest.get('outlet', '?')}: “{closest['text']}”"))
    elif f.kind == "contradiction":
        mismatches, sides = take("mismatches"), take("sides")
        if isinstance(sides, list) and sides:  # one conflict across outlets
            rows.append(("What differs", " · ".join(
                f"{item.get('outlet', '?')} “{item.get('says', '')}”"
                for item in sides if isinstance(item, dict))))
            confirmed = take("confirmed_by_model")
            if isinstance(confirmed, list) and confirmed:
                rows.append(("Confirmed by the model", " · ".join(map(str, confirmed))))
        if isinstance(mismatches, list) and mismatches:
            rows.append(("What differs", " · ".join(
                f"{m.get('kind', '?')}: {a} “{m.get('a', '')}” / {b} “{m.get('b', '')}”"
                for m in mismatches if isinstance(m, dict))))
            confirmed = [m for m in mismatches if isinstance(m, dict) and "model_with" in m]
            if confirmed:
                rows.append(("Confirmed by the model", " · ".join(
                    f"contradiction {percent(m['model_with'])} as written, "
                    f"{percent(m['model_without'])} without “{m.get('a', '')}” / "
                    f"“{m.get('b', '')}”" for m in confirmed)))
        if take("scope"):
            rows.append(("Scope", {"sentence": "the whole sentences tell one fact",
                                   "clause": "one clause of each tells one fact",
                                   "slot": "one detail, found across the story"}.get(
                                       d["scope"], str(d["scope"]))))
    probs = take("probabilities")  # contradictions and framing differences carry them
    if isinstance(probs, dict):
        rows.append(("Model probabilities",
                     " · ".join(f"{k} {percent(v)}" for k, v in probs.items())))
    elif isinstance(probs, (list, tuple)) and probs:
        rows.append(("Model probabilities",
                     " · ".join(f"{label} {percent(v)}" for label, v in zip(PAIR_LABELS, probs))))
    if f.kind in ("contradiction", "numeric") and take("pairs"):
        rows.append(("Pairs compared", str(d["pairs"])))
        take("compared")  # the card lists every sentence
    if take("similarity") is not None:
        rows.append(("Sentence similarity", _short(_float(d["similarity"]))))
    for key, value in d.items():
        if key not in used and value not in (None, "", [], {}):
            rows.append((key.replace("_", " "), _short(value)))
    return rows


# How the two sides of a framing finding across many outlets are labelled, by aspect.
_GROUP_SIDES = {"attribution": ("Attributed by", "Stated as fact by"),
                "certainty": ("Hedged by", "Stated as fact by"),
                "wording": ("Loaded wording in", "Plain wording in")}


def _certainty(value: Any) -> str:
    x = _float(value)
    return f"{format_number(round(x, 2))} ({'asserted' if x >= 0.999 else 'hedged'})"


def _join(value: Any) -> str:
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _short(value: Any, limit: int = 200) -> str:
    if isinstance(value, float):
        text = format_number(value)
    elif isinstance(value, (list, tuple)):
        text = _join(value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _float(x: Any) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return 0.0
    return x if math.isfinite(x) else 0.0


# --------------------------------------------------------------------------- views


def excerpt(text: str, limit: int = 140) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class ClusterView:
    number: int
    outlets: list[str]
    members: list[ClaimView]

    @property
    def anchor(self) -> str:
        return f"fact-{self.number}"

    @property
    def summary(self) -> str:
        first = next((m.text for m in self.members if m.found), "")
        return excerpt(first, 120)


def cluster_views(story: StoryResult, lookup: Lookup) -> list[ClusterView]:
    """Clusters of claims telling the same fact, the most widely carried first."""
    views = []
    for cluster in story.clusters:
        members = []
        for claim_id in cluster:
            claim = lookup.claims.get(claim_id)
            members.append(claim_view(lookup, claim_id, quantity_spans(claim) if claim else None))
        outlets = sorted({m.outlet for m in members if m.found})
        views.append((outlets, members))
    order = sorted(range(len(views)), key=lambda i: (-len(views[i][0]), i))
    return [ClusterView(n + 1, views[i][0], views[i][1]) for n, i in enumerate(order)]


@dataclass(frozen=True)
class CoverageCell:
    claims: list[ClaimView]  # this outlet's sentences telling the fact; empty: not carried

    @property
    def first(self) -> ClaimView | None:
        return self.claims[0] if self.claims else None


@dataclass(frozen=True)
class CoverageRow:
    label: str  # the fact, as an excerpt of its first sentence
    text: str  # that sentence in full (tooltip)
    anchor: str | None  # the cluster in the "same fact" view; None for a single-outlet claim
    number: int | None  # fact number (cluster) or None
    cells: list[CoverageCell]  # one per outlet, in Lookup.outlets order
    outlet_count: int


@dataclass(frozen=True)
class Coverage:
    outlets: list[str]
    shared: list[CoverageRow]  # facts (clusters) told by more than one outlet
    single: list[CoverageRow]  # claims only one outlet carries
    carried: list[int]  # per outlet: shared facts it carries
    only: list[int]  # per outlet: single-outlet claims


def coverage_matrix(story: StoryResult, lookup: Lookup,
                    clusters: list[ClusterView] | None = None) -> Coverage:
    """Outlet × fact: one row per cluster of claims telling the same fact (numbered as in the
    "same fact" view), then one row per claim only one outlet carries (from the single-outlet
    findings); a cell lists the outlet's sentences telling that fact."""
    clusters = cluster_views(story, lookup) if clusters is None else clusters
    outlets = lookup.outlets

    def row(members: list[ClaimView], anchor: str | None, number: int | None) -> CoverageRow:
        by_outlet: dict[str, list[ClaimView]] = defaultdict(list)
        for m in members:
            if m.found:
                by_outlet[m.outlet].append(m)
        first = next((m.text for m in members if m.found), "")
        return CoverageRow(excerpt(first, 110), first, anchor, number,
                           [CoverageCell(by_outlet.get(o, [])) for o in outlets], len(by_outlet))

    rows = [row(c.members, c.anchor, c.number) for c in clusters]
    shared = [r for r in rows if r.outlet_count > 1]
    in_cluster = {m.claim_id for c in clusters for m in c.members}
    single_ids: list[str] = []
    for f in story.findings:
        if f.kind == "single_outlet":
            single_ids += [cid for cid in f.claim_ids
                           if cid in lookup.claims and cid not in in_cluster and cid not in single_ids]
    order = {c.id: i for i, c in enumerate(story.claims)}
    single = [r for r in rows if r.outlet_count == 1] + [
              row([claim_view(lookup, cid)], None, None)
              for cid in sorted(single_ids, key=lambda cid: (
                  lookup.outlet_index.get(lookup.outlet_of(cid) or "", len(outlets)), order[cid]))]
    carried = [sum(1 for r in shared if r.cells[i].claims)
               for i in range(len(outlets))]
    only = [sum(1 for r in single if r.cells[i].claims) for i in range(len(outlets))]
    return Coverage(outlets, shared, single, carried, only)


@dataclass(frozen=True)
class MatrixCell:
    agree: int
    contradict: int
    unrelated: int
    heat: str  # css class: heat-none, heat-agree-2 ... heat-contra-2
    diagonal: bool = False


def outlet_matrix(story: StoryResult, lookup: Lookup) -> tuple[list[str], list[list[MatrixCell]]]:
    """Outlet × outlet counts of agree / contradict / unrelated judgements (symmetric).
    The diagonal counts pairs between two articles of the same outlet."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for j in story.judgements:
        oa, ob = lookup.outlet_of(j.pair.a), lookup.outlet_of(j.pair.b)
        if oa is None or ob is None:
            continue
        counts[tuple(sorted((oa, ob)))][j.label] += 1
    outlets = lookup.outlets
    rows = []
    for oa in outlets:
        row = []
        for ob in outlets:
            c = counts.get(tuple(sorted((oa, ob))), Counter())
            row.append(MatrixCell(c["agree"], c["contradict"], c["unrelated"],
                                  heat_class(c["agree"], c["contradict"]), diagonal=oa == ob))
        rows.append(row)
    return outlets, rows


def heat_class(agree: int, contradict: int) -> str:
    """Colour bucket from the share of contradictions among agree + contradict judgements."""
    total = agree + contradict
    if total == 0:
        return "heat-none"
    share = contradict / total
    if share < 0.1:
        return "heat-agree-2"
    if share < 0.34:
        return "heat-agree-1"
    if share < 0.67:
        return "heat-mixed"
    if share < 0.9:
        return "heat-contra-1"
    return "heat-contra-2"


@dataclass(frozen=True)
class Figure:
    text: str  # the figure as written: "some 13,000"
    qualifier: str  # "approx.", "at least", ... or ""
    additional: bool
    value: float
    anchor: str | None
    sentence: str
    findings: tuple[tuple[str, str], ...]  # (card anchor, id) of the findings that compare it


@dataclass(frozen=True)
class NumberRow:
    label: str  # what is counted: "troops", "USD", "(percent)"
    kind: str
    cells: list[list[Figure]]  # one list per outlet, in Lookup.outlets order
    outlet_count: int
    findings: list[tuple[str, str]]  # (card anchor, id) of the findings that compare its figures


def numbers_table(story: StoryResult, lookup: Lookup,
                  cards: list[FindingCard]) -> tuple[list[str], list[NumberRow]]:
    """Every figure each outlet reported, one row per counted noun / unit: dates and years, and
    the other quantities the numeric check counts as figures
    (:func:`crosscheck.quantities.is_figure`: not ages, docket numbers, times of day, addresses
    or numbers inside names). One row can hold different facts (a toll on two days, two
    earthquakes), so a row is not marked for holding different values: a figure is marked, and
    linked, only where a numeric finding among ``cards`` (the cards the page lists, in rank
    order) compares it, whatever kind of quantity it is."""
    listed = {c.id: c.anchor for c in cards if c.kind == "numeric"}
    compared: dict[tuple[str, int, int], list[tuple[str, str]]] = defaultdict(list)
    for f in story.findings:
        if f.id not in listed:
            continue
        card = (listed[f.id], f.id)
        for e in f.evidence:
            if e.role == "number" and card not in compared[(e.claim_id, e.start, e.end)]:
                compared[(e.claim_id, e.start, e.end)].append(card)
    groups: dict[tuple[str, str, str], dict[str, list[Figure]]] = defaultdict(lambda: defaultdict(list))
    for claim in story.claims:
        article = lookup.articles.get(claim.article_id)
        if article is None:
            continue
        for q in claim.quantities:
            found = tuple(compared.get((claim.id, q.start, q.end), ()))
            if not found and q.kind not in ("year", "date") \
                    and not is_figure(claim.text, q, claim.start):
                continue
            figure = Figure(q.text.strip(), QUALIFIER_LABELS.get(q.qualifier, q.qualifier),
                            q.additional, q.value, lookup.claim_anchor.get(claim.id), claim.text,
                            found)
            cell = groups[(q.counted.strip().lower(), q.unit, q.kind)][article.outlet]
            same = next((i for i, f in enumerate(cell)
                         if (f.text, f.value) == (figure.text, figure.value)), None)
            if same is None:
                cell.append(figure)
            elif found:  # a figure the outlet repeats keeps every finding that compares it
                kept = cell[same]
                merged = kept.findings + tuple(f for f in found if f not in kept.findings)
                cell[same] = replace(kept if kept.findings else figure, findings=merged)
    rank = {card.anchor: n for n, card in enumerate(cards)}
    rows = []
    for (counted, unit, kind), by_outlet in groups.items():
        label = counted or f"({kind})"
        if unit and unit.lower() not in label:
            label = f"{label} ({unit})"
        compares = {f for figures in by_outlet.values() for figure in figures
                    for f in figure.findings}
        rows.append(NumberRow(label, kind, [by_outlet.get(o, []) for o in lookup.outlets],
                              len(by_outlet), sorted(compares, key=lambda f: rank[f[0]])))
    # rows a finding compares first, in the order of their first finding's card; then the rest
    rows.sort(key=lambda r: (not r.findings, rank[r.findings[0][0]] if r.findings else 0,
                             r.kind in ("year", "date"), -r.outlet_count, r.label))
    return lookup.outlets, rows


@dataclass(frozen=True)
class SingleOutletClaim:
    claim: ClaimView
    score_text: str
    reason: str
    checkable: bool  # it gives a name, figure, date, source or quotation to look for elsewhere


def single_outlet_claims(story: StoryResult, lookup: Lookup) -> list[tuple[str, list[SingleOutletClaim]]]:
    """Claims only one outlet carries (from single_outlet findings), grouped by outlet."""
    by_outlet: dict[str, list[tuple[tuple, SingleOutletClaim]]] = defaultdict(list)
    for f in rank_findings(story.findings):
        if f.kind != "single_outlet":
            continue
        for claim_id in f.claim_ids:
            view = claim_view(lookup, claim_id)
            claim = lookup.claims.get(claim_id)
            order = (claim.article_id, claim.start) if claim else ("", 0)
            by_outlet[view.outlet].append(
                (order, SingleOutletClaim(view, score_text(f), f.reason, checkable(f))))
    return [(outlet, [item for _, item in sorted(by_outlet[outlet], key=lambda t: t[0])])
            for outlet in sorted(by_outlet)]


_OPAQUE_NAME = re.compile(r"[0-9a-f_-]{8,}", re.IGNORECASE)


def is_opaque_name(name: str) -> bool:
    """A story name that is an identifier, not words: ``85475456-f38e-4c30-…``, ``a1b2c3d4``."""
    return bool(_OPAQUE_NAME.fullmatch(name)) and any(ch.isdigit() for ch in name)


def headline(story: StoryResult) -> str:
    """The first article title, for stories whose name is an identifier."""
    return next((a.title.strip() for a in story.articles if a.title and a.title.strip()), "")


def untitled(article: Article) -> str:
    """What to call an article that has no title: its first words."""
    return "(untitled) " + excerpt(article.text, 80) if article.text.strip() else "(untitled)"


@dataclass(frozen=True)
class ArticleView:
    anchor: str
    outlet: str
    title: str
    date: str
    url: str | None  # only http(s) URLs become links
    url_text: str
    path: str
    claim_count: int
    paragraphs: list[Markup]
    shown_title: str  # the title, or "(untitled) first words…"
    compared_count: int  # its claims compared with another outlet's (see CheckedView)


def article_views(story: StoryResult, lookup: Lookup,
                  checked: dict[str, Any]) -> list[ArticleView]:
    """``checked``: the story's :func:`checked_counts`."""
    flagged = {cid for f in story.findings if f.kind not in ("agreement", "single_outlet")
               for cid in f.claim_ids}
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in story.claims:
        by_article[claim.article_id].append(claim)
    views = []
    for a in story.articles:
        claims = by_article.get(a.id, [])
        url = a.url if a.url and re.match(r"https?://", a.url, re.IGNORECASE) else None
        views.append(ArticleView(lookup.article_anchor[a.id], a.outlet, a.title, a.date or "",
                                 url, a.url or "", a.path, len(claims),
                                 article_paragraphs(a, claims, lookup.claim_anchor, flagged,
                                                    story.compared_claims),
                                 a.title.strip() or untitled(a),
                                 checked["by_article"][a.id]["compared"]))
    return views


def article_paragraphs(article: Article, claims: list[Claim], anchors: dict[str, str],
                       flagged: set[str] | frozenset[str],
                       compared: set[str] | frozenset[str]) -> list[Markup]:
    """The article body, one escaped Markup per paragraph, each claim sentence wrapped in a
    ``<span class="claim" id=...>`` so the findings can link to it (``compared`` claims, those
    judged one fact with another outlet's, and ``flagged`` claims, those in a disagreement
    finding, get an extra class each). Every claim gets its anchor exactly once, even if its
    offsets overlap another claim or fall outside the text."""
    text = article.text
    paragraphs = [(max(0, s), min(len(text), e)) for s, e in article.paragraphs] or [(0, len(text))]
    placed: dict[int, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        index = next((i for i, (s, e) in enumerate(paragraphs) if s <= claim.start < e),
                     len(paragraphs) - 1)
        placed[index].append(claim)
    out = []
    for i, (start, end) in enumerate(paragraphs):
        parts, pos = [], start
        for claim in placed.get(i, []):
            anchor = anchors.get(claim.id)
            cs, ce = max(claim.start, pos), min(claim.end, end)
            if anchor is None:
                continue
            if claim.start >= pos and ce > cs:
                parts.append(escape(text[pos:cs]))
                classes = ["claim"]
                if claim.id in compared:
                    classes.append("compared")
                if claim.id in flagged:
                    classes.append("flagged")
                css = " ".join(classes)
                parts.append(Markup('<span class="{}" id="{}">{}</span>').format(
                    css, anchor, text[cs:ce]))
                pos = ce
            else:  # overlapping or out of range: an empty anchor where we are
                parts.append(Markup('<span class="claim-anchor" id="{}"></span>').format(anchor))
        parts.append(escape(text[pos:end]))
        out.append(Markup("").join(parts))
    return out


# --------------------------------------------------------------------------- run information


def settings_tables(settings: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """``result.settings`` as one (section, [(key, value text)]) table per section."""
    tables = []
    for section, values in (settings or {}).items():
        if isinstance(values, dict):
            rows = [(str(k), _setting_text(v)) for k, v in values.items()]
        else:
            rows = [("", _setting_text(values))]
        tables.append((str(section), rows))
    return tables


def _setting_text(value: Any) -> str:
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(none)"
    return json.dumps(value, ensure_ascii=False, default=str)


def model_rows(models: Iterable[ModelInfo]) -> list[ModelInfo]:
    return list(models)


# --------------------------------------------------------------------------- chart


def findings_by_outlet(story: StoryResult, lookup: Lookup) -> dict[str, dict[str, int]]:
    """For each outlet, how many findings of each kind involve one of its claims."""
    counts = {o: dict.fromkeys(FINDING_KINDS, 0) for o in lookup.outlets}
    for f in story.findings:
        for outlet in {lookup.outlet_of(cid) for cid in f.claim_ids} - {None}:
            counts.setdefault(outlet, dict.fromkeys(FINDING_KINDS, 0))
            counts[outlet][f.kind] = counts[outlet].get(f.kind, 0) + 1
    return counts


def chart_svg(counts: dict[str, dict[str, int]]) -> Markup:
    """Grouped horizontal bar chart (inline SVG): per outlet, one bar per finding kind, each
    bar labelled with its kind and count so colour is never the only cue."""
    kinds = [k for k in FINDING_KINDS if any(c.get(k, 0) for c in counts.values())]
    if not kinds:
        return Markup("")
    label_w, bar_w, count_w = 150, 420, 50
    width = label_w + bar_w + count_w
    bar_h, gap, head_h = 16, 4, 26
    peak = max(max(c.get(k, 0) for k in kinds) for c in counts.values()) or 1
    parts, y = [], 0
    for outlet, by_kind in counts.items():
        name = outlet if len(outlet) <= 60 else outlet[:59] + "…"
        parts.append(Markup('<text class="chart-outlet" x="0" y="{}">{}</text>').format(y + 18, name))
        y += head_h
        for kind in kinds:
            n = by_kind.get(kind, 0)
            w = round(bar_w * n / peak, 1)
            parts.append(Markup(
                '<g><title>{outlet}: {n} {label}</title>'
                '<text class="chart-kind" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"></rect>'
                '<text class="chart-count" x="{cx}" y="{ty}">{n}</text></g>').format(
                    outlet=outlet, n=n, label=kind_label(kind), lx=label_w - 8, ty=y + 12.5,
                    x=label_w, y=y, w=w, h=bar_h, fill=KIND_COLOURS.get(kind, "#475467"),
                    cx=label_w + w + 6))
            y += bar_h + gap
        y += 6
    return Markup(
        '<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">Findings by kind for each outlet</title>{body}</svg>').format(
            w=width, h=y, body=Markup("").join(parts))


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    css: str
    count: int


@dataclass
class StoryPage:
    """Everything the story template shows."""

    story: str
    heading: str  # the page's h1: the story name, or the headline when the name is an id
    story_id: str  # the story name when it is an id (shown small), else ""
    outlets: list[str]
    article_count: int
    claim_count: int
    kind_counts: list[KindCount]
    checked: CheckedView | None
    top: list[FindingCard]
    cards: list[FindingCard]
    folded: list[FindingCard]  # lower-ranked cards under "show more"
    folded_summary: str
    hidden_findings: int  # ranked findings beyond settings.max_findings, not listed
    clusters: list[ClusterView]
    coverage: Coverage
    matrix_outlets: list[str]
    matrix: list[list[MatrixCell]]
    number_outlets: list[str]
    numbers: list[NumberRow]
    single_outlet: list[tuple[str, list[SingleOutletClaim]]]
    chart: Markup
    articles: list[ArticleView]
    inputs: list
    settings: list[tuple[str, list[tuple[str, str]]]]
    models: list[ModelInfo]
    seconds: list[tuple[str, str]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # sibling outputs: label → file name
    dismissed: list[FindingCard] = field(default_factory=list)  # marked wrong in an earlier review
    review: dict[str, Any] = field(default_factory=dict)  # report identity for the review script


@dataclass(frozen=True)
class CheckedView:
    """How much of the story was compared, for the page's head (see
    :func:`crosscheck.report.document.checked_counts`). ``parts``: the claims not compared,
    by why, each (count, the words after it, whether it links to the single-outlet list);
    groups of none are left out."""

    claims: int
    compared: int
    parts: list[tuple[int, str, bool]]

    @property
    def rest(self) -> int:
        return self.claims - self.compared


def checked_view(counts: dict[str, Any]) -> CheckedView | None:
    """``counts`` from :func:`checked_counts`; None when there is nothing to compare: no
    claims, or one outlet only."""
    if not counts["claims"] or not counts["cross_checked"]:
        return None

    def verb(n: int, one: str, many: str) -> str:
        return one if n == 1 else many

    n, m, k = counts["only_one_outlet"], counts["not_judged"], counts["not_compared"]
    parts = [(n, verb(n, "has", "have") + " no close counterpart in another outlet", True),
             (m, verb(m, "was", "were") + " matched with another outlet’s claim as one fact but "
                 "not judged before the time limit (judge.max_seconds_per_story)", False),
             (k, verb(k, "was", "were") + " not judged to tell the same fact as any claim of "
                 "another outlet", False)]
    return CheckedView(counts["claims"], counts["compared"],
                       [part for part in parts if part[0]])


def kind_counts(findings) -> list[KindCount]:
    return [KindCount(k, kind_label(k), css_token(k), n) for k, n in count_kinds(findings).items()]


def story_page(story: StoryResult, result: RunResult, inputs: list, max_findings: int,
               links: dict[str, str] | None = None) -> StoryPage:
    lookup = build_lookup(story)
    cards = finding_cards(story, lookup)
    kept, dismissed = dismissed_cards(cards[:max_findings])
    listed, folded = fold_cards(kept)
    matrix_outlets, matrix = outlet_matrix(story, lookup)
    number_outlets, numbers = numbers_table(story, lookup, kept)
    clusters = cluster_views(story, lookup)
    checked = checked_counts(story)
    opaque = is_opaque_name(story.story) and bool(headline(story))
    return StoryPage(
        story=story.story, heading=headline(story) if opaque else story.story,
        story_id=story.story if opaque else "",
        outlets=lookup.outlets, article_count=len(story.articles),
        claim_count=len(story.claims), kind_counts=kind_counts(story.findings),
        checked=checked_view(checked), top=top_cards(kept), cards=listed, folded=folded,
        folded_summary=fold_summary(folded),
        hidden_findings=max(0, len(cards) - max_findings),
        clusters=clusters, coverage=coverage_matrix(story, lookup, clusters),
        matrix_outlets=matrix_outlets, matrix=matrix,
        number_outlets=number_outlets, numbers=numbers,
        single_outlet=single_outlet_claims(story, lookup),
        chart=chart_svg(findings_by_outlet(story, lookup)),
        articles=article_views(story, lookup, checked), inputs=list(inputs),
        settings=settings_tables(result.settings), models=model_rows(result.models),
        seconds=[(stage, f"{_float(s):.2f} s") for stage, s in (story.seconds or {}).items()],
        links=links or {},
        dismissed=dismissed, review=report_identity(story, result),
    )


@dataclass(frozen=True)
class IndexRow:
    story: str
    headline: str  # first article title
    href: str
    article_count: int
    claim_count: int
    counts: list[KindCount]
    outlets: str  # the outlets, comma-separated
    finding_count: int  # findings other than single-outlet claims (leads, counted apart)
    # claims compared with another outlet's telling of the same fact; None for a story of one
    # outlet, where nothing could be
    compared: int | None

    @property
    def story_label(self) -> str:
        """The story's name as the index shows it: an identifier cut to its first 8 characters
        ("2153fb3e…", the whole in a tooltip), which the headline beside it explains."""
        if is_opaque_name(self.story) and len(self.story) > 12:
            return self.story[:8] + "…"
        return self.story


def index_rows(stories: list[tuple[StoryResult, str]]) -> list[IndexRow]:
    """(story, link relative to the index) → one table row per story."""
    rows = []
    for s, href in stories:
        checked = checked_counts(s)
        rows.append(IndexRow(s.story, "" if s.story == headline(s) else headline(s), href,
                             len(s.articles), len(s.claims), kind_counts(s.findings),
                             ", ".join(sorted({a.outlet for a in s.articles})),
                             sum(f.kind != "single_outlet" for f in s.findings),
                             checked["compared"] if checked["cross_checked"] else None))
    return rows


def standalone_rows(result: RunResult) -> list[StoryAssignment]:
    """Articles whose story has one outlet only: listed, not cross-checked."""
    return [a for a in result.assignments if a.status == "used" and a.story
            and not a.cross_checked]
