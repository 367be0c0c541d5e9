"""The contrib Estimator protocol (fit/evaluate/predict/export, SKCompat) vs r1.15.

Unit tests use no training (argument checks, messages, the model_fn adapter with
fakes). The integration tests train tiny models with the real TF 2.15 estimator in
tmp_path: four short trainings in all.
"""

import itertools
import logging
import os
import sys
import types

import numpy as np
import pytest

import compat_learn
from compat_learn import _tf, evaluable, learn_io, run_config, trainable
from compat_learn.estimators import NotFittedError
from compat_learn.estimators import _core_adapter as adapter
from compat_learn.estimators.estimator import (
    BaseEstimator,
    Estimator,
    GraphRewriteSpec,
    SKCompat,
    infer_real_valued_columns_from_input,
    infer_real_valued_columns_from_input_fn,
)
from compat_learn.estimators.model_fn import ModeKeys, ModelFnOps
from compat_learn.layers.feature_column import real_valued_column
from compat_learn.metric_spec import MetricSpec
from compat_learn.utils.input_fn_utils import InputFnOps

tf = _tf.tf

# r1.15 messages (estimators/estimator.py, saved_model_export_utils.py), pinned.
MSG_STEPS_AND_MAX_STEPS = "Can not provide both steps and max_steps."
MSG_NO_INPUT = "Either x or input_fn must be provided."
MSG_TENSOR_INPUT = "Inputs cannot be tensors. Please provide input_fn."
MSG_FEED_FN_AND_X = "Can not provide both feed_fn and x or y."
MSG_INPUT_FN_AND_X = "Can not provide both input_fn and x or y."
MSG_INPUT_FN_AND_BATCH = "Can not provide both input_fn and batch_size."
MSG_NOT_FITTED = "Couldn't find trained model at %s."
MSG_METRICS_TYPE = "Metrics argument should be None or dict. Got %s."
MSG_PARAMS = ("Estimator's model_fn (%s) does not have a params argument, but params (%s) "
              "were passed to the Estimator's constructor.")
MSG_MODEL_DIR = ("model_dir are set both in constructor and RunConfig, but with different "
                 "values. In constructor: '%s', in RunConfig: '%s' ")
MSG_NO_SERVING_INPUT_FN = "serving_input_fn must be defined."
MSG_REWRITE_TRANSFORMS = "The first element of graph_rewrite_specs must specify no transforms."
MSG_UNRECOGNIZED_RESULT = "Unrecognized value returned by model_fn, please return ModelFnOps."
MSG_TUPLE_METRIC_LEN = "Invalid metric for ('a', 'b', 'c'). It returned a tuple with len 3, expected 2."
MSG_TUPLE_METRIC_NOT_DICT = "Metrics passed provide (name, prediction), but predictions are not dict."
MSG_NAME_METRIC_DICT = "Metrics passed provide only name, no prediction, but predictions are dict."
MSG_OUTPUTS_NON_DICT = "outputs argument is not valid in case of non-dict predictions."
MSG_OUTPUTS_NONE_MATCH = "Expected to run at least one output from"
MSG_NO_FEATURES = "Features must be defined."
MSG_NO_DEFAULT_INPUTS = "A default input_alternative must be provided."
MSG_DEFAULT_ALT_EMPTY = "Requested default_output_alternative: b, but available output_alternatives are: []"
MSG_DEFAULT_ALT_MISSING = ("Requested default_output_alternative: c, but available "
                           "output_alternatives are: ['a', 'b']")
MSG_DEFAULT_ALT_NEEDED = ("Please specify a default_output_alternative.  Available "
                          "output_alternatives are: ['a', 'b']")
MSG_FEATURES_INCOMPATIBLE = ("Features are incompatible with given information. "
                             "Given features: %s, required signatures: %s.")
MSG_LABELS_INCOMPATIBLE = ("Labels are incompatible with given information. "
                           "Given labels: %s, required signatures: %s.")



def _noop_model_fn(features, labels):
    raise AssertionError("not called in unit tests")


@pytest.fixture
def est(tmp_path):
    return Estimator(model_fn=_noop_model_fn, model_dir=str(tmp_path / "model"))


# ------------------------------------------------------------------ construction

def test_estimator_is_a_trainable_evaluable_base_estimator(est):
    assert isinstance(est, BaseEstimator)
    assert isinstance(est, trainable.Trainable) and isinstance(est, evaluable.Evaluable)
    with pytest.raises(TypeError):
        BaseEstimator()  # abstract: _get_train_ops/_get_predict_ops


