"""utils.saved_model_export_utils, utils.gc, utils.input_fn_utils (spec §5.2-5.6, §7.4)."""

import inspect
import os
import re
import types
from unittest import mock

import numpy as np
import pytest

from compat_learn import _deprecation, _tf, utils
from compat_learn.estimators import constants
from compat_learn.export_strategy import ExportStrategy
from compat_learn.utils import gc, input_fn_utils
from compat_learn.utils import saved_model_export_utils as smeu

import _fakes
import _tiny_model

tf = _tf.tf

# r1.15 saved_model_export_utils.py messages.
WRONG_DEFAULT = (r"^Requested default_output_alternative: WRONG, but available "
                 r"output_alternatives are: \['head-1', 'head-2', 'head-3'\]$")
EMPTY_WITH_DEFAULT = (r"^Requested default_output_alternative: WRONG, but available "
                      r"output_alternatives are: \[\]$")
MULTI_NO_DEFAULT = (r"^Please specify a default_output_alternative\.  Available "
                    r"output_alternatives are: \['head-1', 'head-2', 'head-3'\]$")
NO_DEFAULT_INPUT = r"^A default input_alternative must be provided\.$"
NO_FEATURES = r"^Features must be defined\.$"
NO_INPUT_TENSORS = r"^input_tensors must be provided\.$"
NO_OUTPUT_TENSORS = r"^output_tensors must be provided\.$"
NO_UNIQUE_DIR = r"^Failed to obtain a unique export directory name after 10 attempts\.$"
CORE_DEFAULT_KEY = (r"^default_output_alternative_key is not supported in core "
                    r"Estimator\. Given: head-1$")
EMPTY_CHECKPOINT = r"^Checkpoint path is empty\.$"
EMPTY_EVAL_RESULT = r"has empty evaluation results\."
BEST_NO_LOSS = r"^curr_best_eval_result cannot be empty or no loss is found in it\.$"
CAND_NO_LOSS = r"^cand_eval_result cannot be empty or no loss is found in it\.$"
NOT_A_SUBDIRECTORY = r"^post_export_fn must return a sub-directory of .*temp-post-export-"


@pytest.fixture
def clock(monkeypatch):
    clock = _fakes.install_clock(monkeypatch)
    clock.now = 1_500_000_000.0  # 10-digit seconds, as export directories need
    return clock


class ContribEstimator:
    """Records export_savedmodel calls; writes <base>/<timestamp>/placeholder.txt.

    Its signature is r1.15's contrib Estimator.export_savedmodel (the bits a strategy
    may pass), so unexpected keywords fail.
    """

    def __init__(self, model_dir="/unused", fail=False):
        self.model_dir = model_dir
        self.calls = []
        self.fail = fail

    def export_savedmodel(self, export_dir_base, serving_input_fn,
                          default_output_alternative_key=None, assets_extra=None,
                          as_text=False, checkpoint_path=None, strip_default_attrs=False):
        self.calls.append({
            "export_dir_base": export_dir_base, "serving_input_fn": serving_input_fn,
            "default_output_alternative_key": default_output_alternative_key,
            "assets_extra": assets_extra, "as_text": as_text, "checkpoint_path": checkpoint_path,
            "strip_default_attrs": strip_default_attrs})
        if self.fail:
            raise RuntimeError("export failed")
        export_dir = smeu.get_timestamped_export_dir(export_dir_base)
        os.makedirs(export_dir)
        with open(os.path.join(export_dir, b"placeholder.txt"), "w") as f:
            f.write("x")
        return export_dir


@pytest.fixture
def core_estimator(tmp_path):
    """A real (untrained) tf.estimator.Estimator whose export_saved_model records."""
    est = _tiny_model.make_estimator(tmp_path / "core_model")
    calls = []
    real = tf.estimator.Estimator.export_saved_model

    def export_saved_model(export_dir_base, serving_input_receiver_fn, **kwargs):
        _fakes.check_kwargs(real, kwargs)
        calls.append(dict(export_dir_base=export_dir_base,
                          serving_input_receiver_fn=serving_input_receiver_fn, **kwargs))
        return b"/exported/1500000000"

    est.export_saved_model = export_saved_model
    est.calls = calls
    return est


