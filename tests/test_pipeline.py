"""The whole pipeline on invented stories, with fake models (fast)."""

import json

import pytest

from crosscheck.analysis import Analyser
from crosscheck.config import Settings
from crosscheck.pipeline import run
from crosscheck.types import FINDING_KINDS

from conftest import DAM_STORY, write_story


def claim_texts(story, finding):
    return [story.claim(cid).text for cid in finding.claim_ids]


def test_dam_story_findings(dam_story, analyser):
    result = run(Settings(), [dam_story], analyser=analyser)
    (story,) = result.stories
    assert story.story == "dam-failure"
    assert len(story.articles) == 3
    assert {r.status for r in story.inputs} == {"used"}
    by_kind = {kind: [f for f in story.findings if f.kind == kind] for kind in FINDING_KINDS}

    # 3,000 vs 8,000 residents evacuated, between valley-times and each other outlet: one
    # finding that sets the odd figure against the two alike, not one per pair of outlets.
    (numeric,) = by_kind["numeric"]
    texts = claim_texts(story, numeric)
    assert ["8,000" in t for t in texts] == [True, False, False]
    assert all("3,000" in t for t in texts[1:])
    assert [x["text"] for x in numeric.details["figures"]] == ["About 8,000", "About 3,000",
                                                              "About 3,000"]
    assert numeric.details["pairs"] == 2 and len(numeric.details["compared"]) == 2
    assert numeric.reason.startswith("Same fact, different figures across 3 outlets: ")
    assert {e.role for e in numeric.evidence} == {"number"} and len(numeric.evidence) == 3

    # "had been inspected" vs "had not been inspected": the fake NLI sees the negation.
    contradictions = by_kind["contradiction"]
    assert any("not been inspected" in " ".join(claim_texts(story, f)) for f in contradictions)

    # "Engineers confirmed that ... caused" in two outlets vs "may have caused ..., engineers
    # said" in the third: one finding that names both sides, not one per pair of outlets.
    framing = [f for f in by_kind["framing"] if f.details["aspect"] == "certainty"]
    assert len(framing) == 1, [f.reason for f in by_kind["framing"]]
    (hedged,) = framing[0].details["marked"]
    assert "may" in hedged["note"] and "may have caused" in story.claim(hedged["claim_id"]).text
    assert len(framing[0].details["plain"]) == 2 and len(framing[0].claim_ids) == 3
    assert framing[0].claim_ids[0] == hedged["claim_id"]  # the odd one out first
    assert framing[0].reason.endswith("without a hedge; valley-times ('may', attributing it to "
                                      "engineers) hedges it.")
    assert " by 3 outlets:" in framing[0].reason

    # Railway, schools and the rescue are each carried by one outlet only.
    single = {story.claim(f.claim_ids[0]).text for f in by_kind["single_outlet"]}
    assert any("railway" in text for text in single)
    assert any("Schools" in text for text in single)

    # The opening sentence is shared by all three outlets.
    agreements = by_kind["agreement"]
    assert any(len(f.details["outlets"]) == 3 for f in agreements)

    # Findings are ranked: severity first.
    order = {"high": 0, "medium": 1, "low": 2}
    severities = [order[f.severity] for f in story.findings]
    assert severities == sorted(severities)


def test_every_input_is_accounted_for(tmp_path, analyser):
    folder = write_story(tmp_path / "mixed", DAM_STORY)
    (folder / "empty.txt").write_text("")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0binary")
    result = run(Settings(), [folder], analyser=analyser)
    statuses = {r.path.split("/")[-1]: (r.status, r.reason) for r in result.inputs}
    assert statuses["empty.txt"] == ("skipped", "empty file")
    assert statuses["photo.jpg"][0] == "skipped"
    assert "unsupported" in statuses["photo.jpg"][1]
    assert sum(s == "used" for s, _ in statuses.values()) == 3


def test_models_load_once_for_many_stories(tmp_path, fake_embedder, fake_nli):
    folders = [write_story(tmp_path / f"story-{i}",
                           {name: text + f"Officials counted {i + 2} boats on the river.\n"
                            for name, text in DAM_STORY.items()})
               for i in range(3)]
    settings = Settings().replace(judge={"score_all_pairs": True})
    analyser = Analyser(settings, embedder=fake_embedder, nli=fake_nli)
    result = run(settings, folders, analyser=analyser)
    assert len(result.stories) == 3
    # One NLI call per story with pairs (both directions at once): the model object was shared.
    assert fake_nli.calls == 3