def test_params_without_params_argument_raises(tmp_path):
    with pytest.raises(ValueError) as err:
        Estimator(model_fn=_noop_model_fn, model_dir=str(tmp_path), params={"a": 1})
    assert str(err.value) == MSG_PARAMS % (_noop_model_fn, {"a": 1})


def test_params_argument_without_params_only_warns(tmp_path, caplog):
    def model_fn(features, labels, params):
        return None
    with caplog.at_level(logging.WARNING):
        est = Estimator(model_fn=model_fn, model_dir=str(tmp_path))
    assert "includes params argument, but params are not passed" in caplog.text
    assert est.params is None
    assert est.get_params()["params"] is None


def test_model_dir_conflicting_with_config_raises(tmp_path):
    config = run_config.RunConfig(model_dir=str(tmp_path / "a"))
    with pytest.raises(ValueError) as err:
        Estimator(model_fn=_noop_model_fn, model_dir=str(tmp_path / "b"), config=config)
    assert str(err.value) == MSG_MODEL_DIR % (tmp_path / "b", tmp_path / "a")


def test_model_dir_from_config(tmp_path):
    config = run_config.RunConfig(model_dir=str(tmp_path / "a"))
    assert Estimator(model_fn=_noop_model_fn, config=config).model_dir == str(tmp_path / "a")