def _names(directory):
    return sorted(os.listdir(directory))


# ------------------------------------------------------------------ signature defs

def test_build_standardized_signature_def_regression_classification_predict():
    with tf.Graph().as_default():
        examples = tf.compat.v1.placeholder(tf.string, [None], name="examples")
        number = tf.constant([[1.0]])
        problem = constants.ProblemType
        regress = smeu.build_standardized_signature_def(
            {"examples": examples}, {"out": number}, problem.LINEAR_REGRESSION)
        assert regress.method_name == "tensorflow/serving/regress"

        classes = tf.constant([["a"]])
        classify = smeu.build_standardized_signature_def(
            {"examples": examples}, {"classes": classes, "scores": number},
            problem.CLASSIFICATION)
        assert classify.method_name == "tensorflow/serving/classify"
        assert set(classify.outputs) == {"classes", "scores"}

        # Integer classes cannot be served by classify: probabilities are used.
        int_classes = tf.constant([[1]])
        fallback = smeu.build_standardized_signature_def(
            {"examples": examples}, {"classes": int_classes, "probabilities": number},
            problem.LOGISTIC_REGRESSION)
        assert fallback.method_name == "tensorflow/serving/classify"
        assert set(fallback.outputs) == {"scores"}

        # A single unnamed string output is taken as classes.
        single = smeu.build_standardized_signature_def(
            {"examples": examples}, {"some": classes}, problem.CLASSIFICATION)
        assert set(single.outputs) == {"classes"}

        # Several inputs: predict.
        predict = smeu.build_standardized_signature_def(
            {"a": examples, "b": number}, {"out": number}, problem.LINEAR_REGRESSION)
        assert predict.method_name == "tensorflow/serving/predict"
        unspecified = smeu.build_standardized_signature_def(
            {"examples": examples}, {"out": number}, problem.UNSPECIFIED)
        assert unspecified.method_name == "tensorflow/serving/predict"

        # One input that is not a string Tensor: r1.15's signature_def_utils errors.
        floats = tf.compat.v1.placeholder(tf.float32, [None, 2])
        sparse = tf.SparseTensor([[0, 0]], ["a"], [1, 1])
        for single in (floats, sparse):
            with pytest.raises(ValueError,
                               match=r"^Classification examples must be a string Tensor\.$"):
                smeu.build_standardized_signature_def(
                    {"x": single}, {"scores": number}, problem.CLASSIFICATION)
            with pytest.raises(ValueError,
                               match=r"^Regression examples must be a string Tensor\.$"):
                smeu.build_standardized_signature_def(
                    {"x": single}, {"out": number}, problem.LINEAR_REGRESSION)
        with pytest.raises(ValueError, match=r"^Regression output must be a float Tensor\.$"):
            smeu.build_standardized_signature_def(
                {"examples": examples}, {"out": tf.constant([[1]])}, problem.LINEAR_REGRESSION)

        with pytest.raises(ValueError, match=NO_INPUT_TENSORS):
            smeu.build_standardized_signature_def({}, {"out": number}, problem.UNSPECIFIED)
        with pytest.raises(ValueError, match=NO_OUTPUT_TENSORS):
            smeu.build_standardized_signature_def({"e": examples}, {}, problem.UNSPECIFIED)


def test_get_input_alternatives():
    features = {"x": "feature-tensor"}
    ops = input_fn_utils.InputFnOps(features, None, {"examples": "placeholder"})
    assert smeu.get_input_alternatives(ops) == (
        {smeu.DEFAULT_INPUT_ALTERNATIVE_KEY: {"examples": "placeholder"}}, features)
    assert smeu.get_input_alternatives((features, None)) == ({}, features)
    with pytest.raises(ValueError, match=NO_FEATURES):
        smeu.get_input_alternatives(input_fn_utils.InputFnOps({}, None, {"e": 1}))


