"""Reading article folders into :class:`Article` records.

Every file under a folder is accounted for by at least one :class:`InputRecord`: used, or
skipped with a reason a user can act on. A bad file never raises; only unusable arguments
(a folder that does not exist) raise :class:`InputError`.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from crosscheck.config import IngestSettings
from crosscheck.errors import InputError
from crosscheck.textfix import BinaryContent, decode_bytes, repair_text, replace_surrogates
from crosscheck.types import Article, InputRecord

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
# Below this many words the English test is too noisy to trust.
_MIN_WORDS_FOR_LANGUAGE_TEST = 25
# The English test looks at this many words at most: enough to tell, and a huge file costs
# no more memory than a normal article.
_LANGUAGE_SAMPLE_WORDS = 5000
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ODD_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")
# libxml2 (under lxml and trafilatura) stops parsing HTML nested deeper than this.
_HTML_MAX_DEPTH = 255
_MAX_TITLE_CHARS = 200

# Very common English function words: news prose in English is roughly 35-50 % these,
# other languages a few percent (their own "a", "in", "was" are the overlap).
_ENGLISH_WORDS = frozenset("""
the of and to a in is that for it on was with as by he at from his be this are have an
has not they but or were which had their been its said who will would we there after more
one also about than i you she her all can into when what our them could up out
""".split())

_TEXT_FIELDS = ("text", "body", "content", "article")
_TITLE_FIELDS = ("title", "headline")
_OUTLET_FIELDS = ("outlet", "source", "publisher", "site", "sitename")
_DATE_FIELDS = ("date", "published", "published_at", "publish_date")
_URL_FIELDS = ("url", "link")
_NO_JSON_TEXT = ("JSON has no article text (expected 'text', 'body', 'content' or "
                 "'body-paragraphs')")

_JSON_TOO_DEEP = "JSON nested too deeply to read"

StoryEntry = tuple[str, tuple[Article, ...], tuple[InputRecord, ...]]


class Skip(Exception):
    """Raised inside the readers; ``str(skip)`` is the reason recorded for the input."""


@dataclass
class _Draft:
    """An article before its story (and so its id) is known."""

    record_path: str
    outlet: str
    title: str
    paragraphs: list[str]
    date: str | None = None
    url: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Outcome:
    """What became of one input (a file, a JSONL line, a JSON list element)."""

    path: str
    draft: _Draft | None = None
    reason: str = ""
    folder_story: str = ""  # the story of the folder the input came from


# --- public API ---------------------------------------------------------------------------

def read_stories(folders: Sequence[str | Path], settings: IngestSettings) -> list[StoryEntry]:
    """One entry per story: (story name, articles, input records).

    Each folder is one story named after the folder (made unique if two folders share a
    name), unless ``settings.story_key`` is set: then articles carrying that metadata field
    (BASIL: 'triplet-uuid') are grouped by its value, which names the story; articles without
    it stay in a story named after their folder. A folder with no usable article still yields
    its story, with every file recorded as skipped.
    """
    roots = [_check_folder(folder) for folder in folders]
    folder_names = _unique_names([_folder_name(root) for root in roots])
    seen_texts: dict[str, str] = {}  # hash of the normalised body -> first input with it
    outcomes: list[_Outcome] = []
    for root, name in zip(roots, folder_names):
        for outcome in _read_folder(root, settings):
            outcome.folder_story = name
            if outcome.draft is not None:
                _check_duplicate(outcome, seen_texts)
            outcomes.append(outcome)
    return _assemble_stories(outcomes, folder_names, settings.story_key)


# --- folders ------------------------------------------------------------------------------

def _check_folder(folder: str | Path) -> Path:
    path = Path(folder)
    if not path.exists():
        raise InputError(f"{folder}: folder not found")
    if not path.is_dir():
        raise InputError(f"{folder}: not a folder (give the folder that holds the articles)")
    return path


def _folder_name(root: Path) -> str:
    return root.name or root.resolve().name or "story"


def _unique_names(names: Sequence[str]) -> list[str]:
    unique: list[str] = []
    taken: set[str] = set()
    for name in names:
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name}-{n}", n + 1
        taken.add(candidate)
        unique.append(candidate)
    return unique


def _walk_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path as the user would write it, or a skip reason "" when readable) for every
    non-hidden entry under root, sorted; symlinked folders are reported, not followed."""
    problems: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=problems.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                yield here / name, "symlinked folder not followed"
        for name in sorted(f for f in filenames if not f.startswith(".")):
            yield here / name, ""
    for problem in problems:  # unreadable subfolders
        yield Path(problem.filename), _os_error_reason(problem)


