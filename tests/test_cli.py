"""The CLI, driven with CliRunner; the models are swapped for fakes."""

import collections
import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from crosscheck import cli
from crosscheck.types import FINDING_KINDS

from conftest import invoke


pytestmark = pytest.mark.usefixtures("fake_models")


def test_run_writes_report_json_and_csv(dam_story, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out)
    assert result.exit_code == 0, result.output
    story = out / "dam-failure"
    assert result.stdout.strip() == str(story / "report.html")
    for name in ("report.html", "findings.json", "claims.csv", "pairs.csv"):
        assert (story / name).is_file()
    document = json.loads((story / "findings.json").read_text())
    assert document["story"] == "dam-failure"
    assert {f["kind"] for f in document["findings"]} >= {"numeric", "contradiction",
                                                         "single_outlet"}
    # the story's line names its findings and how many claims were compared: those in a
    # judged pair (pairs.csv) of two outlets
    pairs = pd.read_csv(story / "pairs.csv")
    cross = pairs[pairs["outlet_a"] != pairs["outlet_b"]]
    compared = set(cross["claim_a"]) | set(cross["claim_b"])
    checked = document["checked"]
    assert (checked["claims"], checked["compared"]) == (len(document["claims"]), len(compared))
    assert compared and checked["compared"] < checked["claims"]
    kinds = collections.Counter(f["kind"] for f in document["findings"])
    summary = ", ".join(f"{kinds[k]} {k}" for k in FINDING_KINDS if kinds[k])
    assert re.search(rf"^dam-failure: {summary}; {checked['compared']} of "
                     rf"{checked['claims']} claims compared \(\d+\.\d s\)$", result.stderr,
                     re.MULTILINE)