def _ops(alternatives, predictions="preds"):
    return types.SimpleNamespace(output_alternatives=alternatives, predictions=predictions)


_HEADS = {"head-1": (constants.ProblemType.CLASSIFICATION, {"a": 1}),
          "head-2": (constants.ProblemType.LINEAR_REGRESSION, {"b": 2}),
          "head-3": (constants.ProblemType.UNSPECIFIED, {"c": 3})}


def test_get_output_alternatives_defaults_and_messages():
    assert smeu.get_output_alternatives(_ops(_HEADS), "head-1") == (_HEADS, "head-1")
    with pytest.raises(ValueError, match=WRONG_DEFAULT):
        smeu.get_output_alternatives(_ops(_HEADS), "WRONG")
    with pytest.raises(ValueError, match=MULTI_NO_DEFAULT):
        smeu.get_output_alternatives(_ops(_HEADS))
    single = {"head-1": _HEADS["head-1"]}
    assert smeu.get_output_alternatives(_ops(single)) == (single, "head-1")
    assert smeu.get_output_alternatives(_ops(single), "head-1") == (single, "head-1")


def test_get_output_alternatives_none_or_empty_provided():
    for provided in (None, {}):
        alternatives, key = smeu.get_output_alternatives(_ops(provided, {"p": 1}))
        assert key == "default_output_alternative"
        assert alternatives == {key: (constants.ProblemType.UNSPECIFIED, {"p": 1})}
        with pytest.raises(ValueError, match=EMPTY_WITH_DEFAULT):
            smeu.get_output_alternatives(_ops(provided), "WRONG")
    # Non-dict predictions are keyed by PredictionKey.GENERIC ("output").
    alternatives, key = smeu.get_output_alternatives(_ops(None, "tensor"))
    assert alternatives[key][1] == {"output": "tensor"}


def test_build_all_signature_defs():
    with tf.Graph().as_default():
        examples = tf.compat.v1.placeholder(tf.string, [None])
        number = tf.constant([[1.0]])
        problem = constants.ProblemType
        inputs = {smeu.DEFAULT_INPUT_ALTERNATIVE_KEY: {"examples": examples}}
        outputs = {"head-1": (problem.LINEAR_REGRESSION, {"out": number}),
                   "head-2": (problem.UNSPECIFIED, {"out": number})}
        defs = smeu.build_all_signature_defs(inputs, outputs, "head-1")
        assert set(defs) == {"default_input_alternative:head-1",
                             "default_input_alternative:head-2", "serving_default"}
        assert defs["serving_default"].method_name == "tensorflow/serving/regress"
        # A legacy (features, labels) input_fn has no default input alternative.
        with pytest.raises(ValueError, match=NO_DEFAULT_INPUT):
            smeu.build_all_signature_defs({}, outputs, "head-1")


# ------------------------------------------------------------------ directories and GC

def test_get_timestamped_export_dir_is_ten_digit_seconds_as_bytes(tmp_path, clock):
    clock.now = 1_500_000_000.7
    first = smeu.get_timestamped_export_dir(str(tmp_path))
    assert first == os.path.join(os.fsencode(tmp_path), b"1500000000")
    assert not os.path.exists(first)  # not created
    clock.now += 2
    second = smeu.get_timestamped_export_dir(os.fsencode(tmp_path))
    assert re.fullmatch(rb"\d{10}", os.path.basename(second))
    assert int(os.path.basename(second)) > int(os.path.basename(first))


def test_get_timestamped_export_dir_waits_a_second_on_collision(tmp_path, clock):
    clock.now = 1_500_000_000.0
    os.mkdir(tmp_path / "1500000000")
    assert smeu.get_timestamped_export_dir(tmp_path) == os.path.join(
        os.fsencode(tmp_path), b"1500000001")
    assert clock.slept == 1


