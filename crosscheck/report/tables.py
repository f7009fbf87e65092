"""claims.csv, pairs.csv and stories.csv as pandas DataFrames (spreadsheet views of the story)."""

from __future__ import annotations

import pandas as pd

from crosscheck.types import Claim, Quantity, RunResult, StoryResult

CLAIM_COLUMNS = ["claim_id", "article_id", "outlet", "title", "paragraph", "sentence", "start",
                 "end", "text", "source", "certainty", "is_opinion", "is_quote", "quantities",
                 "cues"]
PAIR_COLUMNS = ["claim_a", "outlet_a", "text_a", "claim_b", "outlet_b", "text_b", "similarity",
                "label", "p_agree", "p_contradict", "p_unrelated", "numeric_status",
                "numeric_reason", "nli"]
# How much of the NLI model a pair needed (judge.score_all_pairs): its p_* are empty unless both.
_NLI_RUN = {0: "not needed", 1: "a→b only", 2: "both ways"}
STORY_COLUMNS = ["path", "story", "title", "outlet", "date", "status", "reason", "folder"]
# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def format_quantity(q: Quantity) -> str:
    """``13,000 troops``: the figure as written, plus what it counts when the text lacks it."""
    text = q.text.strip()
    if q.counted and q.counted.lower() not in text.lower():
        text = f"{text} {q.counted}"
    return text


def claims_frame(story: StoryResult) -> pd.DataFrame:
    """One row per claim, with its article's outlet and title."""
    articles = {a.id: a for a in story.articles}
    rows = []
    for c in story.claims:
        article = articles.get(c.article_id)
        rows.append({
            "claim_id": c.id, "article_id": c.article_id,
            "outlet": _cell(article.outlet if article else ""),
            "title": _cell(article.title if article else ""),
            "paragraph": c.paragraph, "sentence": c.sentence, "start": c.start, "end": c.end,
            "text": _cell(c.text), "source": _cell(c.source), "certainty": round(c.certainty, 4),
            "is_opinion": c.is_opinion, "is_quote": c.is_quote,
            "quantities": _cell("; ".join(format_quantity(q) for q in c.quantities)),
            "cues": _cell("; ".join(f"{cue.kind}: {cue.text}" for cue in c.cues)),
        })
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def pairs_frame(story: StoryResult) -> pd.DataFrame:
    """One row per judged pair: both claims, similarity, label, probabilities, numeric check."""
    claims = {c.id: c for c in story.claims}
    outlets = {a.id: a.outlet for a in story.articles}

    def side(claim_id: str) -> tuple[str, str]:
        claim: Claim | None = claims.get(claim_id)
        if claim is None:
            return "", ""
        return _cell(outlets.get(claim.article_id, "")), _cell(claim.text)

    rows = []
    for j in story.judgements:
        outlet_a, text_a = side(j.pair.a)
        outlet_b, text_b = side(j.pair.b)
        probs = (list(j.probabilities) + [float("nan")] * 3)[:3]
        rows.append({
            "claim_a": j.pair.a, "outlet_a": outlet_a, "text_a": text_a,
            "claim_b": j.pair.b, "outlet_b": outlet_b, "text_b": text_b,
            "similarity": round(j.pair.similarity, 4), "label": j.label,
            "p_agree": round(probs[0], 4), "p_contradict": round(probs[1], 4),
            "p_unrelated": round(probs[2], 4),
            "numeric_status": j.numeric.status, "numeric_reason": _cell(j.numeric.reason),
            "nli": _NLI_RUN[2 if j.probabilities else 1 if j.nli_forward else 0],
        })
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def stories_frame(result: RunResult, folder_of: dict[str, str]) -> pd.DataFrame:
    """stories.csv: every input of the run and its story (none for a skipped input), with
    the folder its report went to (none for a story from one outlet, not cross-checked). The
    articles of a story whose analysis failed have status ``failed`` and the reason."""
    failed = {f.story: f for f in result.failed}
    # A failed story keeps the folder an earlier run gave it, for the run that retries it.
    folder_of = {**folder_of, **{f.story: f.folder for f in result.failed}}
    rows = [{"path": _cell(a.path), "story": _cell(a.story), "title": _cell(a.title),
             "outlet": _cell(a.outlet), "date": a.date or "",
             "status": "failed" if a.story in failed else a.status,
             "reason": _cell(f"story failed: {failed[a.story].reason}" if a.story in failed
                             else a.reason),
             "folder": folder_of.get(a.story, "") if a.story and a.cross_checked else ""}
            for a in result.assignments]
    return pd.DataFrame(rows, columns=STORY_COLUMNS)


def uncell(text: str) -> str:
    """The text :func:`_cell` was given (for reading our own CSV back)."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_PREFIXES):
        return text[1:]
    return text


def _cell(text: str) -> str:
    """Untrusted text made inert for spreadsheets (a leading ' stops formula evaluation)."""
    text = text or ""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text
