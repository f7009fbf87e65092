"""Engines: a story that fails is tried once more, then listed as failed while the others
complete; outcomes in any order give the reports of a run in input order; the Ray engine
gives the same findings as the local one."""

from __future__ import annotations

import functools
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import DAM_STORY, EXAMPLE_STORY, FakeEmbedder, FakeNli, invoke, write_story
from crosscheck.analysis import Analyser
from crosscheck.config import Settings
from crosscheck.engines import (RAY_MISSING, LocalEngine, StoryJob, StoryOutcome,
                                analyse_story, failure_reason)
from crosscheck.pipeline import run

# Another invented story (a ferry strike) so that a run has several stories.
FERRY_STORY = {
    "island-gazette.txt": (
        "Ferry crews strike over pay\n"
        "Ferry crews on the Marrow Sound route walked out on Monday in a dispute over pay.\n"
        "The union said 240 crew members joined the strike.\n"
        "The operator said all crossings were cancelled until Wednesday.\n"
        "Talks between the union and the operator are expected to resume on Friday.\n"
        "Shops on the island reported empty shelves by the evening.\n"),
    "harbour-news.txt": (
        "Marrow Sound ferries halted by strike\n"
        "Ferry crews on the Marrow Sound route walked out on Monday in a dispute over pay.\n"
        "The union said 410 crew members joined the strike.\n"
        "The operator said crossings were not cancelled and would run a reduced timetable.\n"
        "Talks between the union and the operator are expected to resume on Friday.\n"
        "A coach service will carry foot passengers around the sound, the council said.\n"),
}


def _stories(tmp_path: Path) -> list[Path]:
    """Three invented stories: the dam failure, the ferry strike, the harbour fire example."""
    dam = write_story(tmp_path / "in" / "dam-failure", DAM_STORY)
    ferry = write_story(tmp_path / "in" / "ferry-strike", FERRY_STORY)
    fire = tmp_path / "in" / "harbour-fire"
    shutil.copytree(EXAMPLE_STORY, fire)
    return [dam, ferry, fire]


class FailingAnalyser(Analyser):
    """Raises for the stories named in ``broken`` (a message over two lines); counts calls."""

    def __init__(self, *args, broken=(), failures=99, **kwargs):
        super().__init__(*args, **kwargs)
        self.broken, self.failures, self.calls = set(broken), failures, {}

    def analyse(self, story, *args, **kwargs):
        self.calls[story] = self.calls.get(story, 0) + 1
        if story in self.broken and self.calls[story] <= self.failures:
            raise RuntimeError(f"cannot analyse {story}\nsecond line")
        return super().analyse(story, *args, **kwargs)


def test_failure_reason_is_one_line():
    assert failure_reason(ValueError("bad\n  thing")) == "ValueError: bad thing"
    assert len(failure_reason(ValueError("x" * 1000))) == 300


def test_keyboard_interrupt_is_not_caught(fake_embedder, fake_nli):
    class Interrupted:
        def analyse(self, *args):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyse_story(Interrupted(), StoryJob(0, "s", (), ()))


def test_a_failing_story_is_tried_twice_then_listed_while_the_others_complete(
        tmp_path, fake_embedder, fake_nli):
    folders = _stories(tmp_path)
    analyser = FailingAnalyser(Settings(), embedder=fake_embedder, nli=fake_nli,
                               broken={"dam-failure"})
    seen = []
    messages = []
    result = run(Settings(), folders, messages.append, analyser=analyser,
                 on_story=lambda done, total: seen.append(
                     ([s.story for s in done.stories], [f.story for f in done.failed], total)))
    assert analyser.calls == {"dam-failure": 2, "ferry-strike": 1, "harbour-fire": 1}
    assert [s.story for s in result.stories] == ["ferry-strike", "harbour-fire"]
    (failure,) = result.failed
    assert failure.story == "dam-failure"
    assert failure.reason == "RuntimeError: cannot analyse dam-failure second line"
    assert failure.articles == 3
    assert seen == [([], ["dam-failure"], 3), (["ferry-strike"], ["dam-failure"], 3),
                    (["ferry-strike", "harbour-fire"], ["dam-failure"], 3)]
    assert ("dam-failure: failed (RuntimeError: cannot analyse dam-failure second line); "
            "trying once more") in messages
    assert ("dam-failure: failed again, not analysed: RuntimeError: cannot analyse "
            "dam-failure second line") in messages


