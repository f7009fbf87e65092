"""The judge as ``run`` uses it: features, the shipped calibration, label decisions, and the
findings built from judged pairs (fake two-output NLI with the real calibration)."""

import dataclasses

import numpy as np
import pytest

from crosscheck.claims import make_claim
from crosscheck.config import Settings
from crosscheck.findings import build_findings
from crosscheck.judge import (FEATURES, Calibration, Judge, agreement_bound, decide_pair_labels,
                              pair_features, reversed_features, without_mismatch)
from crosscheck.types import (Alignment, Article, Claim, ClaimPair, Finding, Judgement, Mismatch,
                              NumericCheck, Quantity, Span)

from conftest import FakeNli


def test_pair_features_read_the_models_own_columns():
    forward = np.array([[0.01, 0.99], [0.5, 0.5]])
    backward = np.array([[0.2, 0.8], [0.48, 0.52]])
    numeric = [NumericCheck("conflict"), NumericCheck("none")]
    features = pair_features(forward, backward, ("other", "contradiction"), np.array([0.9, 0.7]),
                             numeric, np.array([True, False]))
    row = dict(zip(FEATURES, features[0]))
    assert row["contradiction_min"] == pytest.approx(0.8)
    assert row["contradiction_max"] == pytest.approx(0.99)
    assert row["entailment_min"] == row["entailment_max"] == 0.0  # the model has no such output
    assert row["midband_min"] == pytest.approx(4 * 0.3 ** 2)
    assert (row["similarity"], row["numeric_conflict"], row["negation_mismatch"]) == (0.9, 1, 1)
    assert dict(zip(FEATURES, features[1]))["numeric_conflict"] == 0


def test_judgement_of_a_claim_pair_has_no_direction():
    """numeric_specificity is +1 one way round and -1 the other; a claim pair is unordered."""
    judge = Judge(Settings(), FakeNli())
    three = Quantity("3 cards", 0, 7, 3.0, "count", counted="cards")
    fewer = Quantity("fewer than 8 cards", 0, 18, 8.0, "count", counted="cards",
                     qualifier="upper_bound", high=8.0)
    forward, backward = np.array([[0.5, 0.5]]), np.array([[0.45, 0.55]])
    one_way = judge.label(forward, backward, np.array([0.8]),
                          [NumericCheck("consistent", three, fewer)], np.array([False]),
                          symmetric=True)
    other_way = judge.label(backward, forward, np.array([0.8]),
                            [NumericCheck("consistent", fewer, three)], np.array([False]),
                            symmetric=True)
    np.testing.assert_allclose(one_way, other_way)
    directed = judge.label(forward, backward, np.array([0.8]),
                           [NumericCheck("consistent", three, fewer)], np.array([False]))
    assert not np.allclose(directed, one_way)  # eval's pairs do have a direction
    features = pair_features(forward, backward, ("other", "contradiction"), np.array([0.8]),
                             [NumericCheck("consistent", fewer, three)], np.array([False]))
    assert reversed_features(features)[0, FEATURES.index("numeric_specificity")] == 1.0


def test_shipped_calibration_separates_the_default_models_bands():
    calibration = Calibration.from_table(FakeNli.calibration_table, "manifest")
    judge = Judge(Settings(), FakeNli())
    contradiction = judge.label(np.array([[0.01, 0.99]]), np.array([[0.01, 0.99]]),
                                np.array([0.9]), [NumericCheck("none")], np.array([True]))
    entailment = judge.label(np.array([[0.5, 0.5]]), np.array([[0.49, 0.51]]),
                             np.array([0.95]), [NumericCheck("none")], np.array([False]))
    assert calibration.weights.shape == (3, len(calibration.features))
    assert contradiction[0].argmax() == 1 and entailment[0].argmax() == 0


def alignment(mismatch_strength=None, comparable=True, numeric=None, verbatim=False):
    mismatches = () if mismatch_strength is None else (
        Mismatch("outcome", Span("passed", 0, 6), Span("failed", 0, 6), "", mismatch_strength),)
    return Alignment(ClaimPair("a:s0", "b:s0", 0.8), True, 0.8, ("bill", "senate"), mismatches,
                     "", comparable, numeric=numeric, verbatim=verbatim)


