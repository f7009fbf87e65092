"""The command line: a thin shell over the library. Errors become one ``Error: ...`` line."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from crosscheck import __version__
from crosscheck.config import DEFAULT_CONFIG_NAME, describe_settings, load_settings
from crosscheck.errors import CrosscheckError, InputError


class CrosscheckGroup(click.Group):
    """Turns crosscheck's own exceptions into ``Error: ...`` and its exit code, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CrosscheckError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(e.exit_code)


def _quiet(message: str) -> None:
    """--quiet: no progress messages."""


_quiet.quiet = True


def settings_options(command):
    """-c/--config, --set and --quiet, shared by every command that runs the models."""

    @click.option("-c", "--config", "config_file", type=click.Path(dir_okay=False),
                  help="TOML settings file (default: ./crosscheck.toml if present).")
    @click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
                  help="Override one setting, e.g. --set pairs.top_k=3 (repeatable).")
    @click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
    @functools.wraps(command)
    def wrapper(*args, config_file, overrides, quiet, **kwargs):
        settings = load_settings(config_file, overrides, search_dir=Path.cwd())
        progress = _quiet if quiet else (lambda message: click.echo(message, err=True))
        found = Path.cwd() / DEFAULT_CONFIG_NAME
        if config_file is None and found.is_file():
            progress(f"settings from {found} (found in the working folder)")
        return command(*args, settings=settings, progress=progress, **kwargs)

    return wrapper


def verdicts_option(help_text: str):
    """--verdicts FILE (repeatable): reviewer verdicts exported from reports (JSONL)."""
    return click.option("--verdicts", "verdict_files", multiple=True, metavar="FILE",
                        type=click.Path(exists=True, dir_okay=False), help=help_text)


def _warn(message: str) -> None:
    """A problem with one piece of input that the command skips: always on stderr."""
    click.echo(f"warning: {message}", err=True)


@click.group(cls=CrosscheckGroup)
@click.version_option(__version__, prog_name="crosscheck")
def main():
    """Cross-check news coverage: where outlets agree, contradict each other, report different
    numbers, or frame the same fact differently.

    \b
    Example:
      crosscheck run examples/harbour-fire
    """


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("-o", "--output", "outdir", default="reports", show_default=True,
              type=click.Path(file_okay=False), help="Folder the reports are written to.")
@click.option("--stories", "stories_by", default=None, metavar="folder|auto|key:FIELD",
              help="How articles form stories: folder (one story per FOLDER, the default; "
                   "stories.group), auto (group all articles by event, e.g. a day's feed) or "
                   "key:FIELD (by a metadata field of JSON/JSONL articles).")
@click.option("--story-key", default=None, metavar="FIELD",
              help="Same as --stories key:FIELD (e.g. triplet-uuid).")
@click.option("--no-cache", is_flag=True,
              help="Neither read nor write the embedding and NLI cache (cache.enabled = false).")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default=None,
              help="local: one story after another in this process (the default; "
                   "engine.name); ray: stories spread over Ray workers, each loading the "
                   "models once (up to 2 GB of memory each; pip install 'crosscheck[ray]'). "
                   "Reports are the same either way and are all written here, under OUTDIR.")
@click.option("--ray-address", default=None, metavar="ADDR",
              help="With --engine ray: join the Ray cluster at ADDR (e.g. ray://head:10001, "
                   "or auto; engine.ray_address) instead of starting Ray on this machine. "
                   "Workers: --set engine.workers=N (default: one per CPU).")
@verdicts_option("Verdicts exported from earlier reports (repeatable): findings with the same "
                 "kind and sentences show their verdict, carry it in findings.json, and those "
                 "marked wrong move to a folded 'dismissed' list.")