def test_a_story_that_fails_once_is_reported_as_usual(tmp_path, fake_embedder, fake_nli):
    folders = _stories(tmp_path)[:2]
    analyser = FailingAnalyser(Settings(), embedder=fake_embedder, nli=fake_nli,
                               broken={"dam-failure"}, failures=1)
    result = run(Settings(), folders, analyser=analyser)
    assert analyser.calls == {"dam-failure": 2, "ferry-strike": 1}
    assert [s.story for s in result.stories] == ["dam-failure", "ferry-strike"]
    assert result.failed == ()
    assert {f.kind for f in result.stories[0].findings} >= {"numeric", "contradiction"}


@pytest.mark.usefixtures("fake_models")
def test_cli_lists_a_failed_story_in_the_index_and_exits_1(tmp_path, monkeypatch):
    folders = _stories(tmp_path)
    analyse = Analyser.analyse
    calls = []

    def fail_the_ferry(self, story, *args, **kwargs):
        calls.append(story)
        if story == "ferry-strike":
            raise OSError(28, "No space left on device")
        return analyse(self, story, *args, **kwargs)

    monkeypatch.setattr(Analyser, "analyse", fail_the_ferry)
    out = tmp_path / "out"
    result = invoke("run", *folders, "-o", out)
    assert calls == ["dam-failure", "ferry-strike", "ferry-strike", "harbour-fire"]
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: 1 of 3 stories failed (each was tried twice); reasons in {out / 'index.html'}\n")
    assert result.stdout.splitlines() == [str(out / "dam-failure" / "report.html"),
                                          str(out / "index.html"),
                                          str(out / "harbour-fire" / "report.html")]
    assert sorted(p.name for p in out.iterdir()) == ["dam-failure", "harbour-fire", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Stories that failed" in index
    assert "ferry-strike" in index and "OSError: [Errno 28] No space left on device" in index
    assert "dam-failure/report.html" in index and "harbour-fire/report.html" in index


@pytest.mark.usefixtures("fake_models")
def test_a_single_failed_story_still_gets_an_index(dam_story, tmp_path, monkeypatch):
    def fail(self, story, *args, **kwargs):
        raise ValueError("no claims to compare")

    monkeypatch.setattr(Analyser, "analyse", fail)
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out)
    assert result.exit_code == 1
    assert result.stdout == f"{out / 'index.html'}\n"
    assert "ValueError: no claims to compare" in (out / "index.html").read_text()


def test_stories_csv_marks_the_articles_of_a_failed_story(tmp_path):
    from crosscheck.report import write_reports
    from crosscheck.types import RunResult, StoryAssignment, StoryFailure

    result = RunResult((), {}, (), (), (
        StoryAssignment("a.txt", "Dam fails", "Dam fails", "post"),
        StoryAssignment("b.txt", "Dam fails", "Dam gives way", "times"),
        StoryAssignment("c.txt", "Fair opens", "Fair opens", "post", cross_checked=False)),
        grouped=True, failed=(StoryFailure("Dam fails", "ValueError: bad", 2, "dam"),))
    write_reports(result, tmp_path, Settings().report)
    rows = (tmp_path / "stories.csv").read_text().splitlines()
    # The failed story keeps its earlier folder, so that the run retrying it reuses it.
    assert rows[1:] == [
        "a.txt,Dam fails,Dam fails,post,,failed,story failed: ValueError: bad,dam",
        "b.txt,Dam fails,Dam gives way,times,,failed,story failed: ValueError: bad,dam",
        "c.txt,Fair opens,Fair opens,post,,used,,"]