def _read_folder(root: Path, settings: IngestSettings) -> Iterator[_Outcome]:
    real_root = root.resolve()
    for path, problem in _walk_files(root):
        if problem:
            if path.is_symlink() and not _is_inside(path.resolve(), real_root):
                problem = "symlink points outside the folder"
            yield _Outcome(str(path), reason=problem)
            continue
        try:
            yield from _read_file(path, real_root, settings)
        except Skip as skip:
            yield _Outcome(str(path), reason=str(skip))
        except OSError as error:
            yield _Outcome(str(path), reason=_os_error_reason(error))
        except Exception as error:  # a reader bug must not lose the other files
            yield _Outcome(str(path), reason=f"could not read: {type(error).__name__}: {error}")


def _is_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _os_error_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"could not read: {error.strerror or error}"


# --- one file -----------------------------------------------------------------------------

def _resolve_link(path: Path) -> Path:
    try:
        return path.resolve()
    except RuntimeError:  # Python < 3.13: "Symlink loop from ..."
        raise Skip("symlink loop (it never reaches a file)") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Skip("symlink loop (it never reaches a file)") from None
        raise


def _read_file(path: Path, real_root: Path, settings: IngestSettings) -> Iterator[_Outcome]:
    if path.is_symlink():
        target = _resolve_link(path)
        if not _is_inside(target, real_root):
            raise Skip("symlink points outside the folder")
        if not target.exists():
            raise Skip("broken symlink (target does not exist)")
    if not path.is_file():
        raise Skip("not a regular file")  # a FIFO or device would block or never end
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise Skip(f"unsupported file type {suffix}" if suffix
                   else "unsupported file type (no extension)")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise Skip(f"larger than {settings.max_file_bytes} bytes")
    if size == 0:
        raise Skip("empty file")
    try:
        decoded = decode_bytes(path.read_bytes())
    except BinaryContent as binary:
        raise Skip(str(binary)) from None
    if not decoded.text.strip():
        raise Skip("empty file (whitespace only)")
    notes = [decoded.note] if decoded.note else []
    if suffix == ".jsonl":
        yield from _read_jsonl(path, decoded.text, notes, settings)
    elif suffix == ".json":
        yield from _read_json(path, decoded.text, notes, settings)
    else:
        reader = {".txt": _parse_txt, ".md": _parse_markdown, ".markdown": _parse_markdown,
                  ".html": _parse_html, ".htm": _parse_html}[suffix]
        draft = reader(decoded.text, path)
        draft.notes[:0] = notes
        yield _finish(draft, settings)


def _finish(draft: _Draft, settings: IngestSettings) -> _Outcome:
    """Repair the text and apply the length and language tests."""
    try:
        _repair(draft)
        _check_length_and_language(draft.paragraphs, settings)
    except Skip as skip:
        return _Outcome(draft.record_path, reason=str(skip))
    return _Outcome(draft.record_path, draft=draft, reason="; ".join(draft.notes))


def _repair(draft: _Draft) -> None:
    body = repair_text("\n".join(draft.paragraphs))
    title = repair_text(draft.title)
    draft.paragraphs = _split_paragraphs(body.text)
    draft.title = title.text.strip()
    if body.mojibake_fixed or title.mojibake_fixed:
        draft.notes.append("mojibake repaired")
    restored = body.quotes_restored + title.quotes_restored
    if restored:
        draft.notes.append(f"encoding repaired: {restored} damaged quotes/dashes restored")


