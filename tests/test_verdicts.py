"""Reviewer verdicts: reading, matching to findings, run --verdicts, eval and tune on them.

Verdicts are written here for the invented dam story (tests/conftest.py); the models are fakes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from crosscheck.config import Settings
from crosscheck.evaluate_verdicts import (Rejudged, _floor_evidence, calibration_label,
                                          choose_floor, evaluate_verdicts, tune_from_verdicts)
from crosscheck.judge import (FEATURES, Calibration, fit_calibration, keep_supported)
from crosscheck.types import Finding, Judgement, ClaimPair
from crosscheck.verdicts import (finding_key, latest_by_key, normalise_text, parse_verdict,
                                 read_verdicts, split_by_story)

from conftest import invoke

HOSTILE_NOTE = '<script>alert("note")</script> & </textarea>'
# Sentences of the dam story (tests/conftest.py DAM_STORY).
EVACUATED = ("About 3,000 residents were evacuated from the valley below the dam.",
             "About 8,000 residents were evacuated from the valley below the dam.")
INSPECTED = ("The regional governor said the dam had been inspected last spring.",
             "The regional governor said the dam had not been inspected for a decade.")
FAILED = "The Lindenfeld dam failed on Tuesday morning after days of heavy rain."


pytestmark = pytest.mark.usefixtures("fake_models")


def line(kind, verdict, texts, story="dam", outlets=("river-post", "valley-times", "wire"),
         **extra) -> str:
    claims = [{"outlet": o, "article": f"{o}.txt", "text": t} for o, t in zip(outlets, texts)]
    return json.dumps({"story": story, "kind": kind, "verdict": verdict, "claims": claims,
                       **extra})


def dam_verdicts(path: Path) -> Path:
    path.write_text("\n".join([
        line("numeric", "wrong", EVACUATED, note=HOSTILE_NOTE),
        # Other spacing: still the same sentences.
        line("contradiction", "correct",
             ["The regional governor said the dam had   been inspected last spring.",
              INSPECTED[1]], note="checked with the county"),
        line("agreement", "correct", [FAILED] * 3),
        line("framing", "disputed", EVACUATED),
    ]) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading


def test_texts_match_whatever_the_quotes_spacing_and_case():
    assert normalise_text("  “Dam’s   FAILED” – now ") == normalise_text('"dam\'s failed" - now')
    assert finding_key("numeric", ["b", "a"]) == finding_key("numeric", ["A", "B "])
    assert finding_key("numeric", ["a", "b"]) != finding_key("contradiction", ["a", "b"])


BAD_LINES = [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"kind": "rumour", "verdict": "wrong", "claims": [{"text": "x"}]}),
     "'kind' is 'rumour'"),
    (json.dumps({"kind": "numeric", "verdict": "maybe", "claims": [{"text": "x"}]}),
     "'verdict' is 'maybe'"),
    (json.dumps({"kind": "numeric", "verdict": "wrong", "claims": []}),
     "'claims' must be a non-empty list"),
    (json.dumps({"kind": "numeric", "verdict": "wrong", "claims": [{"outlet": "x"}]}),
     "claims[0] needs a non-empty 'text'"),
    (json.dumps({"kind": "numeric", "verdict": "wrong", "claims": [{"text": "x"}],
                 "score": "high"}), "'score' is 'high'"),
]


def test_a_malformed_line_is_reported_with_file_line_and_why_and_skipped(tmp_path):
    path = tmp_path / "v.jsonl"
    good = line("numeric", "wrong", EVACUATED)
    path.write_text("\n".join([good, *(bad for bad, _ in BAD_LINES), "", good]) + "\n")
    warnings = []
    verdicts = read_verdicts([path], warnings.append)
    assert len(verdicts) == 2 and [v.where for v in verdicts] == [f"{path}:1", f"{path}:10"]
    assert len(warnings) == len(BAD_LINES)
    for number, (warning, (_, why)) in enumerate(zip(warnings, BAD_LINES), 2):
        assert warning.startswith(f"{path}:{number}: skipped: ") and why in warning


def test_the_latest_verdict_on_a_finding_wins_and_disputed_ones_say_nothing():
    first = parse_verdict(line("numeric", "wrong", EVACUATED, time="2026-01-02T00:00:00Z"))
    later = parse_verdict(line("numeric", "correct", EVACUATED[::-1], time="2026-03-01T00:00:00Z"))
    disputed = parse_verdict(line("numeric", "disputed", EVACUATED, time="2026-09-01T00:00:00Z"))
    (only,) = latest_by_key([later, first, disputed]).values()
    assert only.verdict == "correct"


def test_split_by_story_keeps_each_story_in_one_half():
    verdicts = [parse_verdict(line("numeric", "wrong", EVACUATED, story=s))
                for s in ["c", "a", "b", "a", "d", "c"]]
    even, odd = split_by_story(verdicts, "even"), split_by_story(verdicts, "odd")
    assert sorted(v.story for v in even) == ["a", "a", "c", "c"]
    assert sorted(v.story for v in odd) == ["b", "d"]


# --------------------------------------------------------------------------- run --verdicts


def test_run_with_verdicts_records_them_and_folds_the_wrong_ones(dam_story, tmp_path):
    verdicts = dam_verdicts(tmp_path / "v.jsonl")
    with verdicts.open("a") as f:
        f.write("{broken\n")
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out, "--verdicts", verdicts)
    assert result.exit_code == 0, result.output
    assert f"warning: {verdicts}:5: skipped: not valid JSON" in result.stderr
    document = json.loads((out / "dam-failure" / "findings.json").read_text("utf-8"))
    texts = {c["id"]: c["text"] for c in document["claims"]}
    marked = {f["kind"]: (f["verdict"], f["review"]["note"], sorted(texts[c] for c in f["claim_ids"]))
              for f in document["findings"] if "verdict" in f}
    # The numeric verdict was given to the pair 3,000 / 8,000; two outlets carry 3,000, so
    # the finding joins two such pairs, and takes the verdict both pairs share.
    assert sum("verdict" in f for f in document["findings"]) == 3
    assert marked == {"numeric": ("wrong", HOSTILE_NOTE, sorted([EVACUATED[0], *EVACUATED])),
                      "contradiction": ("correct", "checked with the county", sorted(INSPECTED)),
                      "agreement": ("correct", "", [FAILED] * 3)}
    assert "verdicts: 3 of 3 match a finding of this run; 1 finding(s) dismissed" in result.stderr

    html = (out / "dam-failure" / "report.html").read_text("utf-8")
    dismissed = html[html.index('<details class="dismissed"'):html.index("</details>",
                                                                       html.index('<details class="dismissed"'))]
    assert "1 dismissed finding" in dismissed and dismissed.count('data-kind="numeric"') == 1
    main_list = html[html.index('<div class="cards">'):html.index('<details class="dismissed"')]
    assert 'data-kind="numeric"' not in main_list and 'data-verdict="correct"' in main_list
    # The note from the verdicts file is text, in the card and in its data attribute.
    assert HOSTILE_NOTE not in html
    assert "&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt; &amp; &lt;/textarea&gt;" in html


def test_a_joined_finding_takes_the_verdict_its_pairs_share_and_only_that():
    from crosscheck.types import Article, Claim, RunResult, StoryResult
    from crosscheck.verdicts import apply_verdicts

    texts = ["Fourteen workers were hurt.", "14 workers were hurt.", "41 workers were hurt."]
    articles = tuple(Article(f"s/{n}", "s", o, o, f"{o}.txt", t, ((0, len(t)),))
                     for n, (o, t) in enumerate(zip(("river-post", "valley-times", "wire"), texts)))
    claims = tuple(Claim(f"s/{n}:s0", f"s/{n}", t, 0, len(t), 0, 0, t) for n, t in enumerate(texts))
    joined = Finding("F1", "numeric", 0.9, "high", ("s/2:s0", "s/0:s0", "s/1:s0"), "r", (),
                     {"compared": [["s/0:s0", "s/2:s0"], ["s/1:s0", "s/2:s0"]]})
    story = StoryResult("s", (), articles, claims, (), (), (joined,))
    run = RunResult((story,), {}, (), ())

    def given(*lines):
        result, matched = apply_verdicts(run, [parse_verdict(x) for x in lines])
        return result.stories[0].verdicts.get("F1"), matched

    first = line("numeric", "wrong", [texts[0], texts[2]], time="2026-01-01T00:00:00Z")
    second = line("numeric", "wrong", [texts[1], texts[2]], time="2026-02-01T00:00:00Z")
    verdict, matched = given(first, second)
    assert verdict.verdict == "wrong" and verdict.time.startswith("2026-02") and matched == 2
    assert given(first) == (None, 0)  # one pair unreviewed: no verdict for the whole
    assert given(first, line("numeric", "correct", [texts[1], texts[2]])) == (None, 0)
    whole = line("numeric", "partly", [texts[2], texts[0], texts[1]])
    assert given(first, second, whole)[0].verdict == "partly"  # its own verdict first


# --------------------------------------------------------------------------- judge pieces


def test_floors_drop_findings_below_them_and_renumber():
    findings = [Finding("F1", "contradiction", 0.9, "high", ("a", "b"), "r"),
                Finding("F2", "numeric", 0.9, "high", ("a", "c"), "r"),
                Finding("F3", "framing", 0.5, "low", ("b", "c"), "r")]

    def judged(x, y, probabilities):
        return Judgement(ClaimPair(x, y, 0.8), "unrelated", probabilities, (0.5, 0.5), (0.5, 0.5))

    judgements = [judged("a", "b", (0.1, 0.6, 0.3)), judged("a", "c", (0.1, 0.4, 0.5)),
                  judged("b", "c", (0.5, 0.1, 0.4))]
    judge = Settings().judge
    assert keep_supported(findings, judgements, judge) == tuple(findings)
    tight = Settings().replace(judge={"contradiction_floor": 0.5, "numeric_floor": 0.5,
                                      "framing_floor": 0.65}).judge
    kept = keep_supported(findings, judgements, tight)
    assert [(f.id, f.kind) for f in kept] == [("F1", "contradiction")]


def test_a_framing_finding_on_a_pair_not_scored_passes_a_contradiction_floor():
    """With judge.framing_floor at 0 a framing pair is not scored by the NLI model (no
    probabilities); a floor on another kind must not read them."""
    findings = [Finding("F1", "framing", 0.5, "low", ("a", "b"), "r")]
    judgements = [Judgement(ClaimPair("a", "b", 0.8), "unrelated", (), (0.5, 0.5), ())]
    tight = Settings().replace(judge={"contradiction_floor": 0.5, "framing_floor": 0.0}).judge
    assert keep_supported(findings, judgements, tight) == tuple(findings)


def test_a_detail_told_two_ways_is_not_held_to_a_floor():
    from crosscheck.types import Alignment, Mismatch, Span

    finding = Finding("F1", "contradiction", 0.8, "high", ("a", "b"), "r")
    mismatch = Mismatch("actor", Span("Marsh", 0, 5), Span("Berg", 0, 4), "who", 1.0)
    pair = ClaimPair("a", "b", 0.2)
    tight = Settings().replace(judge={"contradiction_floor": 0.5}).judge
    for scope, kept in (("slot", 1), ("sentence", 0)):
        alignment = Alignment(pair, True, 1.0, (), (mismatch,), comparable=True, scope=scope)
        judgement = Judgement(pair, "contradict", (0.2, 0.1, 0.7), (0.5, 0.5), (0.5, 0.5),
                              alignment=alignment)
        assert len(keep_supported([finding], [judgement], tight)) == kept, scope


def test_a_wrong_verdict_only_lowers_the_label_it_denied():
    rng = np.random.default_rng(0)
    start = Calibration(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)),
                        rng.normal(0, 0.3, (3, len(FEATURES))), np.zeros(3))
    x = rng.normal(0, 1, (40, len(FEATURES)))
    before = start.probabilities(x)
    fitted = fit_calibration(x, np.full(40, -1), "t", l2=0.01, not_targets=np.full(40, 1),
                             start=start)
    after = fitted.probabilities(x)
    assert (after[:, 1] < before[:, 1]).all()
    assert fitted.features == start.features and (fitted.mean == start.mean).all()
    # Without any labelled row, the fit stays where it started.
    same = fit_calibration(x, np.full(40, -1), "t", l2=0.01, start=start)
    assert np.allclose(same.weights, start.weights) and np.allclose(same.bias, start.bias)


def test_a_correct_verdict_only_asks_its_label_to_reach_the_margin():
    n = len(FEATURES)
    weights = np.zeros((3, n))
    weights[0, FEATURES.index("similarity")] = 1.0
    start = Calibration(FEATURES, np.zeros(n), np.ones(n), weights, np.zeros(3))
    x = np.zeros((10, n))
    x[:, FEATURES.index("similarity")] = 2.0  # p(agree) = e² / (e² + 2) ≈ 0.79
    agree = np.zeros(10, dtype=int)
    kept = fit_calibration(x, agree, "t", l2=0.01, start=start, keep_margins=np.full(10, 0.7))
    assert np.allclose(kept.probabilities(x), start.probabilities(x))
    pushed = fit_calibration(x, agree, "t", l2=0.01, start=start)  # a plain label: pushed up
    assert (pushed.probabilities(x)[:, 0] > start.probabilities(x)[:, 0] + 0.05).all()
    raised = fit_calibration(x, agree, "t", l2=0.01, start=start, keep_margins=np.full(10, 0.9))
    assert 0.89 < raised.probabilities(x)[0, 0] < 0.95


def test_verdicts_become_partial_labels():
    def verdict(kind, said, n=2):
        return parse_verdict(line(kind, said, [f"s{i}" for i in range(n)]))

    assert calibration_label(verdict("contradiction", "wrong"), 1) == (-1, 1)
    assert calibration_label(verdict("numeric", "correct"), 1) == (1, -1)
    assert calibration_label(verdict("agreement", "correct", 3), 3) == (0, -1)
    assert calibration_label(verdict("agreement", "wrong", 3), 3) is None
    assert calibration_label(verdict("agreement", "wrong"), 1) == (-1, 0)
    assert calibration_label(verdict("framing", "correct"), 1) == (0, -1)
    assert calibration_label(verdict("framing", "wrong"), 1) is None
    assert calibration_label(verdict("contradiction", "partly"), 1) is None


def test_a_floor_drops_wrong_findings_while_keeping_the_correct_ones():
    correct, wrong = [0.9, 0.8, 0.7, 0.6], [0.65, 0.3, 0.2]
    # Keeping 90% of four correct ones means keeping all four, so 0.65 cannot be dropped; the
    # two below 0.3 can, and the least move that does it is just above 0.3.
    assert choose_floor(correct, wrong, 0.0) == (0.3001, "fitted")
    # Never lower than the current floor from verdicts alone; labelled pairs may lower it.
    assert choose_floor(correct, [], 0.65) == (0.65, "fitted")
    assert choose_floor(correct, [], 0.65, may_lower=True) == (0.6, "fitted")
    floor, why = choose_floor([0.9, 0.8], wrong, 0.0)
    assert floor == 0.0 and why.startswith("kept: 2 marked correct, fewer than 3")


def test_pairs_reviewed_as_another_kind_count_against_new_agreements():
    """A recalibrated judge must not turn a contradiction marked wrong (or right) into an
    agreement nobody reviewed: for the agreement threshold, such pairs are ones to drop."""
    n = len(FEATURES)
    weights = np.zeros((3, n))
    weights[0, FEATURES.index("similarity")] = 1.0  # p(agree) grows with similarity
    calibration = Calibration(FEATURES, np.zeros(n), np.ones(n), weights, np.zeros(3))

    def row(kind, said, similarity, kinds):
        features = np.zeros((1, n))
        features[0, FEATURES.index("similarity")] = similarity
        verdict = parse_verdict(line(kind, said, EVACUATED))
        return Rejudged(verdict, None, (), features, "", frozenset(kinds))

    rows = [row("agreement", "correct", 3.0, {"agreement"}),
            row("agreement", "wrong", 2.0, {"agreement"}),
            row("contradiction", "wrong", 1.0, {"agreement"}),
            row("contradiction", "correct", 0.5, {"contradiction", "agreement"}),
            row("framing", "wrong", 4.0, {"framing"})]
    keep, drop = _floor_evidence(rows, "agreement", calibration)
    assert len(keep) == 1 and len(drop) == 3 and keep[0] > max(drop)
    keep, drop = _floor_evidence(rows, "contradiction", calibration)
    assert keep == [pytest.approx(1 / (np.exp(0.5) + 2))] and drop == []  # p(contradict)


# --------------------------------------------------------------------------- eval and tune


def test_eval_rejudges_each_reviewed_finding_and_counts_precision_per_kind(tmp_path):
    verdicts = read_verdicts([dam_verdicts(tmp_path / "v.jsonl")], print)
    figures = evaluate_verdicts(verdicts, Settings())
    assert figures["verdicts"] == 3 and figures["skipped_disputed"] == 1
    kinds = figures["kinds"]
    assert kinds["numeric"]["flagged"] == {"correct": 0, "partly": 0, "wrong": 1}
    assert kinds["numeric"]["precision"] == 0.0
    assert kinds["contradiction"]["flagged"] == {"correct": 1, "partly": 0, "wrong": 0}
    assert kinds["contradiction"]["precision"] == 1.0
    assert kinds["agreement"]["precision"] == 1.0

    # A numeric floor above the fake judge's contradict probability for that pair drops it.
    tight = Settings().replace(judge={"numeric_floor": 0.99})
    assert evaluate_verdicts(verdicts, tight)["kinds"]["numeric"]["precision"] is None


def test_eval_and_tune_on_verdicts_from_the_cli(tmp_path, dam_story):
    rows = []
    for i in range(4):  # four stories, each with one wrong numeric and one correct contradiction
        rows.append(line("numeric", "wrong", [t.replace("the dam", f"dam {i}") for t in EVACUATED],
                         story=f"s{i}"))
        rows.append(line("contradiction", "correct",
                         [t.replace("the dam", f"dam {i}") for t in INSPECTED], story=f"s{i}"))
    verdicts = tmp_path / "v.jsonl"
    verdicts.write_text("\n".join(rows) + "\n")
    result = invoke("eval", "--format", "verdicts", verdicts, "--sample", "odd", "--json",
                    tmp_path / "e.json")
    assert result.exit_code == 0, result.output
    figures = json.loads((tmp_path / "e.json").read_text())
    assert figures["verdicts"] == 4  # stories s1 and s3
    assert re.search(r"numeric\s+2\s+2\s+0\s+0\s+2\s+0\.000", result.stdout), result.stdout

    tuned = tmp_path / "tuned.toml"
    result = invoke("tune", "--verdicts", verdicts, "--sample", "even", "-o", tuned)
    assert result.exit_code == 0, result.output
    assert "fitted on 4 reviewed findings" in result.stdout
    # Two correct numeric findings are fewer than three: that floor stays; no kind has three.
    assert "numeric: numeric_floor 0.0 → 0.0 (kept: 0 marked correct" in result.stdout
    text = tuned.read_text()
    assert "numeric_floor = 0.0" in text and 'model = "fake-nli"' in text
    run = invoke("run", dam_story, "-c", tuned, "-o", tmp_path / "out", "--quiet")
    assert run.exit_code == 0, run.output


def test_tune_learns_a_floor_that_drops_the_wrong_ones(tmp_path):
    """Six stories: in each, a wrong numeric finding (the fake NLI sees no negation: contradict
    probability mid-range) and a correct one whose second sentence is negated (near 1)."""
    rows = []
    for i in range(6):
        wrong = [f"About 3,000 residents of town {i} left the valley below the dam.",
                 f"About 8,000 residents of town {i} left the valley below the dam."]
        correct = [f"About 300 homes in town {i} were flooded by the river.",
                   f"About 900 homes in town {i} were not flooded by the river."]
        rows += [line("numeric", "wrong", wrong, story=f"s{i}"),
                 line("numeric", "correct", correct, story=f"s{i}")]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(rows) + "\n")
    verdicts = read_verdicts([path], print)
    before = evaluate_verdicts(verdicts, Settings())["kinds"]["numeric"]
    assert before["flagged"] == {"correct": 6, "partly": 0, "wrong": 6}
    summary = tune_from_verdicts(verdicts, [], Settings(), tmp_path / "t.toml", "contradiction-f1",
                                 "test")
    assert "numeric: numeric_floor 0.0 → " in summary
    # The floor alone does it: the adjusted calibration is no better, so the current one stays.
    assert "calibration: the current one (" in summary and "numeric 6/0/0 vs 6/0/0" in summary
    assert "flagged correct/wrong/reviewed as another kind 6/6/0 → 6/0/0" in summary
    from crosscheck.config import load_settings

    tuned = load_settings(tmp_path / "t.toml")
    assert tuned.judge.numeric_floor > 0
    after = evaluate_verdicts(verdicts, tuned)["kinds"]["numeric"]
    assert after["flagged"] == {"correct": 6, "partly": 0, "wrong": 0}


def test_a_bad_floor_value_names_the_key(dam_story, tmp_path):
    result = invoke("run", dam_story, "-o", tmp_path, "--set", "judge.numeric_floor=2")
    assert result.exit_code == 2
    assert "judge.numeric_floor must be between 0.0 and 1.0, got 2.0" in result.stderr


def test_tune_needs_something_to_tune_on(tmp_path):
    result = invoke("tune", "-o", tmp_path / "t.toml")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: nothing to tune on: give labelled pair FILES, "
                                     "--verdicts FILE, or both")


def test_a_framing_finding_needs_the_two_statements_to_agree():
    """Two events of one story ("checked into the clinic" / "has left the clinic") are no fact
    told two ways: the model's agree probability is near zero, however close the words."""
    finding = Finding("F1", "framing", 0.3, "low", ("a", "b"), "r")
    default = Settings().judge
    for probabilities, kept in (((0.02, 0.2, 0.78), 0), ((0.3, 0.0, 0.7), 1)):
        judgement = Judgement(ClaimPair("a", "b", 0.8), "unrelated", probabilities,
                              (0.5, 0.5), (0.5, 0.5))
        assert len(keep_supported([finding], [judgement], default)) == kept
