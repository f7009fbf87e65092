"""Blind review samples (crosscheck review-sample) and their tally (crosscheck review-tally)."""

import json

import pytest
from click.testing import CliRunner

from crosscheck.cli import main
from crosscheck.errors import InputError
from crosscheck.review import (RULES, draw_sample, load_runs, read_packet, reviewed_keys,
                               rules_text, tally, write_packet, write_verdict_lines)
from crosscheck.verdicts import finding_key, read_verdicts, reviewed


def write_story(root, name, findings, where=""):
    """A findings.json as `crosscheck run` writes it, for a story told by two outlets: claim
    ``<outlet>:<n>`` is ``texts[n]`` of that outlet (each sentence ending in ``where``, to
    tell stories apart); ``findings`` are (kind, claim ids[, aspect])."""
    texts = {"bay": ["The pier burned on Monday.", "Fourteen workers were hurt.",
                     "The port will reopen in May.", "Police said the fire was set."],
             "cove": ["The pier burned on Tuesday.", "Forty-one workers were hurt.",
                      "The port may reopen in May.", "The fire was set.",
                      "A ferry was moved to the north quay."]}
    claims = [{"id": f"{name}/{outlet}:{n}", "article_id": f"{name}/{outlet}",
               "text": text[:-1] + where + ".", "paragraph": n, "sentence": n}
              for outlet, sentences in texts.items() for n, text in enumerate(sentences)]
    story = {
        "format_version": "1.6", "story": name,
        "articles": [{"id": f"{name}/{o}", "outlet": o, "title": f"{o.title()} on the fire",
                      "path": f"/data/{name}/{o}.txt"} for o in texts],
        "claims": claims,
        "findings": [{"id": f"F{n + 1}", "kind": spec[0], "score": 0.5, "severity": "low",
                      "claim_ids": [f"{name}/{c}" for c in spec[1]],
                      "reason": f"{spec[0]} reason {n + 1}",
                      "details": {"aspect": spec[2]} if len(spec) > 2 else {}}
                     for n, spec in enumerate(findings)]}
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "findings.json").write_text(json.dumps(story), encoding="utf-8")
    return story


@pytest.fixture
def runs(tmp_path):
    """Two runs: ``politics`` (3 contradictions, 5 agreements, 2 single-outlet claims) and
    ``crime`` (1 numeric, 2 framing findings)."""
    politics, crime = tmp_path / "politics", tmp_path / "crime"
    write_story(politics, "s1", [("contradiction", ["bay:0", "cove:0"]),
                                 ("agreement", ["bay:2", "cove:2"]),
                                 ("single_outlet", ["cove:4"])], " in Akersvik")
    write_story(politics, "s2", [("contradiction", ["bay:0", "cove:0"]),
                                 ("contradiction", ["bay:2", "cove:2"]),
                                 *[("agreement", [f"bay:{n}", f"cove:{n}"]) for n in range(4)],
                                 ("single_outlet", ["cove:4"])], " in Brennby")
    write_story(crime, "c1", [("numeric", ["bay:1", "cove:1"]),
                              ("framing", ["bay:2", "cove:2"], "certainty"),
                              ("framing", ["bay:3", "cove:3"], "attribution")])
    return politics, crime


def test_a_sample_takes_up_to_n_of_each_kind_from_each_run(runs):
    sample = draw_sample(load_runs(runs), ["contradiction", "numeric", "framing", "agreement"],
                         per_kind=2, seed=7)
    kinds = sorted((item.key["run"], item.key["kind"]) for item in sample.items)
    assert kinds == [("crime", "framing"), ("crime", "framing"), ("crime", "numeric"),
                     ("politics", "agreement"), ("politics", "agreement"),
                     ("politics", "contradiction"), ("politics", "contradiction")]
    assert sample.available == {
        "politics": {"contradiction": 3, "numeric": 0, "framing": 0, "agreement": 5},
        "crime": {"contradiction": 0, "numeric": 1, "framing": 2, "agreement": 0}}
    assert [item.number for item in sample.items] == list(range(1, 8))


def test_reviewers_see_the_sentences_and_reason_and_the_key_says_which_finding(runs, tmp_path):
    sample = draw_sample(load_runs(runs), ["numeric", "framing"], per_kind=5, seed=1)
    write_packet(sample, tmp_path / "packet", reviewers=3, rules=RULES)
    shown = [json.loads((tmp_path / "packet" / r / "items.json").read_text())
             for r in ("r1", "r2", "r3")]
    assert shown[0] == shown[1] == shown[2]
    assert not (tmp_path / "packet" / "r4").exists()
    key = json.loads((tmp_path / "packet" / "key.json").read_text())
    assert key["seed"] == 1 and key["reviewers"] == 3
    numeric = next(item for item in shown[0] if item["kind"] == "numeric")
    assert set(numeric) == {"item", "kind", "claims", "tool_reason"}  # no score, id or story
    assert numeric["claims"] == [{"outlet": "bay", "text": "Fourteen workers were hurt."},
                                 {"outlet": "cove", "text": "Forty-one workers were hurt."}]
    entry = next(e for e in key["items"] if e["item"] == numeric["item"])
    assert (entry["run"], entry["story"], entry["finding_id"], entry["aspect"]) == \
        ("crime", "c1", "F1", "")
    assert [c["article"] for c in entry["claims"]] == ["bay.txt", "cove.txt"]
    aspects = sorted(e["aspect"] for e in key["items"] if e["kind"] == "framing")
    assert aspects == ["attribution", "certainty"]
    folder = tmp_path / "packet" / "r2"
    assert (folder / "rules.md").read_text() == RULES
    assert "verdicts.json" in (folder / "INSTRUCTIONS.md").read_text()