def test_no_model_dir_uses_a_temp_dir_with_a_warning(caplog, monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.mkdtemp", lambda: str(tmp_path / "tmpdir"))
    with caplog.at_level(logging.WARNING):
        est = Estimator(model_fn=_noop_model_fn)
    assert est.model_dir == str(tmp_path / "tmpdir")
    assert est.config.model_dir == est.model_dir
    assert "Using temporary folder as model directory" in caplog.text


def test_config_is_a_deep_copy_on_every_access(est):
    first, second = est.config, est.config
    assert first is not second
    assert isinstance(first, run_config.RunConfig)
    assert first.model_dir == est.model_dir


# ------------------------------------------------------------------ argument checks

def test_fit_rejects_steps_and_max_steps(est):
    with pytest.raises(ValueError) as err:
        est.fit(input_fn=lambda: None, steps=1, max_steps=2)
    assert str(err.value) == MSG_STEPS_AND_MAX_STEPS


@pytest.mark.parametrize("kwargs, message", [
    ({}, MSG_NO_INPUT),
    ({"x": np.ones(2), "input_fn": lambda: None}, MSG_INPUT_FN_AND_X),
    ({"input_fn": lambda: None, "batch_size": 3}, MSG_INPUT_FN_AND_BATCH),
])
def test_fit_input_argument_checks(est, kwargs, message):
    with pytest.raises(ValueError) as err:
        est.fit(**kwargs)
    assert str(err.value) == message


def test_tensor_inputs_and_feed_fn_with_x_are_rejected(est):
    with tf.Graph().as_default():
        with pytest.raises(ValueError) as err:
            est.fit(x=tf.constant([1.0]))
        assert str(err.value) == MSG_TENSOR_INPUT
    with pytest.raises(ValueError) as err:
        est.evaluate(x=np.ones(2), feed_fn=dict)
    assert str(err.value) == MSG_FEED_FN_AND_X


def test_evaluate_metrics_must_be_a_dict(est):
    with pytest.raises(ValueError) as err:
        est.evaluate(input_fn=lambda: None, metrics=["m"])
    assert str(err.value) == MSG_METRICS_TYPE % ["m"]


def test_untrained_model_raises_not_fitted(est):
    # TF 2.15 would silently evaluate/predict freshly initialised variables here.
    message = MSG_NOT_FITTED % est.model_dir
    for call in (lambda: est.evaluate(input_fn=lambda: None),
                 lambda: est.predict(input_fn=lambda: None),
                 lambda: est.export_savedmodel("/nonexistent", lambda: None)):
        with pytest.raises(NotFittedError) as err:
            call()
        assert str(err.value) == message
    # get_variable_value: r1.15's load_variable message (tests/test_estimator_api.py).
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_export_argument_checks(est):
    with pytest.raises(ValueError) as err:
        est.export_savedmodel("/nonexistent", None)
    assert str(err.value) == MSG_NO_SERVING_INPUT_FN
    with pytest.raises(ValueError) as err:
        est.export_savedmodel("/nonexistent", lambda: None,
                              graph_rewrite_specs=[GraphRewriteSpec(("serve",), ("t",))])
    assert str(err.value) == MSG_REWRITE_TRANSFORMS
    with pytest.raises(NotImplementedError, match="graph_rewrite_specs"):
        est.export_savedmodel("/nonexistent", lambda: None, graph_rewrite_specs=[
            GraphRewriteSpec(("serve",), ()), GraphRewriteSpec(("tpu",), ())])


def test_fit_converts_monitors_through_the_monitors_module(est, monkeypatch):
    calls = []
    fake = types.ModuleType("compat_learn.monitors")
    fake.replace_monitors_with_hooks = lambda monitors, estimator: (
        calls.append((monitors, estimator)) or ["hook"])
    # setattr first: reading the old attribute may import the real module lazily.
    monkeypatch.setattr(compat_learn, "monitors", fake, raising=False)
    monkeypatch.setitem(sys.modules, "compat_learn.monitors", fake)
    trained = []
    monkeypatch.setattr(est, "_train_model", lambda **kw: trained.append(kw))
    assert est.fit(input_fn="input", steps=3, monitors=["monitor"]) is est
    assert calls == [(["monitor"], est)]
    assert trained == [{"input_fn": "input", "hooks": ["hook"], "steps": 3, "max_steps": None}]


# ------------------------------------------------------------------ model_fn adapter

def test_make_metrics_ops_keys_and_errors():
    def metric(predictions, labels):
        return predictions, labels
    result = adapter.make_metrics_ops(
        {("m", "p1"): metric, "spec": MetricSpec(metric, prediction_key="p2")},
        features={}, labels={"p1": "L1"}, predictions={"p1": "P1", "p2": "P2"})
    # A tuple key uses the labels entry of the same name when there is one.
    assert result == {"m": ("P1", "L1"), "spec": ("P2", "L1")}
    assert adapter.make_metrics_ops({"m": metric}, {}, {"only": "L"}, "P") == {"m": ("P", "L")}
    for metrics, predictions, message in [
            ({("a", "b", "c"): metric}, {}, MSG_TUPLE_METRIC_LEN),
            ({("a", "b"): metric}, "P", MSG_TUPLE_METRIC_NOT_DICT),
            ({"a": metric}, {"p": "P"}, MSG_NAME_METRIC_DICT)]:
        with pytest.raises(ValueError) as err:
            adapter.make_metrics_ops(metrics, {}, "L", predictions)
        assert str(err.value).startswith(message)


def test_filter_predictions_messages():
    assert adapter.filter_predictions({"a": 1, "b": 2}, ["b"]) == {"b": 2}
    with pytest.raises(ValueError) as err:
        adapter.filter_predictions("tensor", ["a"])
    assert str(err.value) == MSG_OUTPUTS_NON_DICT
    with pytest.raises(ValueError, match=MSG_OUTPUTS_NONE_MATCH):
        adapter.filter_predictions({"a": 1}, ["b"])


def test_call_contrib_model_fn_passes_only_declared_args_and_rejects_bad_results():
    seen = {}

    def model_fn(features, labels, mode, model_dir):
        seen.update(mode=mode, model_dir=model_dir)
        return "not ops"
    getters = {"params": lambda: 1 / 0, "config": lambda: 1 / 0, "model_dir": lambda: "/m"}
    with pytest.raises(ValueError) as err:
        adapter.call_contrib_model_fn(model_fn, {}, None, ModeKeys.EVAL, getters)
    assert str(err.value) == MSG_UNRECOGNIZED_RESULT
    assert seen == {"mode": "eval", "model_dir": "/m"}


def test_output_alternatives_selection_messages():
    ops = types.SimpleNamespace(output_alternatives=None, predictions="P")
    assert adapter.get_output_alternatives(ops) == (
        {"default_output_alternative": (0, {"output": "P"})}, "default_output_alternative")
    with pytest.raises(ValueError) as err:
        adapter.get_output_alternatives(ops, "b")
    assert str(err.value) == MSG_DEFAULT_ALT_EMPTY
    ops.output_alternatives = {"a": (0, {}), "b": (0, {})}
    assert adapter.get_output_alternatives(ops, "b")[1] == "b"
    for key, message in [("c", MSG_DEFAULT_ALT_MISSING), (None, MSG_DEFAULT_ALT_NEEDED)]:
        with pytest.raises(ValueError) as err:
            adapter.get_output_alternatives(ops, key)
        assert str(err.value) == message


def test_serving_receiver_requires_features_and_default_inputs():
    with tf.Graph().as_default():
        ph = tf.compat.v1.placeholder(tf.float32, [None])
        for ops, message in [(InputFnOps({}, None, {"x": ph}), MSG_NO_FEATURES),
                             (InputFnOps({"x": ph}, None, None), MSG_NO_DEFAULT_INPUTS)]:
            with pytest.raises(ValueError) as err:
                adapter.serving_receiver(ops)
            assert str(err.value) == message
        receiver = adapter.serving_receiver(InputFnOps({"x": ph}, None, {"x": ph}))
        assert receiver.receiver_tensors == {"x": ph}


def test_first_inputs_fix_the_later_ones(est):
    # r1.15 `_check_inputs` / tensor_signature rules: dtype must match, the shape
    # too except the batch size, extra dict keys are fine, labels may be absent.
    ph = tf.compat.v1.placeholder
    with tf.Graph().as_default():
        est._check_inputs({"x": ph(tf.float32, [4, 2])}, ph(tf.float32, [4]))
        est._check_inputs({"x": ph(tf.float32, [None, 2]), "extra": ph(tf.string, [])},
                          ph(tf.float32, [7]))
        est._check_inputs({"x": ph(tf.float32, None)}, None)
        recorded = est._features_info
        for features in ({"x": ph(tf.float32, [4, 3])}, {"x": ph(tf.float64, [4, 2])},
                         {"x": ph(tf.float32, [4, 2, 1])}, {"y": ph(tf.float32, [4, 2])},
                         ph(tf.float32, [4, 2]),
                         {"x": tf.sparse.from_dense(tf.ones([4, 2]))}):
            with pytest.raises(ValueError) as err:
                est._check_inputs(features, None)
            assert str(err.value) == MSG_FEATURES_INCOMPATIBLE % (features, recorded)
        features = {"x": ph(tf.float32, [4, 2])}
        for labels in (ph(tf.int64, [4]), ph(tf.float32, [4, 1]), {"y": ph(tf.float32, [4])}):
            with pytest.raises(ValueError) as err:
                est._check_inputs(features, labels)
            assert str(err.value) == MSG_LABELS_INCOMPATIBLE % (labels, est._labels_info)


def test_sparse_inputs_keep_only_their_dtype(est):
    with tf.Graph().as_default():
        sparse = tf.sparse.from_dense(tf.ones([4, 2]))
        est._check_inputs(sparse, {"y": tf.ones([4])})
        est._check_inputs(tf.sparse.from_dense(tf.ones([3, 5, 1])), {"y": tf.ones([3])})
        with pytest.raises(ValueError, match=r"^Features are incompatible"):
            est._check_inputs(tf.ones([4, 2]), None)


def test_predict_labels_are_placeholders_like_the_recorded_labels(est):
    with tf.Graph().as_default():
        assert adapter.placeholders_for(None) is None
        est._check_inputs({"x": tf.ones([4, 2])},
                          {"a": tf.ones([4, 3], tf.int32),
                           "b": tf.sparse.from_dense(tf.ones([4, 2])),
                           "c": tf.constant(1.0)})
        labels = adapter.placeholders_for(est._labels_info)
        assert labels["a"].op.type == "Placeholder" and labels["a"].dtype == tf.int32
        assert labels["a"].shape.as_list() == [None, 3]
        assert isinstance(labels["b"], tf.SparseTensor) and labels["b"].dtype == tf.float32
        assert labels["c"].shape.as_list() == [None]  # r1.15: [None] + shape[1:]


def test_eval_results_map_back_to_r115_metric_names_and_order():
    names = adapter.CoreEvalMetricNames()
    core_names = names.record(["m", "global_step", "_global_step", "_r115_metric_loss",
                               "loss"])
    # The core estimator sees neither 'loss' nor 'global_step' as a metric name,
    # nor a name clashing with another metric.
    assert set(core_names) == {"loss", "global_step"}
    assert len(set(core_names.values()) | {"m", "_global_step", "_r115_metric_loss",
                                           "loss", "global_step"}) == 7
    core_results = {"m": 1.0, core_names["global_step"]: 2.0, "_global_step": 3.0,
                    "_r115_metric_loss": 4.0, core_names["loss"]: 5.0, "loss": 6.0,
                    "global_step": 10}
    results, step = names.results(core_results)
    assert step == 10
    # r1.15: the metrics in order, the step under an unused '_..._global_step'.
    assert list(results.items()) == [
        ("m", 1.0), ("global_step", 2.0), ("_global_step", 3.0),
        ("_r115_metric_loss", 4.0), ("loss", 5.0), ("__global_step", 10)]
    names.record(["b", "a"])
    assert list(names.results({"a": 1, "b": 2, "loss": 3, "global_step": 4})[0].items()) == [
        ("b", 2), ("a", 1), ("loss", 3), ("global_step", 4)]


# ------------------------------------------------------------------ integration

def _linear_model_fn(features, labels, mode, params, config, model_dir):
    """A contrib model_fn returning ModelFnOps; records what it was given."""
    params["seen"].append((mode, type(config).__name__, model_dir))
    w = tf.compat.v1.get_variable("w", [2, 1], initializer=tf.compat.v1.zeros_initializer())
    scores = tf.squeeze(tf.matmul(features["x"], w), 1)
    predictions = {"scores": scores, "double": 2 * scores}
    loss = train_op = None
    if mode != ModeKeys.INFER:
        loss = tf.compat.v1.losses.mean_squared_error(labels, scores)
        train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(
            loss, global_step=tf.compat.v1.train.get_global_step())
    return ModelFnOps(mode=mode, predictions=predictions, loss=loss, train_op=train_op)


def _data(n=8):
    x = np.random.RandomState(0).rand(n, 2).astype(np.float32)
    return x, (x @ np.array([1.0, 2.0], np.float32)).astype(np.float32)


@pytest.mark.integration
def test_contrib_estimator_round_trip_with_metric_specs_and_export(tmp_path):
    x, y = _data()
    engineered = []

    def feature_engineering_fn(features, labels):
        engineered.append(True)
        return features, labels

    params = {"seen": []}
    est = Estimator(model_fn=_linear_model_fn, model_dir=str(tmp_path / "m"), params=params,
                    feature_engineering_fn=feature_engineering_fn)
    train_input = learn_io.numpy_input_fn({"x": x}, y, batch_size=4, num_epochs=None)
    assert est.fit(input_fn=train_input, steps=4) is est
    assert est.fit(input_fn=train_input, max_steps=4) is est  # already there: skipped
    assert est.get_variable_value("global_step") == 4
    assert {"global_step", "w"} <= set(est.get_variable_names())

    mae = tf.compat.v1.metrics.mean_absolute_error
    results = est.evaluate(
        input_fn=learn_io.numpy_input_fn({"x": x}, y, batch_size=4, shuffle=False),
        name="val", metrics={
            "mae": MetricSpec(mae, prediction_key="scores"),
            ("mse", "scores"): tf.compat.v1.metrics.mean_squared_error,
        })
    assert set(results) == {"mae", "mse", "loss", "global_step"}
    assert results["global_step"] == 4
    assert results["mse"] == pytest.approx(results["loss"], rel=1e-5)
    assert os.path.isdir(tmp_path / "m" / "eval_val")

    predict_input = learn_io.numpy_input_fn({"x": x}, batch_size=3, shuffle=False)
    predictions = list(est.predict(input_fn=predict_input, outputs=["scores"]))
    assert len(predictions) == len(x) and set(predictions[0]) == {"scores"}
    batches = list(est.predict(input_fn=predict_input, iterate_batches=True))
    assert [len(b["double"]) for b in batches] == [3, 3, 2]

    assets = tmp_path / "vocab.txt"
    assets.write_text("a\n")

    def serving_input_fn():
        ph = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
        return InputFnOps({"x": ph}, None, {"x": ph})

    path = est.export_savedmodel(str(tmp_path / "export"), serving_input_fn,
                                 assets_extra={"extra/vocab.txt": str(assets)})
    assert isinstance(path, bytes)
    assert os.path.isfile(os.path.join(path.decode(), "assets.extra", "extra", "vocab.txt"))
    loaded = tf.saved_model.load(path.decode())
    assert set(loaded.signatures.keys()) == {
        "serving_default", "default_input_alternative:default_output_alternative"}
    served = loaded.signatures["serving_default"](x=tf.constant(x[:2]))
    np.testing.assert_allclose(served["scores"].numpy(),
                               [p["scores"] for p in predictions[:2]], rtol=1e-6)

    modes = {mode for mode, _, _ in params["seen"]}
    assert modes == {ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.INFER}
    assert {(c, d) for _, c, d in params["seen"]} == {("RunConfig", est.model_dir)}
    assert engineered


@pytest.mark.integration
def test_non_positive_steps_run_one_step_or_batch_as_r115(tmp_path):
    # r1.15 handed steps to StopAtStepHook / StopAfterNEvalsHook unchecked: their
    # stop test (done >= target) holds after the first step or batch when steps <= 0
    # (steps=0 in evaluate alone meant "no limit"). TF 2.15 rejects steps <= 0.
    x, y = _data()
    est = Estimator(model_fn=_linear_model_fn, model_dir=str(tmp_path), params={"seen": []})
    endless = learn_io.numpy_input_fn({"x": x}, y, batch_size=4, num_epochs=None)
    est.fit(input_fn=endless, steps=0)
    assert est.get_variable_value("global_step") == 1
    est.fit(input_fn=endless, steps=-3)
    assert est.get_variable_value("global_step") == 2
    # An endless input_fn: one batch evaluated, the first one (its loss, not the mean).
    ordered = learn_io.numpy_input_fn({"x": x}, y, batch_size=4, shuffle=False, num_epochs=None)
    w = est.get_variable_value("w")
    first_batch_loss = np.mean(((x[:4] @ w).ravel() - y[:4]) ** 2)
    assert est.evaluate(input_fn=ordered, steps=-1)["loss"] == pytest.approx(
        first_batch_loss, rel=1e-5)


def _tuple_model_fn(features, labels):
    """r1.15's oldest convention: (predictions, loss, train_op), no mode argument."""
    w = tf.compat.v1.get_variable("w", [2, 1], initializer=tf.compat.v1.zeros_initializer())
    predictions = tf.squeeze(tf.matmul(features, w), 1)
    if labels is None:
        return predictions, None, None
    loss = tf.compat.v1.losses.mean_squared_error(labels, predictions)
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.compat.v1.train.get_global_step())
    return predictions, loss, train_op