def _check_length_and_language(paragraphs: Sequence[str], settings: IngestSettings) -> None:
    if not paragraphs:
        raise Skip("no article text")
    runs = (m.group().lower() for p in paragraphs for m in _LETTER_RUN.finditer(p))
    words = list(itertools.islice(runs, max(_LANGUAGE_SAMPLE_WORDS, settings.min_words)))
    if len(words) < settings.min_words:
        raise Skip(f"only {len(words)} word{'s' * (len(words) != 1)} "
                   f"(minimum {settings.min_words})")
    if len(words) >= _MIN_WORDS_FOR_LANGUAGE_TEST:
        ratio = sum(w in _ENGLISH_WORDS for w in words) / len(words)
        if ratio < settings.min_english_ratio:
            raise Skip(f"not English ({round(ratio * 100)}% common English words)")


def _check_duplicate(outcome: _Outcome, seen_texts: dict[str, str]) -> None:
    # " ".join(text.split()) without its list of every word (millions for a 50 MB file):
    # only whitespace that is not already a single space is replaced.
    normalised = _ODD_WHITESPACE.sub(" ", " ".join(outcome.draft.paragraphs)).strip().lower()
    key = hashlib.sha256(normalised.encode("utf-8", "replace")).hexdigest()
    first = seen_texts.setdefault(key, outcome.path)
    if first != outcome.path:
        outcome.draft = None
        outcome.reason = f"duplicate of {first}"


# --- plain text and markdown --------------------------------------------------------------

def _split_paragraphs(text: str) -> list[str]:
    """Non-empty lines: many sources put one paragraph per line without blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return len(line) <= _MAX_TITLE_CHARS and not re.search(r"[.!?][\"'”’»)]*$", line)


def _parse_txt(text: str, path: Path) -> _Draft:
    """Title from the first line when it reads like one. Scraped text often opens with the
    page's address and has a dateline under the title: those become the url and date, not
    the title or the body."""
    lines = _split_paragraphs(text)
    url = None
    if len(lines) >= 2 and _is_url_line(lines[0]):
        url, lines = "".join(lines[0].split()), lines[1:]  # "http:// www. x. com/a" → joined
    title, date = "", None
    for _ in range(2):  # the title and the dateline, in either order
        if len(lines) < 2:
            break
        found = _dateline(lines[0]) if not date and len(lines[0]) <= _MAX_DATELINE_CHARS else None
        if found:
            date, lines = found, lines[1:]
        elif not title and _looks_like_title(lines[0]):
            title, lines = lines[0], lines[1:]
    return _Draft(str(path), _outlet_from_name(path), title, lines,
                  date=date or _url_date(url), url=url)


# A date in a page's address: ".../2008/12/16/...", ".../2008-12-23/...", "?ymd=20081216".
_URL_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[/-])(?P<mm>\d{1,2})(?P=sep)"
                       r"(?P<day>\d{1,2})(?!\d)|\bymd=(?P<y2>(?:19|20)\d\d)(?P<m2>\d\d)(?P<d2>\d\d)\b")


def _url_date(url: str | None) -> str | None:
    """The ISO date a page's address holds, if any (year, month and day)."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = ((match["year"], match["mm"], match["day"]) if match["year"]
                        else (match["y2"], match["m2"], match["d2"]))
    return _iso_date(f"{year}-{month}-{day}")


_URL_START = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
# Three plain words in a row: a sentence, not an address.
_WORD_RUN = re.compile(r"(?:^|\s)[A-Za-z]+\s+[a-z]+\s+[a-z]+(?:\s|$)")


def _is_url_line(line: str) -> bool:
    """An address on its own line, also one that detokenising split with spaces
    ("http:// www. x. com/a _ b. html")."""
    return bool(_URL_START.match(line)) and not _WORD_RUN.search(line)