def test_claim_limit_is_reported(dam_story, fake_embedder, fake_nli):
    from crosscheck.analysis import Analyser

    settings = Settings().replace(claims={"max_claims_per_story": 4})
    messages = []
    result = run(settings, [dam_story], messages.append,
                 Analyser(settings, embedder=fake_embedder, nli=fake_nli))
    assert len(result.stories[0].claims) == 4
    assert any("keeping the first 4" in m for m in messages)
    assert any("not analysed" in r.reason for r in result.stories[0].inputs)


def test_run_result_is_plain_data(dam_story, analyser):
    result = run(Settings(), [dam_story], analyser=analyser)
    json.dumps(result.settings)
    assert result.models[1].name == "fake-nli"


def test_a_different_day_is_a_contradiction_only_for_the_same_event(tmp_path, fake_embedder,
                                                                     fake_nli):
    from crosscheck.analysis import Analyser

    story = write_story(tmp_path / "summit", {
        "alpha.txt": ("Summit talks\nThe leaders met in Geneva in March 2019 to discuss trade.\n"
                      "The ferry company suspended all crossings on Monday after the storm.\n"
                      "Officials from both sides described the mood as tense but polite.\n"),
        "beta.txt": ("Geneva summit\nThe leaders first discussed trade at a dinner in June 2017.\n"
                     "The ferry company suspended all crossings on Wednesday after the storm.\n"
                     "Reporters waited outside the hotel for most of the afternoon.\n")})
    # Pair everything: only the align stage separates one event from two.
    settings = Settings().replace(pairs={"similarity_threshold": -1.0})
    result = run(settings, [story], analyser=Analyser(settings, fake_embedder, fake_nli))
    found = [f for f in result.stories[0].findings if f.kind in ("contradiction", "numeric")]
    assert [(f.kind, f.details["mismatches"][0]["kind"]) for f in found] == [
        ("contradiction", "time")]
    assert "“Monday”" in found[0].reason and "“Wednesday”" in found[0].reason


def test_a_detail_told_two_ways_in_unlike_sentences_is_found(tmp_path, fake_embedder, fake_nli):
    """Who moderated and how many pages were released sit in sentences no embedding pairs;
    the story-wide slots find them, and the report says which detail differs."""
    from crosscheck.analysis import Analyser

    story = write_story(tmp_path / "debate", {
        "alpha.txt": ("Debate night\nLena Marsh of Channel 4 was the moderator, and she kept "
                      "both candidates to their time.\nThe council released 300 pages of emails "
                      "on Monday.\nAbout two hundred people watched from the town hall.\n"),
        "beta.txt": ("Harbour debate\nWith the moderator, Harbour Radio's Tomas Berg, opening "
                     "on the port strike, the mayor attacked the council.\nThe 120 pages of "
                     "e-mails showed a dispute over the budget.\n")})
    settings = Settings().replace(pairs={"top_k": 1, "lexical_top_k": 0})
    result = run(settings, [story], analyser=Analyser(settings, fake_embedder, fake_nli))
    found = {f.kind: f for f in result.stories[0].findings if f.kind in ("contradiction",
                                                                        "numeric")}
    assert set(found) == {"contradiction", "numeric"}
    assert "who is the “moderator”" in found["contradiction"].reason
    assert "“Marsh”" in found["contradiction"].reason and "“Berg”" in found["contradiction"].reason
    assert {found["numeric"].details["value_a"], found["numeric"].details["value_b"]} == {300, 120}
    # Switched off, neither is found.
    off = settings.replace(align={"slots": False})
    result = run(off, [story], analyser=Analyser(off, fake_embedder, fake_nli))
    assert not [f for f in result.stories[0].findings if f.kind in ("contradiction", "numeric")]


def test_clusters_need_shared_wording_beyond_names(tmp_path, fake_embedder, fake_nli):
    from crosscheck.analysis import Analyser

    story = write_story(tmp_path / "visit", {
        "alpha.txt": ("Visit\nOrlov and Kessler signed a fishing agreement in Varna on Monday.\n"
                      "Orlov and Kessler praised their personal friendship at a long dinner.\n"
                      "The agreement covers quotas for cod and herring in the northern sea.\n"),
        "beta.txt": ("Talks\nOrlov and Kessler signed a fishing agreement in Varna on Monday.\n"
                     "Reporters saw Orlov and Kessler leave the palace by a side door.\n"
                     "Fishermen in the port protested against the new quotas for cod.\n")})
    # Pair and cluster everything by similarity; only the shared-wording test separates facts.
    settings = Settings().replace(pairs={"similarity_threshold": -1.0, "cluster_threshold": -1.0})
    result = run(settings, [story], analyser=Analyser(settings, fake_embedder, fake_nli))
    story_result = result.stories[0]
    texts = [sorted(story_result.claim(c).text for c in cluster)
             for cluster in story_result.clusters]
    signed = "Orlov and Kessler signed a fishing agreement in Varna on Monday."
    assert [signed, signed] in texts
    for cluster in texts:
        names_only = {"Orlov and Kessler praised their personal friendship at a long dinner.",
                      "Reporters saw Orlov and Kessler leave the palace by a side door."}
        assert not names_only <= set(cluster)