def test_get_timestamped_export_dir_gives_up_after_ten_attempts(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(time, "time", lambda: 1_500_000_000.0)
    sleeps = []
    monkeypatch.setattr(time, "sleep", sleeps.append)
    os.mkdir(tmp_path / "1500000000")
    with pytest.raises(RuntimeError, match=NO_UNIQUE_DIR):
        smeu.get_timestamped_export_dir(str(tmp_path))
    assert sleeps == [1] * smeu.MAX_DIRECTORY_CREATION_ATTEMPTS == [1] * 10


def test_get_temp_export_dir():
    assert smeu.get_temp_export_dir("/a/b/1500000000") == b"/a/b/temp-1500000000"
    assert smeu.get_temp_export_dir(b"/a/b/1500000000") == b"/a/b/temp-1500000000"


def _make_dirs(base, names):
    for name in names:
        os.makedirs(os.path.join(base, name))


def test_garbage_collect_exports_keeps_the_newest_ten_digit_dirs_only(tmp_path):
    others = ["temp-1500000009", "123456789", "12345678901", "checkpoint", "150000000a"]
    _make_dirs(tmp_path, ["1500000001", "1500000002", "1500000003", "1500000004"] + others)
    smeu.garbage_collect_exports(os.fsencode(tmp_path), 2)
    assert _names(tmp_path) == sorted(["1500000003", "1500000004"] + others)
    smeu.garbage_collect_exports(str(tmp_path), None)  # disabled
    assert len(_names(tmp_path)) == 7


def test_get_most_recent_export(tmp_path):
    assert smeu.get_most_recent_export(tmp_path) is None
    _make_dirs(tmp_path, ["1500000003", "1500000010", "temp-1500000020", "9999999999x"])
    recent = smeu.get_most_recent_export(os.fsencode(tmp_path))
    assert recent == gc.Path(os.path.join(str(tmp_path), "1500000010"), 1500000010)


# ------------------------------------------------------------------ gc filters

def _paths(*versions):
    return [gc.Path(f"/tmp/{v}", v) for v in versions]


def test_gc_filters():
    paths = _paths(*range(10))
    assert gc.largest_export_versions(3)(paths) == _paths(7, 8, 9)
    assert gc.mod_export_version(5)(paths) == _paths(0, 5)
    assert gc.union(gc.mod_export_version(5), gc.largest_export_versions(3))(paths) == (
        _paths(0, 5, 7, 8, 9))
    assert gc.negation(gc.mod_export_version(5))(paths) == _paths(1, 2, 3, 4, 6, 7, 8, 9)
    # Intervals [0, 3], (3, 6], (6, 9]: the largest of each.
    assert gc.one_of_every_n_export_versions(3)(_paths(0, 1, 3, 4, 6, 7, 8)) == (
        _paths(3, 6, 8))
    unparsed = [gc.Path("/tmp/x", None)] + _paths(1, 2)
    assert gc.largest_export_versions(5)(unparsed) == _paths(1, 2)


def test_gc_get_paths_applies_the_parser(tmp_path):
    _make_dirs(tmp_path, ["1", "2", "skip"])

    def parser(path):
        name = os.path.basename(path.path)
        return path._replace(export_version=int(name)) if name.isdigit() else None

    assert gc.get_paths(os.fsencode(tmp_path), parser) == [
        gc.Path(os.path.join(str(tmp_path), "1"), 1), gc.Path(os.path.join(str(tmp_path), "2"), 2)]


# ------------------------------------------------------------------ make_export_strategy

def test_make_export_strategy_is_servo_and_warns():
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"make_export_strategy.*tf\.estimator\.LatestExporter"):
        strategy = smeu.make_export_strategy(len, strip_default_attrs=True)
    assert isinstance(strategy, ExportStrategy)
    assert strategy.name == "Servo"
    assert strategy.strip_default_attrs is True
    assert utils.make_export_strategy is smeu.make_export_strategy