_MAX_DATELINE_CHARS = 80
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
         r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATELINE_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mm>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<mm>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),  # US order
)


# What a dateline holds beside its date: a time, a zone, a weekday, "Posted:", "Updated".
_DATELINE_WORDS = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?|\b(?-i:[A-Z]{2,4})\b|\b(?:posted|updated|published|"
    r"last|on|at|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|"
    r"fri|sat|sun)\b", re.IGNORECASE)


def _dateline(line: str) -> str | None:
    """The ISO date of a short line that is a dateline ("April 7th, 2012 12:30pm EDT",
    "Posted: 04/9/2012 8:33 am"), else None. A line ending like a sentence is body text."""
    if re.search(r"[.!?]\W*$", line) and not re.search(r"\b(?:am|pm)\.?$", line, re.IGNORECASE):
        return None
    for pattern in _DATELINE_PATTERNS:
        match = pattern.search(line)
        if not match:
            continue
        rest = _DATELINE_WORDS.sub(" ", line[:match.start()] + " " + line[match.end():])
        if len(re.findall(r"[A-Za-z]{2,}", rest)) > 2:
            return None  # a headline with a date in it: "Ten years after September 11, 2001"
        parts = match.groupdict()
        month = (_MONTHS.get(parts["month"].lower().rstrip(".")) if parts.get("month")
                 else int(parts["mm"]))
        try:
            return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
        except (TypeError, ValueError):
            continue
    return None


