"""Framing: certainty cues, attribution normalisation, loaded wording, and the precision of
framing differences on the project's own fixture of same-fact pairs."""

import csv
from pathlib import Path

import pytest

from crosscheck.align import shape_claims
from crosscheck.claims import make_claim, split_attribution
from crosscheck.config import FramingSettings, Settings
from crosscheck.models import load_parser
from crosscheck.framing import (attribution, compare_framing, find_cues, hedge_kind,
                                may_differ, normalise_source, same_source)
from crosscheck.types import Article

FIXTURE = Path(__file__).parent / "fixtures" / "framing_pairs.tsv"


def claim(text, article_id="a"):
    article = Article(id=article_id, story="s", outlet=article_id, title="", path="x.txt",
                      text=text, paragraphs=((0, len(text)),))
    return make_claim(article, text, 0, 0, 0)


def framing_of(a, b, outlet_a="A", outlet_b="B", wording=True, same_words=False,
               attribution=True):
    """compare_framing as the pipeline calls it: on the two claims' parsed shapes (with the
    loaded-wording aspect on, which the default settings leave off)."""
    shapes = shape_claims([a, b], load_parser(Settings().align.parser_model))
    return compare_framing(a, b, shapes[a.id], shapes[b.id], outlet_a, outlet_b,
                           FramingSettings(wording=wording, attribution=attribution),
                           same_words=same_words)


def test_loaded_wording_is_off_by_default():
    plain = claim("The mayor criticised the harbour plan at the council meeting.", "a")
    loaded = claim("The mayor slammed the harbour plan at the council meeting.", "b")
    assert not FramingSettings().wording
    assert framing_of(plain, loaded, wording=False) is None
    assert framing_of(plain, loaded).aspect == "wording"


def test_attribution_differences_can_be_turned_off_leaving_certainty():
    """``framing.attribution = false`` is for editors who want no attribution notes: the pair
    is neither compared nor scored for them; a hedge still is."""
    attributed = claim("The ministry said the army moved three battalions to the border.", "a")
    bare = claim("The army moved three battalions to the border.", "b")
    hedged = claim("The army reportedly moved three battalions to the border.", "c")
    assert FramingSettings().attribution
    assert framing_of(attributed, bare).aspect == "attribution"
    assert framing_of(attributed, bare, attribution=False) is None
    assert framing_of(hedged, bare, attribution=False).aspect == "certainty"
    assert may_differ(attributed, bare, 1.0, 0.9, FramingSettings())
    assert not may_differ(attributed, bare, 1.0, 0.9, FramingSettings(attribution=False))
    assert may_differ(hedged, bare, 1.0, 0.9, FramingSettings(attribution=False))


def read_pairs():
    with FIXTURE.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")),
                                   delimiter="\t"))


def test_fixture_is_large_and_balanced():
    rows = read_pairs()
    kinds = {r["expected"] for r in rows}
    assert len(rows) >= 40
    assert kinds == {"none", "certainty", "attribution", "wording"}
    assert sum(r["expected"] == "none" for r in rows) >= 12


def framing_figures():
    correct = reported = 0
    wrong = []
    rows = read_pairs()
    for row in rows:
        difference = framing_of(claim(row["text_a"], "a"), claim(row["text_b"], "b"))
        got = difference.aspect if difference else "none"
        if got != "none":
            reported += 1
            correct += got == row["expected"]
        if got != row["expected"]:
            wrong.append((row["id"], row["expected"], got))
    expected = sum(r["expected"] != "none" for r in rows)
    return correct / reported, correct / expected, wrong


def test_framing_precision_on_fixture():
    precision, recall, wrong = framing_figures()
    assert precision >= 0.9, wrong
    assert recall >= 0.7, wrong  # precise, but not by reporting nothing


