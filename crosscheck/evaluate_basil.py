"""``crosscheck eval --format basil DIR``: sentence-level figures of two signals against BASIL
(Fan et al., EMNLP 2019, "In Plain Sight"), whose annotators marked lexical-bias spans
(loaded wording) and informational-bias spans (content only some outlets carry).

DIR is a BASIL root holding ``articles/YEAR/<triplet>_<n>.json`` and
``annotations/YEAR/<triplet>_<n>_ann.json``; every year folder under ``articles/`` is used.
DIR may also be one year folder (``ROOT/articles/2012``); its annotations are then looked up
in ``ROOT/annotations/2012``. Years 2010–2012 are the dev split (the loaded-word lexicon in
:mod:`crosscheck.framing` was tuned on them), 2013 and later are held out; figures are given
for dev, held-out and all.

Units are the sentences the pipeline sees: each article is read with the pipeline's ingest
(``story_key='triplet-uuid'``) and split with :func:`crosscheck.claims.split_sentences` per
paragraph, exactly like claim extraction. A BASIL span's ``start``/``end`` are character
offsets into one element of ``body-paragraphs`` (a list of paragraphs, each a list of
sentence strings) — the annotation does not say which, so the element is the one whose
``[start:end]`` equals the span's ``txt``. That element is then found in the article text
(whitespace collapsed and repaired as ingest does) and the span is placed inside it; a span is
"mapped" when the article text at the placed offsets equals its normalised ``txt``. A sentence
is gold-positive for a bias type when a mapped span of that type overlaps it.

Signals and baselines:
- lexical bias: a sentence is predicted when :func:`crosscheck.framing.find_cues` finds a
  ``loaded`` cue in it. Baselines: every sentence with an adjective (no POS tagger is
  installed, so a proxy: a word from a list of common evaluative/descriptive adjectives or an
  adjective ending -ous/-ive/-ful/-less/-able/-ible/-al/-ic), and every sentence.
- informational bias: the real pipeline (``crosscheck.pipeline.run``, real models) runs on
  each triplet as one story; a sentence is predicted when it is the claim of a
  ``single_outlet`` finding. Baseline: every sentence.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck import framing
from crosscheck.claims import split_sentences
from crosscheck.errors import InputError
from crosscheck.evaluate import precision_recall_f1
from crosscheck.ingest import read_stories
from crosscheck.textfix import repair_text
from crosscheck.types import Article, Progress, silent

DEV_YEARS = ("2010", "2011", "2012")
BIAS_TYPES = ("lex", "inf")

# Adjective proxy for the baseline (no POS tagger is installed): common descriptive and
# evaluative adjectives plus typical adjective endings.
_ADJECTIVES = frozenset("""
good bad new old big small large great high low long short young strong weak hard easy
early late full free clear true false real important major minor serious political public
private national federal local foreign military economic social financial former recent
key top senior main certain possible likely sure open close poor rich best worst better
worse whole different same own only few many much little huge wide deep harsh tough
angry fierce bitter sharp bold firm heavy fresh quick slow broad vast tiny crucial
""".split())
_ADJECTIVE_SUFFIX = re.compile(
    r"\b[a-z]{3,}(?:ous|ive|ful|less|able|ible|al|ic)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# Nouns with an adjective ending, not counted as adjectives.
_NOT_ADJECTIVES = frozenset("""
general official officials individual individuals capital total arrival proposal approval
hospital animal signal festival interval principal criminal criminals rival rivals trial
trials deal deals several referral republic topic music logic clinic panic critic critics
cable table
""".split())


def has_adjective(sentence: str) -> bool:
    """Adjective proxy: a listed adjective, or a lower-case word with an adjective ending."""
    for word in _WORD.findall(sentence):
        lower = word.lower()
        if lower in _ADJECTIVES:
            return True
        if word[0].islower() and lower not in _NOT_ADJECTIVES and _ADJECTIVE_SUFFIX.fullmatch(lower):
            return True
    return False


def has_loaded_cue(sentence: str) -> bool:
    return any(c.kind == "loaded" for c in framing.find_cues(sentence))


@dataclass
class Sentence:
    year: str
    article_id: str
    path: str  # the article's input path, the same in every run
    start: int
    end: int
    text: str
    gold: dict[str, bool] = field(default_factory=dict)  # bias type -> overlapped by a span
    predicted: dict[str, bool] = field(default_factory=dict)  # signal name -> fired


@dataclass
class SpanStats:
    total: int = 0
    mapped: int = 0
    unmapped_examples: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return repair_text(" ".join(text.split())).text


def find_years(root: Path) -> list[tuple[str, Path, Path]]:
    """(year, articles folder, annotations folder) for a BASIL root or one year folder."""
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (give a BASIL root with articles/ and "
                         "annotations/, or one year folder under articles/)")
    if (root / "articles").is_dir() and (root / "annotations").is_dir():
        years = sorted(p.name for p in (root / "articles").iterdir()
                       if p.is_dir() and (root / "annotations" / p.name).is_dir())
        return [(y, root / "articles" / y, root / "annotations" / y) for y in years]
    annotations = root.parent.parent / "annotations" / root.name
    if root.parent.name == "articles" and annotations.is_dir():
        return [(root.name, root, annotations)]
    raise InputError(f"{root}: not a BASIL folder (expected articles/ and annotations/ "
                     "inside, or ROOT/articles/YEAR with ROOT/annotations/YEAR)")


def _annotation_path(article: Article, annotations: Path) -> Path:
    return annotations / (Path(article.path).stem + "_ann.json")


def map_spans(article: Article, raw: dict, annotation: dict,
              stats: SpanStats) -> list[tuple[str, int, int]]:
    """(bias, start, end) of each annotated span, as offsets into ``article.text``."""
    units = [s for paragraph in raw.get("body-paragraphs", [])
             for s in (paragraph if isinstance(paragraph, list) else [paragraph])
             if isinstance(s, str)]
    # Where each BASIL sentence starts in the article text (ingest keeps them in order).
    unit_starts: list[int | None] = []
    cursor = 0
    for unit in units:
        normal = _norm(unit)
        position = article.text.find(normal, cursor) if normal else -1
        unit_starts.append(position if position >= 0 else None)
        if position >= 0:
            cursor = position + len(normal)
    spans = []
    for span in annotation.get("phrase-level-annotations", []):
        stats.total += 1
        txt, start, end = span.get("txt", ""), span.get("start", -1), span.get("end", -1)
        target = _norm(txt)
        candidates = [i for i, u in enumerate(units) if u[start:end] == txt] or \
                     [i for i, u in enumerate(units) if txt in u]
        placed = None
        for i in candidates:
            base = unit_starts[i]
            if base is None or not target:
                continue
            expected = base + len(_norm(units[i][:start]))
            window_end = base + len(_norm(units[i])) + 1
            hits = [m.start() for m in re.finditer(re.escape(target), article.text[base:window_end])]
            if hits:
                offset = min(hits, key=lambda h: abs(base + h - expected))
                placed = (base + offset, base + offset + len(target))
                break
        if placed and article.text[placed[0]:placed[1]] == target:
            stats.mapped += 1
            spans.append((span.get("bias", ""), *placed))
        elif len(stats.unmapped_examples) < 5:
            stats.unmapped_examples.append(f"{Path(article.path).name}: {txt[:60]!r}")
    return spans


def article_sentences(article: Article, year: str) -> list[Sentence]:
    """Every sentence of the article as claim extraction splits it (per paragraph)."""
    sentences = []
    for para_start, para_end in article.paragraphs:
        paragraph = article.text[para_start:para_end]
        for start, end in split_sentences(paragraph):
            sentences.append(Sentence(year, article.id, article.path, para_start + start, para_start + end,
                                      paragraph[start:end]))
    return sentences


@dataclass
class Corpus:
    sentences: list[Sentence]
    spans: SpanStats
    articles: int
    stories: int
    folders: list[Path]
    years: list[str]


def load_corpus(root: Path, limit: int | None = None,
                progress: Progress = silent) -> Corpus:
    """Articles read like the pipeline reads them, split into sentences, with gold labels."""
    from crosscheck.config import IngestSettings

    stats = SpanStats()
    sentences: list[Sentence] = []
    n_articles = n_stories = 0
    years = find_years(root)
    for year, articles_dir, annotations_dir in years:
        stories = read_stories([articles_dir], IngestSettings(story_key="triplet-uuid"))
        if limit is not None:
            stories = stories[:limit]
        for _, articles, _ in stories:
            n_stories += 1
            for article in articles:
                ann_path = _annotation_path(article, annotations_dir)
                if not ann_path.is_file():
                    continue
                n_articles += 1
                raw = json.loads(Path(article.path).read_text(encoding="utf-8"))
                annotation = json.loads(ann_path.read_text(encoding="utf-8"))
                spans = map_spans(article, raw, annotation, stats)
                for sentence in article_sentences(article, year):
                    sentence.gold = {bias: any(b == bias and s < sentence.end and e > sentence.start
                                               for b, s, e in spans) for bias in BIAS_TYPES}
                    sentences.append(sentence)
        progress(f"basil {year}: {n_articles} articles, {len(sentences)} sentences so far")
    return Corpus(sentences, stats, n_articles, n_stories,
                  [a for _, a, _ in years], [y for y, _, _ in years])


def predict_lexical(corpus: Corpus) -> None:
    for sentence in corpus.sentences:
        sentence.predicted["loaded"] = has_loaded_cue(sentence.text)
        sentence.predicted["adjective"] = has_adjective(sentence.text)
        sentence.predicted["every"] = True


def predict_informational(corpus: Corpus, settings, progress: Progress,
                          limit: int | None = None) -> dict:
    """Run the real pipeline (models loaded once) with one story per triplet; a sentence is
    predicted when it is the claim of a single-outlet finding."""
    from crosscheck.analysis import Analyser
    from crosscheck.pipeline import run

    settings = settings.replace(ingest={"story_key": "triplet-uuid"})
    started = time.perf_counter()
    if limit is None:
        stories = run(settings, corpus.folders, progress).stories
    else:  # what run() does, on the first ``limit`` stories of each year only
        analyser = Analyser(settings)
        stories = tuple(analyser.analyse(story, articles, inputs, progress)
                        for folder in corpus.folders
                        for story, articles, inputs in read_stories([folder], settings.ingest)[:limit])
    seconds = time.perf_counter() - started
    single: set[tuple[str, int, int]] = set()
    path_of: dict[str, str] = {}
    for story in stories:
        path_of.update({a.id: a.path for a in story.articles})
        for finding in story.findings:
            if finding.kind == "single_outlet":
                claim = story.claim(finding.claim_ids[0])
                single.add((path_of[claim.article_id], claim.start, claim.end))
    for sentence in corpus.sentences:
        sentence.predicted["single_outlet"] = (
            sentence.path, sentence.start, sentence.end) in single
    return {"seconds": round(seconds, 1), "stories": len(stories),
            "seconds_per_story": round(seconds / max(1, len(stories)), 2)}


def score(sentences: Sequence[Sentence], bias: str, signal: str) -> dict:
    tp = sum(s.gold[bias] and s.predicted[signal] for s in sentences)
    fp = sum(not s.gold[bias] and s.predicted[signal] for s in sentences)
    fn = sum(s.gold[bias] and not s.predicted[signal] for s in sentences)
    precision, recall, f1 = precision_recall_f1(tp, tp + fp, tp + fn)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn, "predicted": tp + fp, "gold": tp + fn}


SIGNALS = {
    "lex": (("loaded", "loaded-word cues (framing.LOADED)"),
            ("adjective", "baseline: sentence has an adjective (proxy)"),
            ("every", "baseline: every sentence")),
    "inf": (("single_outlet", "single-outlet claims (pipeline)"),
            ("every", "baseline: every sentence")),
}


def splits(corpus: Corpus) -> dict[str, list[Sentence]]:
    """dev (2010–2012), held-out (the other years) and all; empty splits left out."""
    dev = [s for s in corpus.sentences if s.year in DEV_YEARS]
    held = [s for s in corpus.sentences if s.year not in DEV_YEARS]
    out = {}
    for name, part in (("dev", dev), ("held-out", held)):
        years = sorted({s.year for s in part})
        if years:
            out[f"{name} {years[0]}–{years[-1]}" if len(years) > 1 else f"{name} {years[0]}"] = part
    out["all"] = corpus.sentences
    return out


def evaluate_basil(root: Path, settings, progress: Progress = silent,
                   limit: int | None = None, with_models: bool = True) -> dict:
    """Figures for the lexical-bias and (with models) informational-bias signals."""
    corpus = load_corpus(root, limit, progress)
    predict_lexical(corpus)
    run_info = None
    if with_models:
        run_info = predict_informational(corpus, settings, progress, limit)
    figures: dict = {
        "format": "basil", "root": str(root), "years": corpus.years,
        "dev_years": [y for y in corpus.years if y in DEV_YEARS],
        "stories": corpus.stories, "articles": corpus.articles,
        "sentences": len(corpus.sentences),
        "spans": {"total": corpus.spans.total, "mapped": corpus.spans.mapped,
                  "unmapped_examples": corpus.spans.unmapped_examples},
        "splits": {}, "pipeline": run_info,
    }
    for name, sentences in splits(corpus).items():
        entry = {"sentences": len(sentences)}
        for bias in BIAS_TYPES:
            entry[bias] = {"positive_sentences": sum(s.gold[bias] for s in sentences)}
            for signal, _ in SIGNALS[bias]:
                if sentences and signal in sentences[0].predicted:
                    entry[bias][signal] = score(sentences, bias, signal)
        figures["splits"][name] = entry
    return figures


def format_basil_report(figures: dict) -> str:
    spans = figures["spans"]
    lines = [f"BASIL {', '.join(figures['years'])}: {figures['stories']} stories, "
             f"{figures['articles']} articles, {figures['sentences']} sentences; "
             f"spans mapped {spans['mapped']}/{spans['total']}"]
    if figures.get("pipeline"):
        p = figures["pipeline"]
        lines.append(f"pipeline: {p['stories']} stories in {p['seconds']} s "
                     f"({p['seconds_per_story']} s/story)")
    for bias, title in (("lex", "lexical bias (sentence level)"),
                        ("inf", "informational bias (sentence level)")):
        lines += ["", title,
                  f"{'split':<22}{'signal':<46}{'precision':>10}{'recall':>8}{'f1':>7}"
                  f"{'pred':>7}{'gold':>7}"]
        for name, entry in figures["splits"].items():
            for signal, label in SIGNALS[bias]:
                row = entry[bias].get(signal)
                if row is None:
                    continue
                lines.append(f"{name:<22}{label:<46}{row['precision']:>10.3f}{row['recall']:>8.3f}"
                             f"{row['f1']:>7.3f}{row['predicted']:>7}{row['gold']:>7}")
    if spans["unmapped_examples"]:
        lines += ["", "unmapped spans (examples): " + "; ".join(spans["unmapped_examples"])]
    return "\n".join(lines)
