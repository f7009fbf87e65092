"""``crosscheck tune-stories``: how well a pile is grouped into stories against a gold grouping,
and the ``stories.link_threshold`` and ``stories.weekday_weight`` that fit it best, with
cross-validation.

The measure is B-cubed precision, recall and F1 over the gold articles: per article, the
share of its predicted story that shares its gold story (precision) and the share of its gold
story that shares its predicted story (recall). A gold article that ingest skipped (too short,
a duplicate) is a story of its own, as it is in a run.

Both are chosen as the centre of a plateau, one after the other: the threshold with the weekday
weight 0 (the best F1 averaged over thresholds ±0.03), then at that threshold the weight whose
F1, averaged with the neighbouring weights', is best (the smaller weight on a tie). The weekday
weight only takes similarity away from groups whose leads name different days, so the
threshold is what the rest of the similarity needs; choosing both at once let the threshold
slide down as the weight grew, a ridge of equal training F1 that held worse on other topics.

Cross-validation: the gold's topics (a ``topic`` column), else its stories, are split into
folds; for each fold the threshold and the weekday weight are chosen on the other folds'
articles, grouped as a pile of their own, and measured on the fold's articles, grouped as a
pile of their own. The held-out fold plays no part in either choice, so the mean held-out F1
is what the choice is worth on topics it has not seen.

What fails is named, for the whole pile and for each held-out fold: the gold stories that one
found story mixes (merged) and the gold stories spread over several found stories (split).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from crosscheck.config import Settings, StorySettings
from crosscheck.errors import InputError
from crosscheck.stories import (ArticleFeatures, Merge, article_features, bcubed, cut, link,
                                neighbour_edges, with_shared_neighbours)
from crosscheck.types import Article, Progress

THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.01))
# 0 (off) to 0.4, in even steps so that neighbouring weights can be averaged.
WEEKDAY_WEIGHTS = tuple(round(w, 3) for w in np.arange(0.0, 0.4001, 0.025))


@dataclass(frozen=True)
class GoldEntry:
    key: str  # a file name, a path, or a metadata value's article path
    story: str
    topic: str


def read_gold(spec: str) -> tuple[list[GoldEntry], str]:
    """Gold stories from a CSV (columns ``file`` or ``path``, ``story``, optional ``topic``),
    or ``key:FIELD`` (each article's metadata FIELD is its story; read from the articles).
    Returns the entries (empty for key:FIELD) and the metadata field ("" for a CSV)."""
    if spec.startswith("key:"):
        field = spec[4:].strip()
        if not field:
            raise InputError("--gold key:FIELD needs a field name, e.g. key:triplet-uuid")
        return [], field
    path = Path(spec)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise InputError(f"{spec}: gold file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{spec}: cannot read the gold file ({error})") from None
    if not rows:
        raise InputError(f"{spec}: the gold file has no rows")
    columns = set(rows[0])
    name = "file" if "file" in columns else "path" if "path" in columns else None
    if name is None or "story" not in columns:
        raise InputError(f"{spec}: expected columns file (or path) and story, optionally topic; "
                         f"found {', '.join(sorted(c for c in columns if c))}")
    return [GoldEntry(row[name] or "", row["story"] or "", row.get("topic") or row["story"] or "")
            for row in rows if row.get(name)], ""


def match_gold(articles: Sequence[Article], entries: Sequence[GoldEntry], field: str
               ) -> tuple[list[int], list[GoldEntry], int]:
    """(indices of the articles in the gold, their gold entries, gold entries with no usable
    article: skipped inputs or files not in the folders)."""
    if field:
        found = [(i, GoldEntry(a.path, dict(a.metadata).get(field, ""),
                               dict(a.metadata).get(field, "")))
                 for i, a in enumerate(articles) if dict(a.metadata).get(field)]
        return [i for i, _ in found], [g for _, g in found], 0
    by_key = {g.key: g for g in entries}
    indices, matched = [], []
    for i, article in enumerate(articles):
        entry = by_key.get(article.path) or by_key.get(Path(article.path).name)
        if entry is not None:
            indices.append(i)
            matched.append(entry)
    return indices, matched, len(entries) - len(matched)


def merge_heights(articles: Sequence[Article], embed: Callable, settings: StorySettings):
    """The average-linkage merges of a pile down to the lowest threshold tried."""
    return _merges(article_features(articles, embed, settings), settings)


def _merges(features: ArticleFeatures, settings: StorySettings) -> list[Merge]:
    edges = with_shared_neighbours(neighbour_edges(features, settings), len(features.days),
                                   settings)
    return link(features, edges, settings, min(THRESHOLDS))[1]


def _measure(n: int, merges: Sequence[Merge], gold: Sequence[str], missing: int,
             threshold: float) -> tuple[float, float, float]:
    alone = [f"missing-{k}" for k in range(missing)]
    return bcubed(list(cut(n, merges, threshold)) + alone, list(gold) + alone)


def _table(n: int, merges: Sequence[Merge], gold: Sequence[str], missing: int
           ) -> dict[float, tuple[float, float, float]]:
    return {t: _measure(n, merges, gold, missing, t) for t in THRESHOLDS}


def scores_by_weight(articles: Sequence[Article], gold: Sequence[str], missing: int,
                     embed: Callable, settings: StorySettings, weights: Sequence[float],
                     features: ArticleFeatures | None = None
                     ) -> dict[float, dict[float, tuple[float, float, float]]]:
    """weekday weight → threshold → B-cubed (P, R, F1), ``missing`` gold articles counting as
    stories of their own; the features are computed once (or given, already computed)."""
    if features is None:
        features = article_features(articles, embed, settings)
    return {w: _table(len(articles), _merges(features, replace(settings, weekday_weight=w)),
                      gold, missing)
            for w in weights}


@dataclass(frozen=True)
class GroupingErrors:
    """What a grouping gets wrong against the gold, story by story."""

    # Found stories that mix gold stories: each as (gold story, articles) pairs, most first.
    merged: tuple[tuple[tuple[str, int], ...], ...]
    # Gold stories spread over found stories: (gold story, articles in each part, most first).
    split: tuple[tuple[str, tuple[int, ...]], ...]


def grouping_errors(predicted: Sequence, gold: Sequence[str]) -> GroupingErrors:
    """The merged and split gold stories of a grouping (``predicted[i]`` is article i's found
    story, ``gold[i]`` its gold story), largest first."""
    parts: dict = {}
    for found, story in zip(predicted, gold):
        counts = parts.setdefault(found, {})
        counts[story] = counts.get(story, 0) + 1
    merged = sorted((tuple(sorted(counts.items(), key=lambda c: (-c[1], _natural(c[0]))))
                     for counts in parts.values() if len(counts) > 1),
                    key=lambda m: (-sum(c for _, c in m), _natural(m[0][0])))
    spread: dict[str, list[int]] = {}
    for counts in parts.values():
        for story, count in counts.items():
            spread.setdefault(story, []).append(count)
    split = sorted(((story, tuple(sorted(counts, reverse=True)))
                    for story, counts in spread.items() if len(counts) > 1),
                   key=lambda s: (-sum(s[1]), _natural(s[0])))
    return GroupingErrors(tuple(merged), tuple(split))


def _natural(name: str) -> tuple:
    """'2' before '10'."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", name) if part)