@pytest.mark.parametrize("sentence, hedges", [
    ("The issues were likely discussed in the latest talks.", ["likely"]),
    ("North Korea may consider military action against the South.", ["may"]),
    ("The company reportedly laid off 400 workers.", ["reportedly"]),
    ("The troops were discussed in the latest talks.", []),
    ("Pyongyang will fully support all actions taken by Russia.", []),
    ("The ministry said the bridge would reopen next week.", []),  # reported future
    ("The company could not be reached for comment on the report.", []),
    ("Smoke could be seen from the harbour road by the time crews arrived.", []),  # perceived
    ("Neighbours could hear the alarm ringing for an hour.", []),
    ("The delay could be seen as a snub to the council.", ["could"]),  # a reading, weighed
    ("The fire could spread to the warehouse overnight.", ["could"]),
    ("The bridge opened to traffic in May last year.", []),  # the month
    ("Reporters asked if the bridge opened on time.", []),
    ("If the river keeps rising, the town would flood.", ["If", "would"]),
])
def test_hedge_cues(sentence, hedges):
    assert [c.text for c in find_cues(sentence) if c.kind == "hedge"] == hedges


def test_certainty_score_and_kinds():
    assert claim("The storm damaged the harbour wall.").certainty == 1.0
    hedged = claim("The storm likely damaged the harbour wall.")
    twice = claim("The storm may have possibly damaged the harbour wall.")
    assert twice.certainty < hedged.certainty < 1.0
    assert [hedge_kind(w) for w in ("likely", "may", "would", "reportedly", "is said to")] == [
        "epistemic", "modal", "conditional", "reported", "reported"]


@pytest.mark.parametrize("a, b, same", [
    ("South Korea's intelligence agency", "the South Korean intelligence agency", True),
    ("South Korea's spy agency", "South Korean intelligence agency", True),
    ("KCNA", "the Korean Central News Agency", True),
    ("Yang Moo-jin, president of the University of North Korean Studies", "Yang Moo-jin", True),
    ("sources familiar with the talks", "people familiar with the matter", True),
    ("Analysts", "some analysts", True),
    ("the U.S. State Department", "the United States State Department", True),
    ("The A.G.", "the attorney general", True),
    ("the N.A.A.C.P.", "the National Association for the Advancement of Colored People", True),
    ("KCNA", "South Korea's intelligence agency", False),
    ("the mayor", "the city engineer", False),
    # a name set off by commas
    ("the statement from Dahl's lawyer, Ana Berg", "Ana Berg of Berg & Holm", True),
    ("Her lawyer, Ana Berg", "Ana Berg", True),
    # ... but not a shared appositive
    ("Per Dahl, a Democrat", "Ida Rask, a Democrat", False),
    ("Sen. Per Dahl, D-Mont.", "Sen. Ida Rask, D-Mont.", False),
])
def test_sources_written_two_ways_match(a, b, same):
    assert same_source(a, b) is same


def test_analysts_interpret_and_sources_familiar_with_are_attributions():
    content, source, _ = split_attribution(
        "Analysts interpret these discussions as extending beyond bilateral matters.")
    assert source == "Analysts" and normalise_source(source) == "analysts"
    assert content.startswith("these discussions")
    content, source, _ = split_attribution(
        "The Morning Post cited sources familiar with the talks as saying that China backs "
        "the plan.")
    assert normalise_source(source) == "anonymous sources"
    assert "Morning Post" in source and content == "China backs the plan."
    _, source, _ = split_attribution("The sides agreed on an exchange, sources familiar "
                                     "with the talks said.")
    assert normalise_source(source) == "anonymous sources"


def test_unattributed_claim_is_marked():
    assert attribution(claim("The army moved three battalions to the border.")) == "unattributed"
    assert attribution(claim("The army moved three battalions to the border, the ministry "
                             "said.")) == "ministry"


def test_hedged_and_attributed_vs_asserted_reports_cues_and_source():
    hedged = claim("“The issues of deploying additional troops to Russia were likely discussed "
                   "in the talks,” Yang Moo-jin, a professor, said.", "a")
    asserted = claim("The deployment of additional troops to Russia was discussed in the talks.",
                     "b")
    difference = framing_of(hedged, asserted, "Herald", "Post")
    assert difference.aspect == "certainty"
    assert "'likely'" in difference.reason and "Yang Moo-jin" in difference.reason
    roles = {(e.claim_id, e.role) for e in difference.evidence}
    assert (hedged.id, "hedge") in roles and (hedged.id, "attribution") in roles


def test_a_source_resolved_from_he_said_is_shown_on_the_pronoun():
    from dataclasses import replace

    # extract_claims gives "…, he said." the speaker named in an earlier sentence
    resolved = replace(claim("The crane was moved before the storm reached the harbour, he "
                             "said.", "a"), source="Harbour master Ola Berg")
    plain = claim("The crane was moved before the storm reached the harbour.", "b")
    difference = framing_of(resolved, plain)
    assert difference.aspect == "attribution"
    (shown,) = [e for e in difference.evidence if e.role == "attribution"]
    assert resolved.text[shown.start - resolved.start:shown.end - resolved.start] == "he"


