"""Speed benchmark: one run of the pipeline, figures printed (not a pass/fail test).

    .venv/bin/python benchmarks/bench_pipeline.py [FOLDER ...] [--story-key FIELD]
        [--set KEY=VALUE ...] [--baseline KEY=VALUE ...]

Prints model load time, seconds per stage summed over stories, claims/s, candidate pairs per
claim, NLI model inputs and inputs/s, seconds per story and peak memory (max RSS of this
process). Defaults to the shipped example story.

``--baseline judge.score_all_pairs=true`` also runs the same stories with those settings (the
path before a speed change, switched back on) with the same loaded models, first, and prints
each stage's ratio and whether every story's findings are the same in both runs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.config import load_settings  # noqa: E402
from crosscheck.engines import peak_memory_mib  # noqa: E402
from crosscheck.models import load_embedder  # noqa: E402
from crosscheck.pipeline import run  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import stage_seconds  # noqa: E402


class CountingNli:
    """The NLI model, counting the inputs it scores."""

    def __init__(self, nli):
        self._nli = nli
        self.inputs = 0

    def __getattr__(self, name):
        return getattr(self._nli, name)

    def predict(self, premises, hypotheses, *args, **kwargs):
        self.inputs += len(premises)
        return self._nli.predict(premises, hypotheses, *args, **kwargs)


def measure(settings, folders, models) -> dict:
    embedder, nli, parser = models
    counting = CountingNli(nli)
    analyser = Analyser(settings, embedder=embedder, nli=counting, parser=parser)
    started = time.perf_counter()
    result = run(settings, folders, analyser=analyser)
    wall = time.perf_counter() - started
    return {"result": result, "wall": wall, "stages": stage_seconds(result),
            "nli_inputs": counting.inputs}


# A score or similarity quoted in a reason ("similarity 0.44"): compared as a score, apart
# from what the finding says.
_QUOTED_SCORE = re.compile(r"\b[01]\.\d\d\b")


def findings_of(result) -> list[dict]:
    """Per story, each finding's score by what it says (kind, sentences, reason with its quoted
    scores blanked). The int8 NLI model's scores move a little with what else is in their
    batch, so scores are compared apart from the findings themselves."""
    return [{(f.kind, f.claim_ids, _QUOTED_SCORE.sub("…", f.reason)): f.score
             for f in story.findings} for story in result.stories]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT / "examples" / "harbour-fire")])
    parser.add_argument("--story-key", default="")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="settings for both runs")
    parser.add_argument("--baseline", nargs="*", default=[], metavar="KEY=VALUE",
                        help="settings of the path to compare with, run first")
    args = parser.parse_args()
    # The cache is off: measure the models, not the cache.
    common = [f"ingest.story_key={args.story_key}", "cache.enabled=false", *args.overrides]
    settings = load_settings(overrides=common)

    started = time.perf_counter()
    loaded = Analyser(settings)
    models = (loaded.embedder, loaded.judge.nli, loaded.parser)
    load_seconds = time.perf_counter() - started
    runs = {}
    if args.baseline:
        baseline = load_settings(overrides=common + args.baseline)
        # The same loaded models, but an embedding model of the baseline's own precision.
        embedder = load_embedder(baseline.embed.model, baseline.embed.precision)
        runs["baseline"] = measure(baseline, args.folders, (embedder, *models[1:]))
    runs["current"] = measure(settings, args.folders, models)

    current = runs["current"]
    result = current["result"]
    claims = sum(len(s.claims) for s in result.stories)
    candidates = sum(len(s.alignments) for s in result.stories)
    pairs = sum(len(s.judgements) for s in result.stories)  # same-fact pairs, judged
    articles = sum(len(s.articles) for s in result.stories)
    print(f"stories: {len(result.stories)}  articles: {articles}  claims: {claims}  "
          f"candidate pairs: {candidates}  same-fact pairs judged: {pairs}")
    print(f"model load: {load_seconds:.1f} s")
    names = list(runs)
    print(f"{'':<12}" + "".join(f"{n:>12}" for n in names)
          + ("       ratio" if len(names) == 2 else ""))

    def row(label: str, values: list[float], digits: int = 2) -> None:
        ratio = (f"{values[1] / values[0]:12.2f}" if len(values) == 2 and values[0] else "")
        print(f"{label:<12}" + "".join(f"{v:12.{digits}f}" for v in values) + ratio)

    for stage in current["stages"]:
        row(stage, [r["stages"].get(stage, 0.0) for r in runs.values()])
    row("run (wall)", [r["wall"] for r in runs.values()])
    row("NLI inputs", [r["nli_inputs"] for r in runs.values()], 0)
    row("NLI in/s", [r["nli_inputs"] / max(r["stages"].get("judge", 0), 1e-9)
                     for r in runs.values()], 1)
    print(f"seconds per story: {current['wall'] / max(1, len(result.stories)):.2f}")
    print(f"claims/s (claims stage): {claims / max(current['stages'].get('claims', 0), 1e-9):.0f}")
    print(f"embedding sentences/s: {claims / max(current['stages'].get('embed', 0), 1e-9):.0f}")
    print(f"candidate pairs per claim: {candidates / max(claims, 1):.2f}")
    if "baseline" in runs:
        before, after = findings_of(runs["baseline"]["result"]), findings_of(result)
        same = sum(b.keys() == a.keys() for b, a in zip(before, after))
        moved = [abs(b[k] - a[k]) for b, a in zip(before, after) for k in b.keys() & a.keys()]
        print(f"stories with the same findings (kind, sentences, reason) as the baseline: "
              f"{same} of {len(after)}; findings: {sum(map(len, before))} baseline, "
              f"{sum(map(len, after))} current, {sum(len(b.keys() ^ a.keys()) for b, a in zip(before, after))} "
              f"in one run only; largest score difference {max(moved, default=0):.3f}")
    print(f"peak memory (max RSS): {peak_memory_mib():.0f} MiB")


if __name__ == "__main__":
    main()
