"""Grouping a pile of articles into stories, one real-world event each.

Two articles are compared the way a person would: what the title and lead say (sentence
embeddings), which words the whole texts share, weighted by rarity in the pile (TF-IDF), which
names and figures they share (capitalised words and numbers, TF-IDF weighted), and how far
apart their dates are:

    embedding_weight · cos(title+lead embeddings) + words_weight · cos(word TF-IDF)
    + names_weight · cos(name/figure TF-IDF) + date term

with the three weights normalised to sum 1 and the date term running from +date_weight (same
day) through 0 (``date_scale_days`` apart) to −date_weight (twice that or more), 0 when a date
is unknown. That similarity is then blended (``shared_weight``) with the share of close
neighbours the two articles have in common (:func:`with_shared_neighbours`).

Each article keeps its ``neighbours`` most similar articles (exact search, block by block, so
memory stays at block × articles), and only those edges enter the clustering: average linkage
over the sparse graph (a pair that is not an edge counts as similarity 0), merging while the
two closest groups average at least ``link_threshold``. Average linkage is what separates two
similar events: one close pair across the events cannot join them; the groups as a whole must
be close. The clustering handles articles × neighbours edges, not all pairs.

The day of the event, as the leads tell it ("struck on Tuesday", "Friday's vote"), separates
two similar events when the articles carry no dates. While clustering, two groups lose
``weekday_weight`` × the share of their article pairs that name no weekday in common, among
the pairs whose titles and leads both name one and of which at least one article has no date
(two dated articles are left to the date term: a story that runs over days names other days as
it goes). The share counts only those pairs, so a group's day is not diluted by its articles
that name none. It only takes away, so ``link_threshold`` keeps its meaning for groups whose
leads name no day; a bonus for the same day, tried in cross-validation on ecbplus-dev, lowered
the held-out F1 (two similar events often fall on one weekday, as matches do on Saturdays).

Incremental use: groups known from an earlier run are passed as ``fixed`` groups; they keep
their members, never merge with each other, and new articles join one when they average at
least ``link_threshold`` with it.

Everything here is pure: articles and an embedding function in, groups out.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.align import weekdays_named
from crosscheck.config import StorySettings
from crosscheck.pairs import root
from crosscheck.types import Article

_BLOCK = 512
_PAIR_CHUNK = 20_000
# Capitalised words that are not names however they are written.
_NOT_NAMES = frozenset("""
a an the this that these those it its he she they we i you his her their our my your
and but or so if when while after before as at by for from in into of on to with without
monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr
""".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"'”’)]*\s+|\n)$")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z]")
_FIGURE = re.compile(r"(?<![\w.])\d[\d,.]*\d|(?<![\w.])\d")


@dataclass(frozen=True)
class ArticleFeatures:
    """What the grouping compares, one row per article."""

    embeddings: np.ndarray  # (n, d) float32, unit length: title + lead
    words: object  # scipy sparse (n, V), rows unit length: word TF-IDF of the whole text
    names: object  # scipy sparse (n, W), rows unit length: names and figures TF-IDF
    days: np.ndarray  # (n,) days since 1970 of the article date, NaN when unknown
    weekdays: np.ndarray  # (n,) uint8: bit d set when the title and lead name weekday d


def lead_text(article: Article, lead_words: int) -> str:
    """The title and the first ``lead_words`` words of the body: what a reader sees first."""
    words = article.text.split()[:lead_words]
    return " ".join(filter(None, [article.title.strip(), " ".join(words)]))


def names_and_figures(text: str) -> list[str]:
    """Capitalised words that do not start a sentence (a cheap stand-in for named entities:
    no parser, so it stays fast at thousands of articles) and numbers, normalised
    ("8,000" → "8000")."""
    found = []
    for match in _CAPITALISED.finditer(text):
        word = match.group().lower().strip("'’-")
        if word in _NOT_NAMES or _SENTENCE_START.search(text[max(0, match.start() - 4):
                                                             match.start()]):
            continue
        found.append(word)
    for match in _FIGURE.finditer(text):
        number = match.group().replace(",", "")
        if number not in ("0", "1", "2"):  # "one of two" is no figure of an event
            found.append("#" + number)
    return found


def _days(date: str | None) -> float:
    if not date:
        return float("nan")
    try:
        return float(dt.date.fromisoformat(date).toordinal())
    except ValueError:
        return float("nan")


def article_features(articles: Sequence[Article], embed: Callable[[list[str]], np.ndarray],
                     settings: StorySettings) -> ArticleFeatures:
    """Features of every article; ``embed`` turns texts into unit vectors (the run's
    embedder, through the cache)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from scipy import sparse

    n = len(articles)
    if n == 0:  # nothing usable was read: no embedding call, no features
        empty = sparse.csr_matrix((0, 0), dtype=np.float32)
        return ArticleFeatures(np.zeros((0, 0), dtype=np.float32), empty, empty, np.zeros(0),
                               np.zeros(0, dtype=np.uint8))
    full_texts = [f"{a.title}\n{a.text}" for a in articles]
    leads = [lead_text(a, settings.lead_words) for a in articles]
    embeddings = np.asarray(embed(leads), dtype=np.float32).reshape(n, -1)
    words = _tfidf(TfidfVectorizer(stop_words="english", sublinear_tf=True,
                                   dtype=np.float32), full_texts)
    names = _tfidf(TfidfVectorizer(analyzer=names_and_figures, sublinear_tf=True,
                                   dtype=np.float32), full_texts)
    days = np.array([_days(a.date) for a in articles], dtype=np.float64)
    weekdays = np.array([weekdays_named(lead) for lead in leads], dtype=np.uint8)
    return ArticleFeatures(embeddings, words, names, days, weekdays)