def test_two_sources_are_two_speakers_not_a_framing_difference():
    a = claim("KCNA said the missile flew 600 kilometres before landing in the sea.", "a")
    b = claim("South Korea's intelligence agency said the missile flew 600 kilometres before "
              "landing in the sea.", "b")
    assert framing_of(a, b) is None


def test_stated_as_fact_only_when_the_other_outlet_really_attributes():
    attributed = claim("The ministry said the army moved three battalions to the border.", "a")
    bare = claim("The army moved three battalions to the border.", "b")
    assert framing_of(attributed, bare).aspect == "attribution"
    # "Let's say ..." and "Asked by X about his ..." are not sources.
    assert framing_of(claim("Let's say the army moved three battalions to the border.", "a"),
                      bare) is None
    # Both attribute, one in words the attribution patterns do not split.
    also = claim("The army moved three battalions to the border, officials told reporters.", "b")
    assert framing_of(attributed, also) is None


@pytest.mark.parametrize("attributed, bare", [
    ("A fire that swept through a Waitrose warehouse is being treated as suspicious, police "
     "said.", "A Waitrose warehouse has been destroyed in a fire."),
    ("Port officials said the pier was badly damaged, and a night watchman was treated at a "
     "hospital.", "Another watchman at the pier was uninjured."),
])
def test_an_attribution_covers_only_the_event_its_source_speaks_of(attributed, bare):
    """The source speaks of one event of the story, the other outlet states another: no
    attribution difference between them, however many words they share."""
    assert framing_of(claim(attributed, "a"), claim(bare, "b")) is None


@pytest.mark.parametrize("attributed, bare", [
    # the police speak of the charge; the shooting both state is background in theirs
    ("A deckhand who set fire to the ferry office, burning one clerk, has been charged with "
     "arson, police said Sunday.",
     "A deckhand set fire to the ferry office on Friday, burning one clerk."),
    # the charge, with the act named after it, against the act
    ("Sheriff Ann Lund said Per Moe was charged with killing the 35-year-old watchman on June "
     "24 outside the ferry office.",
     "The 35-year-old watchman was killed on June 24 while checking the ferry office."),
    # the source's own account of what he saw or wants, relayed by both outlets
    ("Ferry captain Ola Berg said he saw smoke rising from the warehouse roof at about 9 p.m.",
     "He saw smoke rising from the warehouse roof."),
    ("Port police said they wanted to thank residents for their patience during the "
     "evacuation.", "Port police have thanked residents for their patience during the "
                    "evacuation."),
    ("The harbour authorities also did not know whether the crane had been moved, Chief Ola "
     "Berg said.", "Harbour authorities also did not know whether the crane had been moved."),
    # the source's own act of speech
    ("Harbour chief Ann Lund said her deputy Per Moe will run the port for the rest of the "
     "year.", "Harbour chief Ann Lund named her deputy Per Moe to run the port for the rest of "
              "the year."),
])
def test_an_attribution_of_another_statement_or_of_a_persons_own_account_is_no_difference(
        attributed, bare):
    assert framing_of(claim(attributed, "a"), claim(bare, "b")) is None


def test_a_charge_stated_plainly_against_a_hedged_act_is_no_difference():
    hedged = claim("Police said Per Moe shot the watchman and also may have intended to shoot "
                   "the harbour master.", "a")
    charged = claim("Per Moe is charged with the murder of the watchman and with intent to "
                    "shoot the harbour master.", "b")
    assert framing_of(hedged, charged) is None  # the charge, not the intent
    plain = claim("Per Moe shot the watchman and intended to shoot the harbour master.", "b")
    assert framing_of(hedged, plain).aspect == "certainty"


def test_an_indictment_attributed_against_one_stated_plainly_is_a_difference():
    attributed = claim("Sheriff Ann Lund said Per Moe was indicted for killing the watchman on "
                       "June 24 outside the ferry office.", "a")
    plain = claim("Per Moe was indicted on June 25 for the killing of the watchman outside the "
                  "ferry office.", "b")
    assert framing_of(attributed, plain).aspect == "attribution"
    killed = claim("The watchman was killed on June 24 while checking the ferry office.", "b")
    assert framing_of(attributed, killed) is None  # the indictment, not the killing