def test_the_same_seed_draws_the_same_sample_and_earlier_packets_are_left_out(runs, tmp_path):
    def drawn(seed, exclude=frozenset()):
        sample = draw_sample(load_runs(runs), ["contradiction", "agreement"], 2, seed, exclude)
        return [(i.key["story"], i.key["finding_id"]) for i in sample.items]

    assert drawn(3) == drawn(3)
    assert drawn(3) != drawn(4)
    first = draw_sample(load_runs(runs), ["contradiction", "agreement"], 2, seed=3)
    write_packet(first, tmp_path / "first", reviewers=2, rules=RULES)
    again = drawn(5, reviewed_keys([tmp_path / "first"]))
    assert not set(again) & set(drawn(3))
    # 3 contradictions and 5 agreements, 2 of each reviewed before: 1 and 3 left to draw
    assert len(again) == 3
    assert len(drawn(5, reviewed_keys([tmp_path / "first" / "key.json"]))) == 3


def test_a_claim_only_one_outlet_carries_comes_with_its_storys_articles(runs, tmp_path):
    sample = draw_sample(load_runs(runs), ["single_outlet"], per_kind=5, seed=2)
    write_packet(sample, tmp_path / "packet", reviewers=2, rules=RULES)
    items = json.loads((tmp_path / "packet" / "r1" / "items.json").read_text())
    assert sorted(item["story"] for item in items) == ["S1", "S2"]
    story = (tmp_path / "packet" / "r2" / "stories" / f"{items[0]['story']}.md").read_text()
    assert "## Outlet: bay\nTitle: Bay on the fire" in story
    assert "## Outlet: cove\nTitle: Cove on the fire" in story
    assert "A ferry was moved to the north quay in " in story
    assert story.index("The pier burned on Monday in ") < \
        story.index("Police said the fire was set in ")


def test_a_packet_is_never_written_over_an_earlier_one(runs, tmp_path):
    sample = draw_sample(load_runs(runs), ["agreement"], per_kind=1, seed=1)
    write_packet(sample, tmp_path / "packet", reviewers=1, rules=RULES)
    with pytest.raises(InputError, match="already exists and is not an empty folder"):
        write_packet(sample, tmp_path / "packet", reviewers=1, rules=RULES)


def test_runs_are_named_after_their_folders(runs, tmp_path, monkeypatch):
    twin = tmp_path / "elsewhere" / "politics"
    write_story(twin, "s9", [("agreement", ["bay:2", "cove:2"])], " in Dalby")
    assert [run.label for run in load_runs([runs[0], runs[1], twin])] == \
        ["politics", "crime", "politics-1"]
    monkeypatch.chdir(runs[1])
    assert [run.label for run in load_runs(["."])] == ["crime"]
    assert [run.label for run in load_runs(["c1/findings.json"])] == ["c1"]


def test_bad_runs_and_kinds_are_named(tmp_path, runs):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty: no findings.json"):
        load_runs([tmp_path / "empty"])
    (tmp_path / "bad.json").write_text("{\"story\": 1}")
    with pytest.raises(InputError, match="bad.json: not a findings.json written by crosscheck"):
        load_runs([tmp_path / "bad.json"])
    with pytest.raises(InputError, match="unknown finding kind 'contradictions'"):
        draw_sample(load_runs(runs), ["contradictions"], 1, 1)


