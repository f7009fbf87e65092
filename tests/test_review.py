"""Blind review samples (crosscheck review-sample) and their tally (crosscheck review-tally)."""

import json

import pytest
from click.testing import CliRunner

from crosscheck.cli import main
from crosscheck.errors import InputError
from crosscheck.review import (INSTRUCTIONS, RULES, draw_sample, format_tally, load_runs,
                               parse_kinds, read_packet, reviewed_keys, rules_text, tally,
                               write_packet, write_verdict_lines)
from crosscheck.verdicts import claims_key, finding_key, latest_by_key, read_verdicts, reviewed

TEXTS = {"bay": ["The pier burned on Monday.", "Fourteen workers were hurt.",
                 "The port will reopen in May.", "Police said the fire was set."],
         "cove": ["The pier burned on Tuesday.", "Forty-one workers were hurt.",
                  "The port may reopen in May.", "The fire was set.",
                  "A ferry was moved to the north quay."]}


def write_story(root, name, findings, where):
    """A findings.json as `crosscheck run` writes it, for a story told by two outlets: claim
    ``<outlet>:<n>`` is ``TEXTS[outlet][n]`` with ``where`` before its full stop (to tell
    stories apart), one sentence a paragraph; each article's title is read as a claim too.
    ``findings``: (kind, claim ids[, aspect])."""
    claims = []
    for outlet, sentences in TEXTS.items():
        claims.append({"id": f"{name}/{outlet}:t", "article_id": f"{name}/{outlet}",
                       "text": f"{outlet.title()} on the fire", "paragraph": 0, "sentence": 0})
        claims += [{"id": f"{name}/{outlet}:{n}", "article_id": f"{name}/{outlet}",
                    "text": text[:-1] + where + ".", "paragraph": n + 1, "sentence": n + 1}
                   for n, text in enumerate(sentences)]
    story = {
        "format_version": "1.6", "story": name,
        "articles": [{"id": f"{name}/{o}", "outlet": o, "title": f"{o.title()} on the fire",
                      "path": f"/data/{name}/{o}.txt"} for o in TEXTS],
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
    """Two runs: ``politics`` (3 contradictions, 5 agreements, 3 single-outlet claims, two of
    them in one story) and ``crime`` (1 numeric, 2 framing findings)."""
    politics, crime = tmp_path / "politics", tmp_path / "crime"
    write_story(politics, "s1", [("contradiction", ["bay:0", "cove:0"]),
                                 ("agreement", ["bay:2", "cove:2"]),
                                 ("single_outlet", ["cove:4"])], " in Akersvik")
    write_story(politics, "s2", [("contradiction", ["bay:0", "cove:0"]),
                                 ("contradiction", ["bay:2", "cove:2"]),
                                 *[("agreement", [f"bay:{n}", f"cove:{n}"]) for n in range(4)],
                                 ("single_outlet", ["cove:4"]), ("single_outlet", ["bay:3"])],
                " in Brennby")
    write_story(crime, "c1", [("numeric", ["bay:1", "cove:1"]),
                              ("framing", ["bay:2", "cove:2"], "certainty"),
                              ("framing", ["bay:3", "cove:3"], "attribution")], "")
    return politics, crime


def packet_of(runs, tmp_path, kinds, per_kind=5, seed=1, reviewers=2, name="packet"):
    sample = draw_sample(load_runs(runs), kinds, per_kind, seed)
    write_packet(sample, tmp_path / name, reviewers, RULES, {"runs": {}})
    return sample, tmp_path / name


def test_a_sample_takes_up_to_n_of_each_kind_from_each_run_shuffled(runs):
    sample = draw_sample(load_runs(runs), ["contradiction", "numeric", "framing", "agreement"],
                         per_kind=2, seed=7)
    drawn = [(item.key["run"], item.key["kind"]) for item in sample.items]
    assert sorted(drawn) == [("crime", "framing"), ("crime", "framing"), ("crime", "numeric"),
                             ("politics", "agreement"), ("politics", "agreement"),
                             ("politics", "contradiction"), ("politics", "contradiction")]
    # shuffled: not run by run, nor kind by kind, as drawn
    assert [run for run, _ in drawn] != ["politics"] * 4 + ["crime"] * 3
    assert sample.available == (
        ("politics", (("contradiction", 3), ("numeric", 0), ("framing", 0), ("agreement", 5))),
        ("crime", (("contradiction", 0), ("numeric", 1), ("framing", 2), ("agreement", 0))))
    assert [item.number for item in sample.items] == list(range(1, 8))


def test_each_finding_is_drawn_once_whatever_the_kinds_and_runs_given(runs):
    assert parse_kinds("framing, framing,numeric") == ("framing", "numeric")
    sample = draw_sample(load_runs([runs[1], runs[1], runs[1] / "c1" / "findings.json"]),
                         parse_kinds("framing,framing,numeric"), per_kind=10, seed=3)
    assert sorted(item.key["finding_id"] for item in sample.items) == ["F1", "F2", "F3"]
    assert {item.key["run"] for item in sample.items} == {"crime"}
    assert dict(dict(sample.available)["crime-1"]) == {"framing": 0, "numeric": 0}


def test_reviewers_see_the_sentences_and_reason_and_the_key_says_which_finding(runs, tmp_path):
    sample, packet = packet_of(runs, tmp_path, ["numeric", "framing"], reviewers=3)
    shown = [json.loads((packet / r / "items.json").read_text()) for r in ("r1", "r2", "r3")]
    assert shown[0] == shown[1] == shown[2]
    assert not (packet / "r4").exists()
    key = json.loads((packet / "key.json").read_text())
    assert (key["format_version"], key["seed"], key["reviewers"], key["kinds"],
            key["per_kind"]) == ("1.0", 1, 3, ["numeric", "framing"], 5)
    assert key["available"] == {"politics": {"numeric": 0, "framing": 0},
                                "crime": {"numeric": 1, "framing": 2}}
    numeric = next(item for item in shown[0] if item["kind"] == "numeric")
    assert set(numeric) == {"item", "kind", "claims", "tool_reason"}  # no score, id or story
    assert numeric["claims"] == [{"outlet": "bay", "text": "Fourteen workers were hurt."},
                                 {"outlet": "cove", "text": "Forty-one workers were hurt."}]
    entry = next(e for e in key["items"] if e["item"] == numeric["item"])
    assert (entry["run"], entry["story"], entry["finding_id"], entry["aspect"]) == \
        ("crime", "c1", "F1", "")
    assert entry["findings_file"].endswith("crime/c1/findings.json")
    assert [c["article"] for c in entry["claims"]] == ["bay.txt", "cove.txt"]
    assert sorted(e["aspect"] for e in key["items"] if e["kind"] == "framing") == \
        ["attribution", "certainty"]
    assert (packet / "r2" / "rules.md").read_text() == RULES
    assert (packet / "r2" / "INSTRUCTIONS.md").read_text() == INSTRUCTIONS


def test_the_same_seed_draws_the_same_sample_and_earlier_packets_are_left_out(runs, tmp_path):
    def drawn(seed, exclude=frozenset()):
        sample = draw_sample(load_runs(runs), ["contradiction", "agreement"], 2, seed, exclude)
        return [(i.key["story"], i.key["finding_id"]) for i in sample.items]

    assert drawn(3) == drawn(3)
    assert drawn(3) != drawn(4)
    packet_of(runs, tmp_path, ["contradiction", "agreement"], per_kind=2, seed=3, name="first")
    again = drawn(5, reviewed_keys([tmp_path / "first"]))
    assert not set(again) & set(drawn(3))
    # 3 contradictions and 5 agreements, 2 of each reviewed before: 1 and 3 left to draw
    assert len(again) == 3
    assert drawn(5, reviewed_keys([tmp_path / "first" / "key.json"])) == again
    with pytest.raises(InputError, match="no finding of contradiction to draw that an earlier "
                                         "sample does not hold"):
        draw_sample(load_runs(runs), ["contradiction"], 5, 1,
                    reviewed_keys([tmp_path / "first"]) | {
                        finding_key("contradiction", [TEXTS["bay"][0][:-1] + " in Brennby.",
                                                      TEXTS["cove"][0][:-1] + " in Brennby."])})


def test_a_joined_finding_counts_as_reviewed_when_one_of_its_pairs_was(tmp_path):
    write_story(tmp_path / "old", "j1", [("framing", ["bay:3", "cove:3"], "attribution")], "")
    story = write_story(tmp_path / "new", "j1", [("framing", ["bay:3", "cove:3", "cove:2"],
                                                  "attribution")], "")
    story["findings"][0]["details"]["compared"] = [["j1/bay:3", "j1/cove:3"],
                                                   ["j1/bay:3", "j1/cove:2"]]
    (tmp_path / "new" / "j1" / "findings.json").write_text(json.dumps(story))
    packet_of([tmp_path / "old"], tmp_path, ["framing"], name="old-packet")
    with pytest.raises(InputError, match="no finding of framing to draw that an earlier"):
        draw_sample(load_runs([tmp_path / "new"]), ["framing"], 5, 1,
                    reviewed_keys([tmp_path / "old-packet"]))
    # and the other way round: a pair of a joined finding reviewed before is not drawn again
    _, joined = packet_of([tmp_path / "new"], tmp_path, ["framing"], name="joined-packet")
    key = json.loads((joined / "key.json").read_text())
    assert key["items"][0]["compared"] == [
        ["Police said the fire was set.", "The fire was set."],
        ["Police said the fire was set.", "The port may reopen in May."]]
    with pytest.raises(InputError, match="no finding of framing to draw that an earlier"):
        draw_sample(load_runs([tmp_path / "old"]), ["framing"], 5, 1,
                    reviewed_keys([joined]))


def test_a_claim_only_one_outlet_carries_comes_with_its_storys_articles(runs, tmp_path):
    _, packet = packet_of(runs, tmp_path, ["single_outlet"])
    items = json.loads((packet / "r1" / "items.json").read_text())
    by_sentence = {item["claims"][0]["text"]: item["story"] for item in items}
    brennby = by_sentence["A ferry was moved to the north quay in Brennby."]
    assert by_sentence["Police said the fire was set in Brennby."] == brennby
    assert by_sentence["A ferry was moved to the north quay in Akersvik."] != brennby
    assert sorted((packet / "r2" / "stories").iterdir()) == [
        packet / "r2" / "stories" / "S1.md", packet / "r2" / "stories" / "S2.md"]
    story = (packet / "r2" / "stories" / f"{brennby}.md").read_text()
    assert story.startswith(f"# Story {brennby}\n")
    assert "## Outlet: bay\nTitle: Bay on the fire\n\nThe pier burned on Monday in Brennby." \
        in story  # the title once, though it was read as a claim too
    assert story.count("Cove on the fire") == 1
    assert story.index("The pier burned on Monday in ") < \
        story.index("Police said the fire was set in ")


def test_sentences_of_one_paragraph_are_joined_in_their_order(tmp_path):
    story = write_story(tmp_path / "run", "p1", [("single_outlet", ["cove:4"])], "")
    claims = {c["id"]: c for c in story["claims"]}
    # the article's last paragraph holds two sentences, listed in reverse and numbered
    # lower than the paragraphs before it
    claims["p1/cove:3"].update(paragraph=9, sentence=0)
    claims["p1/cove:4"].update(paragraph=9, sentence=1)
    story["claims"] = [c for c in story["claims"] if c["id"] != "p1/cove:3"] + \
        [claims["p1/cove:3"]]
    (tmp_path / "run" / "p1" / "findings.json").write_text(json.dumps(story))
    _, packet = packet_of([tmp_path / "run"], tmp_path, ["single_outlet"])
    text = (packet / "r1" / "stories" / "S1.md").read_text()
    assert text.endswith("The port may reopen in May.\n\nThe fire was set. A ferry was moved "
                         "to the north quay.\n")


def test_a_packet_is_never_written_over_an_earlier_one(runs, tmp_path):
    sample, packet = packet_of(runs, tmp_path, ["agreement"], per_kind=1)
    with pytest.raises(InputError, match="already exists and is not an empty folder"):
        write_packet(sample, packet, 1, RULES, {})


def test_runs_are_named_after_their_folders(runs, tmp_path, monkeypatch):
    twin = tmp_path / "elsewhere" / "politics"
    write_story(twin, "s9", [("agreement", ["bay:2", "cove:2"])], " in Dalby")
    assert [run.label for run in load_runs([runs[0], runs[1], twin])] == \
        ["politics", "crime", "politics-1"]
    monkeypatch.chdir(runs[1])
    assert [run.label for run in load_runs(["."])] == ["crime"]
    assert [run.label for run in load_runs(["c1/findings.json"])] == ["c1"]


def test_bad_runs_kinds_and_rules_are_named(tmp_path, runs):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty: no findings.json"):
        load_runs([tmp_path / "empty"])
    (tmp_path / "bad.json").write_text("{\"story\": 1}")
    with pytest.raises(InputError, match="bad.json: not a findings.json written by crosscheck"):
        load_runs([tmp_path / "bad.json"])
    with pytest.raises(InputError, match="unknown finding kind 'contradictions'"):
        parse_kinds("contradictions")
    with pytest.raises(InputError, match="no finding kind to draw"):
        parse_kinds(" , ")
    with pytest.raises(InputError, match="politics: no finding of numeric to draw$"):
        draw_sample(load_runs([runs[0]]), ["numeric"], 1, 1)


def test_rules_come_from_the_review_rules_heading_of_a_given_file(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Data\n\n| kind | correct |\n\n## Review rules\n- contradiction: …\n")
    warnings = []
    assert rules_text(readme, ["contradiction", "single_outlet"], warnings.append) == \
        "## Review rules\n- contradiction: …\n"
    assert warnings == [f"{readme}: its rules do not name 'single_outlet'; the reviewers of "
                        f"those items have no rule for them"]
    plain = tmp_path / "rules.txt"
    plain.write_text("Judge each pair.\n")
    assert rules_text(plain) == "Judge each pair.\n"
    assert rules_text(None) == RULES
    assert all(kind in RULES for kind in ("contradiction", "numeric", "framing", "agreement",
                                          "single_outlet"))


def judged(packet, reviewer, verdicts):
    (packet / reviewer / "verdicts.json").write_text(json.dumps(
        [{"item": n, "verdict": v, "note": f"{reviewer} — on {n}"}
         for n, v in verdicts.items()], ensure_ascii=False), encoding="utf-8")


def test_the_tally_counts_each_reviewer_and_writes_verdicts_runs_can_read(runs, tmp_path):
    sample, packet = packet_of(runs, tmp_path, ["numeric", "framing"])
    kind_of = {i.number: (i.key["kind"], i.key["aspect"]) for i in sample.items}
    numeric = next(n for n, k in kind_of.items() if k[0] == "numeric")
    certainty = next(n for n, k in kind_of.items() if k[1] == "certainty")
    attribution = next(n for n, k in kind_of.items() if k[1] == "attribution")
    judged(packet, "r1", {numeric: "correct", certainty: "correct", attribution: "wrong"})
    judged(packet, "r2", {numeric: "correct", certainty: "partly", attribution: "wrong"})
    result = tally(*read_packet(packet), time="2026-12-06T18:00:00Z")
    assert result.reviewers == ("r1", "r2")
    assert {g: {r: dict(c) for r, c in by.items()} for g, by in result.counts.items()} == {
        ("crime", "numeric", ""): {"r1": {"correct": 1}, "r2": {"correct": 1}},
        ("crime", "framing", "certainty"): {"r1": {"correct": 1}, "r2": {"partly": 1}},
        ("crime", "framing", "attribution"): {"r1": {"wrong": 1}, "r2": {"wrong": 1}}}
    assert result.same == {("crime", "numeric", ""): 1, ("crime", "framing", "certainty"): 0,
                           ("crime", "framing", "attribution"): 1}
    table = format_tally(result)
    assert "| crime | framing: certainty | 1 | 1/0/0 | 0/1/0 | 0 |" in table
    assert "  framing: r1 1/2, r2 0/2" in table
    assert "same verdict from every reviewer: 2 of 3" in table
    write_verdict_lines(result, tmp_path / "out" / "verdicts.jsonl")
    lines = read_verdicts([tmp_path / "out" / "verdicts.jsonl"], warn=pytest.fail)
    assert sorted(v.verdict for v in lines) == ["correct", "disputed", "wrong"]
    assert sorted(v.verdict for v in reviewed(lines)) == ["correct", "wrong"]
    assert {v.time for v in lines} == {"2026-12-06T18:00:00Z"}
    story = json.loads((runs[1] / "c1" / "findings.json").read_text())
    texts = {c["id"]: c["text"] for c in story["claims"]}
    by_key = latest_by_key(lines)
    assert {f["id"]: by_key[claims_key(f["kind"], f["claim_ids"], texts)].verdict
            for f in story["findings"]
            if claims_key(f["kind"], f["claim_ids"], texts) in by_key} == \
        {"F1": "correct", "F3": "wrong"}
    numeric_line = next(v for v in lines if v.kind == "numeric")
    assert numeric_line.note == f"r1: r1 — on {numeric} | r2: r2 — on {numeric}"


def test_reviewers_are_read_in_number_order_as_many_as_the_key_names(runs, tmp_path):
    _, packet = packet_of(runs, tmp_path, ["numeric"], reviewers=10)
    for n in range(1, 11):
        judged(packet, f"r{n}", {1: "wrong" if n == 10 else "correct"})
    result = tally(*read_packet(packet))
    assert result.reviewers == tuple(f"r{n}" for n in range(1, 11))
    assert dict(result.counts[("crime", "numeric", "")]["r10"]) == {"wrong": 1}
    (packet / "r11").mkdir()
    with pytest.raises(InputError, match="r11: not a reviewer of this sample; key.json names 10"):
        read_packet(packet)


@pytest.mark.parametrize("verdicts, message", [
    (None, "r2/verdicts.json: missing; every reviewer's verdicts are needed"),
    ("[{\"item\": 1, \"verdict\": \"correct\"}]", "r2/verdicts.json: no verdict for item 2 "
                                                  "and 1 more"),
    ("[{\"item\": 1, \"verdict\": \"right\"}]", "r2/verdicts.json: item 1: verdict 'right'; "
                                                "expected one of correct, partly, wrong"),
    ("[{\"item\": 1, \"verdict\": \"correct\"}, {\"item\": 1, \"verdict\": \"wrong\"}]",
     "r2/verdicts.json: item 1 is judged twice"),
    ("[{\"item\": 9, \"verdict\": \"correct\"}]", "r2/verdicts.json: item 9 is not in the sample"),
    ("[{\"item\": true, \"verdict\": \"correct\"}]",
     "r2/verdicts.json: entry 1 is not an object with a whole-number 'item'"),
    ("[\"correct\"]", "r2/verdicts.json: entry 1 is not an object with a whole-number 'item'"),
    ("{\"item\": 1}", "r2/verdicts.json: expected a JSON list of verdicts"),
    ("[{\"item\": 1", "r2/verdicts.json: cannot read verdicts: Expecting"),
])
def test_bad_verdicts_name_the_file_and_the_item(runs, tmp_path, verdicts, message):
    _, packet = packet_of(runs, tmp_path, ["numeric", "framing"])
    judged(packet, "r1", {1: "correct", 2: "correct", 3: "wrong"})
    if verdicts is not None:
        (packet / "r2" / "verdicts.json").write_text(verdicts)
    with pytest.raises(InputError) as error:
        read_packet(packet)
    assert message in str(error.value) and str(error.value).startswith(str(packet))


def test_a_missing_reviewer_is_an_error_and_a_bom_is_no_error(runs, tmp_path):
    _, packet = packet_of(runs, tmp_path, ["numeric"])
    (packet / "r1" / "verdicts.json").write_text(
        "\ufeff[{\"item\": 1, \"verdict\": \"correct\"}]", encoding="utf-8")
    for path in sorted((packet / "r2").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (packet / "r2").rmdir()
    with pytest.raises(InputError, match="r2: missing; key.json names 2 reviewers"):
        read_packet(packet)


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
    key = json.loads((packet / "key.json").read_text())
    assert (key["runs"], key["excluded"], key["rules"]) == (
        {"politics": str(runs[0]), "crime": str(runs[1])}, [], "crosscheck's own")
    judged(packet, "r1", {1: "correct", 2: "wrong"})
    judged(packet, "r2", {1: "correct", 2: "wrong"})
    result = runner.invoke(main, ["review-tally", str(packet), "-o",
                                  str(tmp_path / "new" / "v.jsonl")])
    assert result.exit_code == 0, result.output
    assert "same verdict from every reviewer: 2 of 2" in result.output
    assert len((tmp_path / "new" / "v.jsonl").read_text().splitlines()) == 2
    again = runner.invoke(main, ["review-sample", str(runs[0]), "-o", str(packet)])
    assert again.exit_code == 1
    assert again.output.strip().endswith("packet: already exists and is not an empty folder")
    bad = runner.invoke(main, ["review-sample", str(runs[0]), "-o", str(tmp_path / "x"),
                               "--kinds", "contradictions"])
    assert bad.exit_code == 1
    assert "Error: unknown finding kind 'contradictions'" in bad.output
    assert not (tmp_path / "x").exists()


def test_the_command_line_loads_the_review_module_only_for_a_review_command(runs, tmp_path):
    """Every command starts without crosscheck.review (and the verdicts and files modules it
    reads); review-sample's default kinds, spelled out in its help, are the module's."""
    import subprocess
    import sys

    from crosscheck.review import DEFAULT_KINDS

    loaded = subprocess.run([sys.executable, "-c", "import sys, crosscheck.cli; "
                             "print('crosscheck.review' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
    help_text = " ".join(CliRunner().invoke(main, ["review-sample", "--help"]).output.split())
    assert f"[default: {','.join(DEFAULT_KINDS)}]" in help_text
    result = CliRunner().invoke(main, ["review-sample", str(runs[0]), "-o",
                                       str(tmp_path / "p"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "p" / "key.json").read_text())["kinds"] == list(DEFAULT_KINDS)

