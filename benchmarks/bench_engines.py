"""Engines benchmark: the local and the Ray engine at 1×, 4× and 16× stories (not a pass/fail
test).

    .venv/bin/python benchmarks/bench_engines.py [FOLDER ...] [--story-key FIELD] [--base N]
        [--engines local,ray] [--factors 1,4,16] [--workers N]

The inputs are those of ``bench_scale.py`` (its helpers make them): ``--base`` stories (default
3) for 1×, 4 and 16 times as many for 4× and 16×, drawn in one seeded order from the given
folders (default: the BASIL years 2010–2014 by ``triplet-uuid``), copied into temporary
folders. Each engine runs in a process of its own, so that one engine's models do not count
in the other's memory. In it the engine starts once (the local engine loads the models; the
Ray engine starts a Ray instance on this machine and its workers, each loading the models),
one warm-up story per worker runs, then each size through the normal
``crosscheck.pipeline.run``. The cache is off (``cache.enabled = false``) so every size
measures the models, not the cache.

Prints per engine: start-up seconds, then per size: stories, wall time, stories/s, the
driver's peak memory (max RSS, whole process so far) and each Ray worker's peak memory as the
worker measures it (max RSS of its own process). Ray's own processes (raylet, GCS) are not
counted.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import (DEFAULT_FOLDERS, input_parser, link_folder, peak_mib,  # noqa: E402
                         story_files)

from crosscheck.config import Settings  # noqa: E402


def measure(engine_name: str, args) -> dict:
    """One engine, every size; runs in its own process (see ``--only``)."""
    from crosscheck.engines import LocalEngine, RayEngine
    from crosscheck.pipeline import run

    settings = Settings().replace(ingest={"story_key": args.story_key},
                                  cache={"enabled": False},
                                  engine={"name": engine_name, "workers": args.workers})
    stories = story_files(args.folders, settings)
    random.Random(args.seed).shuffle(stories)
    largest = args.base * max(args.factors)
    if len(stories) < largest:
        sys.exit(f"need {largest} stories, found {len(stories)}; lower --base")
    started = time.perf_counter()
    engine = RayEngine(settings) if engine_name == "ray" else LocalEngine(settings)
    engine.start(lambda message: print(f"  {message}", file=sys.stderr, flush=True))
    startup = time.perf_counter() - started
    workers = len(getattr(engine, "actors", ())) or 1
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="crosscheck-engines-") as tmp:
            warm = link_folder(Path(tmp), "warm-up", stories[-workers:])
            run(settings, [str(warm)], engine=engine)
            for factor in args.factors:
                folder = link_folder(Path(tmp), f"x{factor}", stories[:args.base * factor])
                started = time.perf_counter()
                result = run(settings, [str(folder)], engine=engine)
                wall = time.perf_counter() - started
                rows.append({"factor": factor, "stories": len(result.stories),
                             "failed": len(result.failed), "wall": wall,
                             "stories_per_s": len(result.stories) / wall,
                             "driver_peak_mib": peak_mib(),
                             "worker_peak_mib": engine.worker_peak_mib()})
                print(f"  {engine_name} {factor}x done in {wall:.1f} s", file=sys.stderr,
                      flush=True)
    finally:
        engine.close()
    return {"engine": engine_name, "workers": workers, "startup": startup, "rows": rows}


def main() -> None:
    parser = input_parser(__doc__.splitlines()[0])
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument("--factors", default="1,4,16")
    parser.add_argument("--workers", type=int, default=0,
                        help="Ray workers (engine.workers); 0: one per CPU")
    parser.add_argument("--only", default=None, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.story_key is None:
        args.story_key = "triplet-uuid" if args.folders == DEFAULT_FOLDERS else ""
    args.factors = [int(f) for f in str(args.factors).split(",")]
    if args.only:
        print(json.dumps(measure(args.only, args)))
        return

    for engine_name in args.engines.split(","):
        command = [sys.executable, __file__, *args.folders, "--story-key", args.story_key,
                   "--base", str(args.base), "--seed", str(args.seed),
                   "--factors", ",".join(map(str, args.factors)),
                   "--workers", str(args.workers), "--only", engine_name]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{engine_name}: {figures['workers']} worker process(es), start-up "
              f"(models loaded) {figures['startup']:.1f} s")
        for row in figures["rows"]:
            workers = ", ".join(f"{mib:.0f}" for mib in row["worker_peak_mib"]) or "-"
            print(f"  {row['factor']:>3}x  stories {row['stories']:>3}  failed {row['failed']}  "
                  f"wall {row['wall']:7.1f} s  {row['stories_per_s']:.3f} stories/s  "
                  f"driver peak {row['driver_peak_mib']:.0f} MiB  worker peaks {workers} MiB",
                  flush=True)


if __name__ == "__main__":
    main()