@settings_options
def run(folders, outdir, stories_by, story_key, no_cache, engine_name, ray_address,
        verdict_files, settings, progress):
    """Analyse FOLDERS (one story each, or a pile grouped into stories) and write a report per
    story.

    Writes OUTDIR/<story>/report.html, findings.json, claims.csv and pairs.csv, and
    OUTDIR/index.html when there is more than one story. With --stories auto, stories from
    one outlet are listed in OUTDIR/index.html but not cross-checked, OUTDIR/stories.csv lists
    every input and its story, and a second run into the same OUTDIR keeps those stories and
    adds new articles to them where they belong. Skipped inputs are listed in the report; the
    exit code is 0 when the run completes. A story whose analysis fails is tried once more,
    then listed as failed, with the reason, in OUTDIR/index.html (and stories.csv) while the
    other stories complete; the exit code is then 1.

    With --engine ray the stories go to Ray workers (a Ray instance started on this machine,
    or the cluster at --ray-address); each worker loads the models once, and this process
    writes every report.

    \b
    Example:
      crosscheck run examples/harbour-fire -o reports
      crosscheck run feeds/monday feeds/tuesday --stories auto -o reports
      crosscheck run ../data/basil/articles/2010 --stories key:triplet-uuid
      crosscheck run examples/harbour-fire --verdicts verdicts-harbour-fire.jsonl
      crosscheck run feeds/monday --stories auto --engine ray -o reports
    """
    from crosscheck.ingest import read_story_assignments
    from crosscheck.pipeline import run as run_pipeline
    from crosscheck.report import write_reports
    from crosscheck.report.document import checked_counts, count_kinds
    from crosscheck.verdicts import apply_verdicts, read_verdicts, reviewed

    settings = settings.replace(**_story_settings(stories_by, story_key))
    if no_cache:
        settings = settings.replace(cache={"enabled": False})
    settings = _engine_settings(settings, engine_name, ray_address)
    verdicts = read_verdicts(verdict_files, _warn)
    previous = None
    if settings.stories.group == "auto":
        previous, problem = read_story_assignments(Path(outdir) / "stories.csv")
        if problem:
            progress(f"{problem}; grouping from scratch")
        elif previous:
            progress(f"{len(previous)} inputs keep their stories from {Path(outdir) / 'stories.csv'}")
    paths: dict[Path, None] = {}  # in writing order, once each
    written: set[str] = set()
    bar = _StoryBar(progress)

    def story_done(done, total: int) -> None:
        # Each story is written as soon as it is done, with the index so far: a run stopped
        # at story 49 of 50 keeps 48 reports, and a rerun takes them from the cache.
        if verdict_files:
            done, _ = apply_verdicts(done, verdicts)
        new = {story.story for story in done.stories} - written
        paths.update(dict.fromkeys(write_reports(
            done, Path(outdir), settings.report, only=new,
            index=total > 1 or done.grouped or bool(done.failed))))
        written.update(new)
        bar.advance(len(done.stories) + len(done.failed), total)

    try:
        result = run_pipeline(settings, folders, bar.message, previous=previous,
                              on_story=story_done)
    finally:
        bar.close()
    if verdict_files:
        result, matched = apply_verdicts(result, verdicts)
        dismissed = sum(v.verdict == "wrong" for story in result.stories
                        for v in story.verdicts.values())
        progress(f"verdicts: {matched} of {len(reviewed(verdicts))} match a finding of this run; "
                 f"{dismissed} finding(s) dismissed (marked wrong)")
    # The index and stories.csv once more, now that every story is known (a pile's stories
    # from one outlet have no analysis to wait for).
    paths.update(dict.fromkeys(write_reports(result, Path(outdir), settings.report, only=())))
    skipped = sum(r.status == "skipped" for r in result.inputs)
    for story in result.stories:
        counts = {kind: n for kind, n in count_kinds(story.findings).items() if n}
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "no findings"
        seconds = sum(story.seconds.values())
        checked = checked_counts(story)
        if checked["cross_checked"]:
            summary += f"; {checked['compared']} of {checked['claims']} claims compared"
        progress(f"{story.story}: {summary} ({seconds:.1f} s)")
    if skipped:
        progress(f"{skipped} input(s) skipped; see the inputs table in the report")
    for path in paths:
        if path.name in ("report.html", "index.html"):
            click.echo(str(path))
    if result.failed:
        total = len(result.stories) + len(result.failed)
        raise CrosscheckError(f"{len(result.failed)} of {total} stories failed (each was tried "
                              f"twice); reasons in {Path(outdir) / 'index.html'}")


