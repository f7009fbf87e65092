"""The whole run: folders in, :class:`RunResult` out. Prints nothing; writes nothing.

``run(settings, folders)`` is the Python API behind ``crosscheck run``; progress messages go to
the optional ``progress`` callback (the CLI sends them to stderr). It reads the inputs, groups
them into stories, and has an engine (:mod:`crosscheck.engines`) analyse each story with an
:class:`~crosscheck.analysis.Analyser`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from crosscheck import ingest
from crosscheck.analysis import Analyser
from crosscheck.config import Settings
from crosscheck.engines import StoryJob, make_engine
from crosscheck.stories import group_pile
from crosscheck.types import (Article, InputRecord, Progress, RunResult, StoryAssignment,
                              StoryFailure, silent)


def run(settings: Settings, folders: Sequence[str | Path], progress: Progress = silent,
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
