"""Blind review samples of a run's findings, and the tally of what the reviewers said.

Precision on real coverage is measured by review (README, Measuring): draw a fresh random
sample of each kind of finding from a run, have two or more reviewers judge it independently,
each with only the review rules and the sentences, and count correct / partly / wrong per kind
and how often the reviewers agree.

- :func:`load_runs` reads the ``findings.json`` files of one or more run folders;
- :func:`draw_sample` picks up to ``per_kind`` findings of each kind from each run, at random
  (seeded), each finding once, leaving out findings reviewed before, and shuffles them into
  numbered items;
- :func:`write_packet` writes the packet: ``key.json`` (which finding each item is, and how
  the sample was drawn: for whoever tallies) and one folder per reviewer (``r1``, ``r2``, …)
  holding the same ``items.json`` (each item's kind, its sentences with their outlets, and
  the reason the report gives), ``rules.md``, ``INSTRUCTIONS.md`` and, for claims only one
  outlet carries, the story's articles as crosscheck read them (``stories/S1.md`` …). Each
  reviewer is handed their own folder only;
- :func:`read_packet` and :func:`tally` read the reviewers' ``verdicts.json`` back and count
  them; :func:`write_verdict_lines` writes one line per item in the layout of the report's
  "Export verdicts", so that ``run --verdicts``, ``eval --format verdicts`` and ``tune
  --verdicts`` read the review (an item the reviewers disagree on is ``disputed``, which
  they skip).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.files import write_text_atomic
from crosscheck.types import FINDING_KINDS, VERDICTS
from crosscheck.verdicts import claims_key, finding_key, joined_pair_keys

PACKET_FORMAT = "1.0"
# The kinds drawn unless asked otherwise: the discrepancy kinds and agreements. A claim only
# one outlet carries is judged against the story's articles, which takes longer: on request.
DEFAULT_KINDS = ("contradiction", "numeric", "framing", "agreement")

RULES = """## Review rules