class _StoryBar:
    """Progress over stories: on a terminal, a bar on stderr with stories done / total and the
    time left (tqdm), the other messages printed above it; elsewhere (a log, a pipe, --quiet)
    the plain lines only."""

    def __init__(self, progress):
        self.progress = progress
        self.bar = None
        self.quiet = getattr(progress, "quiet", False)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            self.progress(text)

    def advance(self, done: int, total: int) -> None:
        if self.quiet or not sys.stderr.isatty():
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="story", file=sys.stderr, dynamic_ncols=True,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} stories "
                                       "[{elapsed}<{remaining}]")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _story_settings(stories_by: str | None, story_key: str | None) -> dict:
    """The settings --stories and --story-key stand for."""
    if stories_by is not None and story_key is not None:
        raise InputError("give --stories or --story-key, not both")
    if story_key is not None:
        stories_by = f"key:{story_key}"
    if stories_by is None:
        return {}
    kind, _, field = stories_by.partition(":")
    if stories_by in ("folder", "auto"):
        return {"stories": {"group": stories_by}, "ingest": {"story_key": ""}}
    if kind == "key" and field.strip():
        return {"stories": {"group": "folder"}, "ingest": {"story_key": field.strip()}}
    raise InputError(f"--stories {stories_by!r}: expected folder, auto or key:FIELD "
                     "(e.g. key:triplet-uuid)")


def _engine_settings(settings, engine_name: str | None, ray_address: str | None):
    """The settings with what --engine and --ray-address stand for."""
    engine = {}
    if engine_name is not None:
        engine["name"] = engine_name
    if ray_address is not None:
        engine["ray_address"] = ray_address
    settings = settings.replace(engine=engine)
    if ray_address is not None and settings.engine.name != "ray":
        raise InputError("--ray-address is for --engine ray")
    return settings


def data_options(command):
    """--format and --sample, shared by eval and tune."""
    command = click.option(
        "--sample", default="all", show_default=True, type=click.Choice(["all", "even", "odd"]),
        help="Use every pair, or every other pair (even: 0, 2, 4…; odd: 1, 3, 5…): tune on one "
             "half of a dev file, measure on the other. Verdicts are split by story instead "
             "(every other story in sorted order), so a story's findings stay in one half."
             )(command)
    return click.option(
        "--format", "data_format", default="auto", show_default=True,
        type=click.Choice(["auto", "sick", "equate", "pairs", "basil", "verdicts",
                           "claimdiff"]),
        help="sick: SICK tab-separated; equate: EQUATE JSON list; pairs: CSV or JSONL with "
             "premise, hypothesis, label; auto: from the file extension; basil (eval only): a "
             "BASIL folder, sentence-level bias figures; verdicts (eval only; tune takes "
             "--verdicts): reviewer verdicts exported from reports, precision per kind; "
             "claimdiff (eval only): a ClaimDiff folder, findings on cross-outlet claim pairs "
             "and the false alarms among them."
             )(command)


@main.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@data_options
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Also write the figures as JSON to this file.")
@click.option("--limit", type=int, default=None,
              help="Only the first N pairs (with --format verdicts: reviewed findings).")
@click.option("--errors", "errors_per_cell", type=int, default=0, metavar="N",
              help="Also show N example errors for each kind of confusion.")