@pytest.mark.parametrize("al, probabilities, label", [
    (alignment(), (0.9, 0.05, 0.05), "agree"),
    (alignment(), (0.5, 0.3, 0.2), "unrelated"),
    (alignment(0.8), (0.9, 0.05, 0.05), "contradict"),  # the mismatch is explicit
    (alignment(0.5), (0.9, 0.05, 0.05), "unrelated"),  # too loosely aligned to say
    (alignment(0.8, comparable=False), (0.1, 0.8, 0.1), "unrelated"),  # e.g. two sources
    # one prints the other's words: it agrees, whatever the model reads, unless something differs
    (alignment(verbatim=True), (0.15, 0.55, 0.3), "agree"),
    (alignment(0.5, verbatim=True), (0.9, 0.05, 0.05), "unrelated"),
])
def test_label_decisions(al, probabilities, label):
    labels = decide_pair_labels(np.array([probabilities]), [NumericCheck("none")], [al],
                                Settings())
    assert labels == [label]
    conflict = decide_pair_labels(np.array([probabilities]), [NumericCheck("conflict")], [al],
                                  Settings())
    assert conflict == ["contradict"]


def _two_outlets(text_a: str, text_b: str) -> list[Article]:
    """Articles a (outlet fox) and b (outlet nyt), one paragraph each."""
    return [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
            Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]


def _contradictions(claims, articles, mismatch: Mismatch, similarity: float, strength: float,
                    shared: tuple[str, ...]) -> list[Finding]:
    """The contradiction findings of claims a:s0 and b:s0, aligned as one fact between the
    outlets' own assertions with ``mismatch`` and judged contradicting."""
    al = Alignment(ClaimPair("a:s0", "b:s0", similarity), True, strength, shared, (mismatch,),
                   "", True, numeric=NumericCheck("none"))
    judgement = Judgement(al.pair, "contradict", (0.05, 0.9, 0.05), (0.1, 0.9), (0.1, 0.9),
                          NumericCheck("none"), al)
    return [f for f in build_findings(claims, articles, [judgement], (), np.array([0.9, 0.9]),
                                      Settings())
            if f.kind == "contradiction"]


def test_build_findings_names_the_mismatch_and_keeps_evidence():
    text_a, text_b = "The Senate passed the bill.", "The Senate failed the bill."
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b)]
    (finding, *rest) = _contradictions(
        claims, _two_outlets(text_a, text_b),
        Mismatch("outcome", Span("passed", 11, 17), Span("failed", 11, 17), "", 0.9), 0.9, 0.9,
        ("bill", "senate"))
    assert not rest
    assert "fox says “passed”; nyt says “failed”" in finding.reason
    assert {(e.claim_id, e.start, e.end) for e in finding.evidence} == {("a:s0", 11, 17),
                                                                        ("b:s0", 11, 17)}
    assert finding.severity == "high"


def test_a_contradiction_between_two_reports_of_one_speaker_says_so_and_names_the_tie():
    text_a = "Berg said she has not hired a security firm."
    text_b = "Berg said she had hired a security firm and a lawyer."
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a[10:], "Berg"),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b[10:], "Berg")]
    (finding,) = _contradictions(
        claims, _two_outlets(text_a, text_b),
        Mismatch("polarity", Span("not hired", 18, 27), Span("hired", 18, 23), "", 0.6,
                 tied="firm"), 0.6, 0.6, ("firm", "hire"))
    assert "Both give it as what Berg said" in finding.reason
    assert "their own reporting" not in finding.reason
    assert "the same “firm” on both sides" in finding.reason


def test_a_day_a_source_gives_against_an_outlets_own_is_told_with_the_source():
    text_a = "Town voters in 2009 approved a bond for the pier, Bower said."
    text_b = "Town voters in 2010 approved a bond for the pier."
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a[:49] + ".", "Bower"),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b)]
    (finding,) = _contradictions(
        claims, _two_outlets(text_a, text_b),
        Mismatch("time", Span("2009", 15, 19), Span("2010", 15, 19), "", 0.85), 0.9, 0.85,
        ("approve", "bond"))
    assert "fox, citing Bower, says “2009”; nyt says “2010”" in finding.reason
    assert "nyt states it as its own reporting" in finding.reason
    assert "Both" not in finding.reason