def test_rules_come_from_the_review_rules_heading_of_a_given_file(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Data\n\n| kind | correct |\n\n## Review rules\n- contradiction: …\n")
    assert rules_text(readme) == "## Review rules\n- contradiction: …\n"
    plain = tmp_path / "rules.txt"
    plain.write_text("Judge each pair.\n")
    assert rules_text(plain) == "Judge each pair.\n"
    assert rules_text(None) == RULES


def judged(packet, reviewer, verdicts):
    (packet / reviewer / "verdicts.json").write_text(json.dumps(
        [{"item": n, "verdict": v, "note": f"{reviewer} on {n}"} for n, v in verdicts.items()]))


def test_the_tally_counts_each_reviewer_and_writes_verdicts_runs_can_read(runs, tmp_path):
    sample = draw_sample(load_runs(runs), ["numeric", "framing"], per_kind=5, seed=1)
    packet = tmp_path / "packet"
    write_packet(sample, packet, reviewers=2, rules=RULES)
    kind_of = {i.number: (i.key["kind"], i.key["aspect"]) for i in sample.items}
    numeric = next(n for n, k in kind_of.items() if k[0] == "numeric")
    certainty = next(n for n, k in kind_of.items() if k[1] == "certainty")
    attribution = next(n for n, k in kind_of.items() if k[1] == "attribution")
    judged(packet, "r1", {numeric: "correct", certainty: "correct", attribution: "wrong"})
    judged(packet, "r2", {numeric: "correct", certainty: "partly", attribution: "wrong"})
    result = tally(*read_packet(packet))
    assert result.reviewers == ("r1", "r2")
    assert {g: {r: dict(c) for r, c in by.items()} for g, by in result.counts.items()} == {
        ("crime", "numeric", ""): {"r1": {"correct": 1}, "r2": {"correct": 1}},
        ("crime", "framing", "certainty"): {"r1": {"correct": 1}, "r2": {"partly": 1}},
        ("crime", "framing", "attribution"): {"r1": {"wrong": 1}, "r2": {"wrong": 1}}}
    assert result.same == {("crime", "numeric", ""): 1, ("crime", "framing", "certainty"): 0,
                           ("crime", "framing", "attribution"): 1}
    from crosscheck.review import format_tally

    table = format_tally(result)
    assert "| crime | framing: certainty | 1 | 1/0/0 | 0/1/0 | 0 |" in table
    assert "  framing: r1 1/2, r2 0/2" in table
    assert "same verdict from every reviewer: 2 of 3" in table
    write_verdict_lines(result, tmp_path / "verdicts.jsonl")
    lines = read_verdicts([tmp_path / "verdicts.jsonl"], warn=pytest.fail)
    assert sorted(v.verdict for v in lines) == ["correct", "disputed", "wrong"]
    assert sorted(v.verdict for v in reviewed(lines)) == ["correct", "wrong"]
    story = json.loads((runs[1] / "c1" / "findings.json").read_text())
    texts = {c["id"]: c["text"] for c in story["claims"]}
    keys = {finding_key(f["kind"], [texts[c] for c in f["claim_ids"]]): f["id"]
            for f in story["findings"]}
    numeric_line = next(v for v in lines if v.kind == "numeric")
    assert keys[finding_key("numeric", [c.text for c in numeric_line.claims])] == "F1"
    assert numeric_line.note == f"r1: r1 on {numeric} | r2: r2 on {numeric}"


@pytest.mark.parametrize("verdicts, message", [
    (None, "r2/verdicts.json: missing; every reviewer's verdicts are needed"),
    ("[{\"item\": 1, \"verdict\": \"correct\"}]", "r2/verdicts.json: no verdict for item 2 "
                                                  "and 1 more"),
    ("[{\"item\": 1, \"verdict\": \"right\"}]", "r2/verdicts.json: item 1: verdict 'right'; "
                                                "expected one of correct, partly, wrong"),
    ("[{\"item\": 1, \"verdict\": \"correct\"}, {\"item\": 1, \"verdict\": \"wrong\"}]",
     "r2/verdicts.json: item 1 is judged twice"),
    ("[{\"item\": 9, \"verdict\": \"correct\"}]", "r2/verdicts.json: item 9 is not in the sample"),
    ("{\"item\": 1}", "r2/verdicts.json: expected a JSON list of verdicts"),
])
def test_bad_verdicts_name_the_file_and_the_item(runs, tmp_path, verdicts, message):
    sample = draw_sample(load_runs(runs), ["numeric", "framing"], per_kind=5, seed=1)
    packet = tmp_path / "packet"
    write_packet(sample, packet, reviewers=2, rules=RULES)
    judged(packet, "r1", {1: "correct", 2: "correct", 3: "wrong"})
    if verdicts is not None:
        (packet / "r2" / "verdicts.json").write_text(verdicts)
    with pytest.raises(InputError) as error:
        read_packet(packet)
    assert str(error.value).endswith(message)


def test_review_commands_draw_and_tally_from_the_command_line(runs, tmp_path):
    runner = CliRunner()
    packet = tmp_path / "packet"
    result = runner.invoke(main, ["review-sample", str(runs[0]), str(runs[1]), "-o", str(packet),
                                  "--per-kind", "1", "--seed", "11", "--kinds",
                                  "contradiction,numeric"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["politics: contradiction 1 of 3, numeric 0 of 0",
                                              "crime: contradiction 0 of 0, numeric 1 of 1"]
    assert "2 items, seed 11" in result.output
    judged(packet, "r1", {1: "correct", 2: "wrong"})
    judged(packet, "r2", {1: "correct", 2: "wrong"})
    result = runner.invoke(main, ["review-tally", str(packet)])
    assert result.exit_code == 0, result.output
    assert "same verdict from every reviewer: 2 of 2" in result.output
    assert len((packet / "verdicts.jsonl").read_text().splitlines()) == 2
    again = runner.invoke(main, ["review-sample", str(runs[0]), "-o", str(packet)])
    assert again.exit_code == 1
    assert again.output.strip().endswith("packet: already exists and is not an empty folder")
    bad = runner.invoke(main, ["review-sample", str(runs[0]), "-o", str(tmp_path / "x"),
                               "--kinds", "contradictions"])
    assert bad.exit_code == 1
    assert "Error: unknown finding kind 'contradictions'" in bad.output