def test_a_statement_in_the_first_person_is_not_the_outlets_own_voice():
    hedged = claim("The harbour master Ann Lund is expected to lead the new ferry inquiry.", "a")
    statement = claim("After a long search, we are thrilled to announce that the harbour master "
                      "Ann Lund will lead the new ferry inquiry.", "b")
    assert framing_of(hedged, statement) is None  # the board's words, not the outlet's
    plain = claim("The harbour master Ann Lund will lead the new ferry inquiry.", "b")
    assert framing_of(hedged, plain).aspect == "certainty"
    # "I" that is no speaker, and a first person inside quotation marks, leave the voice alone
    war = claim("Since World War I was over, the harbour master Ann Lund will lead the new "
                "ferry inquiry.", "b")
    assert framing_of(hedged, war).aspect == "certainty"
    quoted = claim("The harbour master Ann Lund will lead the new ferry inquiry, which “we are "
                   "ready for”.", "b")
    assert framing_of(hedged, quoted).aspect == "certainty"


def test_a_persons_own_knowledge_told_by_name_is_no_difference():
    attributed = claim("Harbour master Ola Berg said he did not know why the crane was moved.",
                       "a")
    assert framing_of(attributed, claim("Berg did not know why the crane was moved.", "b")) \
        is None
    # another verb after the name is the source's statement of a fact, told plainly
    moved = claim("Harbour master Ola Berg said he moved the crane before the storm.", "a")
    plain = claim("Berg moved the crane before the storm.", "b")
    assert framing_of(moved, plain).aspect == "attribution"


def test_a_deed_the_source_claims_for_itself_stays_the_sources_claim():
    claimed = claim("The coast guard said it rescued nine fishermen off the point on Monday.", "a")
    stated = claim("The coast guard rescued nine fishermen off the point on Monday.", "b")
    assert framing_of(claimed, stated).aspect == "attribution"


def test_allegedly_on_who_did_it_does_not_hedge_what_happened():
    asserted = claim("One man is dead after being shot by a gunman at the bus depot on Friday.",
                     "a")
    who = claim("A former driver walked into the bus depot on Friday and allegedly shot a man "
                "dead.", "b")
    assert framing_of(asserted, who) is None
    same_doer = claim("A former driver walked into the bus depot on Friday and shot a man "
                      "dead.", "a")
    assert framing_of(same_doer, who).aspect == "certainty"
    named = claim("Allegedly, Ross was paid $3 million to direct the film.", "b")
    paid = claim("He was paid $3 million to direct the film.", "a")
    assert framing_of(paid, named).aspect == "certainty"


def test_a_pronoun_after_the_source_may_be_someone_else():
    attributed = claim("Police said she was struck by a grey van on Dock Street.", "a")
    bare = claim("She was struck by a grey van on Dock Street.", "b")
    assert framing_of(attributed, bare).aspect == "attribution"


def test_the_same_statement_without_a_suspecting_source_is_stated_as_fact():
    attributed = claim("The warehouse on Pier 4 burned down on Friday night, the fire chief "
                       "said.", "a")
    plain = claim("The warehouse on Pier 4 burned down on Friday night.", "b")
    assert framing_of(attributed, plain).aspect == "attribution"


@pytest.mark.parametrize("credit", ["Reuters reported", "the station reported",
                                    "the Harbour Times reports", "dpa reported"])
def test_a_news_organisation_credited_with_a_report_is_no_difference_of_voice(credit):
    bare = claim("The harbour board fired its director on Monday.", "b")
    credited = claim(f"The harbour board fired its director on Monday, {credit}.", "a")
    assert framing_of(credited, bare) is None
    state = claim("The harbour board fired its director on Monday, the state news agency "
                  "reported.", "a")
    assert framing_of(state, bare).aspect == "attribution"


@pytest.mark.parametrize("attributed, bare", [
    ("Chief Olsen said investigators are looking at the blaze as possible arson.",
     "The blaze is being investigated as arson."),
    ("Port officials said the harbour master had re-hired his former deputy.",
     "The harbour master has rehired his former deputy."),
])
def test_an_attribution_and_a_plain_statement_of_one_event_in_other_word_forms(attributed,
                                                                              bare):
    difference = framing_of(claim(attributed, "a"), claim(bare, "b"))
    assert difference is not None and difference.aspect == "attribution"


