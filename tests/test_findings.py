"""Framing findings across many outlets: one finding per fact and aspect, not one per pair."""

from dataclasses import replace
from itertools import combinations

import pytest

from crosscheck.findings import group_conflicts, group_framing
from crosscheck.types import Article, Claim, Evidence, Finding, Quantity

# An invented story told by five outlets: two credit the coastguard with the rescue, three
# state it as fact; one of the three also hedges when the boat sank.
SENTENCES = {
    "ledger": ("The coastguard said it rescued 14 fishermen from the sinking trawler.",
               "the coastguard"),
    "courier": ("Fourteen fishermen were rescued from the sinking trawler, the coastguard said.",
                "the coastguard"),
    "gazette": ("The coastguard rescued 14 fishermen from the sinking trawler.", ""),
    "herald": ("Fourteen fishermen were rescued from a sinking trawler.", ""),
    "tribune": ("The coastguard rescued 14 fishermen from the trawler as it sank.", ""),
}


def _story():
    articles, claims = [], {}
    for n, (outlet, (text, source)) in enumerate(SENTENCES.items()):
        articles.append(Article(f"s/{n}", "s", outlet, outlet, f"{outlet}.txt", text,
                                ((0, len(text)),)))
        claims[outlet] = Claim(f"s/{n}:s0", f"s/{n}", text, 0, len(text), 0, 0, text,
                               source=source)
    return articles, claims


def _grouped(findings, claims, articles, one_fact=None):
    """group_framing where every two claims of the story tell one fact, unless ``one_fact``
    says which pairs do."""
    if one_fact is None:
        one_fact = {frozenset((a.id, b.id)) for a, b in combinations(claims, 2)}
    return group_framing(findings, claims, articles, one_fact)


def _attribution(attributed: Claim, bare: Claim, score: float = 0.35) -> Finding:
    first, second = sorted((attributed, bare), key=lambda c: c.id)
    return Finding("", "framing", score, "low", (first.id, second.id),
                   "Same fact, framed differently (attribution): ...",
                   (Evidence(attributed.id, 0, 5, "attribution"),),
                   {"aspect": "attribution", "source_a": first.source,
                    "source_b": second.source, "cues_a": [], "cues_b": [],
                    "similarity": 0.8, "alignment": 0.7})


def _certainty(hedged: Claim, asserted: Claim, word: str) -> Finding:
    first, second = sorted((hedged, asserted), key=lambda c: c.id)
    return Finding("", "framing", 0.6, "medium", (first.id, second.id),
                   "Same fact, framed differently (certainty): ...",
                   (Evidence(hedged.id, 0, 3, "hedge"),),
                   {"aspect": "certainty", "source_a": first.source, "source_b": second.source,
                    "cues_a": [word] if first is hedged else [],
                    "cues_b": [word] if second is hedged else [],
                    "similarity": 0.75, "alignment": 0.65})


def test_the_pairs_of_one_fact_become_one_finding_that_names_both_sides():
    articles, c = _story()
    pairs = [_attribution(c[a], c[b]) for a in ("ledger", "courier")
             for b in ("gazette", "herald", "tribune")]
    other = Finding("", "numeric", 0.9, "high", (c["ledger"].id, c["herald"].id), "...")
    grouped = _grouped([*pairs, other], list(c.values()), articles)
    assert [f.kind for f in grouped] == ["numeric", "framing"]
    assert [f.id for f in grouped] == ["F1", "F2"]
    (finding,) = [f for f in grouped if f.kind == "framing"]
    # the two attributing outlets first (the fewer), then the three that state it as fact
    assert finding.claim_ids == tuple(c[o].id for o in ("ledger", "courier", "gazette", "herald",
                                                          "tribune"))
    assert finding.reason == (
        "Same fact, framed differently (attribution) by 5 outlets: gazette, herald and tribune "
        "state this as fact, unattributed; ledger (to the coastguard) and courier (to the "
        "coastguard) attribute it.")
    assert finding.details["pairs"] == 6
    assert [x["outlet"] for x in finding.details["marked"]] == ["ledger", "courier"]
    assert [x["outlet"] for x in finding.details["plain"]] == ["gazette", "herald", "tribune"]
    assert {e.claim_id for e in finding.evidence} == {c["ledger"].id, c["courier"].id}
    assert len(finding.evidence) == 2  # each claim's evidence once, not once per pair