def test_a_misquoted_figure_is_named_as_one_quotation_and_shows_the_words_quoted_alike():
    text_a = "He said, “We have 87 crews waiting for licences.”"
    text_b = "“We have 89 crews waiting for licences,” Dahl said."
    articles = [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
                Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]
    # the first outlet's "he" is no name: the speaker is named from the other
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a[10:-2], "he",
                    is_quote=True),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b[1:-13], "Dahl",
                    is_quote=True)]
    q87 = Quantity("87", 18, 20, 87.0, "count", counted="crews")
    q89 = Quantity("89", 9, 11, 89.0, "count", counted="crews")
    check = NumericCheck("conflict", q87, q89, 0.022, "87 crews vs 89 crews: 2% apart",
                         quoted="We have … crews waiting for licences")
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.9), True, 0.9, ("crew",), (), "", False,
                   numeric=check)
    judgement = Judgement(al.pair, "contradict", (0.3, 0.4, 0.3), (), (), check, al)
    (finding,) = [f for f in build_findings(claims, articles, [judgement], (),
                                            np.array([0.9, 0.9]), Settings())
                  if f.kind == "numeric"]
    assert finding.reason.startswith("One quotation, different figures: fox quotes Dahl saying "
                                     "87, nyt 89")
    assert "“We have … crews waiting for licences”" in finding.reason
    assert finding.details["quoted_alike"] == "We have … crews waiting for licences"
    # no speaker named on either side
    claims = [dataclasses.replace(c, source="he" if c.id == "a:s0" else "") for c in claims]
    (finding,) = [f for f in build_findings(claims, articles, [judgement], (),
                                            np.array([0.9, 0.9]), Settings())
                  if f.kind == "numeric"]
    assert finding.reason.startswith("One quotation, different figures: fox quotes 87, nyt 89")


@pytest.mark.parametrize("similarity, apart", [(0.2, True), (0.82, False)])
def test_a_slot_conflict_calls_the_sentences_different_only_when_they_are(similarity, apart):
    text_a = "“The port will close,” Dahl said."
    text_b = "“The port will close,” Olsen said."
    articles = [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
                Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a, ""),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b, "")]
    al = Alignment(ClaimPair("a:s0", "b:s0", similarity), True, 1.0, ("said",),
                   (Mismatch("actor", Span("Dahl", 23, 27), Span("Olsen", 23, 28),
                             "who said “the port will close”", 1.0),), "", True,
                   scope="slot", numeric=NumericCheck("none"))
    judgement = Judgement(al.pair, "contradict", (0.05, 0.9, 0.05), (0.1, 0.9), (0.1, 0.9),
                          NumericCheck("none"), al)
    (finding,) = [f for f in build_findings(claims, articles, [judgement], (),
                                            np.array([0.9, 0.9]), Settings())
                  if f.kind == "contradiction"]
    assert ("otherwise different" in finding.reason) is apart
    assert f"similarity {similarity:.2f}" in finding.reason


def test_an_agreement_holds_only_claims_that_all_agree_with_one_another():
    from crosscheck.findings import _agreeing_cores

    def agree(a, b, p=0.9):
        return Judgement(ClaimPair(a, b, 0.8), "agree", (p, 0.05, 0.05), (), ())

    # a~b and b~c agree, a and c were never judged to: a chain, not one fact
    assert _agreeing_cores(("a", "b", "c"), [agree("a", "b", 0.95), agree("b", "c", 0.8)]) == [
        ("a", "b")]
    assert _agreeing_cores(("a", "b", "c"), [agree("a", "b"), agree("b", "c"),
                                             agree("a", "c")]) == [("a", "b", "c")]
    assert _agreeing_cores(("a", "b"), []) == []
    # two facts in one cluster, each told alike by two outlets: two agreements
    assert _agreeing_cores(("a", "b", "c", "d"), [agree("a", "c", 0.95), agree("b", "d", 0.8),
                                                  agree("c", "d", 0.7)]) == [("a", "c"),
                                                                             ("b", "d")]