def _tfidf(vectorizer, texts: list[str]):
    from scipy import sparse

    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no token at all in the pile ("empty vocabulary")
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def _weights(settings: StorySettings) -> tuple[float, float, float]:
    total = settings.embedding_weight + settings.words_weight + settings.names_weight
    if total <= 0:
        return 1.0, 0.0, 0.0
    return (settings.embedding_weight / total, settings.words_weight / total,
            settings.names_weight / total)


def neighbour_edges(features: ArticleFeatures,
                    settings: StorySettings) -> dict[tuple[int, int], float]:
    """(i, j) with i < j → similarity, for each article's ``neighbours`` most similar others
    (at least ``min_similarity``). The candidates are each article's nearest neighbours by
    title-and-lead embedding (exact search, block by block) and the articles sharing the most
    of its rare names and figures (in at most ``max_name_share`` of the pile, or in no more
    articles than ``neighbours``); only those pairs get the full similarity. So the cost grows with articles ×
    neighbours, not with all pairs."""
    n = len(features.days)
    if n < 2:
        return {}
    k = min(settings.neighbours, n - 1)
    candidates = np.concatenate([_embedding_candidates(features.embeddings, k),
                                 _name_candidates(features.names, k, settings)])
    candidates = np.unique(np.sort(candidates, axis=1), axis=0)
    candidates = candidates[candidates[:, 0] != candidates[:, 1]]
    first, second = candidates[:, 0], candidates[:, 1]
    similarity = pair_similarity(features, first, second, settings)
    keep = np.zeros(len(candidates), dtype=bool)
    for side in (first, second):  # each article's k best among its candidates
        order = np.lexsort((-similarity, side))
        rank = np.arange(len(order)) - np.searchsorted(side[order], side[order])
        keep[order[rank < k]] = True
    keep &= similarity >= settings.min_similarity
    return {(int(i), int(j)): float(score)
            for i, j, score in zip(first[keep], second[keep], similarity[keep])}


def pair_similarity(features: ArticleFeatures, first: np.ndarray, second: np.ndarray,
                    settings: StorySettings) -> np.ndarray:
    """The similarity of each pair (first[p], second[p]), computed a chunk of pairs at a time
    (the rows of a chunk's pairs are copied out of the TF-IDF matrices)."""
    w_embed, w_words, w_names = _weights(settings)
    similarity = np.zeros(len(first), dtype=np.float64)
    for begin in range(0, len(first), _PAIR_CHUNK):
        a, b = first[begin:begin + _PAIR_CHUNK], second[begin:begin + _PAIR_CHUNK]
        chunk = w_embed * np.einsum("ij,ij->i", features.embeddings[a], features.embeddings[b])
        for weight, matrix in ((w_words, features.words), (w_names, features.names)):
            if weight:
                chunk += weight * np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
        chunk -= date_penalty(features.days[a], features.days[b], settings, pairwise=True)
        similarity[begin:begin + len(a)] = chunk
    return similarity