def test_a_columnists_prediction_is_opinion():
    for text in ("Here's a prediction: by the end of the season, the club will have offered him "
                 "the largest contract in its history.",
                 "Here is a prediction: the council will approve the budget by June."):
        assert claim(text).is_opinion, text


def test_opinion_is_not_compared_and_attributed_views_are_not_opinion():
    opinion = claim("The meeting therefore cannot be viewed merely as a ceremonial gesture.")
    assert opinion.is_opinion
    fact = claim("The meeting was likely a ceremonial gesture.", "b")
    assert framing_of(opinion, fact) is None
    quoted = claim("“Congress should act now,” the senator said.")
    assert not quoted.is_opinion


@pytest.mark.parametrize("asserted, elsewhere, hedged", [
    ("The council closed the harbour to shipping on Sunday.",
     ("Even if it may reopen soon, the council closed the harbour to shipping on Sunday.",
      "The council closed the harbour to shipping on Sunday, asserting it could reopen soon."),
     "The council likely closed the harbour to shipping on Sunday."),
    # a hedge on one phrase: why he went, or what he had in mind
    ("The skipper entered the harbour clinic on Friday.",
     ("The skipper entered the harbour clinic on Friday, reportedly of his own will.",
      "Probably mindful of the storm, the skipper entered the harbour clinic on Friday."),
     "The skipper reportedly entered the harbour clinic on Friday."),
    # the hedged verb is also stated plainly: the fact itself stays asserted
    ("The skipper admitted that he had misjudged the tide at the harbour mouth.",
     ("The skipper admitted that he had misjudged the tide at the harbour mouth and might have "
      "misjudged it before.",),
     "The skipper admitted that he might have misjudged the tide at the harbour mouth."),
    # a hedge inside what a rule covers, or why: the rule's words, not the outlet's doubt
    ("The new rules bar the port from closing the quay when storms threaten the harbour.",
     ("The new rules bar the port from closing the quay because storms might threaten the "
      "harbour.",
      "The new rules allow the port to keep the quay open when storms might threaten the "
      "harbour."),
     "The new rules likely bar the port from closing the quay when storms threaten the "
     "harbour."),
])
def test_a_hedge_in_another_clause_or_on_one_phrase_does_not_hedge_the_fact(asserted, elsewhere,
                                                                            hedged):
    for text in elsewhere:
        assert framing_of(claim(asserted, "a"), claim(text, "b")) is None, text
    assert framing_of(claim(asserted, "a"), claim(hedged, "b")).aspect == "certainty"


def test_a_hedge_on_a_superlative_weighs_a_ranking_not_the_fact():
    asserted = claim("The clock tower collapsed in the fire.", "a")
    ranked = claim("Perhaps the most striking sight of the fire was the clock tower that "
                   "collapsed.", "b")
    assert not [c for c in ranked.cues if c.kind == "hedge"]
    assert framing_of(asserted, ranked) is None
    hedged = claim("The clock tower perhaps collapsed in the fire.", "b")
    assert framing_of(asserted, hedged).aspect == "certainty"


def test_loaded_words_inside_a_quote_belong_to_the_speaker():
    plain = claim("The mayor criticised the harbour plan at the council meeting.", "a")
    quoted = claim("The mayor called the harbour plan “a phony scheme” at the council meeting.",
                   "b")
    assert framing_of(plain, quoted) is None
    loaded = claim("The mayor slammed the harbour plan at the council meeting.", "b")
    difference = framing_of(plain, loaded)
    assert difference.aspect == "wording" and "'slammed'" in difference.reason


def test_a_loaded_verb_counts_only_where_the_other_outlet_tells_what_it_does():
    plain = claim("The council passed the harbour budget at its meeting on Monday.", "a")
    extra = claim("The council, which gutted the ferry fund last year, passed the harbour "
                  "budget at its meeting on Monday.", "b")
    assert framing_of(plain, extra) is None  # the ferry fund is a detail only one outlet tells
    told = claim("The council cut the ferry fund at its meeting on Monday.", "a")
    loaded = claim("The council gutted the ferry fund at its meeting on Monday.", "b")
    difference = framing_of(told, loaded)
    assert difference.aspect == "wording" and "'gutted'" in difference.reason