Judge each item by what its sentences say (for a claim only one outlet carries, also by the
story's articles). A verdict is `correct`, `partly` (genuinely half right; use it sparingly)
or `wrong`.

- **contradiction**: correct only if both sentences state the same fact (the same event,
  people, time and place) in ways that cannot both be true as written, or one outlet denies
  what the other asserts. Different aspects or different events, events in sequence, two
  people who disagree with each other (which both outlets may report), one sentence giving
  more detail, or sentences that agree: wrong.
- **numeric**: correct only if the two figures measure the same thing (what is counted, whose,
  when and where) and differ by more than rounding and the bounds as written ("more than",
  "about") allow. A part against its total, two different things counted, or figures of
  different days or events: wrong.
- **framing**: correct only if both sentences state the same fact and the difference the item
  names (hedged against asserted, credited to a source against stated as fact, loaded against
  neutral words) is really there, in the outlet's own voice, and matters to a reader.
  Different facts, a hedge that qualifies another clause, loaded words inside someone's
  quotation, or a difference that is not there: wrong.
- **agreement**: correct only if the sentences state the same fact and agree on it.
- **single_outlet**: correct only if the sentence states something a reader could check (a
  fact, figure or statement; not a transition or the writer's own aside) and none of the
  story's other outlets reports it, in any words. Reported by another outlet in other words,
  or credited there to someone else: wrong. Only part of it, or a vaguer version: partly.
"""

INSTRUCTIONS = """# Reviewing this sample

Work alone: do not compare notes with other reviewers, and judge from the files in this
folder only.

1. Read `rules.md`.
2. Read `items.json`. Each item has a `kind`, the `claims` (sentences, each with its outlet)
   and the `tool_reason` the report gives. An item of kind `single_outlet` also names a
   `story`: its articles are in `stories/<story>.md`, as the tool read them (the title and
   the sentences it read as claims: bylines, boilerplate, questions and very short
   sentences are left out).
3. Judge every item by the rules: `correct`, `partly` or `wrong`.
4. Write `verdicts.json` in this folder: a JSON list with one object per item,
   `{"item": 1, "verdict": "wrong", "note": "one sentence about this item"}`. Every item
   once; a note says why, about that item's own sentences.
"""

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Run:
    """The findings of one run: ``label`` (its folder's name, made unique), ``path`` as given,
    and each story's parsed ``findings.json`` with the file it came from, in path order."""

    label: str
    path: str
    stories: tuple[tuple[str, dict], ...]


@dataclass(frozen=True)
class Item:
    """One sampled finding: what a reviewer sees (``shown``) and what it is (``key``)."""

    number: int
    shown: dict
    key: dict
    story_text: str = ""  # the story's articles, for the first single-outlet item of a story


@dataclass(frozen=True)
class Sample:
    seed: int
    kinds: tuple[str, ...]
    per_kind: int
    items: tuple[Item, ...]
    available: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # run → (kind, drawable)


@dataclass(frozen=True)
class Tally:
    """Verdicts per group of items (run, kind and, for framing, aspect), and one verdicts
    line per item."""

    reviewers: tuple[str, ...]
    counts: dict[tuple[str, str, str], dict[str, Counter]]  # group → reviewer → verdicts
    items: dict[tuple[str, str, str], int]
    same: dict[tuple[str, str, str], int]  # items every reviewer judged alike
    lines: tuple[dict, ...]


def parse_kinds(text: str) -> tuple[str, ...]:
    """Comma-separated finding kinds, each once, in the order given; an unknown or empty list
    is an :class:`InputError`."""
    kinds = tuple(dict.fromkeys(k.strip() for k in text.split(",") if k.strip()))
    unknown = [k for k in kinds if k not in FINDING_KINDS]
    if unknown:
        raise InputError(f"unknown finding kind {unknown[0]!r}; expected some of "
                         f"{', '.join(FINDING_KINDS)}")
    if not kinds:
        raise InputError(f"no finding kind to draw; expected some of {', '.join(FINDING_KINDS)}")
    return kinds


def load_runs(paths: Sequence[str | Path]) -> list[Run]:
    """Each path is a run's output folder (``crosscheck run -o``: one ``findings.json`` per
    story folder), one story folder, or one ``findings.json``. A path that holds none, or a
    file that is not a findings.json crosscheck wrote, is an :class:`InputError` naming it."""
    runs: list[Run] = []
    for path in map(Path, paths):
        files = [path] if path.is_file() else sorted(path.glob("*/findings.json")) or sorted(
            path.glob("findings.json"))
        if not files:
            raise InputError(f"{path}: no findings.json in it or in its story folders")
        stories = []
        for file in files:
            try:
                story = json.loads(file.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                raise InputError(f"{file}: cannot read findings: {_why(e)}") from None
            if not isinstance(story, dict) or not all(
                    isinstance(story.get(k), list) for k in ("findings", "claims", "articles")):
                raise InputError(f"{file}: not a findings.json written by crosscheck run")
            stories.append((str(file), story))
        folder = path.parent if path.is_file() else path
        label = (folder.name if folder.name not in ("", ".", "..")
                 else folder.resolve().name) or str(path)
        taken = {run.label for run in runs}
        unique = next(name for n in range(len(runs) + 1)
                      for name in [f"{label}-{n}" if n else label] if name not in taken)
        runs.append(Run(unique, str(path), tuple(stories)))
    return runs


def _why(error: Exception) -> str:
    """An error's reason without the path it repeats."""
    return getattr(error, "strerror", None) or str(error)


def reviewed_keys(paths: Iterable[str | Path]) -> set[str]:
    """The findings earlier samples hold (:func:`crosscheck.verdicts.finding_key`, also of the
    pairs a joined finding joins), from their packet folders or ``key.json`` files: not to be
    drawn again."""
    keys = set()
    for path in map(Path, paths):
        file = path / "key.json" if path.is_dir() else path
        for entry in _read_key(file)["items"]:
            keys.add(finding_key(entry["kind"], (c["text"] for c in entry["claims"])))
            keys |= {finding_key(entry["kind"], pair) for pair in entry.get("compared", ())
                     if isinstance(pair, list) and all(isinstance(t, str) for t in pair)}
    return keys


def draw_sample(runs: Sequence[Run], kinds: Sequence[str], per_kind: int, seed: int,
                exclude: set[str] = frozenset()) -> Sample:
    """Up to ``per_kind`` findings of each kind from each run, drawn at random with ``seed``
    from those not in ``exclude`` and each once (a finding a run repeats, or an earlier run
    holds, is drawn from the first only), shuffled together into items numbered from 1. An
    empty draw is an :class:`InputError`."""
    rng = random.Random(seed)
    pooled = set(exclude)
    drawn = []
    available = []
    for run in runs:
        by_kind: dict[str, list[tuple[int, dict]]] = {k: [] for k in kinds}
        for position, (_, story) in enumerate(run.stories):
            texts = {c["id"]: c["text"] for c in story["claims"]}
            for finding in story["findings"]:
                if finding.get("kind") not in by_kind:
                    continue
                keys = _keys_of(finding, texts)
                if not keys & pooled:
                    pooled |= keys
                    by_kind[finding["kind"]].append((position, finding))
        available.append((run.label, tuple((k, len(v)) for k, v in by_kind.items())))
        for kind in kinds:
            pool = by_kind[kind]
            drawn += [(run, *pick) for pick in rng.sample(pool, min(per_kind, len(pool)))]
    if not drawn:
        raise InputError(f"{', '.join(run.path for run in runs)}: no finding of "
                         f"{', '.join(kinds)} to draw"
                         + (" that an earlier sample does not hold" if exclude else ""))
    rng.shuffle(drawn)
    story_labels: dict[tuple[str, int], str] = {}
    items = [_item(number, run, position, finding, story_labels)
             for number, (run, position, finding) in enumerate(drawn, 1)]
    return Sample(seed, tuple(kinds), per_kind, tuple(items), tuple(available))


def _keys_of(finding: dict, texts: dict[str, str]) -> set[str]:
    """The finding's :func:`crosscheck.verdicts.finding_key`, and those of the pairs of outlets
    it joins (``details.compared``): a joined finding counts as reviewed when one of its pairs
    was, as ``run --verdicts`` matches it by them."""
    kind = finding.get("kind", "")
    compared = (finding.get("details") or {}).get("compared") or []
    return {claims_key(kind, finding.get("claim_ids", ()), texts), *joined_pair_keys(
        kind, [pair for pair in compared if isinstance(pair, list)], texts)}


def _item(number: int, run: Run, position: int, finding: dict,
          story_labels: dict[tuple[str, int], str]) -> Item:
    file, story = run.stories[position]
    claims = {c["id"]: c for c in story["claims"]}
    articles = {a["id"]: a for a in story["articles"]}
    sides = [claims[c] for c in finding.get("claim_ids", ()) if c in claims]
    shown = {"item": number, "kind": finding["kind"],
             "claims": [{"outlet": _outlet(articles, c), "text": c["text"]} for c in sides],
             "tool_reason": finding.get("reason", "")}
    story_text = ""
    if finding["kind"] == "single_outlet":
        place = (run.label, position)
        if place not in story_labels:
            story_labels[place] = f"S{len(story_labels) + 1}"
            story_text = story_articles(story, story_labels[place])
        shown["story"] = story_labels[place]
    details = finding.get("details") or {}
    key = {"item": number, "run": run.label, "findings_file": file,
           "story": str(story.get("story", "")), "finding_id": finding.get("id", ""),
           "kind": finding["kind"], "aspect": details.get("aspect", ""),
           "score": finding.get("score"), "tool_reason": finding.get("reason", ""),
           "claims": [{"outlet": _outlet(articles, c),
                       "article": Path(str(articles.get(c.get("article_id"), {}).get("path")
                                           or "")).name,
                       "text": c["text"]} for c in sides]}
    compared = details.get("compared") or []
    if compared:
        key["compared"] = [[claims[c]["text"] for c in pair if c in claims]
                           for pair in compared if isinstance(pair, list)]
    return Item(number, shown, key, story_text)


def _outlet(articles: dict, claim: dict) -> str:
    return str(articles.get(claim.get("article_id"), {}).get("outlet", claim.get("article_id")))


def story_articles(story: dict, label: str) -> str:
    """A story's articles as crosscheck read them, for a reviewer: each outlet's title and its
    sentences (every claim, in paragraphs; bylines and boilerplate are no claims), in outlet
    order."""
    by_article: dict[str, list[dict]] = {}
    for claim in story["claims"]:
        by_article.setdefault(claim.get("article_id"), []).append(claim)
    parts = [f"# Story {label}\n"]
    for article in sorted(story["articles"], key=lambda a: (str(a.get("outlet")), a["id"])):
        sentences = sorted(by_article.get(article["id"], []),
                           key=lambda c: (c.get("paragraph", 0), c.get("sentence", 0)))
        paragraphs: dict[int, list[str]] = {}
        for claim in sentences:
            paragraphs.setdefault(claim.get("paragraph", 0), []).append(claim["text"])
        title = (article.get("title") or "").strip()
        body = "\n\n".join(text for text in (" ".join(texts) for texts in paragraphs.values())
                           if text.strip() != title)  # a title read as the first claim
        parts.append(f"## Outlet: {article.get('outlet')}\nTitle: {title or '(untitled)'}"
                     f"\n\n{body}\n")
    return "\n".join(parts)


def rules_text(path: str | Path | None, kinds: Sequence[str] = (), warn: Warn | None = None
               ) -> str:
    """The review rules reviewers get: the file at ``path`` from its "## Review rules" heading
    on when it has one (a data set's README), else all of it; without a path, :data:`RULES`.
    ``warn`` hears of a drawn kind the rules do not name."""
    if path is None:
        return RULES
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read rules: {_why(e)}") from None
    at = text.find("## Review rules")
    rules = text[at:] if at >= 0 else text
    for kind in kinds:
        if warn is not None and kind not in rules.lower():
            warn(f"{path}: its rules do not name {kind!r}; the reviewers of those items have no "
                 f"rule for them")
    return rules


def write_packet(sample: Sample, out: Path, reviewers: int, rules: str,
                 drawn_from: dict) -> None:
    """The packet folder (see the module's description). ``out`` must be new or empty: an
    earlier sample's verdicts are never overwritten. ``drawn_from``: how the sample was drawn
    (runs, excluded packets, rules), kept in key.json with the seed, kinds and size."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out}: already exists and is not an empty folder")
    shown = _json([item.shown for item in sample.items])
    for n in range(1, reviewers + 1):
        folder = out / f"r{n}"
        (folder / "stories").mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / "items.json", shown)
        write_text_atomic(folder / "rules.md", rules)
        write_text_atomic(folder / "INSTRUCTIONS.md", INSTRUCTIONS)
        for item in sample.items:
            if item.story_text:
                write_text_atomic(folder / "stories" / f"{item.shown['story']}.md",
                                  item.story_text)
    write_text_atomic(out / "key.json", _json({
        "format_version": PACKET_FORMAT, "seed": sample.seed, "kinds": list(sample.kinds),
        "per_kind": sample.per_kind, "reviewers": reviewers, **drawn_from,
        "available": {run: dict(counts) for run, counts in sample.available},
        "items": [item.key for item in sample.items]}))


def _json(value) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


def _read_json(file: Path, what: str):
    try:
        return json.loads(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{file}: cannot read {what}: {_why(e)}") from None


def _read_key(file: Path) -> dict:
    key = _read_json(file, "the sample's key")
    entries = key.get("items") if isinstance(key, dict) else None
    if not isinstance(entries, list) or not isinstance(key.get("reviewers"), int):
        raise InputError(f"{file}: not a key.json written by crosscheck review-sample")
    numbers = set()
    for n, entry in enumerate(entries):
        if not (isinstance(entry, dict) and _is_number(entry.get("item"))
                and entry.get("kind") in FINDING_KINDS and isinstance(entry.get("claims"), list)
                and all(isinstance(c, dict) and isinstance(c.get("text"), str)
                        for c in entry["claims"])):
            raise InputError(f"{file}: items[{n}] is not an item of a review sample")
        if entry["item"] in numbers:
            raise InputError(f"{file}: item {entry['item']} appears twice")
        numbers.add(entry["item"])
    return key


def _is_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_packet(packet: Path) -> tuple[list[dict], dict[str, dict[int, dict]]]:
    """The key's items and each reviewer's verdicts by item (``r1`` … ``rN``, N from the
    key). A reviewer folder missing or extra, a missing or malformed ``verdicts.json``, an
    item judged twice, missing or unknown, an unknown verdict: an :class:`InputError` naming
    the file and the item."""
    key = _read_key(packet / "key.json")
    entries = key["items"]
    numbers = {e["item"] for e in entries}
    names = [f"r{n}" for n in range(1, key["reviewers"] + 1)]
    extra = sorted((p.name for p in packet.iterdir() if p.is_dir() and p.name[:1] == "r"
                    and p.name[1:].isdigit() and p.name not in names),
                   key=lambda name: int(name[1:]))
    if extra:
        raise InputError(f"{packet / extra[0]}: not a reviewer of this sample; key.json names "
                         f"{len(names)}")
    verdicts = {}
    for name in names:
        file = packet / name / "verdicts.json"
        if not (packet / name).is_dir():
            raise InputError(f"{packet / name}: missing; key.json names {len(names)} reviewers")
        if not file.is_file():
            raise InputError(f"{file}: missing; every reviewer's verdicts are needed")
        records = _read_json(file, "verdicts")
        if not isinstance(records, list):
            raise InputError(f"{file}: expected a JSON list of verdicts")
        by_item: dict[int, dict] = {}
        for position, record in enumerate(records):
            item = record.get("item") if isinstance(record, dict) else None
            if not _is_number(item):
                raise InputError(f"{file}: entry {position + 1} is not an object with a "
                                 f"whole-number 'item'")
            if item not in numbers:
                raise InputError(f"{file}: item {item} is not in the sample")
            if item in by_item:
                raise InputError(f"{file}: item {item} is judged twice")
            if record.get("verdict") not in VERDICTS:
                raise InputError(f"{file}: item {item}: verdict {record.get('verdict')!r}; "
                                 f"expected one of {', '.join(VERDICTS)}")
            by_item[item] = record
        missing = sorted(numbers - set(by_item))
        if missing:
            raise InputError(f"{file}: no verdict for item {missing[0]}"
                             + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
        verdicts[name] = by_item
    return entries, verdicts


def tally(entries: Sequence[dict], verdicts: dict[str, dict[int, dict]],
          time: str | None = None) -> Tally:
    """Correct / partly / wrong per reviewer and group (run, kind and framing aspect), the
    items every reviewer judged alike, and one verdicts line per item, stamped with ``time``
    (ISO 8601; default now) so that a later tally outranks an earlier review of the finding."""
    time = time or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    counts: dict[tuple[str, str, str], dict[str, Counter]] = {}
    items: Counter = Counter()
    same: Counter = Counter()
    lines = []
    for entry in sorted(entries, key=lambda e: e["item"]):
        group = (str(entry.get("run", "")), entry["kind"],
                 str(entry.get("aspect", "")) if entry["kind"] == "framing" else "")
        said = {name: by_item[entry["item"]] for name, by_item in verdicts.items()}
        by_reviewer = counts.setdefault(group, {name: Counter() for name in verdicts})
        for name, record in said.items():
            by_reviewer[name][record["verdict"]] += 1
        items[group] += 1
        alike = len({record["verdict"] for record in said.values()}) == 1
        same[group] += alike
        lines.append({
            "story": entry.get("story", ""), "kind": entry["kind"],
            "verdict": next(iter(said.values()))["verdict"] if alike else "disputed",
            "claims": entry["claims"], "finding_id": entry.get("finding_id", ""),
            "score": entry.get("score"), "tool_reason": entry.get("tool_reason", ""),
            "note": " | ".join(f"{name}: {record['note']}" for name, record in said.items()
                               if isinstance(record.get("note"), str) and record["note"]),
            "reviewers": {name: record["verdict"] for name, record in said.items()},
            "run": entry.get("run", ""), "item": entry["item"], "time": time})
    return Tally(tuple(verdicts), counts, dict(items), dict(same), tuple(lines))


def availability_lines(sample: Sample) -> list[str]:
    """Per run, how many findings of each kind were drawn of how many there were to draw."""
    return [f"{run}: " + ", ".join(f"{kind} {min(n, sample.per_kind)} of {n}"
                                   for kind, n in counts)
            for run, counts in sample.available]


def format_tally(result: Tally) -> str:
    """The tally as a Markdown table, then precision (correct / items) per kind and reviewer."""
    names = result.reviewers
    head = ["run", "kind", "items", *names, "same"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for group in sorted(result.counts, key=lambda g: (g[0], FINDING_KINDS.index(g[1]), g[2])):
        run, kind, aspect = group
        cells = [f"{c['correct']}/{c['partly']}/{c['wrong']}"
                 for c in (result.counts[group][n] for n in names)]
        rows.append("| " + " | ".join([run, kind + (f": {aspect}" if aspect else ""),
                                       str(result.items[group]), *cells,
                                       str(result.same[group])]) + " |")
    lines = ["correct/partly/wrong per reviewer; same: items every reviewer judged alike", "",
             *rows, "", "precision (correct / items) per kind:"]
    for kind in FINDING_KINDS:
        groups = [g for g in result.counts if g[1] == kind]
        if not groups:
            continue
        total = sum(result.items[g] for g in groups)
        each = ", ".join(f"{n} {sum(result.counts[g][n]['correct'] for g in groups)}/{total}"
                         for n in names)
        lines.append(f"  {kind}: {each}")
    lines.append(f"same verdict from every reviewer: {sum(result.same.values())} of "
                 f"{sum(result.items.values())}")
    return "\n".join(lines)


def write_verdict_lines(result: Tally, path: Path) -> None:
    """One JSONL line per item (the report's "Export verdicts" layout, with ``reviewers``)."""
    write_text_atomic(path, "".join(json.dumps(line, ensure_ascii=False) + "\n"
                                    for line in result.lines))
