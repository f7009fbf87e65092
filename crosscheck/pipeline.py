"""The whole run: folders in, :class:`RunResult` out. Prints nothing; writes nothing.

``run(settings, folders)`` is the Python API behind ``crosscheck run``; progress messages go to
the optional ``progress`` callback (the CLI sends them to stderr).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from crosscheck import ingest
from crosscheck.align import (align_pairs, drop_mentioned, mark_two_measures,
                             merge_slot_alignments, shape_claims, slot_alignments)
from crosscheck.claims import claims_for
from crosscheck.config import Settings
from crosscheck.findings import build_findings, group_conflicts, group_framing
from crosscheck.judge import Judge, keep_supported
from crosscheck.pairs import cluster, find_pairs
from crosscheck.stories import group_pile
from crosscheck.types import Article, InputRecord, RunResult, StoryAssignment, StoryResult

Progress = Callable[[str], None]

# The clock behind judge.max_seconds_per_story (a module attribute so tests can move it).
_now = time.monotonic
# Candidate pairs judged between two looks at the clock, in NLI batches.
_BATCHES_PER_TIME_CHECK = 8


def _silent(message: str) -> None:
    pass


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
                 progress: Progress = _silent, parser=None):
        from crosscheck import cache as caching
        from crosscheck.models import load_parser

        self.settings = settings
        self.parser = parser if parser is not None else load_parser(settings.align.parser_model)
        if cache is None and embedder is None and nli is None:
            cache = caching.open_cache(settings, progress)
        self.cache = cache or None
        self.embedder = cached_embedder(settings, self.cache, embedder)
        if self.cache is None:
            self.judge = Judge(settings, nli)
            return
        # The NLI model loads in under a second, and the judge needs its labels and
        # calibration up front: it loads now, only the embedder waits for a cache miss.
        self.judge = Judge(settings, nli)
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
                inputs: Sequence[InputRecord], progress: Progress = _silent) -> StoryResult:
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
        # Slot conflicts are looked for across every claim, so every claim is parsed then.
        shapes = shape_claims([c for c in claims if settings.align.slots or c.id in paired],
                              self.parser)
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


def run(settings: Settings, folders: Sequence[str | Path], progress: Progress = _silent,
        analyser: Analyser | None = None,
        previous: Mapping[str, tuple[str, str]] | None = None,
        on_story: Callable[[RunResult, int], None] | None = None,
        engine=None) -> RunResult:
    """Read every folder, analyse each story, and return everything the report needs.
    ``on_story(done, total)`` is called as each story is done or has failed, with the stories
    done so far and the failures (the report stage writes them then, so an interrupted run
    keeps what it finished), always in input order: a story finished ahead of an earlier one
    (the Ray engine runs several at once) is passed on when that one is done.

    The stories are analysed by ``engine`` (:mod:`crosscheck.engines`), else by the engine
    ``engine.name`` asks for, with ``analyser``'s models when it is local. A story whose
    analysis raises is tried once more, then listed in ``RunResult.failed`` with its reason;
    the other stories go on.

    With ``stories.group = "auto"`` the articles of all folders are grouped into stories by
    event first; ``previous`` (article → (story, folder), keyed by
    :func:`crosscheck.ingest.assignment_key`, as an earlier run's
    ``stories.csv`` holds them) keeps earlier stories, their names and folders."""
    from crosscheck.engines import StoryJob, make_engine
    from crosscheck.types import StoryFailure

    grouped = settings.stories.group == "auto"
    if grouped:
        settings = settings.replace(ingest={"story_key": ""})
    owned = engine is None
    engine = engine or make_engine(settings, analyser)
    try:
        stories = ingest.read_stories(folders, settings.ingest)
        all_inputs = tuple(r for _, _, records in stories for r in records)
        used = sum(r.status == "used" for r in all_inputs)
        if grouped:
            started = time.perf_counter()
            stories, folders_of, alone = _group(stories, settings, engine.embedder(progress),
                                                previous)
            progress(f"read {len(all_inputs)} inputs: {used} used, {len(all_inputs) - used} "
                     f"skipped; grouped into {len(stories) + len(alone)} stories in "
                     f"{time.perf_counter() - started:.1f} s: {len(stories)} from two or more "
                     f"outlets to cross-check, {len(alone)} from one outlet only")
        else:
            folders_of, alone = {}, []
            progress(f"read {len(all_inputs)} inputs: {used} used, {len(all_inputs) - used} "
                     f"skipped, {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}")
        engine.start(progress, len(stories))
        assignments = _assignments(stories, alone, all_inputs)
        # How a story was run is not part of its findings: the reports record the analysis
        # settings only, so a story's report is the same whichever engine produced it.
        recorded = {name: values for name, values in settings.to_dict().items()
                    if name != "engine"}
        jobs = [StoryJob(number, story, tuple(articles), tuple(inputs))
                for number, (story, articles, inputs) in enumerate(stories)]
        outcomes: dict[int, object] = {}
        results, failed = [], []

        def so_far() -> RunResult:
            return RunResult(tuple(results), recorded, engine.models, all_inputs, assignments,
                             grouped, tuple(failed))

        for outcome in engine.analyse(jobs, progress):
            outcomes[outcome.index] = outcome
            # Passed on in input order, so that each story's report folder and the index are
            # what a run one story at a time writes.
            while len(results) + len(failed) in outcomes:
                ready = outcomes.pop(len(results) + len(failed))
                folder = folders_of.get(ready.story, "")
                if ready.failed:
                    progress(f"{ready.story}: failed again, not analysed: {ready.reason}")
                    failed.append(StoryFailure(ready.story, ready.reason,
                                               len(jobs[ready.index].articles), folder))
                else:
                    results.append(dataclasses.replace(ready.result, folder=folder))
                if on_story is not None:
                    on_story(so_far(), len(stories))
        return so_far()
    finally:
        if owned:
            engine.close()


def _group(stories: list, settings: Settings, embedder,
           previous: Mapping[str, tuple[str, str]] | None):
    """The read articles regrouped by event: (stories to cross-check, their earlier folders,
    stories from one outlet only, as (story, articles))."""
    articles = [a for _, story_articles, _ in stories for a in story_articles]
    records = {article_id: r for _, _, rs in stories for r in rs for article_id in r.article_ids}
    embed = lambda texts: embedder.encode(texts, settings.embed.batch_size)  # noqa: E731
    groups = group_pile(articles, embed, settings.stories, previous)
    checked, folders_of, alone = [], {}, []
    for number, group in enumerate(groups, 1):
        members = [articles[i] for i in group.members]
        renamed = [dataclasses.replace(a, id=f"{number}/{k}", story=group.name)
                   for k, a in enumerate(members, 1)]
        if len({a.outlet for a in members}) < 2:
            alone.append((group.name, tuple(renamed)))
            continue
        new_id = {old.id: new.id for old, new in zip(members, renamed)}
        inputs = tuple(dict.fromkeys(records[a.id] for a in members))
        inputs = tuple(InputRecord(r.path, r.status, r.reason,
                                   tuple(new_id[i] for i in r.article_ids if i in new_id))
                       for r in inputs)
        checked.append((group.name, tuple(renamed), inputs))
        if group.folder:
            folders_of[group.name] = group.folder
    return checked, folders_of, alone


def _assignments(stories: list, alone: list, inputs: Sequence[InputRecord]
                 ) -> tuple[StoryAssignment, ...]:
    """Every input and its story, in input order (a JSONL file gives one row per article)."""
    by_path: dict[str, list[tuple[Article, bool]]] = {}
    for _, articles, *_ in stories:
        for a in articles:
            by_path.setdefault(a.path, []).append((a, True))
    for _, articles in alone:
        for a in articles:
            by_path.setdefault(a.path, []).append((a, False))
    rows = []
    for record in inputs:
        found = by_path.get(record.path, [])
        if not found:
            rows.append(StoryAssignment(record.path, "", status=record.status,
                                        reason=record.reason))
        for article, checked in found:
            rows.append(StoryAssignment(record.path, article.story, article.title,
                                        article.outlet, article.date, record.status,
                                        record.reason, checked))
    return tuple(rows)
