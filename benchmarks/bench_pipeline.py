"""Speed benchmark: one run of the pipeline, figures printed (not a pass/fail test).

    .venv/bin/python benchmarks/bench_pipeline.py [FOLDER ...] [--story-key FIELD]

Prints model load time, seconds per stage summed over stories, claims/s, candidate pairs per
claim, NLI pairs/s (each pair is scored in both directions), seconds per story and peak memory
(max RSS of this process). Defaults to the shipped example story.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.config import Settings  # noqa: E402
from crosscheck.pipeline import Analyser, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT / "examples" / "harbour-fire")])
    parser.add_argument("--story-key", default="")
    args = parser.parse_args()
    settings = Settings().replace(ingest={"story_key": args.story_key},
                                cache={"enabled": False})  # measure the models, not the cache

    started = time.perf_counter()
    analyser = Analyser(settings)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = run(settings, args.folders, analyser=analyser)
    wall = time.perf_counter() - started

    stages: dict[str, float] = {}
    for story in result.stories:
        for stage, seconds in story.seconds.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    claims = sum(len(s.claims) for s in result.stories)
    candidates = sum(len(s.alignments) for s in result.stories)
    pairs = sum(len(s.judgements) for s in result.stories)  # same-fact pairs, judged by NLI
    articles = sum(len(s.articles) for s in result.stories)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"stories: {len(result.stories)}  articles: {articles}  claims: {claims}  "
          f"candidate pairs: {candidates}  same-fact pairs judged: {pairs}")
    print(f"model load: {load_seconds:.1f} s   run (ingest → findings): {wall:.1f} s   "
          f"seconds per story: {wall / max(1, len(result.stories)):.2f}")
    for stage, seconds in stages.items():
        print(f"  {stage:<9} {seconds:8.2f} s")
    print(f"claims/s (claims stage): {claims / max(stages.get('claims', 0), 1e-9):.0f}")
    print(f"embedding sentences/s: {claims / max(stages.get('embed', 0), 1e-9):.0f}")
    print(f"candidate pairs per claim: {candidates / max(claims, 1):.2f}")
    print(f"NLI pairs/s (judge stage, both directions per pair): "
          f"{pairs / max(stages.get('judge', 0), 1e-9):.1f}")
    print(f"peak memory (max RSS): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
