"""The example story's HTML report in a real headless browser (Debian's chromium).

Renders examples/harbour-fire with the fake models, opens the page in /usr/bin/chromium driven
by playwright (its bundled driver; no browser download), and checks that the page loads with
no console errors and no network requests, and that the filters work, by mouse and keyboard.
Saves screenshots to test-artifacts/. Skipped when chromium or playwright is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Flags that work headless as root in a container, with no network and no first-run work.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium "
                                       "(apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="needs the playwright package (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        # A persistent context gives chromium a fresh --user-data-dir of our own.
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, offline=True)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def report(tmp_path, analyser, monkeypatch) -> Path:
    from conftest import EXAMPLE_STORY

    from crosscheck import pipeline
    from crosscheck.config import Settings
    from crosscheck.report import views, write_reports

    # Fold after two findings per kind so the "show more" part is exercised too.
    monkeypatch.setattr(views, "FOLD_AFTER", {})
    monkeypatch.setattr(views, "_FOLD_DEFAULT", 2)
    settings = Settings()
    result = pipeline.run(settings, [EXAMPLE_STORY], analyser=analyser)
    paths = write_reports(result, tmp_path / "out", settings.report)
    return next(p for p in paths if p.name == "report.html")


def _open(context, path: Path):
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"request: {r.url}")
            if not r.url.startswith("file:") else None)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


def _visible_kinds(page) -> list[str]:
    return page.eval_on_selector_all(
        ".finding", "cards => cards.filter(c => !c.hidden).map(c => c.dataset.kind)")


def _wait_all_shown(page, total: int) -> None:
    # A function, not an expression: the page's CSP forbids eval of strings.
    page.wait_for_function("n => document.querySelectorAll('.finding:not([hidden])').length == n",
                           arg=total)


def _status(page) -> tuple[int, int]:
    text = page.inner_text("#f-status")
    match = re.match(r"(\d+) of (\d+) findings shown", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def test_report_loads_and_filters_work(browser, report):
    page, problems = _open(browser, report)
    try:
        assert "Harbour" in page.title() or page.inner_text("h1")
        assert page.is_visible("#filters")  # JS ran: the form is unhidden
        kinds = page.eval_on_selector_all(".finding", "cards => cards.map(c => c.dataset.kind)")
        total = len(kinds)
        assert total >= 5 and len(set(kinds)) >= 3
        assert _status(page) == (total, total)
        assert page.is_visible("#more-findings")  # folded lower-ranked findings

        # Kind filter, by keyboard: focus a checkbox, Space unticks it.
        kind = kinds[0]
        page.focus(f"input[name=kind][value={kind}]")
        page.keyboard.press("Space")
        assert not page.is_checked(f"input[name=kind][value={kind}]")
        visible = _visible_kinds(page)
        assert kind not in visible and len(visible) == total - kinds.count(kind)
        assert _status(page) == (total - kinds.count(kind), total)
        page.click("button[type=reset]")
        _wait_all_shown(page, total)
        assert _status(page) == (total, total)

        # Search: a word some findings contain; a word none contains.
        word = "bay herald"
        expected = page.eval_on_selector_all(
            ".finding", "(cards, w) => cards.filter(c => c.textContent.toLowerCase().includes(w)).length",
            word)
        assert 0 < expected < total
        page.fill("#f-search", word)
        assert _status(page)[0] == expected == len(_visible_kinds(page))
        page.fill("#f-search", "no such words anywhere")
        assert _status(page)[0] == 0 and page.is_visible("#f-none")
        # A search that matches a folded finding opens the fold.
        folded_text = page.eval_on_selector(
            "#more-findings .finding blockquote", "el => el.textContent.trim().slice(0, 40)")
        page.fill("#f-search", folded_text)
        assert page.eval_on_selector("#more-findings", "el => el.open")
        page.fill("#f-search", "")

        # Minimum score: the slider by keyboard (5% a step), then set to 60%.
        page.focus("#f-score")
        page.keyboard.press("ArrowRight")
        assert page.inner_text("#f-score-out") == "5%"
        page.eval_on_selector("#f-score", "el => { el.value = 60; "
                              "el.dispatchEvent(new Event('input', {bubbles: true})); }")
        scores = page.eval_on_selector_all(
            ".finding", "cards => cards.map(c => [Number(c.dataset.score), !c.hidden])")
        assert all(shown == (score >= 0.6 - 1e-9) for score, shown in scores)
        assert _status(page)[0] == sum(shown for _, shown in scores) < total

        # Outlet filter: only findings involving that outlet.
        page.select_option("#f-outlet", index=1)
        wanted = page.eval_on_selector("#f-outlet", "el => el.value")
        cards = page.eval_on_selector_all(
            ".finding", "cards => cards.map(c => [Number(c.dataset.score), "
                        "c.dataset.outlets.split(' ')])")
        expected = sum(score >= 0.6 - 1e-9 and wanted in outlets for score, outlets in cards)
        assert 0 < _status(page)[0] == expected
        page.click("button[type=reset]")
        _wait_all_shown(page, total)

        # "show in context" opens the collapsed article and shows the sentence.
        page.click(".finding .context >> nth=0")
        target = page.eval_on_selector(".finding .context >> nth=0", "a => a.hash.slice(1)")
        page.wait_for_selector(f"[id='{target}']", state="visible")

        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "report-top.png"))
        page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
        assert problems == []
    finally:
        page.close()


def test_report_without_javascript_lists_everything(browser, report, tmp_path):
    # A copy with the script removed behaves as a browser with JavaScript off.
    html = report.read_text("utf-8")
    no_js = tmp_path / "no-js.html"
    no_js.write_text(re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL), "utf-8")
    page, problems = _open(browser, no_js)
    try:
        assert not page.is_visible("#filters")
        assert not page.is_visible("#review-bar") and not page.is_visible(".finding .review >> nth=0")
        assert all(not hidden for hidden in page.eval_on_selector_all(
            ".finding", "cards => cards.map(c => c.hidden)"))
        page.click("#more-findings > summary")  # native <details>: works without JS
        assert page.eval_on_selector("#more-findings", "el => el.open")
        assert problems == []
    finally:
        page.close()


def test_print_layout_shows_every_finding(browser, report):
    page, problems = _open(browser, report)
    try:
        page.fill("#f-search", "no such words anywhere")
        page.emulate_media(media="print")
        hidden = page.eval_on_selector_all(
            ".finding", "cards => cards.filter(c => getComputedStyle(c).display == 'none').length")
        assert hidden == 0
        assert not page.is_visible("#filters")
        assert page.is_visible("#more-findings .finding >> nth=0")  # folded ones print too
        assert problems == []
    finally:
        page.close()


def test_index_fits_a_laptop_window_with_every_kind_column(browser, tmp_path, analyser):
    """The index at 1280 pixels wide: all five kind columns in view, no sideways scrolling (a
    long headline wraps instead), as an editor opening a run of many stories sees it."""
    from conftest import DAM_STORY, EXAMPLE_STORY, write_story

    from crosscheck import pipeline
    from crosscheck.config import Settings
    from crosscheck.report import write_reports

    dam = dict(DAM_STORY)
    dam["river-post.txt"] = ("Regional governor under pressure as questions mount over the "
                             "inspections of the Lindenfeld dam before its collapse\n"
                             + dam["river-post.txt"].split("\n", 1)[1])
    folders = [EXAMPLE_STORY, write_story(tmp_path / "2b95d2cf0e5a4b7c9d1e3f5a7b9c1d3e", dam)]
    settings = Settings()
    paths = write_reports(pipeline.run(settings, folders, analyser=analyser), tmp_path / "out",
                          settings.report)
    page, problems = _open(browser, next(p for p in paths if p.name == "index.html"))
    try:
        assert page.eval_on_selector_all("table.index thead .badge", "b => b.length") == 5
        assert page.eval_on_selector(".scroll", "s => s.scrollWidth - s.clientWidth") == 0
        assert problems == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "index.png"))
    finally:
        page.close()


def test_hostile_article_text_runs_nothing_and_shows_as_text(browser, tmp_path):
    from test_report import HOSTILE, make_run, make_story

    from crosscheck.config import ReportSettings
    from crosscheck.report import write_reports

    paths = write_reports(make_run(make_story(hostile=True)), tmp_path, ReportSettings(formats=("html",)))
    page, problems = _open(browser, paths[0])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.reload(wait_until="load")
        assert dialogs == [] and problems == []  # an injected script would also break the CSP
        assert page.eval_on_selector_all("script", "s => s.length") == 1
        assert page.eval_on_selector_all("textarea", "t => t.length") == 0
        # the hostile title is shown literally, and the page still ends with its footer
        assert HOSTILE in page.inner_text(".story-articles")
        assert page.is_visible("footer") and page.is_visible("#run")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-hostile.png"))
    finally:
        page.close()


def test_review_loop_mark_reload_export_tune_and_rerun(browser, tmp_path, monkeypatch,
                                                       fake_embedder, fake_nli):
    """The whole review loop: mark three findings (mouse and keys), reload, export, tune on
    the export, run again with the verdicts, and find the ones marked wrong folded away."""
    import json

    from click.testing import CliRunner
    from conftest import EXAMPLE_STORY

    from crosscheck import cli

    monkeypatch.setattr("crosscheck.models.load_embedder", lambda spec, *_: fake_embedder)
    monkeypatch.setattr("crosscheck.models.load_nli", lambda spec, threads=0: fake_nli)

    def crosscheck(*args):
        result = CliRunner().invoke(cli.main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result

    crosscheck("run", EXAMPLE_STORY, "-o", tmp_path / "first", "--quiet")
    page, problems = _open(browser, tmp_path / "first" / "harbour-fire" / "report.html")
    try:
        cards = page.eval_on_selector_all(
            ".finding", "cards => cards.map(c => [c.id, c.dataset.key, c.dataset.kind])")
        firsts = {}
        for anchor, key, _ in cards:
            firsts.setdefault(key, anchor)
        (a, key_a), (b, key_b), (c, key_c) = [(firsts[k], k) for k in list(firsts)[:3]]
        assert page.is_visible("#review-bar") and page.is_visible(f"#{a} .review")

        # Mouse: A is wrong.
        page.click(f"#{a} .mark-wrong")
        # Keyboard: from A, j down to B, mark it correct; k goes back up one.
        page.focus(f"#{a}")
        order = [anchor for anchor, _, _ in cards]
        for _ in range(order.index(b) - order.index(a)):
            page.keyboard.press("j")
        assert page.evaluate("() => document.activeElement.id") == b
        page.keyboard.press("c")
        page.keyboard.press("k")
        assert page.evaluate("() => document.activeElement.id") == order[order.index(b) - 1]
        # C: wrong, with a note typed after n; Enter leaves the note.
        page.focus(f"#{c}")
        page.keyboard.press("w")
        page.keyboard.press("n")
        note = "<b>two events</b> & not one"
        page.keyboard.type(note)
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == c

        def state():
            return page.eval_on_selector_all(
                ".finding", "cs => cs.map(c => [c.dataset.key, c.dataset.review, "
                            "c.querySelector('.review-note').value])")

        marked = {key_a: "wrong", key_b: "correct", key_c: "wrong"}
        expected = [[key, marked.get(key, "unreviewed"), note if key == key_c else ""]
                    for _, key, _ in cards]
        assert state() == expected
        total = sum(key in marked for _, key, _ in cards)
        assert page.inner_text("#review-count") == str(total)
        page.select_option("#f-review", "wrong")
        shown = page.eval_on_selector_all(".finding", "cs => cs.filter(c => !c.hidden)"
                                                      ".map(c => c.dataset.key)")
        assert sorted(set(shown)) == sorted({key_a, key_c})
        page.select_option("#f-review", "")
        ARTIFACTS.mkdir(exist_ok=True)
        page.eval_on_selector(f"#{c}", "el => el.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / "report-marking.png"))

        page.reload(wait_until="load")
        assert state() == expected  # the marks survive a reload
        with page.expect_download() as download:
            page.click("#export-verdicts")
        exported = tmp_path / "verdicts.jsonl"
        download.value.save_as(str(exported))
        assert download.value.suggested_filename == "verdicts-harbour-fire.jsonl"
    finally:
        page.close()
    lines = [json.loads(x) for x in exported.read_text("utf-8").splitlines()]
    assert [(x["verdict"], x["note"]) for x in lines] == [
        ("wrong", ""), ("correct", ""), ("wrong", note)]
    for x in lines:
        assert x["story"] == "harbour-fire" and x["finding_id"].startswith("F")
        assert x["claims"] and all(set(c) == {"outlet", "article", "text"} for c in x["claims"])
        assert x["models"] and x["settings_id"] and x["report_id"] and x["time"]
        assert 0 <= x["score"] <= 1 and x["tool_reason"]
    assert problems == [] or all(p.startswith("request: data:") for p in problems)

    tuned = tmp_path / "tuned.toml"
    assert "wrote" in crosscheck("tune", "--verdicts", exported, "-o", tuned).stdout
    second = crosscheck("run", EXAMPLE_STORY, "-o", tmp_path / "second", "-c", tuned,
                        "--verdicts", exported)
    assert "verdicts: 3 of 3 match a finding of this run" in second.stderr
    page, problems = _open(browser, tmp_path / "second" / "harbour-fire" / "report.html")
    try:
        assert page.is_visible("#dismissed > summary")
        assert not page.eval_on_selector("#dismissed", "d => d.open")  # folded
        folded = page.eval_on_selector_all("#dismissed .finding", "cs => cs.map(c => c.dataset.key)")
        listed = page.eval_on_selector_all(".finding:not(#dismissed .finding)",
                                           "cs => cs.map(c => c.dataset.key)")
        assert set(folded) == {key_a, key_c} and not {key_a, key_c} & set(listed)
        assert page.inner_text(f".finding[data-key='{key_b}'] .earlier-verdict") == \
            "Reviewed earlier: correct"
        assert page.get_attribute(f".finding[data-key='{key_b}'] .mark-correct",
                                  "aria-pressed") == "true"
        # The note came back from the file as text, not markup.
        assert page.text_content(f"#dismissed .finding[data-key='{key_c}'] .earlier-note") == note
        assert page.eval_on_selector_all("#dismissed b", "b => b.length") == 0
        page.click("#dismissed > summary")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-reviewed.png"), full_page=True)
        assert problems == []
    finally:
        page.close()
