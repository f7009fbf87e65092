"""The report stage: the only stage that writes output.

Per story, ``OUTDIR/<story-slug>/`` gets ``report.html`` (one self-contained page: inline CSS
and JS, no network requests), ``findings.json`` (versioned, see :data:`FORMAT_VERSION`),
``claims.csv`` and ``pairs.csv``; with more than one story, ``OUTDIR/index.html`` links them.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from crosscheck.config import ReportSettings
from crosscheck.report.document import FORMAT_VERSION, story_document, story_inputs
from crosscheck.report.html import render_index, render_story
from crosscheck.report.tables import claims_frame, pairs_frame
from crosscheck.types import RunResult

__all__ = ["FORMAT_VERSION", "write_reports", "story_document", "story_slug"]

_SLUG_MAX = 60


def story_slug(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A folder name made of [a-z0-9-_] only (so never ``..`` or a path separator), not in
    ``taken``: ``"North Korea: troops"`` → ``north-korea-troops``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_name.lower()).strip("-_")[:_SLUG_MAX].strip("-_")
    slug = slug or "story"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def write_reports(result: RunResult, outdir: Path, settings: ReportSettings) -> list[Path]:
    """Per story: OUTDIR/<story-slug>/report.html (self-contained), findings.json, claims.csv,
    pairs.csv (pandas DataFrame.to_csv), only the formats in settings.formats; plus OUTDIR/index.html
    linking the stories with per-story counts when there is more than one story. Returns the paths
    written. Writes atomically (temp file in the same dir + os.replace). The story slug is made
    from the story name with only [a-z0-9-_] characters, so a hostile story name can never write
    outside OUTDIR; slugs unique within the run."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    formats = set(settings.formats)
    written: list[Path] = []
    slugs: set[str] = set()
    index_entries = []
    for story in result.stories:
        slug = story_slug(story.story, slugs)
        slugs.add(slug)
        story_dir = outdir / slug
        story_dir.mkdir(exist_ok=True)
        links = {}
        if "json" in formats:
            links["findings.json"] = "findings.json"
        if "csv" in formats:
            links.update({"claims.csv": "claims.csv", "pairs.csv": "pairs.csv"})
        if "html" in formats:
            html = render_story(story, result, story_inputs(story, result), settings.max_findings,
                                links)
            written.append(_write_text(story_dir / "report.html", html))
        if "json" in formats:
            text = json.dumps(story_document(story, result), ensure_ascii=False, indent=2,
                              allow_nan=False)
            written.append(_write_text(story_dir / "findings.json", text + "\n"))
        if "csv" in formats:
            for name, frame in (("claims.csv", claims_frame(story)),
                                ("pairs.csv", pairs_frame(story))):
                written.append(_write_atomic(story_dir / name,
                                             lambda path, f=frame: f.to_csv(path, index=False)))
        main_file = ("report.html" if "html" in formats else
                     "findings.json" if "json" in formats else "claims.csv")
        index_entries.append((story, f"{slug}/{main_file}"))
    if "html" in formats and len(result.stories) > 1:
        written.append(_write_text(outdir / "index.html", render_index(index_entries, result)))
    return written


def _write_text(path: Path, text: str) -> Path:
    return _write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temp file in the same folder, then rename over ``path``: a reader
    never sees a half-written file, and a failure leaves the old file in place."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