# Two outlets print a spokesman's statement word for word with no attribution; a third
# credits it to him. The finding says the words are the same, as an editor checking for
# copied statements would want to know.
SEIZURE_STORY = {
    "harbour-news.txt": (
        "Navy seizes pirate weapons\n"
        "The navy intercepted three pirate boats in the gulf on Friday.\n"
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized, the navy spokesman said.\n"),
    "coast-daily.txt": (
        "Pirate boats intercepted\n"
        "The navy intercepted three pirate boats in the gulf on Friday.\n"
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized.\n"),
    "sea-wire.txt": (
        "Three pirate boats stopped\n"
        "Three pirate boats were intercepted by the navy in the gulf on Friday morning.\n"
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized.\n"),
}


def _attribution_findings(folder, analyser):
    (story,) = run(Settings(), [folder], analyser=analyser).stories
    return [f for f in story.findings
            if f.kind == "framing" and f.details["aspect"] == "attribution"]


def test_a_statement_printed_word_for_word_unattributed_is_named_as_such(tmp_path, analyser):
    (finding,) = _attribution_findings(write_story(tmp_path / "seizure", SEIZURE_STORY),
                                       analyser)
    assert finding.reason == (
        "Same fact, framed differently (attribution) by 3 outlets: coast-daily and sea-wire "
        "print the same words as fact, unattributed; harbour-news (to the navy spokesman) "
        "attributes them.")
    assert finding.details["same_words"] is True
    # one pair: the pair's own reason says so too
    two = {k: v for k, v in SEIZURE_STORY.items() if k != "sea-wire.txt"}
    (pair,) = _attribution_findings(write_story(tmp_path / "seizure-two", two), analyser)
    assert pair.reason == (
        "Same fact, framed differently (attribution): coast-daily prints the same words as "
        "fact, unattributed; harbour-news attributes them to the navy spokesman.")
    assert pair.details["same_words"] is True


def test_a_statement_told_in_other_words_unattributed_is_stated_as_fact(tmp_path, analyser):
    other_words = dict(SEIZURE_STORY)
    del other_words["sea-wire.txt"]
    other_words["coast-daily.txt"] = other_words["coast-daily.txt"].replace(
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized.", "Six rifles and about 300 rounds of ammunition were found and seized "
        "during the search of the boats.")
    (pair,) = _attribution_findings(write_story(tmp_path / "seizure", other_words), analyser)
    assert pair.reason == (
        "Same fact, framed differently (attribution): coast-daily states this as fact, "
        "unattributed; harbour-news attributes it to the navy spokesman.")
    assert pair.details["same_words"] is False


def test_a_quotation_printed_elsewhere_without_quotation_marks_is_no_attribution_finding(
        tmp_path, analyser):
    """Mostly a statement or post the other outlet reproduces as a block, not its own voice."""
    quoted = dict(SEIZURE_STORY)
    quoted["harbour-news.txt"] = quoted["harbour-news.txt"].replace(
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized, the navy spokesman said.", "\u201cThe boats were stopped after a short chase. "
        "During the search, six rifles and about 300 rounds of ammunition were found and "
        "seized,\u201d the navy spokesman said.")
    assert _attribution_findings(write_story(tmp_path / "seizure", quoted), analyser) == []


@pytest.mark.parametrize("slots", [True, False])
def test_a_lead_with_nothing_to_look_for_says_so_with_or_without_slots(dam_story, fake_embedder,
                                                                     fake_nli, slots):
    """Whether a single-outlet claim gives anything to look for reads its parse: every lead is
    parsed, also when align.slots is off and only paired claims would be."""
    from dataclasses import replace

    base = Settings()
    settings = replace(base, align=replace(base.align, slots=slots))
    result = run(settings, [dam_story], analyser=Analyser(settings, embedder=fake_embedder,
                                                          nli=fake_nli))
    (story,) = result.stories
    leads = {story.claim(f.claim_ids[0]).text: f for f in story.findings
             if f.kind == "single_outlet"}
    railway = next(f for text, f in leads.items() if "railway" in text)
    schools = next(f for text, f in leads.items() if "Schools" in text)
    assert railway.details["checkable"] is False
    assert railway.reason.endswith("to look for in the other articles.")
    assert schools.details["checkable"] is True  # "three nearby towns": a figure
