"""Where the stories of a run are analysed: one after another in this process (``local``), or
spread over Ray actors (``ray``), each of which loads the models once and keeps them.

Both engines call the same per-story function, :func:`analyse_story`, and report each story
once, as a :class:`StoryOutcome`: its result, or why it failed. A story whose analysis raises
is tried once more (:data:`ATTEMPTS`); if it fails again it is reported as failed and the other
stories go on. Outcomes may arrive in any order; :func:`crosscheck.pipeline.run` puts them back
in input order. The driver (the process that called ``run``) owns all file I/O: workers get
articles and send back plain results.
"""

from __future__ import annotations

import logging
import resource
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from crosscheck.analysis import Analyser, cached_embedder
from crosscheck.config import Settings
from crosscheck.errors import EngineError
from crosscheck.types import Article, InputRecord, ModelInfo, Progress, StoryResult, silent

# A story is analysed at most this many times: a failure may be passing (a worker killed for
# memory, a locked file), a second one is the story's own.
ATTEMPTS = 2
_REASON_MAX = 300
# How long workers may take to start and load their models before the run gives up.
_START_SECONDS = 600
RAY_MISSING = "--engine ray needs Ray, which is not installed: pip install 'crosscheck[ray]'"


@dataclass(frozen=True)
class StoryJob:
    """One story to analyse: what ``Analyser.analyse`` takes, and its place in the run."""

    index: int  # 0-based, input order
    story: str
    articles: tuple[Article, ...]
    inputs: tuple[InputRecord, ...]


@dataclass(frozen=True)
class StoryOutcome:
    index: int
    story: str
    result: StoryResult | None  # None: the analysis failed
    reason: str = ""  # why it failed, one line
    # Progress messages of a story analysed in another process, for the driver to print.
    messages: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.result is None


def failure_reason(error: BaseException) -> str:
    """The exception as one line: ``ValueError: bad thing``, cut to a few hundred characters."""
    text = " ".join(str(error).split()) or "(no message)"
    line = f"{type(error).__name__}: {text}"
    return line if len(line) <= _REASON_MAX else line[:_REASON_MAX - 1] + "…"


def analyse_story(analyser, job: StoryJob, progress: Progress = silent) -> StoryOutcome:
    """The per-story function both engines call: the analysis, or the reason it failed.
    KeyboardInterrupt and SystemExit are not caught: they stop the run."""
    try:
        result = analyser.analyse(job.story, job.articles, job.inputs, progress)
    except Exception as error:  # one story's failure must not end the run
        return StoryOutcome(job.index, job.story, None, failure_reason(error))
    return StoryOutcome(job.index, job.story, result)


def _retrying(outcome: StoryOutcome, attempt: int, progress: Progress) -> bool:
    """Whether a failed outcome is tried again (and says so)."""
    if not outcome.failed or attempt >= ATTEMPTS:
        return False
    progress(f"{outcome.story}: failed ({outcome.reason}); trying once more")
    return True