def test_a_conflict_in_a_cluster_keeps_only_its_own_claims_from_agreeing():
    texts = {"a:s0": "The harbour board closed the quay on Monday.",
             "b:s0": "The harbour board closed the quay on Monday, its chair said.",
             "a:s1": "The ferry crews voted for a strike.",
             "b:s1": "The ferry crews voted against a strike."}
    articles = [Article(o, "s", name, "", f"{o}.txt", " ".join(t for k, t in texts.items()
                                                              if k.startswith(o)), ((0, 99),))
                for o, name in (("a", "fox"), ("b", "nyt"))]
    claims = [Claim(k, k[0], t, 0, len(t), 0, int(k[-1]), t, "") for k, t in texts.items()]

    def judged(a, b, label, mismatches=()):
        al = Alignment(ClaimPair(a, b, 0.9), True, 0.9, ("quay",), mismatches, "", True,
                       numeric=NumericCheck("none"))
        p = (0.9, 0.05, 0.05) if label == "agree" else (0.05, 0.9, 0.05)
        return Judgement(al.pair, label, p, p[:2], p[:2], NumericCheck("none"), al)

    strike = Mismatch("polarity", Span("for", 0, 3), Span("against", 0, 7), "", 0.9)
    # one cluster chains the two facts (through the judged a:s0 ~ b:s1); the strike vote
    # conflicts, the closure does not
    judgements = [judged("a:s0", "b:s0", "agree"),
                  judged("a:s1", "b:s1", "contradict", (strike,)),
                  judged("a:s0", "b:s1", "agree")]
    cluster = (("a:s0", "b:s0", "a:s1", "b:s1"),)
    agreements = [f.claim_ids for f in build_findings(claims, articles, judgements, cluster,
                                                      np.array([0.9] * 4), Settings())
                  if f.kind == "agreement"]
    assert agreements == [("a:s0", "b:s0")]


@pytest.mark.parametrize("source_a, source_b, quote, agreement", [
    ("", "", True, True),
    ("the harbour master", "", True, True),  # one attributes, one states it: the same fact
    ("Anna Berg", "Ms. Berg", True, True),
    ("Anna Berg", "the union leader Per Dahl", "other", False),  # two people saying alike
    ("he", "Anna Berg", "other", False),  # "he said" with other words: two statements
    ("the harbour master", "Anna Berg", True, True),  # the same words: one quotation
    ("officials", "the port authority", False, True),  # one fact from two sources
    ("he", "Anna Berg", True, True),  # "he said" with the same words: one quotation
])
def test_an_agreement_is_one_fact_from_one_voice(source_a, source_b, quote, agreement):
    text_a = "The quay needs a package of repairs to stay open."
    text_b = "The quay needs a package of repairs to stay open for ships."
    if quote == "other":
        text_a = "Everybody knows we must look at a package of changes to keep the quay open."
    articles = [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
                Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a, source=source_a,
                    is_quote=bool(quote)),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b, source=source_b)]
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.9), True, 0.9, ("package", "quay"), (), "", True,
                   numeric=NumericCheck("none"))
    judgement = Judgement(al.pair, "agree", (0.9, 0.05, 0.05), (0.9, 0.05), (0.9, 0.05),
                          NumericCheck("none"), al)
    findings = build_findings(claims, articles, [judgement], (("a:s0", "b:s0"),),
                              np.array([0.9, 0.9]), Settings())
    assert any(f.kind == "agreement" for f in findings) is agreement


def _agrees(text_a, text_b, source_a="", source_b="", quote_a=False, quote_b=False):
    articles = [Article("a", "s", "fox", "", "a.txt", text_a, ((0, len(text_a)),)),
                Article("b", "s", "nyt", "", "b.txt", text_b, ((0, len(text_b)),))]
    claims = [Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a, source=source_a,
                    is_quote=quote_a),
              Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b, source=source_b,
                    is_quote=quote_b)]
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.9), True, 0.9, ("quay",), (), "", True,
                   numeric=NumericCheck("none"))
    judgement = Judgement(al.pair, "agree", (0.9, 0.05, 0.05), (0.9, 0.05), (0.9, 0.05),
                          NumericCheck("none"), al)
    findings = build_findings(claims, articles, [judgement], (("a:s0", "b:s0"),),
                              np.array([0.9, 0.9]), Settings())
    return any(f.kind == "agreement" for f in findings)


def test_two_named_speakers_saying_alike_are_two_statements():
    said_a, said_b = "there is no danger on the quay", "she has seen no danger on the quay"
    assert not _agrees(said_a, said_b, "Dock workers' unions", "Berg")
    assert _agrees(said_a, said_b, "Dock workers' unions", "officials")  # unnamed: one fact
    assert _agrees(said_a, said_b, "Anna Berg", "Berg")
    assert _agrees(said_a, said_b, "he", "Berg")