def _smoothed(table: dict[float, tuple[float, float, float]]) -> np.ndarray:
    """Each threshold's mean F1 over its neighbourhood (±0.03)."""
    f1 = np.array([values[2] for values in table.values()])
    return np.array([f1[max(0, i - 3):i + 4].mean() for i in range(len(f1))])


def _best(tables: dict[float, dict[float, tuple[float, float, float]]]) -> tuple[float, float]:
    """(weekday weight, threshold): the threshold whose neighbourhood (±0.03) has the highest
    mean F1 with the smallest weight tried, then the weight whose neighbourhood (the weights
    next to it) has the highest mean of those smoothed F1s at that threshold. A broad plateau
    rather than a lone peak holds better on other piles; the smaller value wins a tie."""
    weights = sorted(tables)
    thresholds = list(tables[weights[0]])
    column = int(np.argmax(_smoothed(tables[weights[0]])))
    at_threshold = np.array([_smoothed(tables[w])[column] for w in weights])
    plateau = [at_threshold[max(0, i - 1):i + 2].mean() for i in range(len(weights))]
    return weights[int(np.argmax(plateau))], thresholds[column]


def tune_stories(articles: Sequence[Article], entries: Sequence[GoldEntry], field: str,
                 settings: Settings, embed: Callable, folds: int,
                 progress: Progress,
                 weekday_weights: Sequence[float] = WEEKDAY_WEIGHTS) -> dict:
    """B-cubed of the current settings, the (weekday weight, threshold) suggested on the whole
    pile, and cross-validation of that choice. ``weekday_weights`` are the weights tried, evenly
    spaced; the threshold is chosen with the smallest (one weight: only the threshold)."""
    indices, matched, missing = match_gold(articles, entries, field)
    if not indices:
        raise InputError("no article of the folders is in the gold (compare its file column "
                         "with the file names)")
    story_settings = settings.stories
    pile = [articles[i] for i in indices]
    gold = [g.story for g in matched]
    progress(f"grouping {len(pile)} gold articles ({missing} gold entries skipped or absent)")
    n = len(pile)
    weekday_weights = sorted(set(weekday_weights))
    features = article_features(pile, embed, story_settings)
    merges = _merges(features, story_settings)
    current = _measure(n, merges, gold, missing, story_settings.link_threshold)
    current_errors = grouping_errors(cut(n, merges, story_settings.link_threshold), gold)
    tables = scores_by_weight(pile, gold, missing, embed, story_settings, weekday_weights,
                              features=features)
    suggested_weight, suggested = _best(tables)
    table = tables[suggested_weight]
    groups = sorted({g.topic for g in matched}, key=_natural)
    by_name = "topics" if len(groups) < len(set(gold)) else "stories"
    fold_count = min(folds, len(groups))
    held_out = []
    for fold in range(fold_count if fold_count >= 2 else 0):
        test_groups = set(groups[fold::fold_count])
        test = [k for k, g in enumerate(matched) if g.topic in test_groups]
        train = [k for k, g in enumerate(matched) if g.topic not in test_groups]
        train_tables = scores_by_weight([pile[k] for k in train], [gold[k] for k in train], 0,
                                        embed, story_settings, weekday_weights)
        weight, chosen = _best(train_tables)
        test_gold = [gold[k] for k in test]
        test_merges = merge_heights([pile[k] for k in test], embed,
                                    replace(story_settings, weekday_weight=weight))
        measured = _measure(len(test), test_merges, test_gold, 0, chosen)
        held_out.append({"fold": fold + 1, by_name: sorted(test_groups, key=_natural),
                         "threshold": chosen, "weekday_weight": weight,
                         "train_f1": train_tables[weight][chosen][2], "held_out": measured,
                         "errors": grouping_errors(cut(len(test), test_merges, chosen),
                                                   test_gold)})
        progress(f"fold {fold + 1}/{fold_count}: threshold {chosen:.2f}, weekday weight "
                 f"{weight:g}, held-out F1 {measured[2]:.3f}")
    return {"articles": n, "missing": missing, "stories": len(set(gold)), "folds_by": by_name,
            "current_threshold": story_settings.link_threshold,
            "current_weekday_weight": story_settings.weekday_weight, "current": current,
            "current_errors": current_errors,
            "suggested_threshold": suggested, "suggested_weekday_weight": suggested_weight,
            "suggested": table[suggested], "table": table,
            "by_weight": {w: t[suggested][2] for w, t in tables.items()},
            "folds": held_out}