@settings_options
def evaluate(files, data_format, sample, json_out, limit, errors_per_cell, settings, progress):
    """Measure the pair judge on labelled pairs in FILES: per-label precision, recall and F1,
    accuracy, the confusion matrix and pairs per second.

    With --format basil, FILES is one BASIL folder (articles/ and annotations/, or one year
    folder under articles/): sentence-level precision, recall and F1 of the loaded-wording
    signal against lexical-bias spans and of single-outlet claims against informational-bias
    spans, with baselines; --limit keeps the first N stories per year.

    With --format verdicts, FILES are verdicts exported from reports: each reviewed finding's
    sentences are run again through the current pipeline, and per kind the command reports
    how many are still flagged and the precision of those (correct / flagged).

    With --format claimdiff, FILES is one ClaimDiff folder: each pair of claims from two
    outlets is run as a two-article story, and the command counts the findings by the pair's
    relation (strengthen, weaken, neither); a contradiction or numeric finding on a
    strengthen or neither pair is a false alarm. --limit keeps the first N pairs.

    \b
    Example:
      crosscheck eval ../shared/data/sick/SICK_trial.txt --format sick --json sick.json
      crosscheck eval ../shared/data/basil --format basil --json basil.json
      crosscheck eval --format verdicts verdicts.jsonl -c tuned.toml
      crosscheck eval ../shared/data/claimdiff --format claimdiff
    """
    from crosscheck.evaluate import evaluate_pairs, format_report, read_pairs, write_json

    if data_format == "basil":
        from crosscheck.evaluate_basil import evaluate_basil, format_basil_report

        if len(files) != 1:
            raise InputError("--format basil takes one BASIL folder")
        figures = evaluate_basil(Path(files[0]), settings, progress, limit)
        click.echo(format_basil_report(figures))
        if json_out:
            write_json(figures, Path(json_out))
        return
    if data_format == "claimdiff":
        from crosscheck.evaluate_claimdiff import (evaluate_claimdiff, format_claimdiff_report,
                                                   read_claimdiff)

        if len(files) != 1 or not Path(files[0]).is_dir():
            raise InputError("--format claimdiff takes one ClaimDiff folder")
        pairs, repeats = read_claimdiff(Path(files[0]), limit)
        progress(f"running {len(pairs)} ClaimDiff pairs as two-outlet stories")
        figures = evaluate_claimdiff(pairs, settings, progress=progress)
        click.echo(format_claimdiff_report(figures, repeats))
        if json_out:
            write_json(figures, Path(json_out))
        return
    for file in files:
        if Path(file).is_dir():
            raise InputError(f"{file}: is a folder; only --format basil and claimdiff read a "
                             f"folder")
    if data_format == "verdicts":
        from crosscheck.evaluate_verdicts import evaluate_verdicts, format_verdicts_report
        from crosscheck.verdicts import read_verdicts, split_by_story

        verdicts = split_by_story(read_verdicts(files, _warn), sample)[:limit]
        progress(f"re-judging {len(verdicts)} reviewed findings from {', '.join(files)}")
        figures = evaluate_verdicts(verdicts, settings, progress=progress)
        click.echo(format_verdicts_report(figures))
        if json_out:
            write_json(figures, Path(json_out))
        return
    pairs = [p for f in files for p in read_pairs(Path(f), data_format, limit, sample)]
    progress(f"judging {len(pairs)} pairs from {', '.join(files)}")
    figures = evaluate_pairs(pairs, settings, errors_per_cell=errors_per_cell)
    click.echo(format_report(figures))
    if json_out:
        write_json(figures, Path(json_out))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@data_options
