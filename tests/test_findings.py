"""Framing findings across many outlets: one finding per fact and aspect, not one per pair."""

from crosscheck.findings import group_framing
from crosscheck.types import Article, Claim, Evidence, Finding

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
    grouped = group_framing([*pairs, other], list(c.values()), articles)
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
    grouped = group_framing([lone, hedge, apart], list(c.values()), articles)
    assert sorted(f.claim_ids for f in grouped) == sorted(f.claim_ids for f in (lone, hedge, apart))
    assert all(f.reason.endswith("...") for f in grouped)  # unchanged
    # the same two claims, hedged and attributed: two aspects, two findings
    both = group_framing([_certainty(c["ledger"], c["gazette"], "may"),
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
    (finding,) = group_framing(pairs, claims, articles)
    # ledger tells it plainly in another sentence: only courier attributes it
    assert [x["outlet"] for x in finding.details["marked"]] == ["courier"]
    assert c["ledger"].id not in finding.claim_ids
    assert finding.reason.endswith(": herald and ledger state this as fact, unattributed; "
                                   "courier (to the coastguard) attributes it.")
    # with no outlet left that attributes it, there is no finding at all
    only = [_attribution(c["ledger"], c["gazette"]), _attribution(c["ledger"], plain_too)]
    assert group_framing(only, claims, articles) == ()


def test_a_claim_on_both_sides_keeps_its_pairs():
    """Hedged against one claim and the firmer one against another: no side to put it on."""
    articles, c = _story()
    pairs = [_certainty(c["herald"], c["gazette"], "may"),
             _certainty(c["tribune"], c["herald"], "reportedly")]
    grouped = group_framing(pairs, list(c.values()), articles)
    assert sorted(f.claim_ids for f in grouped) == sorted(f.claim_ids for f in pairs)


def test_hedges_are_gathered_per_claim_and_named_in_the_reason():
    articles, c = _story()
    pairs = [_certainty(c["tribune"], c["gazette"], "reportedly"),
             _certainty(c["tribune"], c["herald"], "may")]
    (finding,) = group_framing(pairs, list(c.values()), articles)
    assert finding.details["marked"] == [{"claim_id": c["tribune"].id, "outlet": "tribune",
                                          "note": "'reportedly', 'may'"}]
    assert finding.reason.endswith("gazette and herald state it without a hedge; tribune "
                                   "('reportedly', 'may') hedges it.")
    assert finding.severity == "medium" and finding.score == 0.6
