"""Render the story and index pages: one self-contained HTML file each (inline CSS and JS)."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from crosscheck.report import views
from crosscheck.report.document import FORMAT_VERSION, unassigned_inputs
from crosscheck.types import RunResult, StoryResult


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crosscheck.report", "templates"),
        autoescape=True,  # every {{ value }} is escaped unless it is already Markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(kind_colours=views.KIND_COLOURS, format_version=FORMAT_VERSION)
    return env


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    text = (resources.files("crosscheck.report") / "assets" / name).read_text(encoding="utf-8")
    # Our own CSS/JS is inlined verbatim; it must not be able to close its element early.
    if "</" in text:
        raise ValueError(f"report asset {name} contains '</', which would end its inline element")
    return text


def _page_assets() -> dict:
    """Inline CSS/JS plus a Content-Security-Policy allowing only those exact two blocks, so
    the page makes no network request and no injected script could run."""
    css, js = _asset("report.css"), _asset("report.js")
    policy = ("default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
              f"style-src '{_sha256(css)}'; script-src '{_sha256(js)}'")
    return {"css": Markup(css), "js": Markup(js), "csp": policy}


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def render_story(story: StoryResult, result: RunResult, inputs: list, max_findings: int,
                 links: dict[str, str] | None = None) -> str:
    page = views.story_page(story, result, inputs, max_findings, links)
    return _environment().get_template("report.html.j2").render(page=page, **_page_assets())


def render_index(stories: list[tuple[StoryResult, str]], result: RunResult) -> str:
    return _environment().get_template("index.html.j2").render(
        rows=views.index_rows(stories), kinds=views.kind_counts([]),
        standalone=views.standalone_rows(result), grouped=result.grouped,
        inputs=unassigned_inputs(result), models=list(result.models),
        failed=list(result.failed), **_page_assets())
