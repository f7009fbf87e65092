"""Recall on planted discrepancies: edit one sentence of one outlet in a real BASIL story so
that it contradicts another outlet's sentence about the same fact, run the pipeline on the
edited and the unedited story, and count the edit found when a contradiction or numeric
finding pairs the edited sentence with the other outlet's sentence and the unedited run did not
flag that pair. Figures printed (not a pass/fail test).

    .venv/bin/python benchmarks/bench_planted.py [--edits benchmarks/planted_edits.json]
        [--split dev|held-out|all] [--basil ../shared/data/basil/articles] [--cache-dir DIR]
        [--review benchmarks/planted_review.json] [--show-misses]

The edits (``planted_edits.json``) were written by hand, by a helper session that did not see
crosscheck's code, as find/replace pairs on the articles (only the few words needed to locate
an edit are stored, not the articles): 8 each of a changed figure, a negation, an opposite
outcome, a different actor, and a different day or place (4 + 4). ``--split dev`` is the
odd-numbered half, which may be looked at while developing; ``held-out`` is the even-numbered
half, only scored until 2026-12-02 (when the misses of the whole set were printed).
``planted_edits_more.json`` and ``planted_edits_fresh.json`` (35 edits each, both looked at
while developing by now), ``planted_edits_blind.json`` and
``planted_edits_fifth.json`` (35 edits each, written later, only scored until 2026-12-03,
when their misses were printed too) and ``planted_edits_sixth.json`` (35 edits, ids s01-s35,
written on 2026-12-04 by a sixth helper that saw no code, avoiding every sentence of the other
sets; scored once, misses not printed) are further sets in
the same form, run with ``--edits FILE --split all``. New findings elsewhere: contradiction and
numeric findings of the edited run that the unedited run did not have, other than the planted
pair.

``planted_review.json`` holds two reviewers' verdicts on each edit's pair (the edited
sentence against the other outlet's), given only the sentences, shuffled among unedited decoy
pairs, under the review rules of ``../shared/data/basil-findings/README.md``: recall is also
printed over the "clear" edits, those both reviewers judged a conflict.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck import ingest  # noqa: E402
from crosscheck.align import align, shape_claims  # noqa: E402
from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.config import load_settings  # noqa: E402
from crosscheck.types import ClaimPair  # noqa: E402

BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles"
KINDS = ("contradiction", "numeric")


def find_article(basil: Path, name: str) -> Path:
    matches = list(basil.glob(f"*/{name}"))
    if len(matches) != 1:
        raise SystemExit(f"{name}: found {len(matches)} times under {basil}")
    return matches[0]


def apply_edit(source: Path, target: Path, find: str, replace: str) -> None:
    """Copy a BASIL article with ``find`` replaced in the one paragraph that holds it."""
    data = json.loads(source.read_text(encoding="utf-8"))
    hits = 0
    paragraphs = []
    for paragraph in data["body-paragraphs"]:
        text = " ".join(paragraph)
        if find in text:
            hits += text.count(find)
            paragraphs.append([text.replace(find, replace)])
        else:
            paragraphs.append(paragraph)
    if hits != 1:
        raise SystemExit(f"{source.name}: '{find}' found {hits} times")
    data["body-paragraphs"] = paragraphs
    target.write_text(json.dumps(data), encoding="utf-8")


def analyse(analyser: Analyser, folder: Path):
    stories = ingest.read_stories([folder], analyser.settings.ingest)
    (story, articles, inputs), = stories
    return analyser.analyse(story, articles, inputs)


def claim_holding(result, article_name: str, fragment: str):
    for claim in result.claims:
        article = result.article(claim.article_id)
        if Path(article.path).name == article_name and fragment in claim.text:
            return claim
    return None


def flagged(result) -> dict[frozenset[str], str]:
    """The flagged pairs of sentences, by kind; a finding that joins pairs across outlets
    (``details["compared"]``) counts each pair it joins."""
    return {frozenset(result.claim(c).text for c in pair): f.kind
            for f in result.findings if f.kind in KINDS
            for pair in f.details.get("compared") or (f.claim_ids,)}


# Where a missed edit was lost, in pipeline order: the first words of why_missed's answer.
STAGES = (("the sentence is not a claim", "not a claim"),
          ("not a candidate pair", "never a candidate pair"),
          ("not the same fact", "not the same fact"),
          ("same fact, no mismatch found", "same fact, no mismatch the rules see"),
          ("same fact, a mismatch the articles settle", "mismatch settled by the articles"),
          ("mismatch", "mismatch, not reported"))


def stage(why: str) -> str:
    """The pipeline stage a :func:`why_missed` answer names."""
    return next(name for prefix, name in STAGES if why.startswith(prefix))


def why_missed(result, edited, other, embed=None, mismatches=None,
               labels: tuple[str, ...] = ()) -> str:
    """Where the pipeline lost the planted pair (for the dev half). With ``embed`` (texts →
    unit vectors), a pair that never became a candidate also shows its similarity and the
    other claim's rank among the edited claim's neighbours from other outlets (and back).
    With ``mismatches`` (two claims and their similarity → the align stage's mismatches), a
    same-fact pair without mismatches tells whether the rules saw one that the articles then
    settled (one article names the other's place, day or person elsewhere:
    ``align.drop_mentioned``).
    A mismatch that needed the model's corroboration and did not get it says so, with the
    model's contradiction probability both ways when ``labels`` (the NLI model's columns)
    are given."""
    if edited is None or other is None:
        return "the sentence is not a claim"
    pair = frozenset((edited.id, other.id))
    for alignment in result.alignments:
        if frozenset((alignment.pair.a, alignment.pair.b)) == pair:
            if not alignment.same_fact:
                return f"not the same fact: {alignment.reason}"
            judged = [j for j in result.judgements if frozenset((j.pair.a, j.pair.b)) == pair]
            if not alignment.mismatches:
                numeric = judged[0].numeric.reason if judged else ""
                seen = mismatches(result.claim(alignment.pair.a), result.claim(alignment.pair.b),
                                  alignment.pair.similarity) if mismatches else ()
                if seen:
                    return ("same fact, a mismatch the articles settle: "
                            + ", ".join(f"{m.kind} {m.a.text if m.a else ''!r} / "
                                        f"{m.b.text if m.b else ''!r}" for m in seen)
                            + f" (numeric: {numeric or 'none'})")
                return f"same fact, no mismatch found (numeric: {numeric or 'none'})"
            kinds = ",".join(m.kind for m in alignment.mismatches)
            kept = judged[0].alignment.mismatches if judged and judged[0].alignment else ()
            unconfirmed = [m for m in alignment.mismatches if m.corroborate == "loose"
                           and not any(k.kind == m.kind and k.a == m.a for k in kept)]
            if judged and alignment.comparable and unconfirmed:
                forward, backward = judged[0].nli_forward, judged[0].nli_backward
                column = labels.index("contradiction") if "contradiction" in labels else -1
                read = (f"; the model reads contradiction {forward[column]:.2f} and "
                        f"{backward[column]:.2f}" if column >= 0 and len(forward) == len(labels)
                        and len(backward) == len(labels) else "")
                return (f"mismatch {kinds} but not reported: it needed the model's "
                        f"corroboration and did not get it{read}")
            return (f"mismatch {kinds} but not reported: comparable={alignment.comparable} "
                    f"{alignment.reason} strength={alignment.strength}")
    why = "not a candidate pair (similarity below the pairing threshold or not in top-k)"
    if embed is None:
        return why
    outlet = {a.id: a.outlet for a in result.articles}
    claims = list(result.claims)
    vectors = embed([c.content for c in claims])
    index = {c.id: i for i, c in enumerate(claims)}
    similarity = vectors @ vectors.T

    def rank(x, y) -> int:
        row = similarity[index[x.id]]
        others = [i for i, c in enumerate(claims) if outlet[c.article_id] != outlet[x.article_id]]
        return 1 + sum(row[i] > row[index[y.id]] for i in others)

    return (f"{why}: similarity {similarity[index[edited.id], index[other.id]]:.2f}, "
            f"rank {rank(edited, other)} and {rank(other, edited)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=Path, default=ROOT / "benchmarks" / "planted_edits.json")
    parser.add_argument("--split", choices=("dev", "held-out", "all"), default="all")
    parser.add_argument("--basil", type=Path, default=BASIL)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="SECTION.KEY=VALUE", help="a setting, as for crosscheck run")
    parser.add_argument("--review", type=Path, default=ROOT / "benchmarks" / "planted_review.json",
                        help="two reviewers' verdicts on each edit's pair: recall is also "
                             "printed over the edits both judged a clear conflict")
    parser.add_argument("--show-misses", action="store_true",
                        help="print why each missed edit was missed (use on the dev half)")
    args = parser.parse_args()
    if not args.basil.is_dir():
        raise SystemExit(f"{args.basil}: BASIL articles not found (see ../shared/data/README.md)")
    edits = json.loads(args.edits.read_text(encoding="utf-8"))
    number = lambda e: int(re.sub(r"\D", "", e["id"]))  # noqa: E731  ("e07", "d12", "f30")
    if args.split == "dev":
        edits = [e for e in edits if number(e) % 2 == 1]
    elif args.split == "held-out":
        edits = [e for e in edits if number(e) % 2 == 0]

    verdicts = (json.loads(args.review.read_text(encoding="utf-8"))["edits"]
                if args.review.is_file() else {})
    clear = {i for i, pair in verdicts.items() if pair == ["correct", "correct"]}
    settings = load_settings(None, args.overrides)
    work = Path(tempfile.mkdtemp(prefix="planted-"))
    cache_dir = args.cache_dir or work / "cache"
    settings = settings.replace(cache={"dir": str(cache_dir)})
    started = time.perf_counter()
    analyser = Analyser(settings)
    embed = lambda texts: analyser.embedder.encode(texts, settings.embed.batch_size)  # noqa: E731

    def mismatches(a, b, similarity):
        """The align stage's own mismatches for the pair, before the articles settle any."""
        shapes = shape_claims([a, b], analyser.parser)
        return align(ClaimPair(a.id, b.id, similarity), a, b, shapes[a.id], shapes[b.id],
                     settings.align, settings.numeric).mismatches

    by_story: dict[str, list[dict]] = defaultdict(list)
    for edit in edits:
        by_story[edit["story"]].append(edit)
    found: Counter = Counter()
    total: Counter = Counter()
    found_clear: Counter = Counter()
    total_clear: Counter = Counter()
    elsewhere = 0
    extra = []
    misses = []
    for story, story_edits in by_story.items():
        sources = sorted(args.basil.glob(f"*/{story}_*.json"))
        original = work / story / "original"
        original.mkdir(parents=True)
        for path in sources:
            shutil.copy(path, original / path.name)
        before = analyse(analyser, original)
        flagged_before = flagged(before)
        for edit in story_edits:
            kind = edit["kind"]
            folder = work / story / edit["id"]
            folder.mkdir()
            for path in sources:
                if path.name == edit["article"]:
                    apply_edit(path, folder / path.name, edit["find"], edit["replace"])
                else:
                    shutil.copy(path, folder / path.name)
            after = analyse(analyser, folder)
            edited = claim_holding(after, edit["article"], edit["replace"])
            other = claim_holding(after, edit["other_article"], edit["other_find"])
            target = (frozenset((edited.text, other.text)) if edited and other else None)
            flagged_after = flagged(after)
            hit = target is not None and target in flagged_after and target not in flagged_before
            total[kind] += 1
            found[kind] += hit
            if edit["id"] in clear:
                total_clear[kind] += 1
                found_clear[kind] += hit
            new = {pair for pair in flagged_after if pair not in flagged_before and pair != target}
            elsewhere += len(new)
            extra += [(edit["id"], flagged_after[pair], sorted(pair)) for pair in new]
            if not hit:
                misses.append((edit, why_missed(
                    after, edited, other, *((embed, mismatches, analyser.judge.nli.labels)
                                            if args.show_misses else ()))))
    seconds = time.perf_counter() - started
    print(f"planted edits ({args.split}): {sum(total.values())} edits in {len(by_story)} stories, "
          f"{seconds:.0f} s")
    reviewed = sum(1 for edit in edits if edit["id"] in verdicts)
    print(f"{'kind':<12}{'found':>7}{'of':>5}{'recall':>9}"
          + (f"{'clear':>8}{'of':>5}{'recall':>9}" if reviewed else ""))

    def row(name: str, hits: int, of: int, hits_clear: int, of_clear: int) -> None:
        line = f"{name:<12}{hits:>7}{of:>5}{hits / max(1, of):>9.2f}"
        if reviewed:
            line += f"{hits_clear:>8}{of_clear:>5}{hits_clear / max(1, of_clear):>9.2f}"
        print(line)

    for kind in sorted(total):
        row(kind, found[kind], total[kind], found_clear[kind], total_clear[kind])
    row("all", sum(found.values()), sum(total.values()), sum(found_clear.values()),
        sum(total_clear.values()))
    if reviewed:
        print(f"clear: the {sum(total_clear.values())} of these edits whose pair both reviewers "
              f"judged a conflict ({args.review.name}; {reviewed} of {len(edits)} reviewed)")
    print(f"new contradiction/numeric findings elsewhere in the edited stories: {elsewhere}")
    if args.show_misses:
        lost = Counter(stage(why) for _, why in misses)
        print("where the misses were lost: " + "; ".join(
            f"{name} {lost[name]}" for _, name in STAGES if lost[name]))
        for edit, why in misses:
            print(f"  missed {edit['id']} ({edit['kind']}): {why}")
        for edit_id, kind, texts in extra:
            print(f"  new {kind} in {edit_id}: " + " | ".join(t[:120] for t in texts))
    shutil.rmtree(work / "cache", ignore_errors=True)


if __name__ == "__main__":
    main()
