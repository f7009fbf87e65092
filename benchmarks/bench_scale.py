"""Growth benchmark: the pipeline at 1×, 4× and 16× input in one process (not a pass/fail test).

    .venv/bin/python benchmarks/bench_scale.py [FOLDER ...] [--story-key FIELD] [--base N]

Input size is counted in stories: the 1× input is ``--base`` stories (default 3), 4× and 16×
are 4 and 16 times as many, drawn in one fixed (seeded) order from the given folders, so each
size contains the smaller ones. The default folders are the BASIL years 2010–2014 with
``--story-key triplet-uuid`` (50 stories; 16 × 3 = 48). Each size is a
temporary folder (outside the repository, removed afterwards) holding copies of the chosen
article files (ingest refuses symlinks that point outside the folder), read by the normal
``crosscheck.pipeline.run``. Models load once, before the first size, and a warm-up story runs
first so no size pays for lazy initialisation.

Prints, per size: stories, articles, claims, candidate pairs, wall time (ingest → findings),
seconds per stage, and the process's peak memory so far (max RSS); then the growth factors
4×/1× and 16×/4× of time, next to the growth of claims and candidate pairs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck import ingest  # noqa: E402
from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.config import Settings  # noqa: E402
from crosscheck.engines import peak_memory_mib as peak_mib  # noqa: E402
from crosscheck.pipeline import run  # noqa: E402

BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles"
DEFAULT_FOLDERS = [str(BASIL / str(year)) for year in range(2010, 2015)]
FACTORS = (1, 4, 16)


def story_files(folders: list[str], settings: Settings) -> list[list[Path]]:
    """The input files of each story (in ingest's own grouping), one list per story."""
    stories = ingest.read_stories(folders, settings.ingest)
    return [[Path(r.path) for r in records if r.status == "used"] for _, _, records in stories]


def link_folder(root: Path, name: str, stories: list[list[Path]]) -> Path:
    """A temporary folder with copies of the files of ``stories`` (names made unique per
    source folder)."""
    folder = root / name
    folder.mkdir()
    for files in stories:
        for path in files:
            link = folder / f"{path.parent.name}-{path.name}"
            if not link.exists():
                shutil.copyfile(path, link)
    return folder


def stage_seconds(result) -> dict[str, float]:
    """Seconds per stage, summed over the run's stories."""
    stages: dict[str, float] = {}
    for story in result.stories:
        for stage, seconds in story.seconds.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return stages


def input_parser(description: str) -> argparse.ArgumentParser:
    """The options that choose the stories (shared with bench_engines.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folders", nargs="*", default=DEFAULT_FOLDERS)
    parser.add_argument("--story-key", default=None,
                        help="default: triplet-uuid for the BASIL default folders, else none")
    parser.add_argument("--base", type=int, default=3, help="stories in the 1x input")
    parser.add_argument("--seed", type=int, default=0, help="order in which stories are drawn")
    return parser


def main() -> None:
    args = input_parser(__doc__.splitlines()[0]).parse_args()
    story_key = args.story_key if args.story_key is not None else (
        "triplet-uuid" if args.folders == DEFAULT_FOLDERS else "")
    settings = Settings().replace(ingest={"story_key": story_key},
                                cache={"enabled": False})  # measure the models, not the cache

    stories = story_files(args.folders, settings)
    random.Random(args.seed).shuffle(stories)
    largest = args.base * FACTORS[-1]
    if len(stories) < largest:
        sys.exit(f"need {largest} stories for {FACTORS[-1]}x of --base {args.base}, "
                 f"found {len(stories)}; lower --base")

    started = time.perf_counter()
    analyser = Analyser(settings)
    load = time.perf_counter() - started
    print(f"stories available: {len(stories)}  1x = {args.base} stories  "
          f"model load: {load:.1f} s  peak memory after load: {peak_mib():.0f} MiB")

    rows = []
    with tempfile.TemporaryDirectory(prefix="crosscheck-scale-") as tmp:
        warm = link_folder(Path(tmp), "warm-up", stories[-1:])
        run(settings, [str(warm)], analyser=analyser)
        for factor in FACTORS:
            folder = link_folder(Path(tmp), f"x{factor}", stories[:args.base * factor])
            started = time.perf_counter()
            result = run(settings, [str(folder)], analyser=analyser)
            wall = time.perf_counter() - started
            stages = stage_seconds(result)
            row = {"factor": factor, "stories": len(result.stories),
                   "articles": sum(len(s.articles) for s in result.stories),
                   "claims": sum(len(s.claims) for s in result.stories),
                   "pairs": sum(len(s.judgements) for s in result.stories),
                   "wall": wall, "stages": stages, "peak": peak_mib()}
            rows.append(row)
            print(f"{factor:>3}x  stories {row['stories']:>3}  articles {row['articles']:>4}  "
                  f"claims {row['claims']:>6}  pairs {row['pairs']:>6}  wall {wall:7.1f} s  "
                  f"peak {row['peak']:.0f} MiB")
            print("      " + "  ".join(f"{k} {v:.1f} s" for k, v in stages.items()))

    def growth(a: dict, b: dict) -> str:
        return (f"time {b['wall'] / a['wall']:.2f}  claims {b['claims'] / max(a['claims'], 1):.2f}"
                f"  pairs {b['pairs'] / max(a['pairs'], 1):.2f}  stories "
                f"{b['stories'] / a['stories']:.2f}")

    print(f"growth 1x -> 4x:  {growth(rows[0], rows[1])}")
    print(f"growth 4x -> 16x: {growth(rows[1], rows[2])}   (target: time ratio <= 4.5)")
    print(f"peak memory (max RSS, whole process): {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