def test_contrib_estimator_gets_r115_export_savedmodel_call(tmp_path, clock):
    est = ContribEstimator()
    serving_input_fn = object()  # never called by the strategy itself
    strategy = smeu.make_export_strategy(
        serving_input_fn, default_output_alternative_key="head-1", assets_extra={"a": "/b"},
        as_text=True, exports_to_keep=None)
    base = os.path.join(os.fsencode(tmp_path), b"export", b"Servo")  # as Experiment passes
    result = strategy.export(est, base, checkpoint_path="/m/model.ckpt-3", eval_result={})
    assert est.calls == [{
        "export_dir_base": os.fsdecode(base), "serving_input_fn": serving_input_fn,
        "default_output_alternative_key": "head-1", "assets_extra": {"a": "/b"}, "as_text": True,
        "checkpoint_path": "/m/model.ckpt-3", "strip_default_attrs": None}]
    assert result == os.path.join(base, b"%d" % int(clock.now))  # estimator's own value


def test_strip_default_attrs_reaches_a_contrib_estimator(tmp_path, clock):
    est = ContribEstimator()
    smeu.make_export_strategy(len, strip_default_attrs=True).export(est, str(tmp_path))
    assert est.calls[0]["strip_default_attrs"] is True


def test_core_estimator_uses_export_saved_model(core_estimator, tmp_path):
    strategy = smeu.make_export_strategy(
        _tiny_model.serving_input_fn, assets_extra={"a": "/b"}, as_text=True,
        exports_to_keep=None, strip_default_attrs=True)
    result = strategy.export(core_estimator, os.fsencode(tmp_path / "Servo"),
                             checkpoint_path="/m/model.ckpt-1")
    assert result == b"/exported/1500000000"
    (call,) = core_estimator.calls
    receiver_fn = call.pop("serving_input_receiver_fn")
    assert call == {"export_dir_base": str(tmp_path / "Servo"), "assets_extra": {"a": "/b"},
                        "as_text": True, "checkpoint_path": "/m/model.ckpt-1"}
    with tf.Graph().as_default():
        receiver = receiver_fn()
    assert isinstance(receiver, tf.estimator.export.ServingInputReceiver)


def test_core_estimator_serving_input_fn_returning_input_fn_ops_is_adapted(core_estimator):
    def serving_input_fn():
        placeholder = tf.compat.v1.placeholder(tf.string, [None], name="examples")
        return input_fn_utils.InputFnOps({"x": tf.strings.length(placeholder)}, None,
                                         {"examples": placeholder})

    smeu.make_export_strategy(serving_input_fn, exports_to_keep=None).export(
        core_estimator, "/base")
    with tf.Graph().as_default():
        receiver = core_estimator.calls[0]["serving_input_receiver_fn"]()
        assert isinstance(receiver, tf.estimator.export.ServingInputReceiver)
        assert set(receiver.features) == {"x"}
        assert set(receiver.receiver_tensors) == {"examples"}


def test_core_estimator_rejects_default_output_alternative_key_at_export_time(core_estimator):
    strategy = smeu.make_export_strategy(len, default_output_alternative_key="head-1")
    with pytest.raises(ValueError, match=CORE_DEFAULT_KEY):
        strategy.export(core_estimator, "/base")
    assert core_estimator.calls == []


def test_export_then_garbage_collect_keeps_exports_to_keep(tmp_path, clock):
    est = ContribEstimator()
    strategy = smeu.make_export_strategy(len, exports_to_keep=2)
    base = tmp_path / "Servo"
    os.makedirs(base / "temp-1000000000")
    results = []
    for _ in range(4):
        clock.now += 1
        results.append(strategy.export(est, os.fsencode(base)))
    kept = [os.fsdecode(os.path.basename(r)) for r in results[-2:]]
    assert _names(base) == sorted(kept + ["temp-1000000000"])


def test_a_failed_export_deletes_no_earlier_export(tmp_path, clock):
    base = tmp_path / "Servo"
    _make_dirs(base, ["1500000001", "1500000002"])
    strategy = smeu.make_export_strategy(len, exports_to_keep=1)
    with pytest.raises(RuntimeError, match="export failed"):
        strategy.export(ContribEstimator(fail=True), str(base))
    assert _names(base) == ["1500000001", "1500000002"]