_ERRORS_SHOWN = 8


def format_errors(errors: GroupingErrors) -> list[str]:
    """One line for the merged gold stories and one for the split ones (at most
    ``_ERRORS_SHOWN`` of each, the largest), or nothing when there are none."""
    def listed(items: list[str]) -> str:
        more = len(items) - _ERRORS_SHOWN
        return "; ".join(items[:_ERRORS_SHOWN]) + (f"; and {more} more" if more > 0 else "")

    lines = []
    if errors.merged:
        lines.append("merged: " + listed([" + ".join(f"{story} {count}" for story, count in m)
                                          for m in errors.merged]))
    if errors.split:
        lines.append("split: " + listed([f"{story} {'/'.join(map(str, counts))}"
                                         for story, counts in errors.split]))
    return lines


def format_tuning(figures: dict) -> str:
    def prf(values) -> str:
        p, r, f = values
        return f"P {p:.3f} R {r:.3f} F1 {f:.3f}"

    lines = [f"{figures['articles']} articles in the gold ({figures['stories']} stories; "
             f"{figures['missing']} gold entries skipped or absent, each a story of its own)",
             f"B-cubed with the current settings: {prf(figures['current'])} "
             f"(link_threshold {figures['current_threshold']:.2f}, weekday_weight "
             f"{figures['current_weekday_weight']:g})",
             *(f"  {line}" for line in format_errors(figures["current_errors"])),
             f"suggested link_threshold {figures['suggested_threshold']:.2f}, weekday_weight "
             f"{figures['suggested_weekday_weight']:g}: {prf(figures['suggested'])} (chosen on "
             "all of it: an optimistic figure)"]
    if len(figures["by_weight"]) > 1:
        lines.append(f"F1 by weekday_weight at link_threshold "
                     f"{figures['suggested_threshold']:.2f}: " + "  ".join(
                         f"{w:g}: {f:.3f}" for w, f in figures["by_weight"].items()))
    folds = figures["folds"]
    if folds:
        lines.append(f"cross-validation over {figures['folds_by']} ({len(folds)} folds; the "
                     "threshold and weekday weight chosen on the other folds, measured on the "
                     "held-out one):")
        for fold in folds:
            held = fold[figures["folds_by"]]
            which = (f"topics: {', '.join(held)}" if figures["folds_by"] == "topics"
                     else f"{len(held)} stories")
            lines.append(f"  fold {fold['fold']}: threshold {fold['threshold']:.2f}, weekday "
                         f"weight {fold['weekday_weight']:g}, held-out "
                         f"{prf(fold['held_out'])} ({which})")
            lines.extend(f"    {line}" for line in format_errors(fold["errors"]))
        mean = np.mean([fold["held_out"] for fold in folds], axis=0)
        lines.append(f"  mean held-out: {prf(mean)}")
    lines.append(f"by threshold (weekday_weight {figures['suggested_weekday_weight']:g}): "
                 + "  ".join(f"{t:.2f}: {f:.3f}" for t, (_, _, f) in figures["table"].items()
                             if round(t * 100) % 5 == 0))
    return "\n".join(lines)