def _embedding_candidates(embeddings: np.ndarray, k: int) -> np.ndarray:
    """(pairs, 2): each article and its k nearest by embedding."""
    n = len(embeddings)
    found = []
    for begin in range(0, n, _BLOCK):
        similarity = embeddings[begin:begin + _BLOCK] @ embeddings.T
        rows = np.arange(begin, begin + len(similarity))
        similarity[rows - begin, rows] = -np.inf
        top = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        found.append(np.column_stack([np.repeat(rows, k), top.ravel()]))
    return np.concatenate(found)


def _name_candidates(names, k: int, settings: StorySettings) -> np.ndarray:
    """(pairs, 2): each article and up to k articles sharing its rare names and figures, the
    ones sharing the most weight first."""
    n = names.shape[0]
    articles_with = np.diff(names.tocsc().indptr)
    # Rare: in a small share of the pile, or in no more articles than a story's neighbours.
    rare = np.flatnonzero(articles_with <= max(settings.max_name_share * n, k))
    if not len(rare):
        return np.zeros((0, 2), dtype=np.int64)
    sub = names[:, rare].tocsr()
    found = []
    for begin in range(0, n, _BLOCK):
        block = (sub[begin:begin + _BLOCK] @ sub.T).tocsr()
        for row in range(block.shape[0]):
            start, end = block.indptr[row], block.indptr[row + 1]
            columns, values = block.indices[start:end], block.data[start:end]
            if len(columns) > k + 1:
                best = np.argpartition(-values, k)[:k + 1]
                columns = columns[best]
            found.append(np.column_stack([np.full(len(columns), begin + row), columns]))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


def with_shared_neighbours(edges: dict[tuple[int, int], float], n: int,
                           settings: StorySettings) -> dict[tuple[int, int], float]:
    """Blend each edge's similarity with the share of close neighbours its two articles have
    in common: each article's ``shared_neighbours`` most similar articles that are at least
    ``shared_min_similarity`` similar, itself included. Articles of one event sit among the
    same neighbours; articles of two similar events each sit among their own, even when the
    two events are close. The minimum keeps a small pile, where every article is among every
    other's closest, from looking like one event."""
    k, weight = settings.shared_neighbours, settings.shared_weight
    if not k or weight == 0:
        return edges
    near: list[dict[int, float]] = [dict() for _ in range(n)]
    for (i, j), score in edges.items():
        if score >= settings.shared_min_similarity:
            near[i][j] = score
            near[j][i] = score
    closest = [frozenset(heapq.nlargest(k, near[i], key=near[i].get)) | {i} for i in range(n)]
    return {(i, j): (1 - weight) * score + weight * len(closest[i] & closest[j]) / (k + 1)
            for (i, j), score in edges.items()}


def date_penalty(days_a: np.ndarray, days_b: np.ndarray, settings: StorySettings,
                 pairwise: bool = False) -> np.ndarray:
    """What the dates take off the similarity: −date_weight (a bonus) for the same day, 0 at
    a gap of date_scale_days, up to +date_weight at twice that; 0 where either date is
    unknown. (len(a), len(b)), or one value per pair (a[p], b[p]) with ``pairwise``."""
    gap = np.abs(days_a - days_b) if pairwise else np.abs(days_a[:, None] - days_b[None, :])
    scale = max(settings.date_scale_days, 1e-9)
    penalty = settings.date_weight * (np.minimum(gap / scale, 2.0) - 1.0)
    return np.where(np.isnan(penalty), 0.0, penalty).astype(np.float32)


@dataclass(frozen=True)
class Merge:
    a: int  # cluster ids as in the merge order: the surviving cluster
    b: int  # the absorbed cluster
    height: float  # average similarity of the two groups when merged