# ------------------------------------------------------------------ parsing strategy

def test_make_parsing_export_strategy_contrib_and_core():
    columns = [tf.feature_column.numeric_column("x", shape=[2])]
    contrib = smeu.make_parsing_export_strategy(columns, exports_to_keep=None)
    core = smeu.make_parsing_export_strategy(columns, target_core=True, exports_to_keep=None)
    assert contrib.name == core.name == "Servo"
    with tf.Graph().as_default():
        ops = _serving_fn_of(contrib)()
        assert isinstance(ops, input_fn_utils.InputFnOps)
        assert ops.labels is None
        assert set(ops.default_inputs) == {"examples"}
        assert ops.default_inputs["examples"].op.name == "input_example_tensor"
        assert ops.features["x"].shape.as_list() == [None, 2]
    with tf.Graph().as_default():
        receiver = _serving_fn_of(core)()
        assert isinstance(receiver, tf.estimator.export.ServingInputReceiver)
        assert set(receiver.features) == {"x"}


def _serving_fn_of(strategy):
    """The serving_input_fn a strategy hands to a contrib estimator."""
    est = ContribEstimator()
    with mock.patch.object(ContribEstimator, "export_savedmodel",
                           lambda self, base, fn, **kw: est.calls.append(fn)):
        strategy.export(est, "/base")
    return est.calls[0]


# ------------------------------------------------------------------ best model

def test_make_best_model_export_strategy_exports_only_improvements(tmp_path, clock):
    est = ContribEstimator(model_dir=str(tmp_path / "model"))
    strategy = smeu.make_best_model_export_strategy(len, exports_to_keep=1)
    assert strategy.name == "best_model"
    assert strategy.strip_default_attrs is None
    base = os.path.join(os.fsencode(tmp_path), b"export", b"best_model")

    first = strategy.export(est, base, "fake_ckpt_0", {"loss": 100})
    assert os.fsdecode(os.path.dirname(first)) == os.path.join(os.fsdecode(base), "fake_ckpt_0")
    assert strategy.export(est, base, "fake_ckpt_1", {"loss": 101}) == ""
    clock.now += 1
    third = strategy.export(est, base, "fake_ckpt_2", {"loss": 10})
    assert os.fsdecode(os.path.dirname(third)) == os.path.join(os.fsdecode(base), "fake_ckpt_2")
    assert strategy.export(est, base, "fake_ckpt_3", {"loss": 20}) == ""
    assert strategy.export(est, base, "fake_ckpt_4", {"loss": 10}) == ""  # ties lose
    assert [c["checkpoint_path"] for c in est.calls] == ["fake_ckpt_0", "fake_ckpt_2"]
    assert _names(os.fsdecode(base)) == ["fake_ckpt_0", "fake_ckpt_2"]


def test_make_best_model_export_strategy_exceptions(tmp_path):
    est = ContribEstimator(model_dir=str(tmp_path))
    strategy = smeu.make_best_model_export_strategy(len)
    with pytest.raises(ValueError, match=EMPTY_CHECKPOINT):
        strategy.export(est, "/base", "", {"loss": 1})  # and no checkpoint in model_dir
    with pytest.raises(ValueError, match=EMPTY_EVAL_RESULT):
        strategy.export(est, "/base", "fake_ckpt", None)


def test_best_model_uses_latest_checkpoint_when_none_given(tmp_path, clock):
    model_dir = str(tmp_path / "model")
    ckpt = _fakes.write_checkpoint(model_dir, 42)
    est = ContribEstimator(model_dir=model_dir)
    result = smeu.make_best_model_export_strategy(len).export(
        est, str(tmp_path / "best"), None, {"loss": 1.0})
    assert est.calls[0]["checkpoint_path"] == ckpt
    assert os.path.basename(os.path.dirname(os.fsdecode(result))) == "model.ckpt-42"