def _untimed(text: str) -> str:
    """A report without its seconds per stage (report.html's timing table)."""
    return re.sub(r"<td>[0-9.]+ s</td>", "<td>… s</td>", text)


class ReversedEngine(LocalEngine):
    """Outcomes in the reverse of input order, as a parallel engine may deliver them."""

    def analyse(self, jobs, progress=lambda m: None):
        outcomes = list(super().analyse(jobs, progress))
        yield from reversed(outcomes)


def test_outcomes_in_any_order_give_the_reports_of_a_run_in_input_order(
        tmp_path, fake_embedder, fake_nli):
    from crosscheck.report import write_reports

    folders = _stories(tmp_path)
    settings = Settings()
    written = {}
    for name, engine in (
            ("local", LocalEngine(settings, Analyser(settings, embedder=fake_embedder,
                                                     nli=fake_nli))),
            ("reversed", ReversedEngine(settings, Analyser(settings, embedder=fake_embedder,
                                                           nli=fake_nli)))):
        out = tmp_path / name
        calls = []

        def story_done(done, total):
            calls.append([s.story for s in done.stories])
            write_reports(done, out, settings.report, only={done.stories[-1].story}, index=True)

        result = run(settings, folders, engine=engine, on_story=story_done)
        assert [s.story for s in result.stories] == ["dam-failure", "ferry-strike",
                                                     "harbour-fire"]
        written[name] = {str(p.relative_to(out)): _untimed(p.read_text(encoding="utf-8"))
                         for p in sorted(out.rglob("*")) if p.is_file()}
        # Every story is passed on only once the ones before it are: the same calls.
        assert calls == [["dam-failure"], ["dam-failure", "ferry-strike"],
                         ["dam-failure", "ferry-strike", "harbour-fire"]], name
    assert len(written["local"]) == 13
    assert written["reversed"] == written["local"]


def test_reports_do_not_record_the_engine(dam_story, tmp_path, fake_embedder, fake_nli):
    """A story's report is the same whichever engine made it."""
    settings = Settings().replace(engine={"workers": 3})
    result = run(settings, [dam_story], analyser=Analyser(settings, embedder=fake_embedder,
                                                          nli=fake_nli))
    assert "engine" not in result.settings and "judge" in result.settings