@pytest.mark.integration
def test_tuple_model_fn_with_numpy_fit_and_skcompat(tmp_path):
    x, y = _data(10)
    y = y.reshape(-1, 1)  # r1.15 data feeder: [n, 1] labels arrive as [batch]
    est = Estimator(model_fn=_tuple_model_fn, model_dir=str(tmp_path / "m"))
    sk = SKCompat(est)
    assert sk.fit(x, y, batch_size=4, steps=3) is sk
    score = sk.score(x, y, batch_size=4)
    assert set(score) == {"loss", "global_step"} and score["global_step"] == 3
    predicted = sk.predict(x, batch_size=3)
    assert isinstance(predicted, np.ndarray) and predicted.shape == (10,)

    assert est.fit(x=x, y=y, steps=2) is est
    assert est.evaluate(x=x, y=y)["global_step"] == 5
    np.testing.assert_allclose(est.predict(x=x, as_iterable=False),
                               list(est.predict(x=x, batch_size=4)), rtol=1e-6)
    # A constant input (no queue, no dataset) is predicted once, as r1.15 did.
    # (islice: a regression would repeat the batch forever instead of failing.)
    constant = list(itertools.islice(est.predict(input_fn=lambda: tf.constant(x)), 11))
    assert len(constant) == 10

    columns = infer_real_valued_columns_from_input(x)
    assert columns == [real_valued_column("", dimension=2, dtype=tf.as_dtype(x.dtype))]