def test_a_single_pair_stays_as_it_was_and_aspects_and_facts_stay_apart():
    articles, c = _story()
    lone = _attribution(c["ledger"], c["gazette"])
    hedge = _certainty(c["tribune"], c["herald"], "reportedly")
    apart = _attribution(c["courier"], c["herald"])  # shares no claim with ``lone``
    grouped = _grouped([lone, hedge, apart], list(c.values()), articles)
    assert sorted(f.claim_ids for f in grouped) == sorted(f.claim_ids for f in (lone, hedge, apart))
    assert all(f.reason.endswith("...") for f in grouped)  # unchanged
    # the same two claims, hedged and attributed: two aspects, two findings
    both = _grouped([_certainty(c["ledger"], c["gazette"], "may"),
                          _attribution(c["ledger"], c["gazette"]),
                          _attribution(c["ledger"], c["herald"])], list(c.values()), articles)
    assert sorted(f.details["aspect"] for f in both) == ["attribution", "certainty"]
    assert [len(f.claim_ids) for f in both if f.details["aspect"] == "attribution"] == [3]


def test_an_outlet_that_also_states_the_fact_plainly_does_not_frame_it_differently():
    articles, c = _story()
    plain_too = Claim("s/0:s4", "s/0", "The coastguard rescued 14 fishermen.", 100, 136, 3, 4,
                      "The coastguard rescued 14 fishermen.")
    claims = [*c.values(), plain_too]
    pairs = [_attribution(c["ledger"], c["gazette"]), _attribution(c["ledger"], c["herald"]),
             _attribution(c["courier"], c["herald"]), _attribution(c["courier"], plain_too)]
    (finding,) = _grouped(pairs, claims, articles)
    # ledger tells it plainly in another sentence: only courier attributes it
    assert [x["outlet"] for x in finding.details["marked"]] == ["courier"]
    assert c["ledger"].id not in finding.claim_ids
    assert finding.reason.endswith(": herald and ledger state this as fact, unattributed; "
                                   "courier (to the coastguard) attributes it.")
    # with no outlet left that attributes it, there is no finding at all
    only = [_attribution(c["ledger"], c["gazette"]), _attribution(c["ledger"], plain_too)]
    assert _grouped(only, claims, articles) == ()


def test_a_group_holds_only_claims_that_tell_one_fact_with_each_other():
    """A long attributed sentence shares a fact with two plain ones that tell different facts:
    the weaker pair leaves the group rather than join a second fact to the first."""
    articles, c = _story()
    treated = Claim("s/3:s1", "s/3", "The 14 fishermen were treated for hypothermia in port.",
                    100, 153, 1, 1, "The 14 fishermen were treated for hypothermia in port.")
    claims = [*c.values(), treated]
    rescue = _attribution(c["ledger"], c["gazette"], 0.4)
    care = _attribution(c["ledger"], treated, 0.3)
    every = {frozenset((a.id, b.id)) for a, b in combinations(claims, 2)}
    apart = every - {frozenset((c["gazette"].id, treated.id))}
    assert _grouped([care, rescue], claims, articles, apart) == (replace(rescue, id="F1"),)
    # told as one fact by all three, the pairs are one finding
    (joined,) = _grouped([care, rescue], claims, articles, every)
    assert set(joined.claim_ids) == {c["ledger"].id, c["gazette"].id, treated.id}
    # the marked side too: two attributing outlets whose sentences tell different facts
    other = Claim("s/1:s1", "s/1", "The trawler sank within minutes, the coastguard said.",
                  100, 154, 1, 1, "The trawler sank within minutes.", source="the coastguard")
    sank = _attribution(other, c["gazette"], 0.3)
    grouped = _grouped([rescue, sank], [*claims, other], articles,
                       every - {frozenset((c["ledger"].id, other.id))})
    assert grouped == (replace(rescue, id="F1"),)


def test_a_claim_on_both_sides_keeps_its_pairs():
    """Hedged against one claim and the firmer one against another: no side to put it on."""
    articles, c = _story()
    pairs = [_certainty(c["herald"], c["gazette"], "may"),
             _certainty(c["tribune"], c["herald"], "reportedly")]
    grouped = _grouped(pairs, list(c.values()), articles)
    assert sorted(f.claim_ids for f in grouped) == sorted(f.claim_ids for f in pairs)


