"""Grouping benchmark: time and peak memory of ``--stories auto`` grouping at 1,000 and 10,000
articles (not a pass/fail test).

    .venv/bin/python benchmarks/bench_stories.py [FOLDER ...] [--sizes 1000 10000]

The pile is made of synthetic copies of the articles in FOLDER (default: ecbplus-dev, 449
usable articles): copy number c of an article has every capitalised word and every number
marked with c ("Teixeira" → "Teixeira_c3", "200" → "200c3") and its date moved by 60·c days,
so the pile has as many names, figures and dates as a real one of that size; the names of
weekdays stay as they are, since the grouping compares them. The copies keep
every other word, so they are far closer to each other than two real events, and many copies
of a story end up grouped together: the stories found measure nothing about quality (that is
``crosscheck tune-stories``), only the cost. Articles are read once with the normal ingest; sizes run in increasing order in one process
(the embedding model loads once), each with an empty cache of its own.

Per size it prints: articles, stories found, seconds to embed the titles and leads (cold: an empty cache, so every lead is embedded; then
warm: all from the cache, as in a second run), seconds to group (features, nearest neighbours,
clustering), and the process's peak memory so far (max RSS, including the model) after
embedding and after grouping.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck import cache as caching  # noqa: E402
from crosscheck import ingest  # noqa: E402
from crosscheck.analysis import cached_embedder  # noqa: E402
from crosscheck.config import Settings  # noqa: E402
from crosscheck.engines import peak_memory_mib as peak_mib  # noqa: E402
from crosscheck.stories import group_pile, lead_text  # noqa: E402

ECB = ROOT.parent / "shared" / "data" / "ecbplus-dev"
# Weekday names stay as they are: they are no names, and the grouping compares them.
_MARKABLE = re.compile(r"\b(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)"
                       r"(?:[A-Z][\w'-]*|\d[\d,.]*\d|\d)\b")


def copy_of(article, copy: int):
    if copy == 0:
        return article
    mark = lambda text: _MARKABLE.sub(lambda m: f"{m.group()}_c{copy}", text)  # noqa: E731
    date = article.date
    if date:
        import datetime as dt
        date = (dt.date.fromisoformat(date) + dt.timedelta(days=60 * copy)).isoformat()
    return dataclasses.replace(article, id=f"{article.id}#{copy}",
                               path=f"{article.path}#{copy}", title=mark(article.title),
                               text=mark(article.text), date=date)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", default=[str(ECB / "articles")])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    args = parser.parse_args()

    settings = Settings()
    read = ingest.read_stories(args.folders, settings.ingest)
    base = [a for _, articles, _ in read for a in articles]
    print(f"{len(base)} base articles from {', '.join(args.folders)}; peak memory after "
          f"reading: {peak_mib():.0f} MiB", flush=True)
    print("size\tstories\tembed cold s\tembed warm s\tgroup s\tpeak MiB after embedding\t"
          "peak MiB after grouping", flush=True)
    for size in sorted(args.sizes):
        pile = [copy_of(base[i % len(base)], i // len(base)) for i in range(size)]
        leads = [lead_text(a, settings.stories.lead_words) for a in pile]
        with tempfile.TemporaryDirectory() as cache_dir:  # cold: nothing embedded yet
            os.environ["CROSSCHECK_CACHE_DIR"] = cache_dir
            embedder = cached_embedder(settings, caching.open_cache(settings))
            embed = lambda texts: embedder.encode(texts, settings.embed.batch_size)  # noqa: E731
            started = time.perf_counter()
            embed(leads)
            cold = time.perf_counter() - started
            after_embedding = peak_mib()
            started = time.perf_counter()
            embed(leads)
            warm = time.perf_counter() - started
            started = time.perf_counter()
            groups = group_pile(pile, embed, settings.stories)
            grouping = time.perf_counter() - started - warm  # group_pile embeds (warm) too
        print(f"{size}\t{len(groups)}\t{cold:.1f}\t{warm:.1f}\t{grouping:.1f}\t"
              f"{after_embedding:.0f}\t{peak_mib():.0f}", flush=True)


if __name__ == "__main__":
    main()