def test_infer_real_valued_columns_returns_contrib_columns_as_r115():
    # r1.15: tf.contrib.layers real_valued_columns, with the data feeder's dtypes
    # (float64 kept), one per dict key, dimension the product of the non-batch dims.
    assert infer_real_valued_columns_from_input(np.zeros((5, 4))) == [
        real_valued_column("", dimension=4, dtype=tf.float64)]
    columns = infer_real_valued_columns_from_input(
        {"a": np.zeros((5,), np.int64), "b": np.zeros((5, 2, 3), np.float32)})
    assert sorted(columns, key=lambda c: c.key) == [
        real_valued_column("a", dtype=tf.int64), real_valued_column("b", dimension=6)]
    assert infer_real_valued_columns_from_input_fn(
        lambda: ({"x": tf.zeros([3, 2])}, tf.zeros([3]))) == [
        real_valued_column("x", dimension=2)]
    with pytest.raises(ValueError, match=r"^SparseTensor is not supported for auto detection"):
        infer_real_valued_columns_from_input_fn(
            lambda: ({"x": tf.SparseTensor([[0, 0]], [1.0], [1, 1])}, None))


@pytest.mark.integration
def test_model_dir_with_glob_characters_evaluates_the_trained_checkpoint(tmp_path):
    # TF 2.15 alone finds no checkpoint under "m[1]" (glob matching) and would
    # evaluate freshly initialised variables at global_step 0.
    x, y = _data(4)
    est = Estimator(model_fn=_tuple_model_fn, model_dir=str(tmp_path / "m[1]"))
    est.fit(x=x, y=y, steps=2)
    assert est.evaluate(x=x, y=y)["global_step"] == 2
    assert est.get_variable_value("global_step") == 2
    assert len(list(est.predict(x=x))) == 4