def test_hedges_are_gathered_per_claim_and_named_in_the_reason():
    articles, c = _story()
    pairs = [_certainty(c["tribune"], c["gazette"], "reportedly"),
             _certainty(c["tribune"], c["herald"], "may")]
    (finding,) = _grouped(pairs, list(c.values()), articles)
    assert finding.details["marked"] == [{"claim_id": c["tribune"].id, "outlet": "tribune",
                                          "note": "'reportedly', 'may'"}]
    assert finding.reason.endswith("gazette and herald state it without a hedge; tribune "
                                   "('reportedly', 'may') hedges it.")
    assert finding.severity == "medium" and finding.score == 0.6


# --------------------------------------------------------------------------- conflicts

# An invented story: three outlets count the rescued fishermen; two say 14, one 41. The
# gazette also gives the trawler's length, which the herald gives otherwise.
FIGURES = {
    "ledger": "The coastguard rescued 14 fishermen from the trawler.",
    "courier": "Fourteen fishermen were rescued from the trawler.",
    "gazette": "The coastguard rescued 41 fishermen from the 30-metre trawler.",
    "herald": "Rescuers reached the 45-metre trawler before 14 fishermen were lifted off.",
}


def _figures_story():
    articles, claims = [], {}
    for n, (outlet, text) in enumerate(FIGURES.items()):
        articles.append(Article(f"f/{n}", "f", outlet, outlet, f"{outlet}.txt", text,
                                ((0, len(text)),)))
        claims[outlet] = Claim(f"f/{n}:s0", f"f/{n}", text, 0, len(text), 0, 0, text)
    return articles, claims


def _numeric(first: Claim, second: Claim, figure_a: str, figure_b: str,
             difference: float = 0.66) -> Finding:
    a, b = sorted((first, second), key=lambda c: c.id)
    fa, fb = (figure_a, figure_b) if a is first else (figure_b, figure_a)
    start_a, start_b = a.text.index(fa), b.text.index(fb)
    return Finding("", "numeric", round(0.9 - difference / 10, 3), "high", (a.id, b.id),
                   f"Same fact, different figures: ... ({fa} vs {fb}: apart).",
                   (Evidence(a.id, start_a, start_a + len(fa), "number"),
                    Evidence(b.id, start_b, start_b + len(fb), "number")),
                   {"value_a": None, "value_b": None, "text_a": fa, "text_b": fb,
                    "counted": "fishermen", "relative_difference": difference,
                    "comparison": f"{fa} vs {fb}: apart", "similarity": 0.8,
                    "alignment": 0.7})


def _contradiction(first: Claim, second: Claim, word_a: str, word_b: str) -> Finding:
    a, b = sorted((first, second), key=lambda c: c.id)
    wa, wb = (word_a, word_b) if a is first else (word_b, word_a)
    start_a, start_b = a.text.index(wa), b.text.index(wb)
    return Finding("", "contradiction", 0.8, "high", (a.id, b.id), "Same fact, ...",
                   (Evidence(a.id, start_a, start_a + len(wa), "differs"),
                    Evidence(b.id, start_b, start_b + len(wb), "differs")),
                   {"mismatches": [{"kind": "polarity", "a": wa, "b": wb}],
                    "similarity": 0.8, "alignment": 0.8, "scope": "sentence"})


def test_one_figure_against_the_others_is_one_finding_with_the_odd_one_first():
    articles, c = _figures_story()
    pairs = [_numeric(c["gazette"], c["ledger"], "41", "14"),
             _numeric(c["gazette"], c["courier"], "41", "Fourteen")]
    from dataclasses import replace as with_
    c["courier"] = with_(c["courier"], quantities=(
        Quantity("Fourteen", 0, 8, 14.0, "count"),))
    c["ledger"] = with_(c["ledger"], quantities=(Quantity("14", 22, 24, 14.0, "count"),))
    grouped = group_conflicts(pairs, list(c.values()), articles)
    (finding,) = grouped
    assert finding.id == "F1" and finding.kind == "numeric"
    assert finding.claim_ids == (c["gazette"].id, c["ledger"].id, c["courier"].id)
    assert finding.reason == (
        "Same fact, different figures across 3 outlets: gazette reports 41; ledger and courier "
        "report 14 (the widest gap: 14 vs 41: apart). It joins 2 pairs of sentences, each "
        "flagged on its own.")
    assert [x["text"] for x in finding.details["figures"]] == ["41", "14", "Fourteen"]
    assert finding.details["pairs"] == 2
    assert sorted(map(tuple, finding.details["compared"])) == sorted(p.claim_ids for p in pairs)
    assert len(finding.evidence) == 3  # the gazette's 41 once, not once per pair
    assert finding.score == max(p.score for p in pairs)


