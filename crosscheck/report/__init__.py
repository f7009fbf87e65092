"""The report stage: the only stage that writes output.

Per story, ``OUTDIR/<story-slug>/`` gets ``report.html`` (one self-contained page: inline CSS
and JS, no network requests), ``findings.json`` (versioned, see :data:`FORMAT_VERSION`),
``claims.csv`` and ``pairs.csv``; with more than one story (or stories grouped from a pile),
``OUTDIR/index.html`` links them and lists the stories whose analysis failed. A grouped pile
also gets ``OUTDIR/stories.csv``: every input with its story.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from pathlib import Path

from crosscheck.config import ReportSettings
from crosscheck.errors import CrosscheckError
from crosscheck.files import write_text_atomic
from crosscheck.report.document import FORMAT_VERSION, story_document, story_inputs
from crosscheck.report.html import render_index, render_story
from crosscheck.report.tables import claims_frame, pairs_frame, stories_frame
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


def write_reports(result: RunResult, outdir: Path, settings: ReportSettings,
                  only: Collection[str] | None = None, index: bool | None = None) -> list[Path]:
    """Per story: OUTDIR/<story-slug>/report.html (self-contained), findings.json, claims.csv,
    pairs.csv (pandas DataFrame.to_csv), only the formats in settings.formats; plus OUTDIR/index.html
    linking the stories with per-story counts (and listing the stories that failed, with their
    reasons) when there is more than one story, the stories were grouped from a pile, or a
    story failed, and then OUTDIR/stories.csv (every input, its story and folder).
    Returns the paths written. The story slug is made from the story name with only [a-z0-9-_]
    characters, so a hostile story name can never write outside OUTDIR; slugs unique within the
    run, and never an existing file or symlink in OUTDIR. A story an earlier run wrote keeps its
    folder (``StoryResult.folder``, passed through the same slug function).

    Every file is rendered before the first is written, so a rendering error writes nothing;
    each file is then written atomically (temp file in the same folder + os.replace), so a
    failure or interruption leaves the previous file in place and no temp file behind. Nothing
    but these files (and their folders) is created, and nothing is deleted.
    A file-system error becomes a :class:`CrosscheckError` naming the path.

    ``only``: write the files of just these stories (by name), with the index and stories.csv
    for all of ``result``: a run writes each story as it is done. Folder names do not depend
    on ``only``, so each story keeps its folder from one call to the next. ``index``: write
    OUTDIR/index.html (with html among the formats) whatever the number of stories done."""
    outdir = Path(outdir)
    formats = set(settings.formats)
    planned: list[tuple[Path, str]] = []  # (path, content), in writing order
    taken = _unusable_names(outdir)  # nothing is written before the loop ends
    index_entries = []
    kept: dict[str, str] = {}  # an earlier run's folder: stable across runs, one story each
    for story in result.stories:
        if story.folder:
            kept[story.story] = story_slug(story.folder, taken)
            taken.add(kept[story.story])
    folder_of: dict[str, str] = {}
    for story in result.stories:
        slug = kept.get(story.story) or story_slug(story.story, taken)
        taken.add(slug)
        folder_of[story.story] = slug
        story_dir = outdir / slug
        main_file = ("report.html" if "html" in formats else
                     "findings.json" if "json" in formats else "claims.csv")
        index_entries.append((story, f"{slug}/{main_file}"))
        if only is not None and story.story not in only:
            continue
        links = {}
        if "json" in formats:
            links["findings.json"] = "findings.json"
        if "csv" in formats:
            links.update({"claims.csv": "claims.csv", "pairs.csv": "pairs.csv"})
        if "html" in formats:
            html = render_story(story, result, story_inputs(story, result), settings.max_findings,
                                links)
            planned.append((story_dir / "report.html", html))
        if "json" in formats:
            text = json.dumps(story_document(story, result), ensure_ascii=False, indent=2,
                              allow_nan=False)
            planned.append((story_dir / "findings.json", text + "\n"))
        if "csv" in formats:
            for name, frame in (("claims.csv", claims_frame(story)),
                                ("pairs.csv", pairs_frame(story))):
                planned.append((story_dir / name, frame.to_csv(index=False)))
    if index is None:
        index = len(result.stories) > 1 or result.grouped or bool(result.failed)
    if "html" in formats and index:
        planned.append((outdir / "index.html", render_index(index_entries, result)))
    if result.grouped:
        planned.append((outdir / "stories.csv",
                        stories_frame(result, folder_of).to_csv(index=False)))
    written: list[Path] = []
    for path, content in planned:
        try:
            written.append(write_text_atomic(path, content))
        except OSError as error:
            raise CrosscheckError(f"cannot write {path}: {error.strerror or error}") from None
    return written


def _unusable_names(outdir: Path) -> set[str]:
    """Entries of OUTDIR a story folder must not take: files (never replaced by a folder)
    and symlinks (which could lead the writes outside OUTDIR)."""
    try:
        return {entry.name for entry in outdir.iterdir()
                if entry.is_symlink() or not entry.is_dir()}
    except OSError:  # OUTDIR does not exist yet (or cannot be listed: the write will say so)
        return set()