def test_two_quotations_in_other_words_are_two_statements():
    quote_a = "“I think it shows they are on the wrong side of the quay debate,” Berg said."
    quote_b = "These guys are on the losing side of the quay debate.”"
    assert not _agrees(quote_a, quote_b, "Berg", "", True, True)
    # the same words, however the contractions are written, are one quotation
    assert _agrees("“I don’t want the quay closed, and it’s not going to be,” Berg said.",
                   "“I do not want the quay closed, and it's not going to be.”",
                   "Berg", "", True, True)


def test_a_question_or_a_remark_on_two_days_is_not_corroborated():
    assert not _agrees("“Who thought the quay was safe?” wrote a columnist.",
                       "The quay is safe, the harbour office said.", "a columnist",
                       "the harbour office", True, False)
    assert not _agrees("The harbour master said on Monday that the quay is safe.",
                       "The harbour master said Tuesday the quay is safe.")
    assert _agrees("The harbour master said on Monday that the quay is safe.",
                   "The harbour master said the quay is safe.")


def _random_pairs(rng, n):
    numeric = [NumericCheck(rng.choice(["none", "consistent", "conflict"])) for _ in range(n)]
    return (rng.uniform(size=n), numeric, rng.uniform(size=n) < 0.3,
            rng.dirichlet([0.5, 0.5], size=n), rng.dirichlet([0.5, 0.5], size=n))


def test_agreement_bound_is_never_below_the_agree_probability():
    """The bound covers every output the model could give, so a pair below the threshold
    on the bound can never be labelled agree."""
    judge = Judge(Settings(), FakeNli())
    rng = np.random.default_rng(7)
    similarity, numeric, negation, forward, backward = _random_pairs(rng, 400)
    actual = judge.label(forward, backward, similarity, numeric, negation, symmetric=True)[:, 0]
    known = pair_features(forward, backward, FakeNli.labels, similarity, numeric, negation)
    before = agreement_bound(judge.calibration, FakeNli.labels, known)
    after_one_way = agreement_bound(judge.calibration, FakeNli.labels, known, forward)
    assert np.all(actual <= after_one_way + 1e-12)
    assert np.all(after_one_way <= before + 1e-12)  # knowing a → b only tightens it
    # and it is tight enough to spare the model: many pairs are settled before it runs
    threshold = Settings().judge.agreement_threshold
    assert 0.2 < np.mean(before < threshold) < 1.0
    assert np.mean(after_one_way < threshold) > np.mean(before < threshold)


def test_agreement_bound_without_the_features_outputs_is_the_probability():
    """A model with no contradiction or entailment output: the NLI features are constants,
    so the bound is the probability itself."""
    judge = Judge(Settings(), FakeNli())
    rng = np.random.default_rng(3)
    similarity, numeric, negation, forward, backward = _random_pairs(rng, 50)
    labels = ("yes", "no")
    actual = judge.label(forward, backward, similarity, numeric, negation, symmetric=True)
    features = pair_features(forward, backward, labels, similarity, numeric, negation)
    index = [FEATURES.index(f) for f in judge.calibration.features]
    exact = (judge.calibration.probabilities(features[:, index])
             + judge.calibration.probabilities(reversed_features(features)[:, index])) / 2
    np.testing.assert_allclose(agreement_bound(judge.calibration, labels, features),
                               exact[:, 0], rtol=1e-9)
    assert not np.allclose(actual[:, 0], exact[:, 0])  # the outputs did matter to FakeNli


class _CountingNli(FakeNli):
    def __init__(self):
        super().__init__()
        self.inputs = 0

    def predict(self, premises, hypotheses, batch_size=32, show_progress_bar=False):
        self.inputs += len(premises)
        return super().predict(premises, hypotheses, batch_size, show_progress_bar)