@pytest.mark.parametrize("sentence, loaded", [
    ("The senator threatened Monday to block the harbour bill.", True),
    ("Two officials had threatened in May to withhold the harbour grant.", True),
    ("Pirates threatened a merchant vessel near the harbour.", False),
    ("The harbour seal is a threatened species.", False),
])
def test_threatened_is_loaded_only_as_a_threat_to_act(sentence, loaded):
    assert any(c.kind == "loaded" for c in find_cues(sentence)) is loaded


def test_loaded_words_are_reported():
    loaded = [c.text for c in find_cues("The senator slammed the so-called reform as a "
                                        "phony scheme.") if c.kind == "loaded"]
    assert loaded == ["slammed", "so-called", "phony", "scheme"]
    assert not [c for c in find_cues("The senator criticised the reform bill on Monday.")
                if c.kind == "loaded"]


# --- crosscheck eval --format basil, on an invented folder in BASIL's layout ---------------

def write_basil(root, triplet="t1"):
    import json

    sentences = [["The senator slammed the proposal on Monday.", "It passes next week."],
                 ["  The vote  was close, with 51 senators in favour.",
                  "Critics called it a phony fix for the budget."]]
    for n, outlet in ((1, "nyt"), (2, "fox")):
        extra = [["The second outlet adds a line about the weather in the capital."]] * (n - 1)
        article = {"title": "Vote", "source": outlet, "triplet-uuid": triplet,
                   "date": "2012-01-02", "body-paragraphs": sentences + extra}
        annotations = {"phrase-level-annotations": [
            {"bias": "lex", "start": 12, "end": 19, "txt": "slammed"},
            {"bias": "lex", "start": 18, "end": 23, "txt": "phony"},
            {"bias": "inf", "start": 2, "end": 14, "txt": "The vote  wa"},
        ]}
        for folder, name, data in (("articles", f"{triplet}_{n}.json", article),
                                   ("annotations", f"{triplet}_{n}_ann.json", annotations)):
            path = root / folder / "2012" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data), encoding="utf-8")
    return root


def test_basil_spans_map_onto_pipeline_sentences(tmp_path):
    from crosscheck.config import Settings
    from crosscheck.evaluate_basil import evaluate_basil, format_basil_report

    root = write_basil(tmp_path / "basil")
    figures = evaluate_basil(root, Settings(), with_models=False)
    assert figures["spans"] == {"total": 6, "mapped": 6, "unmapped_examples": []}
    assert figures["sentences"] == 9
    dev = figures["splits"]["dev 2012"]
    assert dev["lex"]["positive_sentences"] == 4 and dev["inf"]["positive_sentences"] == 2
    assert dev["lex"]["loaded"]["precision"] == 1.0 and dev["lex"]["loaded"]["recall"] == 1.0
    assert dev["lex"]["every"]["precision"] == round(4 / 9, 3)
    # one year folder works too
    year = evaluate_basil(root / "articles" / "2012", Settings(), with_models=False)
    assert year["sentences"] == 9
    assert "lexical bias" in format_basil_report(figures)


def test_eval_of_a_folder_needs_format_basil(tmp_path):
    from click.testing import CliRunner

    from crosscheck.cli import main

    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1 and "--format basil" in result.output
    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--format", "basil"])
    assert result.exit_code == 1 and "not a BASIL folder" in result.output


_REOPENS = "The ministry said the harbour will reopen to all ships on Monday."


@pytest.mark.parametrize("attributed, text", [
    (_REOPENS, "The harbour will reopen to all ships on Monday, the Port Gazette is reporting."),
    (_REOPENS, "Under the new ministry rules, the harbour will reopen to all ships on Monday."),
    ("The ferry had failed two safety inspections, the harbour master said.",
     "Port records show the ferry had failed two safety inspections."),
    ("The warehouse on Pier 4 burned down on Friday night, the fire chief said.",
     "The warehouse on Pier 4 burned down on Friday night, and investigators suspect arson."),
])
def test_attributed_in_words_the_source_patterns_do_not_split_is_not_unattributed(attributed,
                                                                                  text):
    assert framing_of(claim(attributed, "a"), claim(text, "b")) is None, text