@pytest.mark.usefixtures("fake_models")
def test_engine_ray_without_ray_says_how_to_install_it(dam_story, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--engine", "ray")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {RAY_MISSING}\n"
    assert RAY_MISSING == ("--engine ray needs Ray, which is not installed: "
                           "pip install 'crosscheck[ray]'")
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("fake_models")
def test_engine_options_and_settings_are_checked(dam_story, tmp_path):
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--set", "engine.name=spark")
    assert result.exit_code == 2
    assert result.stderr == "Error: --set: engine.name: 'spark' is not one of local, ray\n"
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--set", "engine.workers=-1")
    assert result.exit_code == 2
    assert result.stderr == "Error: --set: engine.workers must be at least 0, got -1\n"
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--ray-address", "auto")
    assert result.exit_code == 1
    assert result.stderr == "Error: --ray-address is for --engine ray\n"
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--engine", "local")
    assert result.exit_code == 0, result.output


# -- the Ray engine ------------------------------------------------------------------------------

def _ray():
    return pytest.importorskip("ray", reason="ray is not installed (pip install "
                                             "'crosscheck[ray]'; make test installs it)")


def _fake_analyser(settings, marker: str):
    """What each Ray worker analyses with in the failure test: fake models; 'dam-failure'
    always raises; 'ferry-strike' kills its worker process the first time (``marker`` is the
    file that remembers it across processes)."""
    import os

    class Worker(FailingAnalyser):
        def analyse(self, story, *args, **kwargs):
            if story == "ferry-strike" and not Path(marker).exists():
                Path(marker).write_text("crashed once")
                os._exit(1)
            return super().analyse(story, *args, **kwargs)

    return Worker(settings, embedder=FakeEmbedder(), nli=FakeNli(), broken={"dam-failure"})


def test_ray_engine_retries_replaces_dead_workers_and_keeps_input_order(tmp_path):
    ray = _ray()
    from crosscheck.engines import RayEngine

    # The workers unpickle these test helpers by value (this module is not importable there).
    import conftest

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.cloudpickle.register_pickle_by_value(conftest)
    folders = _stories(tmp_path)
    settings = Settings().replace(engine={"name": "ray", "workers": 2})
    marker = tmp_path / "crashed-once"
    engine = RayEngine(settings, make_analyser=functools.partial(_fake_analyser,
                                                                 marker=str(marker)))
    messages, seen = [], []
    try:
        result = run(settings, folders, messages.append, engine=engine,
                     on_story=lambda done, total: seen.append(
                         ([s.story for s in done.stories], [f.story for f in done.failed])))
        peaks = engine.worker_peak_mib()
    finally:
        engine.close()
    assert not ray.is_initialized()
    assert marker.read_text() == "crashed once"
    assert [s.story for s in result.stories] == ["ferry-strike", "harbour-fire"]
    assert [(f.story, f.reason) for f in result.failed] == [
        ("dam-failure", "RuntimeError: cannot analyse dam-failure second line")]
    assert seen == [([], ["dam-failure"]), (["ferry-strike"], ["dam-failure"]),
                    (["ferry-strike", "harbour-fire"], ["dam-failure"])]
    assert any(m.startswith("ferry-strike: failed (the Ray worker died: ") for m in messages)
    assert {m.split(":")[0] for m in messages if "trying once more" in m} == {
        "dam-failure", "ferry-strike"}
    assert {f.kind for f in result.stories[0].findings} >= {"numeric", "contradiction"}
    assert len(peaks) == 2 and all(mib > 50 for mib in peaks)
    assert [m.name for m in result.models] == ["fake-embedder", "fake-nli", "en-core-web-sm"]


@pytest.mark.slow
def test_ray_engine_writes_the_same_findings_as_the_local_engine(tmp_path, monkeypatch):
    """Three invented stories through the real models: --engine local, then --engine ray on
    a local Ray instance with two workers (2 CPUs), each run with its own empty cache."""
    _ray()
    folders = _stories(tmp_path)
    outputs = {}
    for engine in ("local", "ray"):
        monkeypatch.setenv("CROSSCHECK_CACHE_DIR", str(tmp_path / f"cache-{engine}"))
        out = tmp_path / f"out-{engine}"
        result = invoke("run", *folders, "-o", out, "--engine", engine,
                        "--set", "engine.workers=2")
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"cache-{engine}" / "cache-v1.sqlite3").is_file()
        outputs[engine] = out
        if engine == "ray":
            assert "ray: a Ray instance on this machine with" in result.stderr
            assert "starting 2 worker(s)" in result.stderr
    for story in ("dam-failure", "ferry-strike", "harbour-fire"):
        # findings.json has no timing fields: the whole document must match.
        local, ray = (json.loads((outputs[e] / story / "findings.json").read_text())
                      for e in ("local", "ray"))
        assert local["findings"], story  # an empty comparison would prove nothing
        assert ray == local, story
        for name in ("claims.csv", "pairs.csv"):
            assert ((outputs["ray"] / story / name).read_text()
                    == (outputs["local"] / story / name).read_text()), (story, name)
        # report.html shows seconds per stage; everything else must match.
        assert (_untimed((outputs["ray"] / story / "report.html").read_text())
                == _untimed((outputs["local"] / story / "report.html").read_text())), story
    assert ((outputs["ray"] / "index.html").read_text()
            == (outputs["local"] / "index.html").read_text())
    kinds = {f["kind"] for f in json.loads(
        (outputs["local"] / "dam-failure" / "findings.json").read_text())["findings"]}
    assert {"numeric", "contradiction"} <= kinds