@verdicts_option("Verdicts exported from reports (repeatable): the calibration is adjusted on "
                 "them and each kind's floor moved to drop findings marked wrong while keeping "
                 "those marked correct.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="TOML file to write; pass it to 'crosscheck run -c'.")
@click.option("--objective", type=click.Choice(["contradiction-f1", "macro-f1"]),
              default="contradiction-f1", show_default=True,
              help="What the thresholds are chosen to maximise on labelled pairs.")
@settings_options
def tune(files, data_format, sample, verdict_files, output, objective, settings, progress):
    """Fit the judge's calibration and thresholds on labelled pairs from FILES, on reviewer
    verdicts (--verdicts), or on both, and write a settings file.

    A verdict is a precision label: it says whether a flagged finding was right, not what was
    missed. So with --verdicts the calibration starts from the current one and is only
    adjusted, and a kind's floor moves only to drop findings marked wrong while keeping at
    least 90% of those marked correct (and of labelled pairs of that label); a kind with fewer
    than 3 findings marked correct keeps its floor.

    \b
    Example:
      crosscheck tune ../shared/data/sick/SICK_train.txt \\
          ../shared/data/equate/stress_dev.json --sample even -o tuned.toml
      crosscheck tune --verdicts verdicts.jsonl -o tuned.toml
      crosscheck run examples/harbour-fire -c tuned.toml
    """
    from crosscheck.evaluate import read_pairs, tune_judge

    if data_format in ("basil", "verdicts", "claimdiff"):
        raise InputError(f"--format {data_format} is for 'crosscheck eval' only"
                         + ("; pass verdicts to tune with --verdicts FILE"
                            if data_format == "verdicts" else ""))
    if not files and not verdict_files:
        raise InputError("nothing to tune on: give labelled pair FILES, --verdicts FILE, or both")
    pairs = [p for f in files for p in read_pairs(Path(f), data_format, None, sample)]
    half = "" if sample == "all" else f" ({sample} {'stories' if verdict_files else 'pairs'})"
    described = ", ".join([*files, *verdict_files]) + half
    if verdict_files:
        from crosscheck.evaluate_verdicts import tune_from_verdicts
        from crosscheck.verdicts import read_verdicts, split_by_story

        verdicts = split_by_story(read_verdicts(verdict_files, _warn), sample)
        progress(f"fitting on {len(verdicts)} reviewed findings and {len(pairs)} pairs")
        summary = tune_from_verdicts(verdicts, pairs, settings, Path(output), objective,
                                     described, progress=progress)
    else:
        progress(f"fitting on {len(pairs)} pairs")
        summary = tune_judge(pairs, settings, Path(output), objective, described)
    click.echo(summary)


@main.command("tune-stories")
@click.argument("folders", nargs=-1, required=True, type=click.Path(file_okay=False))
@click.option("--gold", "gold_spec", required=True, metavar="GOLD.csv|key:FIELD",
              help="The true stories: a CSV with columns file (or path), story and optionally "
                   "topic, or key:FIELD for a metadata field of the articles (e.g. "
                   "key:triplet-uuid).")
@click.option("--folds", type=click.IntRange(2, None), default=5, show_default=True,
              help="Cross-validation folds over the gold's topics (or its stories).")
@click.option("--weekday-weights", "weekday_weights", metavar="W,W,...",
              callback=lambda ctx, param, value: _weights_option(value),
              help="The stories.weekday_weight values tried, comma-separated, evenly spaced "
                   "[default: 0 to 0.4 in steps of 0.025]; 0 alone chooses only the "
                   "threshold.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="Write the suggested stories.link_threshold and stories.weekday_weight to "
                   "this TOML file; pass it to 'crosscheck run -c'.")
@settings_options
def tune_stories_command(folders, gold_spec, folds, weekday_weights, output, settings,
                         progress):
    """Measure how well the articles in FOLDERS are grouped into stories against a gold
    grouping (B-cubed precision, recall and F1), suggest a stories.link_threshold and
    stories.weekday_weight, and cross-validate that choice: both chosen on some topics,
    measured on the others.

    \b
    Example:
      crosscheck tune-stories ../shared/data/ecbplus-dev/articles \\
          --gold ../shared/data/ecbplus-dev/gold.csv -o stories.toml
      crosscheck tune-stories ../shared/data/basil/articles/* --gold key:triplet-uuid
    """
    from crosscheck import cache as caching
    from crosscheck import ingest
    from crosscheck.analysis import cached_embedder
    from crosscheck.evaluate_stories import format_tuning, read_gold, tune_stories
    from crosscheck.files import write_text_atomic

    entries, field = read_gold(gold_spec)
    read = ingest.read_stories(folders, settings.replace(ingest={"story_key": ""}).ingest)
    articles = [a for _, story_articles, _ in read for a in story_articles]
    embedder = cached_embedder(settings, caching.open_cache(settings, progress))
    figures = tune_stories(articles, entries, field, settings,
                           lambda texts: embedder.encode(texts, settings.embed.batch_size),
                           folds, progress, **weekday_weights)
    click.echo(format_tuning(figures))
    if output:
        tuned = (f"[stories]\nlink_threshold = {figures['suggested_threshold']}\n"
                 f"weekday_weight = {figures['suggested_weekday_weight']}\n")
        try:
            write_text_atomic(Path(output), tuned)
        except OSError as error:
            raise CrosscheckError(f"cannot write {output}: {error.strerror or error}") from None
        click.echo(f"wrote {output}")


def _weights_option(value: str | None) -> dict:
    """--weekday-weights as keyword arguments of tune_stories (none: its default)."""
    if value is None:
        return {}
    try:
        weights = [float(part) for part in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected numbers separated by commas, "
                                 "e.g. 0,0.05,0.1") from None
    if any(not 0.0 <= w <= 1.0 for w in weights):
        raise click.BadParameter(f"{value!r}: each weight must be between 0 and 1")
    return {"weekday_weights": weights}


@main.command("review-sample")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="New folder for the packet: key.json and one folder per reviewer.")
@click.option("--per-kind", default=40, show_default=True, type=click.IntRange(1),
              help="Findings drawn per kind from each run.")
@click.option("--kinds", default=None,
              help="Comma-separated finding kinds to draw [default: contradiction,numeric,"
                   "framing,agreement] (single_outlet too, on request).")
@click.option("--seed", type=int, default=None,
              help="Seed of the draw (default: a fresh one, printed and kept in key.json).")
