"""eval --format claimdiff: cross-outlet claim pairs as two-article stories, findings counted by
the pair's relation (invented pairs in ClaimDiff's file layout)."""

import json

from crosscheck.config import Settings
from crosscheck.evaluate_claimdiff import (evaluate_claimdiff, format_claimdiff_report,
                                           read_claimdiff)

from conftest import invoke

PASSED = "The council passed the harbour bill on Tuesday after a long debate."
REJECTED = "The council rejected the harbour bill on Tuesday after a long debate."
FERRY = "Ferry crews in the north went on strike for better pay last spring."
GULLS = "Gulls nest on the old pier every summer, a warden told visitors."


def write_claimdiff(folder, pairs):
    """pairs: (id, claim_a, claim_b, strengthens, weakens)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, column in (("ClaimDiff-strength-train.json", 3), ("ClaimDiff-weak-train.json", 4)):
        rows = [{"pair_id": p[0], "topic": "harbour", "claim_a": p[1], "claim_b": p[2],
                 "relation": int(p[column])} for p in pairs]
        (folder / name).write_text(json.dumps({"data": rows}), encoding="utf-8")
    return folder


def test_pairs_are_joined_by_id_and_counted_once_whichever_way_round(tmp_path):
    folder = write_claimdiff(tmp_path / "cd", [
        ("p1", PASSED, REJECTED, True, False), ("p2", REJECTED, PASSED, True, False),
        ("p3", FERRY, GULLS, False, True), ("p4", GULLS, PASSED, False, False)])
    pairs, repeats = read_claimdiff(folder)
    assert [(p.pair_id, p.relation) for p in pairs] == [
        ("p1", "strengthen"), ("p3", "weaken"), ("p4", "neither")]
    assert repeats == 1


def test_a_contradiction_on_a_strengthen_pair_is_a_false_alarm(tmp_path, analyser):
    folder = write_claimdiff(tmp_path / "cd", [
        ("p1", PASSED, REJECTED, True, False), ("p3", FERRY, GULLS, False, False)])
    pairs, _ = read_claimdiff(folder)
    figures = evaluate_claimdiff(pairs, Settings(), analyser=analyser)
    assert figures["by_relation"]["strengthen"]["contradiction"] == 1
    assert figures["by_relation"]["neither"] == {
        "pairs": 1, "contradiction": 0, "numeric": 0, "framing": 0, "agreement": 0}
    assert figures["false_alarms"] == 1 and figures["false_alarm_rate"] == 0.5
    report = format_claimdiff_report(figures)
    assert "false alarms" in report and PASSED in report


def test_eval_claimdiff_names_what_is_wrong_with_the_folder(tmp_path):
    result = invoke("eval", tmp_path, "--format", "claimdiff")
    assert result.exit_code == 1 and "ClaimDiff-strength-*.json" in result.output
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "ClaimDiff-strength-train.json").write_text("{not json", encoding="utf-8")
    (broken / "ClaimDiff-weak-train.json").write_text("[]", encoding="utf-8")
    result = invoke("eval", broken, "--format", "claimdiff")
    assert result.exit_code == 1 and "cannot read as ClaimDiff JSON" in result.output
    result = invoke("tune", broken, "--format", "claimdiff", "-o", tmp_path / "t.toml")
    assert result.exit_code != 0 and "eval" in result.output