def test_default_compare_fn_needs_loss():
    compare = smeu._default_compare_fn
    assert compare({"loss": 2}, {"loss": 1}) is True
    assert compare({"loss": 1}, {"loss": 1}) is False
    with pytest.raises(ValueError, match=BEST_NO_LOSS):
        compare({}, {"loss": 1})
    with pytest.raises(ValueError, match=CAND_NO_LOSS):
        compare({"loss": 1}, {"auc": 1})


def test_best_model_selector_is_seeded_from_event_files(tmp_path):
    eval_dir = tmp_path / "eval"
    with tf.Graph().as_default():
        writer = tf.compat.v1.summary.FileWriter(str(eval_dir))
        for step, loss in ((1, 5.0), (2, 3.0), (3, 4.0)):
            summary = tf.compat.v1.Summary(value=[
                tf.compat.v1.Summary.Value(tag="loss", simple_value=loss)])
            writer.add_summary(summary, step)
        writer.close()
    selector = smeu.BestModelSelector(str(eval_dir / "*.tfevents.*"))
    assert selector.update("ckpt-4", {"loss": 3.5}) == ("", None)
    assert selector.update("ckpt-5", {"loss": 2.5}) == ("ckpt-5", {"loss": 2.5})
    # Through the strategy: model_dir + event_file_pattern, both needed.
    strategy = smeu.make_best_model_export_strategy(
        len, model_dir=str(tmp_path), event_file_pattern="eval/*.tfevents.*")
    assert strategy.export(ContribEstimator(), "/base", "ckpt-6", {"loss": 3.5}) == ""


# ------------------------------------------------------------------ extend

def _rewrite(export_path, temp_dir):
    assert os.path.exists(os.path.join(export_path, b"placeholder.txt"))
    target = os.path.join(temp_dir, "rewrite")
    os.makedirs(target)
    return target


def test_extend_export_strategy(tmp_path, clock):
    base_strategy = smeu.make_export_strategy(len)
    extended = smeu.extend_export_strategy(base_strategy, _rewrite, "Servo2")
    assert isinstance(extended, ExportStrategy)
    assert extended.name == "Servo2"
    est = ContribEstimator()
    final = extended.export(est, os.fsencode(tmp_path), checkpoint_path="ckpt-1")
    assert final == os.path.join(str(tmp_path), "rewrite")
    assert _names(tmp_path) == ["rewrite"]  # temp dirs removed
    assert est.calls[0]["checkpoint_path"] == "ckpt-1"


def test_extend_export_strategy_same_name():
    extended = smeu.extend_export_strategy(smeu.make_export_strategy(len), _rewrite)
    assert extended.name == "Servo"


def test_extend_export_strategy_raises_error(tmp_path, clock):
    extended = smeu.extend_export_strategy(
        smeu.make_export_strategy(len), lambda path, temp_dir: "/elsewhere")
    with pytest.raises(ValueError, match=NOT_A_SUBDIRECTORY):
        extended.export(ContribEstimator(), str(tmp_path))


# ------------------------------------------------------------------ input_fn_utils, package

def test_build_parsing_serving_input_fn():
    spec = {"x": tf.io.FixedLenFeature([1], tf.float32)}
    with tf.Graph().as_default():
        ops = input_fn_utils.build_parsing_serving_input_fn(spec, default_batch_size=4)()
        assert isinstance(ops, utils.InputFnOps)
        placeholder = ops.default_inputs["examples"]
        assert placeholder.op.name == "input_example_tensor"
        assert placeholder.shape.as_list() == [4]
        assert ops.features["x"].shape.as_list() == [4, 1]


def test_build_default_serving_input_fn():
    with tf.Graph().as_default():
        features = {"a": tf.zeros([3, 2], name="feat_a"), "b": tf.zeros([3], tf.int64)}
        ops = input_fn_utils.build_default_serving_input_fn(features)()
        assert ops.features is ops.default_inputs and ops.labels is None
        assert ops.features["a"].shape.as_list() == [None, 2]
        assert ops.features["a"].dtype == tf.float32
        assert ops.features["b"].dtype == tf.int64
        assert ops.features["a"].op.name.startswith("feat_a")
    # TF2 addition: eager tensors / TensorSpecs (no graph op) work too.
    fn = input_fn_utils.build_default_serving_input_fn(
        {"s": tf.TensorSpec([None, 5], tf.float32, name="s_in")}, default_batch_size=2)
    with tf.Graph().as_default():
        ops = fn()
        assert ops.features["s"].shape.as_list() == [2, 5]
        assert ops.features["s"].op.name == "s_in"