def peak_memory_mib() -> float:
    """This process's peak resident memory (max RSS) so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LocalEngine:
    """Today's path: one :class:`~crosscheck.analysis.Analyser` in this process, one story
    after another."""

    name = "local"

    def __init__(self, settings: Settings, analyser=None):
        self.settings = settings
        self.analyser = analyser

    def start(self, progress: Progress = silent, stories: int | None = None) -> None:
        if self.analyser is None:
            self.analyser = Analyser(self.settings, progress=progress)

    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return self.analyser.models

    def embedder(self, progress: Progress = silent):
        """The embedder grouping a pile into stories uses (the analyser's own)."""
        self.start(progress)
        return self.analyser.embedder

    def analyse(self, jobs: Sequence[StoryJob], progress: Progress = silent
                ) -> Iterator[StoryOutcome]:
        for job in jobs:
            progress(f"[{job.index + 1}/{len(jobs)}] {job.story}")
            attempt = 1
            outcome = analyse_story(self.analyser, job, progress)
            while _retrying(outcome, attempt, progress):
                attempt += 1
                outcome = analyse_story(self.analyser, job, progress)
            yield outcome

    def worker_peak_mib(self) -> list[float]:
        """Peak memory of each worker process; the local engine has none but this one."""
        return []

    def close(self) -> None:
        pass


class StoryWorker:
    """A Ray actor: loads the models once (an Analyser) and analyses the stories sent to it.
    Its progress messages go back with each outcome (a callback cannot cross processes)."""

    def __init__(self, settings: Settings, make_analyser=None):
        self.messages: list[str] = []
        self.problem = ""
        try:
            self.analyser = (make_analyser(settings) if make_analyser is not None
                             else Analyser(settings, progress=self.messages.append))
        except Exception as error:  # said once by ready(), not as a crash on every story
            self.analyser = None
            self.problem = failure_reason(error)

    def ready(self) -> tuple[tuple[ModelInfo, ...], str, tuple[str, ...]]:
        """(the models, why they could not load or "", messages from loading them)."""
        messages, self.messages[:] = tuple(self.messages), []
        models = self.analyser.models if self.analyser is not None else ()
        return models, self.problem, messages

    def analyse(self, job: StoryJob) -> StoryOutcome:
        if self.analyser is None:
            return StoryOutcome(job.index, job.story, None,
                                f"the worker could not load the models: {self.problem}")
        messages: list[str] = []
        outcome = analyse_story(self.analyser, job, messages.append)
        return replace(outcome, messages=tuple(messages))

    def peak_mib(self) -> float:
        return peak_memory_mib()


def import_ray():
    """The ray module, or an EngineError saying in one line how to install it."""
    try:
        import ray
    except ImportError:
        raise EngineError(RAY_MISSING) from None
    return ray


class RayEngine:
    """Stories spread over Ray actors (:class:`StoryWorker`), one story per actor at a time.

    Without ``engine.ray_address`` it starts a Ray instance on this machine with as many CPUs
    as this process may use (no dashboard, quiet logs; its workers inherit this process's
    environment, e.g. ``CROSSCHECK_CACHE_DIR``); with one it joins that cluster, whose workers
    need crosscheck and its packaged models installed. Each actor holds its own models (about
    up to 2 GB). Actors on one machine share the on-disk cache (SQLite, with a lock timeout)."""

    name = "ray"

    def __init__(self, settings: Settings, make_analyser: Callable | None = None):
        """``make_analyser(settings)``: what each worker analyses with, instead of an
        ``Analyser(settings)`` (it is pickled to the workers)."""
        self.ray = import_ray()
        self.settings = settings
        self.make_analyser = make_analyser
        self.actors: list = []
        self._models: tuple[ModelInfo, ...] = ()
        self._started_ray = False
        self._embedder = None

    def start(self, progress: Progress = silent, stories: int | None = None) -> None:
        """Start or join Ray and create the workers (at most one per story when ``stories``
        is given), waiting until each has loaded its models."""
        if self.actors:
            return
        ray, engine = self.ray, self.settings.engine
        if not ray.is_initialized():
            options = dict(logging_level=logging.ERROR, log_to_driver=False)
            try:
                if engine.ray_address:
                    ray.init(address=engine.ray_address, **options)
                else:
                    # Never fewer CPUs than the workers asked for: they would wait forever.
                    from crosscheck.models.backends import available_cores

                    cpus = max(available_cores(), engine.workers * engine.cpus_per_worker)
                    ray.init(num_cpus=cpus, include_dashboard=False, **options)
            except Exception as error:
                where = (f"cannot join the Ray cluster at {engine.ray_address}"
                         if engine.ray_address else "cannot start Ray on this machine")
                raise EngineError(f"{where}: {failure_reason(error)}") from None
            self._started_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = engine.workers or max(1, cpus // engine.cpus_per_worker)
        if stories is not None:
            count = max(1, min(count, stories))
        where = (f"the Ray cluster at {engine.ray_address}" if engine.ray_address
                 else "a Ray instance on this machine")
        progress(f"ray: {where} with {cpus} CPUs; starting {count} worker(s) of "
                 f"{engine.cpus_per_worker} CPU(s), each loading the models")
        self.actors = [self._new_actor() for _ in range(count)]
        try:
            readiness = ray.get([actor.ready.remote() for actor in self.actors],
                                timeout=_START_SECONDS)
        except ray.exceptions.GetTimeoutError:
            self.close()
            raise EngineError(
                f"the {count} Ray worker(s) did not start within {_START_SECONDS} s (does the "
                f"cluster have {count * engine.cpus_per_worker} free CPUs? engine.workers "
                "sets how many)") from None
        except ray.exceptions.RayError as error:
            self.close()
            raise EngineError(f"a Ray worker did not start: {failure_reason(error)}") from None
        for models, problem, messages in readiness:
            if problem:
                self.close()
                raise EngineError(f"a Ray worker could not load the models: {problem}")
        for message in dict.fromkeys(m for _, _, messages in readiness for m in messages):
            progress(message)
        self._models = readiness[0][0]

    def _new_actor(self):
        threads = self.settings.judge.threads or self.settings.engine.cpus_per_worker
        worker_settings = self.settings.replace(judge={"threads": threads})
        remote = self.ray.remote(num_cpus=self.settings.engine.cpus_per_worker)(StoryWorker)
        return remote.remote(worker_settings, self.make_analyser)

    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return self._models

    def embedder(self, progress: Progress = silent):
        """The embedder grouping a pile into stories uses: loaded here, in the driver, when a
        title is not in the cache (grouping needs every article at once)."""
        if self._embedder is None:
            from crosscheck import cache as caching

            self._embedder = cached_embedder(self.settings,
                                             caching.open_cache(self.settings, progress))
        return self._embedder

    def analyse(self, jobs: Sequence[StoryJob], progress: Progress = silent
                ) -> Iterator[StoryOutcome]:
        """Each job to the next idle worker, in input order; outcomes as they complete. A
        worker that dies (its process killed, e.g. for memory) is replaced, and its story
        counts as failed once."""
        ray = self.ray
        self.start(progress, len(jobs))
        waiting = deque((job, 1) for job in jobs)
        idle = list(self.actors)
        running: dict = {}  # ObjectRef → (job, attempt, actor)
        while waiting or running:
            while idle and waiting:
                job, attempt = waiting.popleft()
                actor = idle.pop(0)
                if attempt == 1:
                    progress(f"[{job.index + 1}/{len(jobs)}] {job.story}")
                running[actor.analyse.remote(job)] = (job, attempt, actor)
            [ref], _ = ray.wait(list(running), num_returns=1)
            job, attempt, actor = running.pop(ref)
            try:
                outcome = ray.get(ref)
            except ray.exceptions.RayActorError as error:
                outcome = StoryOutcome(job.index, job.story, None,
                                       f"the Ray worker died: {failure_reason(error)}")
                actor = self._replace(actor)
            except ray.exceptions.RayError as error:
                outcome = StoryOutcome(job.index, job.story, None, failure_reason(error))
            idle.append(actor)
            for message in outcome.messages:
                progress(message)
            if _retrying(outcome, attempt, progress):
                waiting.appendleft((job, attempt + 1))
                continue
            yield replace(outcome, messages=())

    def _replace(self, dead):
        try:
            self.ray.kill(dead, no_restart=True)
        except Exception:  # already gone
            pass
        actor = self._new_actor()
        self.actors[self.actors.index(dead)] = actor
        return actor

    def worker_peak_mib(self) -> list[float]:
        """Each worker's peak memory (max RSS) so far, in MiB, as the workers measure it."""
        return self.ray.get([actor.peak_mib.remote() for actor in self.actors])

    def close(self) -> None:
        """Stop the workers, and Ray itself when this engine started it."""
        for actor in self.actors:
            try:
                self.ray.kill(actor)
            except Exception:  # already gone
                pass
        self.actors = []
        if self._started_ray:
            self.ray.shutdown()
            self._started_ray = False


def make_engine(settings: Settings, analyser=None):
    """The engine ``engine.name`` asks for (``analyser``: models the local engine uses)."""
    if settings.engine.name == "ray":
        return RayEngine(settings)
    return LocalEngine(settings, analyser)