def test_quiet_silences_progress(dam_story, tmp_path):
    result = invoke("run", dam_story, "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_several_folders_give_an_index(dam_story, tmp_path):
    other = tmp_path / "other-story"
    other.mkdir()
    (other / "a.txt").write_text("Too short to use.")
    result = invoke("run", dam_story, other, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").is_file()
    assert (tmp_path / "out" / "other-story" / "report.html").is_file()
    assert "index.html" in result.stdout


def test_a_run_stopped_midway_keeps_the_stories_it_finished(dam_story, tmp_path, monkeypatch):
    """Each story is written as soon as it is done, with the index so far: stopping the run
    in the second story leaves the first one's report and an index that lists it."""
    import shutil

    from crosscheck.analysis import Analyser

    second = tmp_path / "second-story"
    shutil.copytree(dam_story, second)
    analyse = Analyser.analyse

    def stop_at_the_second(self, story, *args, **kwargs):
        if story == "second-story":
            raise KeyboardInterrupt
        return analyse(self, story, *args, **kwargs)

    monkeypatch.setattr(Analyser, "analyse", stop_at_the_second)
    out = tmp_path / "out"
    result = invoke("run", dam_story, second, "-o", out)
    assert result.exit_code != 0
    assert (out / "dam-failure" / "report.html").is_file()
    assert (out / "dam-failure" / "findings.json").is_file()
    assert not (out / "second-story").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "dam-failure/report.html" in index and "second-story/report.html" not in index

    # Run again to the end: both stories, and the first keeps its folder.
    monkeypatch.setattr(Analyser, "analyse", analyse)
    result = invoke("run", dam_story, second, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["dam-failure", "second-story"]
    assert "second-story/report.html" in (out / "index.html").read_text(encoding="utf-8")


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere(monkeypatch, capsys):
    from crosscheck.cli import _StoryBar

    lines = []
    bar = _StoryBar(lines.append)
    bar.message("[1/3] dam-failure")
    bar.advance(1, 3)  # stderr is not a terminal here: no bar
    assert bar.bar is None and lines == ["[1/3] dam-failure"]

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    bar = _StoryBar(lines.append)
    bar.advance(1, 3)
    bar.message("[2/3] harbour-fire")
    bar.advance(2, 3)
    bar.close()
    err = capsys.readouterr().err
    assert "2/3 stories" in err and "[2/3] harbour-fire" in err
    assert lines == ["[1/3] dam-failure"]  # messages went above the bar, not to the lines


def test_story_key_splits_jsonl(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    lines = []
    for story in ("s1", "s2"):
        for outlet in ("alpha", "beta"):
            lines.append(json.dumps({
                "story": story, "source": outlet, "title": f"{story} {outlet}",
                "text": f"In story {story} the {outlet} desk reports that the council approved "
                        "the new budget of 12 million euros on Monday after a long debate. "
                        "Members of the opposition walked out of the chamber before the vote "
                        f"was held, and the mayor of the town praised the result in {story}."}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    result = invoke("run", folder, "--story-key", "story", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "s1" / "findings.json").is_file()
    assert (tmp_path / "out" / "s2" / "findings.json").is_file()


def test_bad_setting_is_one_line_error(dam_story, tmp_path):
    result = invoke("run", dam_story, "--set", "pairs.top_k=many", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == "Error: --set: pairs.top_k must be an integer, got 'many'\n"
    assert not (tmp_path / "out").exists()


def test_bad_config_file_names_file_and_key(dam_story, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[pairs]\nsimilarity = 0.3\n")
    result = invoke("run", dam_story, "-c", config, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config}: unknown key 'pairs.similarity'")


@pytest.mark.parametrize("toml, message", [
    ("[pairs\ntop_k = 3\n", "not valid TOML: Expected ']' at the end of a table declaration"),
    ("[pairs]\ntop_k = \"3\"\n", "pairs.top_k must be an integer, got '3'"),
    ("[pairs]\nsimilarity_threshold = 1.5\n",
     "pairs.similarity_threshold must be between -1.0 and 1.0, got 1.5"),
    ("[judge]\nmax_seconds_per_story = -5\n",
     "judge.max_seconds_per_story must be at least 0, got -5.0"),
    ("[report]\nformats = [\"pdf\"]\n", "report.formats: 'pdf' is not one of html, json, csv"),
    ("[nope]\nx = 1\n", "unknown section 'nope'"),
    ("top_k = 3\n", "'top_k' must be a [section] table"),
])
def test_every_bad_config_is_one_line_exit_2_and_writes_nothing(dam_story, tmp_path, toml,
                                                                 message):
    out = tmp_path / "out"
    assert invoke("run", dam_story, "-o", out, "--quiet").exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    result = invoke("run", dam_story, "-c", config, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config}: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    fresh = invoke("run", dam_story, "-c", config, "-o", tmp_path / "fresh")
    assert fresh.exit_code == 2 and not (tmp_path / "fresh").exists()


@pytest.mark.parametrize("override, message", [
    ("pairs.top_k", "--set 'pairs.top_k': expected section.key=value"),
    ("pairs.nope=1", "--set: unknown key 'pairs.nope'"),
    ("judge.max_seconds_per_story=soon", "--set: judge.max_seconds_per_story must be a number"),
])
def test_every_bad_set_is_one_line_exit_2(dam_story, tmp_path, override, message):
    result = invoke("run", dam_story, "--set", override, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_folder_is_an_error(tmp_path):
    result = invoke("run", tmp_path / "nope", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "nope" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_pairs_file_writes_json(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("premise,hypothesis,label\n"
                     "The dam failed on Tuesday.,The dam did not fail on Tuesday.,contradiction\n"
                     "The dam failed on Tuesday.,The dam failed on Tuesday morning.,entailment\n"
                     "The dam failed on Tuesday.,Schools closed for the week.,neutral\n")
    out = tmp_path / "figures.json"
    result = invoke("eval", pairs, "--json", out)
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["n"] == 3
    assert set(figures["per_label"]) == {"contradiction", "entailment", "neutral"}
    assert figures["per_label"]["contradiction"]["recall"] == 1.0
    assert "accuracy" in result.stdout


def test_eval_shows_example_errors(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("premise,hypothesis,label\n"
                     "The dam failed on Tuesday.,The dam did not fail on Tuesday.,entailment\n"
                     "The dam failed on Tuesday.,The dam failed on Tuesday.,entailment\n")
    result = invoke("eval", pairs, "--errors", 3)
    assert result.exit_code == 0, result.output
    assert "errors, gold → predicted: entailment → contradiction" in result.stdout
    assert "The dam did not fail on Tuesday." in result.stdout


def test_eval_sample_takes_every_other_pair(tmp_path):
    from crosscheck.evaluate import read_pairs

    pairs = tmp_path / "pairs.csv"
    pairs.write_text("premise,hypothesis,label\n" + "".join(
        f"p{i},h{i},neutral\n" for i in range(5)))
    assert [p.premise for p in read_pairs(pairs, "auto", sample="even")] == ["p0", "p2", "p4"]
    assert [p.premise for p in read_pairs(pairs, "auto", sample="odd")] == ["p1", "p3"]


def test_eval_rejects_unknown_labels(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"premise": "a b c", "hypothesis": "a b", "label": "maybe"}))
    result = invoke("eval", pairs)
    assert result.exit_code == 1
    assert "unknown label 'maybe'" in result.stderr


def test_tune_writes_a_config_that_run_accepts(tmp_path, dam_story):
    pairs = tmp_path / "pairs.jsonl"
    rows = []
    for i in range(12):
        rows += [
            {"premise": f"The dam number {i} failed.", "hypothesis": f"The dam number {i} did not fail.",
             "label": "contradiction"},
            {"premise": f"The dam number {i} failed.", "hypothesis": f"The dam number {i} failed.",
             "label": "entailment"},
            {"premise": f"The dam number {i} failed.", "hypothesis": "Schools closed all week.",
             "label": "neutral"}]
    pairs.write_text("\n".join(json.dumps(r) for r in rows))
    tuned = tmp_path / "tuned.toml"
    result = invoke("tune", pairs, "-o", tuned)
    assert result.exit_code == 0, result.output
    text = tuned.read_text()
    assert "[calibration]" in text and 'model = "fake-nli"' in text
    run = invoke("run", dam_story, "-c", tuned, "-o", tmp_path / "out", "--quiet")
    assert run.exit_code == 0, run.output
    settings = json.loads((tmp_path / "out" / "dam-failure" / "findings.json").read_text())["settings"]
    assert settings["calibration"]["model"] == "fake-nli"


def test_settings_command_prints_valid_toml():
    import tomllib

    result = invoke("settings", "--set", "pairs.top_k=9")
    assert result.exit_code == 0
    assert tomllib.loads(result.stdout)["pairs"]["top_k"] == 9


def test_every_command_has_help_with_an_example():
    for name, command in cli.main.commands.items():
        assert command.help and "Example" in command.help, name
        result = invoke(name, "--help")
        assert result.exit_code == 0


def test_a_config_file_in_the_working_folder_is_announced(tmp_path, monkeypatch):
    (tmp_path / "crosscheck.toml").write_text("[pairs]\ntop_k = 3\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["settings"])
    assert result.exit_code == 0
    assert f"settings from {tmp_path / 'crosscheck.toml'} (found in the working folder)" \
        in result.stderr
    assert "top_k = 3" in result.stdout


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "crosscheck", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("crosscheck, version")