def _loss_in_every_mode_model_fn(features, labels, mode, params):
    """A legacy model_fn that builds its loss whatever the mode (common in r1.15)."""
    params["labels"].append((mode, labels))
    w = tf.compat.v1.get_variable("w", [2, 1], initializer=tf.compat.v1.zeros_initializer())
    predictions = tf.squeeze(tf.matmul(features["x"], w), 1)
    if labels is None and params["tolerate_no_labels"]:
        return ModelFnOps(mode=mode, predictions=predictions)
    loss = tf.compat.v1.losses.mean_squared_error(labels, predictions)
    train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.compat.v1.train.get_global_step())
    return ModelFnOps(mode=mode, predictions=predictions, loss=loss, train_op=train_op)


@pytest.mark.integration
def test_labels_signature_from_fit_drives_predict_and_later_inputs(tmp_path):
    x, y = _data()
    params = {"labels": [], "tolerate_no_labels": False}
    est = Estimator(model_fn=_loss_in_every_mode_model_fn, model_dir=str(tmp_path / "m"),
                    params=params)
    est.fit(input_fn=learn_io.numpy_input_fn({"x": x}, y, batch_size=4, num_epochs=None),
            steps=2)

    # r1.15 gave predict label placeholders shaped like the fit labels, so a
    # model_fn that always builds its loss still predicts.
    predict_input = learn_io.numpy_input_fn({"x": x}, batch_size=4, shuffle=False)
    assert len(list(est.predict(input_fn=predict_input))) == len(x)
    mode, labels = params["labels"][-1]
    assert mode == ModeKeys.INFER and labels.op.type == "Placeholder"
    assert labels.dtype == tf.float32 and labels.shape.as_list() == [None]

    # Later inputs must match the first ones (r1.15 messages), before any model_fn.
    calls = len(params["labels"])
    with pytest.raises(ValueError, match=r"^Features are incompatible with given information"):
        est.evaluate(input_fn=learn_io.numpy_input_fn({"x": x[:, :1]}, y, shuffle=False))
    with pytest.raises(ValueError, match=r"^Labels are incompatible with given information"):
        est.evaluate(input_fn=learn_io.numpy_input_fn({"x": x}, y.astype(np.int64),
                                                      shuffle=False))
    assert len(params["labels"]) == calls

    # r1.15: a custom 'loss' metric replaces the mean loss; one named 'global_step'
    # moves the step to '_global_step', and evaluate() then sets 'global_step' to
    # the step as well. Order: the metrics (sorted), then the step.
    mae = MetricSpec(tf.compat.v1.metrics.mean_absolute_error)
    results = est.evaluate(
        input_fn=learn_io.numpy_input_fn({"x": x}, y, batch_size=4, shuffle=False),
        metrics={"loss": mae, "global_step": mae, "mae": mae,
                 "mse": MetricSpec(tf.compat.v1.metrics.mean_squared_error)})
    assert list(results) == ["global_step", "loss", "mae", "mse", "_global_step"]
    assert results["global_step"] == results["_global_step"] == 2
    assert results["loss"] == results["mae"]
    assert results["loss"] != pytest.approx(results["mse"])

    # Nothing is saved: a new estimator that only predicts passes labels=None.
    params["tolerate_no_labels"] = True
    fresh = Estimator(model_fn=_loss_in_every_mode_model_fn, model_dir=est.model_dir,
                      params=params)
    assert len(list(fresh.predict(input_fn=predict_input))) == len(x)
    assert params["labels"][-1] == (ModeKeys.INFER, None)