def test_pairs_are_scored_only_where_a_score_can_change_the_label():
    sentences = ["The dam held after the storm.", "The dam held after the heavy storm.",
                 "The dam did not hold after the storm.", "Officials met on Tuesday.",
                 "Farmers sold corn at the market.", "The river rose two metres overnight.",
                 "The council met again on Friday.", "The storm passed the dam at dawn."]
    claims = {f"c{i}": Claim(f"c{i}", "a" if i % 2 else "b", s, 0, len(s), i, 0, s)
              for i, s in enumerate(sentences)}
    alignments = []
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            strength = 0.9 if j == i + 1 else 0.3
            mismatches = (Mismatch("outcome", Span("x", 0, 1), Span("y", 0, 1), "", 0.9),) \
                if (i, j) == (3, 6) else ()
            alignments.append(Alignment(ClaimPair(f"c{i}", f"c{j}", strength), True, strength,
                                        (), mismatches, "", True, numeric=NumericCheck("none")))
    full_nli, lean_nli = _CountingNli(), _CountingNli()
    full = Judge(Settings().replace(judge={"score_all_pairs": True}), full_nli)
    # without a framing floor (which needs every open pair scored both ways)
    lean = Judge(Settings().replace(judge={"framing_floor": 0.0}), lean_nli)
    everything = full.judge_pairs(alignments, claims)
    needed = lean.judge_pairs(alignments, claims)
    assert [j.label for j in needed] == [j.label for j in everything]
    assert "agree" in {j.label for j in needed} and "contradict" in {j.label for j in needed}
    assert full_nli.inputs == 2 * len(alignments)
    assert lean_nli.inputs < full_nli.inputs
    for lean_one, full_one in zip(needed, everything):
        if lean_one.probabilities:  # scored both ways: the same scores
            assert lean_one.probabilities == full_one.probabilities
        else:
            assert lean_one.label == "unrelated" and not lean_one.nli_backward
    assert any(not j.probabilities for j in needed)
    contradiction = next(j for j in needed if j.label == "contradict")
    assert contradiction.probabilities  # its score is shown in the report


def test_a_pair_that_prints_the_same_words_agrees_without_the_model():
    quote = "“The quay will stay closed until the inquiry is over,” Berg said."
    same = "“The quay will stay closed until the inquiry is over.”"
    articles = [Article("a", "s", "fox", "", "a.txt", quote, ((0, len(quote)),)),
                Article("b", "s", "nyt", "", "b.txt", same, ((0, len(same)),))]
    claims = [make_claim(articles[0], quote, 0, 0, 0), make_claim(articles[1], same, 0, 0, 0)]
    by_id = {c.id: c for c in claims}
    al = Alignment(ClaimPair(claims[0].id, claims[1].id, 0.95), True, 0.95, ("quay",), (), "",
                   False, numeric=NumericCheck("none"), verbatim=True)
    nli = _CountingNli()
    judgement, = Judge(Settings().replace(judge={"framing_floor": 0.0}), nli).judge_pairs(
        [al], by_id)
    assert judgement.label == "agree" and nli.inputs == 0 and not judgement.probabilities
    finding, = [f for f in build_findings(claims, articles, [judgement], ((al.pair.a, al.pair.b),),
                                          np.array([0.9, 0.9]), Settings())
                if f.kind == "agreement"]
    assert finding.score == 1.0 and "print the same words" in finding.reason
    # the same pair without the same words is the model's to judge
    other = dataclasses.replace(al, verbatim=False)
    judgement, = Judge(Settings().replace(judge={"framing_floor": 0.0}), nli).judge_pairs(
        [other], by_id)
    assert nli.inputs > 0


def test_agreements_rank_by_outlets_then_own_words_then_score():
    from crosscheck.findings import rank_key

    def agreement(outlets, same_words, pairs, score):
        return Finding("", "agreement", score, "low", (f"{outlets}{same_words}{score}",), "",
                       details={"outlets": ["o"] * outlets, "same_words_pairs": same_words,
                                "pairs": pairs})

    copied, told, wide = agreement(2, 1, 1, 1.0), agreement(2, 0, 1, 0.7), agreement(3, 0, 3, 0.7)
    partly = agreement(2, 1, 3, 0.9)
    assert sorted([copied, told, partly, wide], key=rank_key) == [wide, partly, told, copied]
    contradiction = Finding("", "contradiction", 0.6, "low", ("c",), "")
    assert sorted([copied, contradiction], key=rank_key)[0] is contradiction


