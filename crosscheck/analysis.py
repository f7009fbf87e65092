"""One story's analysis: claims → candidate pairs → alignment → judge → findings, with the
models loaded once and held by :class:`Analyser`. Prints nothing; writes nothing.

:func:`crosscheck.pipeline.run` reads the inputs and hands each story to an engine
(:mod:`crosscheck.engines`), and every engine analyses a story with an ``Analyser``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

from crosscheck.align import (align_pairs, drop_mentioned, mark_two_measures,
                             merge_slot_alignments, shape_claims, slot_alignments)
from crosscheck.claims import claims_for
from crosscheck.config import Settings
from crosscheck.findings import (build_findings, group_conflicts, group_framing,
                                 may_be_single_outlet)
from crosscheck.judge import Judge, keep_supported
from crosscheck.pairs import cluster, find_pairs
from crosscheck.types import Article, InputRecord, Progress, StoryResult, silent

# The clock behind judge.max_seconds_per_story (a module attribute so tests can move it).
_now = time.monotonic
# Candidate pairs judged between two looks at the clock, in NLI batches.
_BATCHES_PER_TIME_CHECK = 8


def cached_embedder(settings: Settings, cache, embedder=None):
    """The embedder, through ``cache`` when there is one. Without ``embedder``, the model of
    ``embed.model``, which then loads only when a text is not cached."""
    from crosscheck import cache as caching
    from crosscheck.models import embedding_precision, load_embedder, resolve

    spec, precision = settings.embed.model, embedding_precision(settings.embed.precision)
    if cache is None:
        return embedder if embedder is not None else load_embedder(spec, precision)
    if embedder is None:
        embedder = caching.LazyModel(lambda: load_embedder(spec, precision),
                                     resolve(spec, "embedder"))
        dimensions = None  # until the model loads: the stored rows' common width
    else:
        precision = getattr(embedder, "precision", "float32")
        dimensions = getattr(embedder, "dimensions", None)
    # float32 vectors keep the identity they had before precision was a setting.
    extra = () if precision == "float32" else (precision,)
    return caching.CachedEmbedder(embedder, cache, caching.model_identity(embedder.info, extra),
                                  int(dimensions) if dimensions else None, precision)


class Analyser:
    """Holds the models, loaded once, and analyses one story at a time.

    With ``cache.enabled`` (the default) and models the Analyser loads itself, claim
    embeddings and NLI scores go through the on-disk cache (:mod:`crosscheck.cache`), and the
    embedding model (the slow one to load) loads only when a claim is not cached. Injected
    models (``embedder``, ``nli``) are cached only when a ``cache`` is passed too."""

    def __init__(self, settings: Settings, embedder=None, nli=None, cache=None,
                 progress: Progress = silent, parser=None):
        from crosscheck import cache as caching
        from crosscheck.models import load_parser

        self.settings = settings
        self.parser = parser if parser is not None else load_parser(settings.align.parser_model)
        if cache is None and embedder is None and nli is None:
            cache = caching.open_cache(settings, progress)
        self.cache = cache or None
        self.embedder = cached_embedder(settings, self.cache, embedder)
        # The NLI model loads in under a second, and the judge needs its labels and
        # calibration up front: it loads now, only the embedder waits for a cache miss.
        self.judge = Judge(settings, nli)
        if self.cache is None:
            return
        loaded = self.judge.nli
        self.judge.nli = caching.CachedNli(
            loaded, self.cache,
            caching.model_identity(loaded.info, (caching.nli_length_mode(loaded),)))

    def _cache_counts(self) -> tuple[int, int, int, int]:
        nli = self.judge.nli
        return (getattr(self.embedder, "hits", 0), getattr(self.embedder, "lookups", 0),
                getattr(nli, "hits", 0), getattr(nli, "lookups", 0))

    @property
    def models(self):
        info = self.embedder.info
        if getattr(self.embedder, "precision", "float32") != "float32":
            # the same model, computing in another number format: the report says so
            info = dataclasses.replace(info, notes="; ".join(filter(None, [
                info.notes, f"computed in {self.embedder.precision} (embed.precision)"])))
        return (info, self.judge.nli.info, self.parser.info)

    def analyse(self, story: str, articles: Sequence[Article],
                inputs: Sequence[InputRecord], progress: Progress = silent) -> StoryResult:
        settings = self.settings
        seconds: dict[str, float] = {}
        clock = time.perf_counter()
        started = _now()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            seconds[stage] = round(now - clock, 3)
            clock = now

        counts_before = self._cache_counts()
        claims = claims_for(articles, settings.claims)
        limit = settings.claims.max_claims_per_story
        inputs = tuple(inputs)
        if len(claims) > limit:
            progress(f"{story}: {len(claims)} claims, keeping the first {limit} "
                     "(claims.max_claims_per_story)")
            kept_articles = {c.article_id for c in claims[:limit]}
            inputs = _with_note(inputs, "claims beyond claims.max_claims_per_story were not "
                                        "analysed",
                                lambda r: not kept_articles.issuperset(r.article_ids))
            claims = claims[:limit]
        lap("claims")
        article_of = {a.id: a for a in articles}
        vectors = self.embedder.encode([c.content for c in claims], settings.embed.batch_size)
        lap("embed")
        ids = [c.id for c in claims]
        neighbourhood = find_pairs(ids, [article_of[c.article_id].outlet for c in claims],
                                   vectors, settings.pairs, settings.search,
                                   [c.text for c in claims])
        lap("pairs")
        by_id = {c.id: c for c in claims}
        paired = {claim_id for p in neighbourhood.pairs for claim_id in (p.a, p.b)}
        # Slot conflicts are looked for across every claim, so every claim is parsed then;
        # else the paired claims, and those that may be single-outlet claims (whether they give
        # anything to look for elsewhere reads the parse)
        shapes = shape_claims([c for c, best in zip(claims, neighbourhood.best_other_outlet)
                               if settings.align.slots or c.id in paired
                               or may_be_single_outlet(best, settings)], self.parser)
        alignments = align_pairs(neighbourhood.pairs, by_id, shapes, settings.align,
                                 settings.numeric)
        # Clusters rest on the pairs' own alignments: a slot conflict found across the story
        # (which may replace a pair's alignment below) does not make or unmake one fact.
        own_same_fact = [al.pair for al in alignments if al.same_fact]
        row = {claim_id: n for n, claim_id in enumerate(ids)}
        slots = slot_alignments(claims, shapes, article_of,
                                lambda a, b: float(vectors[row[a]] @ vectors[row[b]]),
                                settings.align, settings.numeric)
        alignments = mark_two_measures(
            drop_mentioned(merge_slot_alignments(alignments, slots), by_id, article_of), by_id,
            settings.numeric)
        same_fact = [al for al in alignments if al.same_fact]
        clusters = cluster(ids, [c.article_id for c in claims], own_same_fact,
                           settings.pairs.cluster_threshold)
        lap("align")
        progress(f"{story}: {len(articles)} articles, {len(claims)} claims, "
                 f"{len(neighbourhood.pairs)} candidate pairs, {len(same_fact)} of the same fact")
        judgements, unjudged = self._judge_in_time(story, same_fact, by_id, started, progress)
        if unjudged:
            touched = {by_id[claim_id].article_id for al in unjudged
                       for claim_id in (al.pair.a, al.pair.b)}
            inputs = _with_note(
                inputs, f"time limit reached (judge.max_seconds_per_story = "
                        f"{settings.judge.max_seconds_per_story:g}): some of its claim pairs "
                        "were not judged",
                lambda r: bool(touched.intersection(r.article_ids)))
        lap("judge")
        findings = build_findings(claims, articles, judgements, clusters,
                                  neighbourhood.best_other_outlet, settings, shapes,
                                  neighbourhood.closest_other_outlet)
        findings = keep_supported(findings, judgements, settings.judge)
        # one finding per fact or conflict, not one per pair of outlets; claims that give one
        # fact different figures tell two stages or measures of the news: no framing finding
        # joins them
        one_fact = {frozenset((al.pair.a, al.pair.b)) for al in same_fact
                    if not al.two_measures}
        findings = group_conflicts(group_framing(findings, claims, articles, one_fact), claims,
                                   articles)
        lap("findings")
        if self.cache is not None:
            e_hits, e_all, n_hits, n_all = (after - before for after, before
                                            in zip(self._cache_counts(), counts_before))
            progress(f"{story}: from the cache: {e_hits} of {e_all} embeddings, "
                     f"{n_hits} of {n_all} NLI scores")
        return StoryResult(story, inputs, tuple(articles), claims, tuple(judgements), clusters,
                           findings, seconds, alignments)

    def _judge_in_time(self, story: str, pairs, by_id: dict, started: float,
                       progress: Progress) -> tuple[list, list]:
        """(judgements, alignments not judged). Same-fact pairs (alignments) are judged in
        chunks, most similar first,
        until ``judge.max_seconds_per_story`` seconds have passed since the story started;
        the judgements come back in the pairs' own order, as without a limit."""
        limit = self.settings.judge.max_seconds_per_story
        if not limit:
            return self.judge.judge_pairs(pairs, by_id), []
        order = sorted(range(len(pairs)), key=lambda i: -pairs[i].pair.similarity)
        chunk = max(1, self.settings.judge.batch_size * _BATCHES_PER_TIME_CHECK)
        judged: dict[int, object] = {}
        for start in range(0, len(order), chunk):
            elapsed = _now() - started
            if elapsed >= limit:
                progress(f"{story}: time limit reached after {elapsed:.0f} s "
                         f"(judge.max_seconds_per_story = {limit:g}); {len(order) - start} of "
                         f"{len(order)} candidate pairs were not judged")
                break
            batch = order[start:start + chunk]
            judged.update(zip(batch, self.judge.judge_pairs([pairs[i] for i in batch], by_id)))
        return ([judged[i] for i in sorted(judged)],
                [pairs[i] for i in range(len(pairs)) if i not in judged])


def _with_note(inputs: tuple[InputRecord, ...], note: str,
               affected: Callable[[InputRecord], bool]) -> tuple[InputRecord, ...]:
    """The inputs, with ``note`` added to the reason of every used input ``affected`` selects."""
    return tuple(
        InputRecord(r.path, r.status, "; ".join(filter(None, [r.reason, note])), r.article_ids)
        if r.status == "used" and affected(r) else r
        for r in inputs)