def average_linkage(n: int, edges: dict[tuple[int, int], float], threshold: float,
                    fixed: Sequence[int] | None = None, weekdays: Sequence[int] | None = None,
                    dated: Sequence[bool] | None = None, weekday_weight: float = 0.0
                    ) -> tuple[np.ndarray, list[Merge]]:
    """Group labels (0..groups-1, in order of first member) and the merges made, highest
    first. ``fixed[i]`` ≥ 0 puts article i in a given group from the start; two such groups
    never merge. Missing edges count as similarity 0 in a group average. ``weekdays[i]`` are
    the weekdays article i's lead names (bits, :func:`weekdays_named`) and ``dated[i]`` says
    whether it has a date: two groups' average loses ``weekday_weight`` ×
    :func:`weekday_conflict` of them."""
    parent = list(range(n))
    size = [1] * n
    anchored = [False] * n
    links: list[dict[int, float]] = [dict() for _ in range(n)]  # cluster → summed similarity
    for (i, j), score in edges.items():
        links[i][j] = links[i].get(j, 0.0) + score
        links[j][i] = links[j].get(i, 0.0) + score
    # cluster → {(weekday bits, dated): articles}; only kept when the weekdays count.
    named: list[dict[tuple[int, bool], int]] | None = None
    if weekday_weight and weekdays is not None:
        dated = dated if dated is not None else [False] * n
        named = [{(int(bits), bool(has_date)): 1} if bits else {}
                 for bits, has_date in zip(weekdays, dated)]
    if fixed is not None:
        first_of: dict[int, int] = {}
        for i, group in enumerate(fixed):
            if group < 0:
                continue
            if group not in first_of:
                first_of[group] = i
                anchored[i] = True
            else:
                _absorb(first_of[group], i, parent, size, links, named)
    version = [0] * n
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        if anchored[a] and anchored[b]:
            return
        average = links[a][b] / (size[a] * size[b])
        if named is not None:
            average -= weekday_weight * weekday_conflict(named[a], named[b])
        if average >= threshold:
            low, high = min(a, b), max(a, b)
            heapq.heappush(heap, (-average, low, high, version[low], version[high]))

    for a in range(n):
        if parent[a] == a:
            for b in links[a]:
                if a < b:
                    push(a, b)
    merges: list[Merge] = []
    while heap:
        negative, a, b, version_a, version_b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or version[a] != version_a or version[b] != version_b:
            continue  # stale: one side has merged since
        keep, gone = (a, b) if (size[a], anchored[a]) >= (size[b], anchored[b]) else (b, a)
        if anchored[gone]:
            keep, gone = gone, keep
        _absorb(keep, gone, parent, size, links, named)
        anchored[keep] = anchored[keep] or anchored[gone]
        version[keep] += 1
        merges.append(Merge(keep, gone, -negative))
        for other in links[keep]:
            push(keep, other)
    return _labels(parent), merges


def link(features: ArticleFeatures, edges: dict[tuple[int, int], float],
         settings: StorySettings, threshold: float,
         fixed: Sequence[int] | None = None) -> tuple[np.ndarray, list[Merge]]:
    """:func:`average_linkage` of a pile's edges, with its leads' weekdays and its dates."""
    return average_linkage(len(features.days), edges, threshold, fixed, features.weekdays,
                           ~np.isnan(features.days), settings.weekday_weight)


def weekday_conflict(named_a: Mapping[tuple[int, bool], int],
                     named_b: Mapping[tuple[int, bool], int]) -> float:
    """Of the article pairs across two groups whose leads both name weekdays, and of which at
    least one has no date, the share that name no weekday in common; 0 when there is no such
    pair. A group is given as {(weekday bits, dated): articles}. Two dated articles are left
    to the date term: a story that runs over days is told with other days named ("met on
    Sunday", "talks resumed on Thursday"), and their dates say how far apart they are."""
    known = conflicting = 0
    for (bits_a, dated_a), count_a in named_a.items():
        for (bits_b, dated_b), count_b in named_b.items():
            if dated_a and dated_b:
                continue
            known += count_a * count_b
            if not bits_a & bits_b:
                conflicting += count_a * count_b
    return conflicting / known if known else 0.0


def _absorb(keep: int, gone: int, parent: list[int], size: list[int],
            links: list[dict[int, float]],
            named: list[dict[tuple[int, bool], int]] | None = None) -> None:
    parent[gone] = keep
    size[keep] += size[gone]
    if named is not None:
        for key, count in named[gone].items():
            named[keep][key] = named[keep].get(key, 0) + count
        named[gone] = {}
    for other, score in links[gone].items():
        if other == keep:
            continue
        links[keep][other] = links[keep].get(other, 0.0) + score
        del links[other][gone]
        links[other][keep] = links[other].get(keep, 0.0) + score
    links[keep].pop(gone, None)
    links[gone] = {}