def test_the_framing_floor_scores_only_pairs_that_may_differ_in_framing():
    from crosscheck.framing import may_differ

    plain = "The dam held after the storm on Tuesday."
    texts = {"c0": (plain, ""), "c1": ("The dam held after the storm on Tuesday.", ""),
             "c2": (plain, ""), "c3": ("The dam held after the storm on Tuesday.", "engineers"),
             "c4": (plain, ""), "c5": ("The dam reportedly held after the storm on Tuesday.", "")}
    claims = {}
    for i, (cid, (text, source)) in enumerate(texts.items()):
        made = make_claim(Article(cid, "s", "ab"[i % 2], "", "x.txt", text, ((0, len(text)),)),
                          text, 0, 0, 0)
        claims[cid] = dataclasses.replace(made, id=cid, source=source)
    # similarity so low that no pair could be agree: without the floor, none needs the model
    alignments = [Alignment(ClaimPair(f"c{i}", f"c{i + 1}", -0.5), True, 0.9, ("dam",), (), "",
                            True, numeric=NumericCheck("none")) for i in (0, 2, 4)]
    settings = Settings()
    assert [may_differ(claims[al.pair.a], claims[al.pair.b], al.strength, 0.9,
                       settings.framing) for al in alignments] == [False, True, True]
    # an attribution is compared only on a close pair; a hedge has its own test
    assert [may_differ(claims[al.pair.a], claims[al.pair.b], al.strength, -0.5,
                       settings.framing) for al in alignments] == [False, False, True]
    nli = _CountingNli()
    judged = Judge(settings, nli).judge_pairs(alignments, claims)
    assert [bool(j.probabilities) for j in judged] == [False, False, True]
    assert nli.inputs == 2  # the one that may differ, both ways
    without = _CountingNli()
    Judge(settings.replace(judge={"framing_floor": 0.0}), without).judge_pairs(alignments, claims)
    assert without.inputs == 0


class _TableNli(FakeNli):
    """The contradiction probability of each (premise, hypothesis) from a table, else 0.1."""

    def __init__(self, table):
        super().__init__()
        self.table = table

    def predict(self, premises, hypotheses, batch_size=32, show_progress_bar=False):
        p = np.array([self.table.get((a, b), 0.1) for a, b in zip(premises, hypotheses)],
                     dtype=np.float32)
        return np.stack([1 - p, p], axis=1)


TUESDAY = "The harbour board approved the ferry timetable on Tuesday."
FRIDAY = "The harbour board adopted the ferry timetable on Friday."


@pytest.mark.parametrize("corroborate", ["loose", "weak"])
@pytest.mark.parametrize("as_written, without, confirmed", [
    (0.97, 0.2, True),  # the days are the conflict
    (0.97, 0.95, False),  # the sentences conflict without their days too: not the days'
    (0.6, 0.1, False),  # the model does not read a contradiction
])
def test_a_mismatch_that_needs_corroboration_counts_only_when_the_model_confirms_it(
        corroborate, as_written, without, confirmed):
    claims = {"a:s0": Claim("a:s0", "a", TUESDAY, 0, len(TUESDAY), 0, 0, TUESDAY),
              "b:s0": Claim("b:s0", "b", FRIDAY, 0, len(FRIDAY), 0, 0, FRIDAY)}
    start_a, start_b = TUESDAY.index("Tuesday"), FRIDAY.index("Friday")
    mismatch = Mismatch("time", Span("Tuesday", start_a, start_a + 7),
                        Span("Friday", start_b, start_b + 6), "when it happened", 0.6,
                        corroborate=corroborate)
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.8), True, 0.6, ("timetable",), (mismatch,), "",
                   True, numeric=NumericCheck("none"))
    bare_a = "The harbour board approved the ferry timetable."
    bare_b = "The harbour board adopted the ferry timetable."
    nli = _TableNli({(TUESDAY, FRIDAY): as_written, (FRIDAY, TUESDAY): as_written,
                     (bare_a, bare_b): without, (bare_b, bare_a): without})
    judgement, = Judge(Settings(), nli).judge_pairs([al], claims)
    findings = build_findings(list(claims.values()),
                              [Article("a", "s", "a", "", "a.txt", TUESDAY, ((0, 30),)),
                               Article("b", "s", "b", "", "b.txt", FRIDAY, ((0, 30),))],
                              [judgement], [], np.zeros(2), Settings())
    contradictions = [f for f in findings if f.kind == "contradiction"]
    if confirmed:
        assert judgement.label == "contradict"
        assert judgement.alignment.mismatches[0].confirmed_by == (pytest.approx(as_written),
                                                                  pytest.approx(without))
        assert "left out" in contradictions[0].reason
    else:
        assert judgement.label != "contradict" and not contradictions
        # unconfirmed, a loose mismatch is none at all; a weak one still bars agreement
        assert len(judgement.alignment.mismatches) == (corroborate == "weak")
        assert judgement.label == "unrelated" or corroborate == "loose"