def test_two_figures_of_one_sentence_are_two_conflicts():
    articles, c = _figures_story()
    fishermen = _numeric(c["gazette"], c["ledger"], "41", "14")
    length = _numeric(c["gazette"], c["herald"], "30-metre", "45-metre", 0.33)
    grouped = group_conflicts([fishermen, length], list(c.values()), articles)
    assert sorted(f.claim_ids for f in grouped) == sorted((fishermen.claim_ids, length.claim_ids))
    assert all("It joins" not in f.reason for f in grouped)  # both as they were


def test_a_contradiction_is_joined_around_the_claim_every_pair_shares():
    articles, c = _story()
    ledger, gazette, herald = c["ledger"], c["gazette"], c["herald"]
    # Invented spans. The herald's side has the ledger's very word ("rescued" / "were not
    # rescued" marks only the verb): it still sits apart from the ledger, which it contradicts.
    pairs = [_contradiction(ledger, gazette, "rescued", "coastguard"),
             _contradiction(ledger, herald, "rescued", "rescued")]
    (finding,) = group_conflicts(pairs, list(c.values()), articles)
    assert finding.claim_ids == (ledger.id, gazette.id, herald.id)
    assert finding.reason.startswith(
        "Same fact, one denies what the other reports, across 3 outlets: ledger says "
        "“rescued”; gazette says “coastguard”; herald says “rescued”.")
    assert "All state it as their own reporting" not in finding.reason  # the ledger cites one
    # and the reader sees which outlet cites whom
    assert ("ledger cites " + ledger.source) in finding.reason
    assert "gazette cites no source" in finding.reason
    assert [x["says"] for x in finding.details["sides"]][0] == "rescued"
    # no claim shared by every pair: a chain of contradictions stays in pairs
    chain = [_contradiction(ledger, gazette, "rescued", "coastguard"),
             _contradiction(gazette, herald, "coastguard", "rescued"),
             _contradiction(herald, c["tribune"], "rescued", "sank")]
    assert len(group_conflicts(chain, list(c.values()), articles)) == 3


def test_a_claim_read_two_ways_keeps_its_pairs_and_a_lone_pair_is_unchanged():
    articles, c = _figures_story()
    ledger_14 = _numeric(c["gazette"], c["ledger"], "41", "14")
    # the same 41 set against the herald's 14 and, wrongly, the herald's 45-metre
    other = _numeric(c["gazette"], c["herald"], "41", "14")
    odd = _numeric(c["herald"], c["ledger"], "45-metre", "14")
    grouped = group_conflicts([ledger_14, other, odd], list(c.values()), articles)
    assert len(grouped) == 3
    (lone,) = group_conflicts([ledger_14], list(c.values()), articles)
    assert lone.reason == ledger_14.reason and lone.claim_ids == ledger_14.claim_ids


def test_an_outlet_with_two_sentences_against_the_centre_is_named_once():
    articles, c = _story()
    ledger, gazette = c["ledger"], c["gazette"]
    from dataclasses import replace as with_
    text = "The coastguard said nobody was rescued."
    second = with_(gazette, id="s/2:s1", text=text, content=text, end=len(text), sentence=1)
    pairs = [_contradiction(ledger, gazette, "rescued", "coastguard"),
             _contradiction(ledger, second, "rescued", "rescued")]
    (finding,) = group_conflicts(pairs, [*c.values(), second], articles)
    assert finding.claim_ids == (ledger.id, gazette.id, second.id)
    assert "; gazette says “coastguard” and “rescued”." in finding.reason
    assert "across 2 outlets" in finding.reason


def _single_outlet_findings(text_a, text_b, quantities_a=()):
    """The single-outlet findings of two one-sentence articles far apart in meaning (best
    similarity 0.2 each), fox's sentence with ``quantities_a``."""
    import numpy as np

    from crosscheck.config import Settings
    from crosscheck.findings import build_findings

    articles = [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
                Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a, quantities=quantities_a),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b)]
    return [f for f in build_findings(claims, articles, [], (), np.array([0.2, 0.2]), Settings(),
                                      closest_other_outlet=np.array([1, 0]))
            if f.kind == "single_outlet"]