def _labels(parent: list[int]) -> np.ndarray:
    numbering: dict[int, int] = {}
    return np.array([numbering.setdefault(root(parent, i), len(numbering))
                     for i in range(len(parent))], dtype=np.int64)


def cut(n: int, merges: Sequence[Merge], threshold: float) -> np.ndarray:
    """The labels average linkage gives at ``threshold``, from the merges of a run at a lower
    threshold (merge heights only fall, so the merges at or above it are a prefix)."""
    parent = list(range(n))
    for merge in merges:
        if merge.height < threshold:
            break
        parent[merge.b] = merge.a
    return _labels(parent)


# --- a pile into named stories ---------------------------------------------------------------

_NAME_MAX_CHARS = 120


@dataclass(frozen=True)
class StoryGroup:
    """One story found in a pile: its name, its articles (indices into the pile) and, when
    an earlier run knew it, its folder then."""

    name: str
    members: tuple[int, ...]
    folder: str = ""


def group_pile(articles: Sequence[Article], embed: Callable[[list[str]], np.ndarray],
               settings: StorySettings,
               previous: Mapping[str, tuple[str, str]] | None = None) -> list[StoryGroup]:
    """Stories of a pile, in order of their first article. ``previous`` maps an article
    (:func:`crosscheck.ingest.assignment_key`: its input path and title) to
    the (story, folder) an earlier run gave it: those articles stay in their story, old stories
    keep their names and folders and never merge, and new articles join one when they belong
    (see :func:`average_linkage`); the rest form new stories named after a headline."""
    from crosscheck.ingest import assignment_key

    previous = previous or {}
    earlier = [previous.get(assignment_key(a.path, a.title), ("", ""))[0] for a in articles]
    old_names = list(dict.fromkeys(name for name in earlier if name))
    number = {name: i for i, name in enumerate(old_names)}
    fixed = [number.get(name, -1) for name in earlier]
    features = article_features(articles, embed, settings)
    edges = with_shared_neighbours(neighbour_edges(features, settings), len(articles), settings)
    labels, _ = link(features, edges, settings, settings.link_threshold, fixed)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    folders = {story: folder for story, folder in previous.values() if story}
    taken = set(folders)
    groups = []
    for label in sorted(members, key=lambda g: members[g][0]):
        indices = members[label]
        known = next((fixed[i] for i in indices if fixed[i] >= 0), -1)
        if known >= 0:
            name = old_names[known]
        else:
            name = _unique(headline(articles[_central(indices, edges)]), taken)
        taken.add(name)
        groups.append(StoryGroup(name, tuple(indices), folders.get(name, "")))
    return groups


def _central(indices: Sequence[int], edges: Mapping[tuple[int, int], float]) -> int:
    """The member most similar to the others (the first on a tie): its title names the story."""
    inside = set(indices)
    total = dict.fromkeys(indices, 0.0)
    for (i, j), score in edges.items():
        if i in inside and j in inside:
            total[i] += score
            total[j] += score
    return max(indices, key=lambda i: (total[i], -i))


def headline(article: Article) -> str:
    """A readable one-line name: the title, else the first words of the text; control
    characters dropped, whitespace collapsed, at most 120 characters (cut at a word)."""
    text = article.title if article.title.strip() else " ".join(article.text.split()[:12])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > _NAME_MAX_CHARS:
        text = text[:_NAME_MAX_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return text or "untitled story"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


# --- measuring ------------------------------------------------------------------------------

def bcubed(predicted: Sequence, gold: Sequence) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a grouping against the gold one: per item, the
    share of its predicted group that shares its gold group (precision) and the share of its
    gold group that shares its predicted group (recall), averaged over items."""
    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    pairs: dict[tuple, int] = {}
    predicted_size: dict = {}
    gold_size: dict = {}
    for p, g in zip(predicted, gold):
        pairs[(p, g)] = pairs.get((p, g), 0) + 1
        predicted_size[p] = predicted_size.get(p, 0) + 1
        gold_size[g] = gold_size.get(g, 0) + 1
    precision = sum(count * count / predicted_size[p] for (p, _), count in pairs.items()) / n
    recall = sum(count * count / gold_size[g] for (_, g), count in pairs.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