def test_a_firmer_wording_inside_a_quotation_is_not_the_outlets_assertion():
    hedged = claim("The harbour is expected to reopen to all ships on Monday, two officials "
                   "said.", "a")
    quoted = claim("The Port Gazette reported the harbour “will reopen to all ships on Monday "
                   "after the repairs,” citing a port official.", "b")
    assert framing_of(hedged, quoted) is None


def test_an_estimate_a_tweet_or_testimony_is_not_stated_as_fact():
    attributed = claim("Damage to the harbour church was estimated at $2 million, officials "
                       "said Sunday.", "a")
    for text in ("Officials estimate the damage to the harbour church at $2 million.",
                 "The harbour master tweeted that the church suffered $2 million in damage.",
                 "The church suffered $2 million in damage, the harbour master testified."):
        assert framing_of(attributed, claim(text, "b")) is None, text


def test_the_end_of_a_quotation_names_its_speaker_not_the_last_phrase():
    content, source, _ = split_attribution(
        "The skiffs turned back and tried to flee the area,” Captain Ana Berg, chief "
        "spokesperson, Navy, said.")
    assert content == "The skiffs turned back and tried to flee the area"
    assert source == "Captain Ana Berg, chief spokesperson, Navy"
    # an apostrophe is no closing quotation mark
    assert split_attribution("The pier was closed, the dockers' union said.")[1] == (
        "the dockers' union")
    # a quoted phrase inside the sentence is no quotation ending there
    assert split_attribution(
        "Berg, who was listed as a member of its “professional staff,” had been dismissed last "
        "week, the police said.")[1] == "the police"


def test_a_question_is_not_stated_as_fact():
    attributed = claim("The harbour radio reported that the port made the skipper an offer.", "a")
    assert framing_of(attributed, claim("Port makes offer to skipper (eight years?)", "b")) is None
    hedged = claim("The port reportedly made the skipper an offer.", "a")
    assert framing_of(hedged, claim("Did the port make the skipper an offer?", "b")) is None


@pytest.mark.parametrize("sentence", [
    "The skipper rammed the pier on Friday night, police said.",
    # a lead-in clause, then a source in lower case
    "At midnight (after the tide), the police said that the skipper rammed the pier on Friday "
    "night.",
    # the source between commas inside the sentence
    "The skipper, police said, rammed the pier on Friday night.",
])
def test_allegedly_against_a_named_source_is_no_difference_of_voice(sentence):
    named = claim(sentence, "a")
    assert named.source in ("police", "the police")
    alleged = claim("The skipper allegedly rammed the pier on Friday night.", "b")
    assert framing_of(named, alleged) is None  # both keep it at a distance
    plain = claim("The skipper rammed the pier on Friday night.", "a")
    assert framing_of(plain, alleged).aspect == "certainty"
    likely = claim("The skipper likely rammed the pier on Friday night.", "b")
    assert framing_of(named, likely).aspect == "certainty"  # a doubt of the outlet's own


@pytest.mark.parametrize("named", [
    "The skipper who, according to police, rammed the pier on Friday night was arrested.",
    # a dash run into the words, as some wire copy prints it
    "The skipper who-according to police-rammed the pier on Friday night was arrested.",
])
def test_allegedly_against_a_source_named_inside_the_sentence_is_no_difference_of_voice(named):
    # the claims stage splits no source off these sentences: the reporting words still count
    assert not claim(named).source
    alleged = claim("The skipper allegedly rammed the pier on Friday night.", "b")
    assert framing_of(claim(named), alleged) is None
    # a verb of writing tells what the person did, not who says so
    wrote = claim("Posting on Friday, the skipper wrote: “I rammed the pier and I am sorry.”")
    posted = claim("The skipper reportedly posted: “I rammed the pier and I am sorry.”", "b")
    assert framing_of(wrote, posted).aspect == "certainty"


def test_a_possibility_against_someones_stated_intention_is_two_facts():
    hedged = claim("There is still a chance that the ferry ban could be quickly lifted.", "a")
    intention = claim("Mayor Ines Dahl said she would lift the ferry ban next week.", "b")
    assert framing_of(hedged, intention) is None  # what may happen, what she means to do
    # the same possibility against the ban lifted, told as done, is a framing difference
    done = claim("Mayor Ines Dahl said she lifted the ferry ban on Monday.", "b")
    assert framing_of(hedged, done).aspect == "certainty"