@click.option("--reviewers", default=2, show_default=True, type=click.IntRange(1),
              help="Reviewer folders to write (r1, r2, …), each with the same items.")
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False),
              help="Review rules for the reviewers (from its '## Review rules' heading on, "
                   "if it has one); default: crosscheck's own.")
@click.option("--exclude", multiple=True, type=click.Path(exists=True), metavar="PACKET",
              help="An earlier packet (its folder or key.json) whose findings are not drawn "
                   "again (repeatable).")
def review_sample(runs, output, per_kind, kinds, seed, reviewers, rules_file, exclude):
    """Draw a blind review sample of the findings in RUNS (folders written by `crosscheck run
    -o`, or findings.json files): up to --per-kind findings of each kind from each run, each
    once, at random, shuffled together. Each reviewer folder gets the same items (each
    finding's kind, its sentences with their outlets and the reason the report gives), the
    rules and instructions, and for single_outlet items the story's articles; key.json, which
    says which finding each item is, stays with whoever tallies. Hand each reviewer their own
    folder only; they write `verdicts.json` in it; then count with `crosscheck review-tally`.

    \b
    Example:
      crosscheck run ../shared/data/basil/articles/20{10..14} --story-key triplet-uuid -o runs/basil
      crosscheck review-sample runs/basil -o review/2026-12 --rules ../shared/data/basil-findings/README.md
    """
    import secrets

    from crosscheck.review import (DEFAULT_KINDS, availability_lines, draw_sample, load_runs,
                                   parse_kinds, reviewed_keys, rules_text, write_packet)

    seed = secrets.randbelow(10**6) if seed is None else seed
    wanted = DEFAULT_KINDS if kinds is None else parse_kinds(kinds)
    loaded = load_runs(runs)
    rules = rules_text(rules_file, wanted, _warn)
    sample = draw_sample(loaded, wanted, per_kind, seed, reviewed_keys(exclude))
    write_packet(sample, Path(output), reviewers, rules,
                 {"runs": {run.label: run.path for run in loaded}, "excluded": list(exclude),
                  "rules": rules_file or "crosscheck's own"})
    for line in availability_lines(sample):
        click.echo(line)
    click.echo(f"{len(sample.items)} items, seed {seed}: {Path(output) / 'r1'} … "
               f"r{reviewers}; answer key {Path(output) / 'key.json'}")


@main.command("review-tally")
@click.argument("packet", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Verdicts JSONL to write (default: PACKET/verdicts.jsonl).")
def review_tally(packet, output):
    """Count the verdicts of a review packet (from `crosscheck review-sample`): correct /
    partly / wrong per reviewer, run and kind (framing by aspect), the items every reviewer
    judged alike, and precision per kind. Writes one verdicts line per item (the report's
    export layout; "disputed" where the reviewers differ), for `run --verdicts`, `eval
    --format verdicts` and `tune --verdicts`.

    \b
    Example:
      crosscheck review-tally review/2026-12
    """
    from crosscheck.review import format_tally, read_packet, tally, write_verdict_lines

    result = tally(*read_packet(Path(packet)))
    click.echo(format_tally(result))
    target = Path(output) if output else Path(packet) / "verdicts.jsonl"
    write_verdict_lines(result, target)
    click.echo(f"verdicts: {target}")


@main.command()
def models():
    """List the models in the registry and whether they are installed.

    \b
    Example:
      crosscheck models
    """
    from crosscheck.models.registry import registry_entries, resolve

    for name, role in registry_entries():
        try:
            info = resolve(name, role).info
        except CrosscheckError as e:
            click.echo(f"{name}\t{role}\tNOT AVAILABLE: {e}")
            continue
        click.echo(f"{name}\t{role}\t{info.backend}\t{info.version}\t{info.licence}\t"
                   f"{info.source}")


@main.command("settings")
@settings_options
def show_settings(settings, progress):
    """Print every setting with its effective value and what it does, as TOML.

    \b
    Example:
      crosscheck settings --set pairs.top_k=3
    """
    effective = settings.to_dict()
    section = None
    for name, default, help_text in describe_settings():
        sect, key = name.split(".")
        if sect != section:
            click.echo(f"{'' if section is None else chr(10)}[{sect}]")
            section = sect
        value = effective[sect][key]
        click.echo(f"# {help_text}")
        click.echo(f"{key} = {_toml_value(value)}")


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