@pytest.mark.parametrize("content, span, kind, expected", [
    ("The vote does not mark the first time.", "does not mark", "polarity",
     "The vote does mark the first time."),
    ("He won't run again.", "won't run", "polarity", "He will run again."),
    ("The warehouse was nearly destroyed.", "nearly destroyed", "polarity",
     "The warehouse was destroyed."),
    ("The board met on Friday to vote.", "Friday", "time", "The board met to vote."),
    ("Delegates met in Baltimore, then voted.", "Baltimore", "place", "Delegates met, then voted."),
    ("The board met on Friday.", "Monday", "time", None),
])
def test_a_mismatch_is_taken_out_with_the_word_that_leads_it_in(content, span, kind, expected):
    assert without_mismatch(content, Span(span, 0, len(span)), kind) == expected


def test_a_contradiction_shows_only_the_mismatches_that_count():
    text_a = "The Senate passed the harbour bill on Tuesday."
    text_b = "The Senate failed the harbour bill on Friday."
    claims = {"a:s0": Claim("a:s0", "a", text_a, 0, len(text_a), 0, 0, text_a),
              "b:s0": Claim("b:s0", "b", text_b, 0, len(text_b), 0, 0, text_b)}

    def span(text, word):
        return Span(word, text.index(word), text.index(word) + len(word))

    outcome = Mismatch("outcome", span(text_a, "passed"), span(text_b, "failed"), "", 0.8)
    unconfirmed = Mismatch("time", span(text_a, "Tuesday"), span(text_b, "Friday"), "", 0.6,
                           corroborate="weak")
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.8), True, 0.8, ("bill",), (outcome, unconfirmed),
                   "", True, numeric=NumericCheck("none"))
    judgement, = Judge(Settings(), _TableNli({})).judge_pairs([al], claims)
    assert judgement.label == "contradict"
    finding, = [f for f in build_findings(
        list(claims.values()), [Article("a", "s", "a", "", "a.txt", text_a, ((0, 30),)),
                                Article("b", "s", "b", "", "b.txt", text_b, ((0, 30),))],
        [judgement], [], np.zeros(2), Settings()) if f.kind == "contradiction"]
    assert [m["kind"] for m in finding.details["mismatches"]] == ["outcome"]
    assert "Friday" not in finding.reason
    assert {text_a[e.start:e.end] for e in finding.evidence if e.claim_id == "a:s0"} == {"passed"}


@pytest.mark.parametrize("toll, framed", [("at least 10", True), ("at least three", False)])
def test_two_counts_that_agree_only_through_a_bound_are_no_fact_framed_two_ways(toll, framed):
    from crosscheck.align import mark_two_measures, shape_claims
    from crosscheck.models import load_parser
    from crosscheck.quantities import compare_quantities

    texts = {"a": f"The storm killed {toll} people in the harbour town, officials said.",
             "b": "The storm killed at least 10 people in the harbour town."}
    articles, claims = [], {}
    for outlet, text in texts.items():
        article = Article(outlet, "s", outlet, "", "x.txt", text, ((0, len(text)),))
        articles.append(article)
        made = make_claim(article, text, 0, 0, 0)
        claims[outlet] = dataclasses.replace(made, id=f"{outlet}:s0")
    assert claims["a"].source == "officials"
    settings = Settings()
    shapes = shape_claims(list(claims.values()), load_parser(settings.align.parser_model))
    check = compare_quantities(claims["a"].quantities, claims["b"].quantities, settings.numeric)
    assert check.status == "consistent"
    al = Alignment(ClaimPair("a:s0", "b:s0", 0.95), True, 0.9, ("kill", "storm"), (), "", False,
                   numeric=check)
    # the align stage marks two counts of one fact; the findings read the mark
    (al,) = mark_two_measures([al], {c.id: c for c in claims.values()}, settings.numeric)
    assert al.two_measures is not framed
    judgement = Judgement(al.pair, "agree", (0.8, 0.1, 0.1), (), (), check, al)
    kinds = [f.kind for f in build_findings(list(claims.values()), articles, [judgement], (),
                                            np.array([0.9, 0.9]), settings, shapes)]
    assert ("framing" in kinds) is framed