def test_utils_package_surface():
    for name in utils.__all__:
        assert getattr(utils, name) is not None
    assert utils.gc is gc and utils.saved_model_export_utils is smeu
    assert utils.build_parsing_serving_input_fn is input_fn_utils.build_parsing_serving_input_fn
    assert {n for n in dir(smeu) if not n.startswith("_") and callable(getattr(smeu, n))
            and getattr(getattr(smeu, n), "__module__", None) == smeu.__name__} <= set(
                smeu.__all__)
    with pytest.raises(NotImplementedError, match=r"make_export_strategy"):
        utils.export_estimator(object(), "/dir")
    assert inspect.signature(smeu.make_export_strategy).parameters["exports_to_keep"].default == 5


# ------------------------------------------------------------------ integration

@pytest.mark.integration
def test_real_export_loads_serves_and_garbage_collects(tmp_path):
    est = _tiny_model.make_estimator(tmp_path / "model")
    est.train(_tiny_model.train_input_fn, steps=5)
    base = tmp_path / "model" / "export" / "Servo"
    # Older exports (kept: the newest one), a temp dir and a stray name (never touched).
    _make_dirs(base, ["1000000000", "1000000001", "temp-1000000002", "notes"])
    serving_input_fn = input_fn_utils.build_parsing_serving_input_fn(
        {"x": tf.io.FixedLenFeature([1], tf.float32)})
    strategy = smeu.make_export_strategy(serving_input_fn, exports_to_keep=2)

    result = strategy.export(est, os.fsencode(base), checkpoint_path=None, eval_result={})

    export_dir = os.fsdecode(result)
    assert os.path.dirname(export_dir) == str(base)
    assert re.fullmatch(r"\d{10}", os.path.basename(export_dir))
    assert _names(base) == sorted([os.path.basename(export_dir), "1000000001",
                                   "temp-1000000002", "notes"])
    loaded = tf.saved_model.load(export_dir)
    serve = loaded.signatures["serving_default"]
    example = tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5]))}))
    (output,) = serve(examples=tf.constant([example.SerializeToString()])).values()
    w = est.get_variable_value("w")
    b = est.get_variable_value("b")
    np.testing.assert_allclose(output.numpy(), 0.5 * w + b, rtol=1e-5)
    assert float(b[0]) != 0.0  # it was trained


@pytest.mark.parametrize("strip", [True, None])
def test_v1_core_estimator_export_honours_strip_default_attrs(tmp_path, strip):
    # tf.compat.v1.estimator.Estimator keeps r1.15's export_savedmodel, so the
    # strategy's strip_default_attrs decides (None, r1.15's default, keeps them).
    from tensorflow.core.protobuf import saved_model_pb2

    est = tf.compat.v1.estimator.Estimator(model_fn=_tiny_model.model_fn,
                                           model_dir=str(tmp_path / "model"))
    est.train(_tiny_model.train_input_fn, steps=1)
    strategy = smeu.make_export_strategy(_tiny_model.serving_input_fn,
                                         strip_default_attrs=strip)
    export_dir = os.fsdecode(strategy.export(est, str(tmp_path / "Servo")))
    saved_model = saved_model_pb2.SavedModel()
    with open(os.path.join(export_dir, "saved_model.pb"), "rb") as f:
        saved_model.ParseFromString(f.read())
    nodes = saved_model.meta_graphs[0].graph_def.node
    # MatMul's transpose_a defaults to False: stripping removes it from the NodeDef.
    has_default_attr = any(n.op == "MatMul" and "transpose_a" in n.attr for n in nodes)
    assert has_default_attr is (not strip)