def test_single_outlet_reason_says_what_was_checked_and_no_more():
    text = "The ranch sold the elk head for $5,300 and the antlers for $900."
    sold = (Quantity("$5,300", 32, 38, 5300, "money", "USD"),
            Quantity("$900", 59, 63, 900, "money", "USD"))
    assert [text[q.start:q.end] for q in sold] == ["$5,300", "$900"]
    (finding, _) = _single_outlet_findings(text, "Wardens said the antlers fetched 900 dollars.",
                                           quantities_a=sold)
    assert finding.reason == ("No other outlet has a sentence close to this one (the closest "
                              "has similarity 0.20): possibly only fox reports it. No other "
                              "outlet gives $5,300.")
    assert finding.details["figures_only_here"] == ["$5,300"]
    # the reader sees what it was compared with
    assert finding.details["closest_elsewhere"] == {
        "claim_id": "b:s0", "outlet": "nyt", "text": "Wardens said the antlers fetched 900 dollars."}
    # the figures are no evidence that only fox has the fact when another outlet writes them
    (finding, _) = _single_outlet_findings(text, "The antlers sold for $900; the head, $5,300.",
                                           quantities_a=sold)
    assert finding.reason.endswith("possibly only fox reports it.")
    # a count in words is a detail, not a figure to name
    two = "The two wardens sold the elk head for $5,300."
    (finding, _) = _single_outlet_findings(two, "The antlers sold well.", quantities_a=(
        Quantity("two", 4, 7, 2, "count", counted="wardens"),
        Quantity("$5,300", 38, 44, 5300, "money", "USD")))
    assert finding.details["figures_only_here"] == ["$5,300"]
    # "15,300" is not "5,300"
    (finding, _) = _single_outlet_findings(text, "A herd of 15,300 elk and $900 of feed.",
                                           quantities_a=sold)
    assert finding.details["figures_only_here"] == ["$5,300"]


@pytest.mark.parametrize("text, detail", [
    ("Nor is he a pundit.", False),  # an aside: nothing a reader can look for elsewhere
    ("This time the ranch let loose.", False),
    ("Mr. Ortega sold the elk head.", True),  # a name
    ("Three buyers bid on the elk head.", True),  # a figure
    ("The elk head fetched a good price, the warden said.", True),  # a source
    ("“It was a good price for a head like that.”", True),  # a quotation
])
def test_a_single_outlet_claim_says_whether_it_gives_a_detail_to_look_for(text, detail):
    """A lead without a name, figure, date, source or quotation is kept, but says so and ranks
    after one with a detail, even when no other outlet's sentence comes as close to it."""
    import numpy as np

    from crosscheck.align import shape_claims
    from crosscheck.claims import make_claim
    from crosscheck.config import Settings
    from crosscheck.findings import build_findings
    from crosscheck.models import load_parser

    other = "Wardens counted 300 elk in the spring."
    articles = [Article("a", "s", "fox", "", "a.txt", text, ((0, len(text)),)),
                Article("b", "s", "nyt", "", "b.txt", other, ((0, len(other)),))]
    claims = [make_claim(articles[0], text, 0, 0, 0), make_claim(articles[1], other, 0, 0, 0)]
    settings = Settings()
    shapes = shape_claims(claims, load_parser(settings.align.parser_model))
    # fox's sentence is further from anything nyt says (0.1) than nyt's is from fox's (0.3)
    singles = [f for f in build_findings(claims, articles, [], (), np.array([0.1, 0.3]),
                                         settings, shapes, np.array([1, 0]))
               if f.kind == "single_outlet"]
    assert [f.details["checkable"] for f in singles] == ([True, True] if detail
                                                         else [True, False])
    fox = next(f for f in singles if f.claim_ids == (claims[0].id,))
    assert fox.reason.endswith("It gives no name, figure, date, source or quotation to look "
                               "for in the other articles.") is not detail
    assert [f.claim_ids[0] for f in singles] == (["a:s0", "b:s0"] if detail
                                                 else ["b:s0", "a:s0"])


def test_a_single_outlet_finding_without_the_checkable_detail_ranks_as_checkable():
    """findings.json before 1.6 has no details.checkable: such a lead ranks by its score among
    the leads with a detail, ahead of one that gives nothing to look for."""
    from crosscheck.findings import rank_key

    older = Finding("F1", "single_outlet", 0.5, "low", ("a:s1",), "Only fox reports it.")
    aside = Finding("F2", "single_outlet", 0.9, "low", ("a:s2",), "Only fox reports it.",
                    details={"checkable": False})
    sure = Finding("F3", "single_outlet", 0.6, "low", ("a:s3",), "Only fox reports it.",
                   details={"checkable": True})
    assert [f.id for f in sorted([aside, older, sure], key=rank_key)] == ["F3", "F1", "F2"]