def _parse_markdown(text: str, path: Path) -> _Draft:
    front, body = _split_front_matter(text)
    lines = _split_paragraphs(body)
    title = front.pop("title", "")
    if lines and lines[0].startswith("# "):
        heading = _strip_markdown(lines[0])
        lines = lines[1:]
        title = title or heading
    paragraphs = [p for p in (_strip_markdown(line) for line in lines) if p]
    draft = _Draft(str(path), _outlet_from_name(path), title, paragraphs)
    _apply_metadata(draft, front)
    return draft


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` front matter between ``---`` lines; no nested YAML."""
    text = text.lstrip("\ufeff")
    match = re.match(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    front: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-", "#")):
            front[key.strip().lower()] = _unquote(value.strip())
    return front, text[match.end():]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_MARKDOWN_RULES = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),  # heading hashes
    (re.compile(r"^\s{0,3}>\s?"), ""),  # block quotes
    (re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+"), ""),  # list markers
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
)


def _strip_markdown(line: str) -> str:
    if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):  # horizontal rule
        return ""
    for pattern, replacement in _MARKDOWN_RULES:
        line = pattern.sub(replacement, line)
    return line.strip()


# --- HTML ---------------------------------------------------------------------------------

def _parse_html(text: str, path: Path) -> _Draft:
    import trafilatura  # slow to import; only HTML inputs need it

    document = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    body = (document.text or "") if document is not None else ""
    paragraphs = _split_paragraphs(body)
    too_deep = _html_too_deep(text)
    if not paragraphs:
        if too_deep:
            raise Skip(f"HTML nested more than {_HTML_MAX_DEPTH} levels deep; no article "
                       "text before that point")
        raise Skip("no article body found in HTML")
    title = (document.title or "").strip()
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # trafilatura repeats the headline as the first line
    draft = _Draft(str(path), _outlet_from_name(path), title, paragraphs)
    if too_deep:
        draft.notes.append(f"HTML nested more than {_HTML_MAX_DEPTH} levels deep: text from "
                           "that point on was not read")
    _apply_metadata(draft, {"sitename": document.sitename or "", "date": document.date or "",
                            "url": document.url or ""}, keep_rest=False)
    return draft


def _html_too_deep(text: str) -> bool:
    """True when libxml2 gave up on the document for being nested too deeply (it then
    silently drops everything from that point on)."""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8")
    try:
        etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        pass
    return any("Excessive depth" in entry.message for entry in parser.error_log)


# --- JSON and JSONL -----------------------------------------------------------------------

def _read_json(path: Path, text: str, notes: list[str],
               settings: IngestSettings) -> Iterator[_Outcome]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Skip(f"invalid JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise Skip(_JSON_TOO_DEEP) from None
    if isinstance(data, list):
        if not data:
            raise Skip("JSON list is empty")
        for index, item in enumerate(data):
            yield _json_article(item, f"{path}[{index}]", path, notes, settings)
    else:
        yield _json_article(data, str(path), path, notes, settings)


def _read_jsonl(path: Path, text: str, notes: list[str],
                settings: IngestSettings) -> Iterator[_Outcome]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue  # blank lines separate nothing in JSONL; not an input of their own
        record_path = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield _Outcome(record_path, reason=f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield _Outcome(record_path, reason=_JSON_TOO_DEEP)
            continue
        yield _json_article(item, record_path, path, notes, settings)


def _json_article(item: Any, record_path: str, path: Path, notes: list[str],
                  settings: IngestSettings) -> _Outcome:
    if not isinstance(item, dict):
        return _Outcome(record_path, reason=f"JSON is not an article object "
                                            f"(got {_json_type(item)})")
    paragraphs = _json_paragraphs(item)
    if paragraphs is None:
        return _Outcome(record_path, reason=_NO_JSON_TEXT)
    title = next((item[k].strip() for k in _TITLE_FIELDS if isinstance(item.get(k), str)), "")
    draft = _Draft(record_path, _outlet_from_name(path), title, paragraphs, notes=list(notes))
    consumed = {*_TEXT_FIELDS, "body-paragraphs", *_TITLE_FIELDS}
    _apply_metadata(draft, {k: v for k, v in item.items() if k not in consumed})
    return _finish(draft, settings)


def _json_type(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _json_paragraphs(item: dict[str, Any]) -> list[str] | None:
    """Paragraphs from the first text field present, or None when there is none."""
    for key in _TEXT_FIELDS:
        if isinstance(item.get(key), str) and item[key].strip():
            return _split_paragraphs(item[key])
    nested = item.get("body-paragraphs")
    if isinstance(nested, list):
        # BASIL: a list of paragraphs, each a list of its sentences.
        paragraphs = []
        for paragraph in nested:
            if isinstance(paragraph, list):
                paragraph = " ".join(s.strip() for s in paragraph if isinstance(s, str))
            if isinstance(paragraph, str) and paragraph.strip():
                paragraphs.append(" ".join(paragraph.split()))
        if paragraphs:
            return paragraphs
    return None


# --- metadata -----------------------------------------------------------------------------

def _apply_metadata(draft: _Draft, fields: dict[str, Any], keep_rest: bool = True) -> None:
    """Outlet, date and url from the usual field names; other scalars kept as metadata."""
    strings = {k: _scalar_text(v) for k, v in fields.items()}
    strings = {k: v for k, v in strings.items() if v}
    used: set[str] = set()
    for names, setter in ((_OUTLET_FIELDS, lambda v: setattr(draft, "outlet", v)),
                          (_DATE_FIELDS, lambda v: setattr(draft, "date", _iso_date(v))),
                          (_URL_FIELDS, lambda v: setattr(draft, "url", v))):
        for name in names:
            if name in strings:
                setter(strings[name])
                used.add(name)
                break
    if keep_rest:
        draft.metadata.update({k: v for k, v in strings.items() if k not in used})


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return ""


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y",
                 "%Y%m%d")


def _iso_date(value: str) -> str | None:
    """'YYYY-MM-DD' when the value is a recognisable date (time parts ignored), else None."""
    value = value.strip()
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])", value)
    candidates = [f"{match.group(1)}-{match.group(2)}-{match.group(3)}"] if match else [value]
    for candidate in candidates:
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(candidate, fmt).date().isoformat()
            except ValueError:
                continue
    return None


def _outlet_from_name(path: Path) -> str:
    """'bbc.txt' → 'bbc'; 'reuters--troops.md' → 'reuters'."""
    stem = path.stem
    return stem.split("--")[0] if "--" in stem else stem


# --- stories ------------------------------------------------------------------------------

def _assemble_stories(outcomes: list[_Outcome], folder_names: list[str],
                      story_key: str) -> list[StoryEntry]:
    order: list[str] = []  # story names in order of first appearance
    members: dict[str, list[_Outcome]] = {}
    for name in folder_names:
        order.append(name)
        members[name] = []
    for outcome in outcomes:
        story = outcome.folder_story
        if story_key and outcome.draft is not None and outcome.draft.metadata.get(story_key):
            story = outcome.draft.metadata[story_key]
        if story not in members:
            order.append(story)
            members[story] = []
        members[story].append(outcome)
    slugs = dict(zip(order, _unique_names([_slug(name) for name in order])))
    folders_with_inputs = {o.folder_story for o in outcomes}
    stories = []
    for story in order:
        if story_key and not members[story] and story in folders_with_inputs:
            continue  # every input of this folder went to a story named by its key
        stories.append(_build_story(story, slugs[story], members[story]))
    return stories


def _build_story(story: str, slug: str, outcomes: list[_Outcome]) -> StoryEntry:
    """Every string leaving ingest is valid Unicode: lone surrogates (from file names that are
    not UTF-8, or JSON \\ud800 escapes) become U+FFFD, so no writer can fail on them."""
    clean = replace_surrogates
    story = clean(story)
    articles: list[Article] = []
    records: list[InputRecord] = []
    for outcome in outcomes:
        if outcome.draft is None:
            records.append(InputRecord(clean(outcome.path), "skipped", clean(outcome.reason)))
            continue
        article = _to_article(outcome.draft, story, f"{slug}/{len(articles) + 1}")
        articles.append(article)
        records.append(InputRecord(clean(outcome.path), "used", clean(outcome.reason),
                                   (article.id,)))
    return story, tuple(articles), tuple(records)


def _to_article(draft: _Draft, story: str, article_id: str) -> Article:
    clean = replace_surrogates
    text, spans = _join_paragraphs(draft.paragraphs)  # repaired, so already clean
    return Article(id=article_id, story=story, outlet=clean(draft.outlet),
                   title=clean(draft.title), path=clean(draft.record_path), text=text,
                   paragraphs=spans, date=draft.date, url=draft.url and clean(draft.url),
                   metadata=tuple((clean(k), clean(v)) for k, v in draft.metadata.items()))


def _join_paragraphs(paragraphs: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    spans = []
    position = 0
    for paragraph in paragraphs:
        spans.append((position, position + len(paragraph)))
        position += len(paragraph) + 2  # the "\n\n" separator
    return "\n\n".join(paragraphs), tuple(spans)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "story"


# --- an earlier run's stories -------------------------------------------------------------

def assignment_key(path: str, title: str) -> str:
    """Which article a ``stories.csv`` row is: its input path (``feed.jsonl:12`` for a line of
    a JSONL file) and its title, so that a feed that was reordered or edited does not pin
    another article into an old story."""
    return f"{path}\x1f{' '.join((title or '').split()).casefold()}"


def read_story_assignments(path: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """:func:`assignment_key` → (story, folder) from an earlier run's ``stories.csv``, and ""
    or what made the file unusable (then the mapping is empty). A missing file is no problem:
    the first run has none. Rows without a story (skipped inputs) are left out."""
    import csv

    from crosscheck.report.tables import uncell

    if not path.is_file():
        return {}, ""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return {}, f"cannot read {path} ({error})"
    if rows and not {"path", "story", "folder"} <= set(rows[0]):
        return {}, f"{path} has no path, story and folder columns"
    found = {}
    for row in rows:
        story = uncell(row.get("story") or "")
        if story:
            key = assignment_key(uncell(row.get("path") or ""), uncell(row.get("title") or ""))
            found[key] = (story, row.get("folder") or "")
    return found, ""
