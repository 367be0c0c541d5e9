"""ModeKeys, ModelFnOps and the small estimator enums against r1.15.

Graph-only tests: ops are built in a fresh ``tf.Graph`` and never run.
"""

import pytest

from compat_learn import _tf
from compat_learn.estimators import constants, metric_key, prediction_key
from compat_learn.estimators.model_fn import ModeKeys, ModelFnOps

tf = _tf.tf

# r1.15 messages (estimators/model_fn.py), pinned.
MSG_INVALID_MODE = "Invalid mode %s."
MSG_MISSING_TRAIN_OP = "Missing train_op."
MSG_MISSING_LOSS = "Missing loss."
MSG_MISSING_PREDICTIONS = "Missing predictions."
MSG_LOSS_SCALAR = "Loss must be scalar"
MSG_METRICS_DICT = "eval_metric_ops must be a dict."
MSG_HOOKS = "All hooks returned from model_fn must be SessionRunHook instances"
MSG_UNKNOWN_PROBLEM = "Unknown problem_type=%s"


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def _ops(**kwargs):
    kwargs.setdefault("mode", ModeKeys.TRAIN)
    kwargs.setdefault("predictions", tf.constant([1.0, 2.0]))
    kwargs.setdefault("loss", tf.constant(0.5))
    kwargs.setdefault("train_op", tf.no_op())
    return ModelFnOps(**kwargs)


def test_mode_keys_values_are_r115_strings_and_core_predict_is_infer():
    assert (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.INFER) == ("train", "eval", "infer")
    assert _tf.CoreModeKeys.PREDICT == ModeKeys.INFER


@pytest.mark.parametrize("mode", ["train", "eval", "infer"])
def test_mode_keys_validate_accepts_the_three_modes(mode):
    ModeKeys.validate(mode)


@pytest.mark.parametrize("mode", ["predict", "TRAIN", None])
def test_mode_keys_validate_rejects_other_values(mode):
    with pytest.raises(ValueError) as err:
        ModeKeys.validate(mode)
    assert str(err.value) == MSG_INVALID_MODE % mode


def test_enum_values_match_r115():
    assert (constants.ProblemType.UNSPECIFIED, constants.ProblemType.CLASSIFICATION,
            constants.ProblemType.LINEAR_REGRESSION,
            constants.ProblemType.LOGISTIC_REGRESSION) == (0, 1, 2, 3)
    assert prediction_key.PredictionKey.GENERIC == "output"
    assert prediction_key.PredictionKey.PROBABILITIES == "probabilities"
    assert metric_key.MetricKey.LOSS == "loss"
    assert metric_key.MetricKey.CLASS_AUC % 3 == "auc/class3"


def test_model_fn_ops_defaults_and_field_order(graph):
    ops = _ops()
    assert ModelFnOps._fields == (
        "predictions", "loss", "train_op", "eval_metric_ops", "output_alternatives",
        "training_chief_hooks", "training_hooks", "scaffold", "mode")
    assert ops.eval_metric_ops == {}
    assert ops.training_hooks == [] and ops.training_chief_hooks == []
    assert ops.mode == ModeKeys.TRAIN


@pytest.mark.parametrize("mode, missing, message", [
    (ModeKeys.TRAIN, "train_op", MSG_MISSING_TRAIN_OP),
    (ModeKeys.TRAIN, "loss", MSG_MISSING_LOSS),
    (ModeKeys.EVAL, "loss", MSG_MISSING_LOSS),
    (ModeKeys.EVAL, "predictions", MSG_MISSING_PREDICTIONS),
    (ModeKeys.INFER, "predictions", MSG_MISSING_PREDICTIONS),
])
def test_model_fn_ops_requires_fields_per_mode(graph, mode, missing, message):
    with pytest.raises(ValueError) as err:
        _ops(mode=mode, **{missing: None})
    assert str(err.value) == message


def test_model_fn_ops_infer_needs_neither_loss_nor_train_op(graph):
    ops = _ops(mode=ModeKeys.INFER, loss=None, train_op=None)
    assert ops.loss is None and ops.train_op is None


def test_model_fn_ops_invalid_mode(graph):
    with pytest.raises(ValueError, match=r"^Invalid mode predict\.$"):
        _ops(mode="predict")


def test_model_fn_ops_loss_must_be_scalar_and_one_element_is_reshaped(graph):
    with pytest.raises(ValueError, match=MSG_LOSS_SCALAR):
        _ops(loss=tf.constant([1.0, 2.0]))
    ops = _ops(loss=tf.constant([3.0]))
    assert ops.loss.shape.as_list() == []


def test_model_fn_ops_train_op_tensor_becomes_its_op(graph):
    tensor = tf.constant(1.0)
    ops = _ops(train_op=tensor)
    assert isinstance(ops.train_op, tf.Operation)
    assert ops.train_op is tensor.op


def test_model_fn_ops_converts_prediction_values(graph):
    ops = _ops(predictions={"a": [1.0, 2.0]})
    assert tf.is_tensor(ops.predictions["a"])


def test_model_fn_ops_eval_metric_ops_must_be_dict(graph):
    with pytest.raises(ValueError) as err:
        _ops(eval_metric_ops=[1])
    assert str(err.value) == MSG_METRICS_DICT


def test_model_fn_ops_hooks_must_be_session_run_hooks(graph):
    with pytest.raises(TypeError, match=MSG_HOOKS):
        _ops(training_hooks=[object()])


def test_model_fn_ops_rejects_tensors_from_two_graphs(graph):
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match="same graph"):
        _ops(loss=other)


def test_estimator_spec_maps_infer_to_predict_and_drops_loss_metric(graph):
    predictions = {"scores": tf.constant([[0.1, 0.9]])}
    ops = _ops(mode=ModeKeys.INFER, predictions=predictions, loss=None, train_op=None)
    spec = ops.estimator_spec()
    assert spec.mode == _tf.CoreModeKeys.PREDICT
    value = tf.constant(1.0)
    ops = _ops(mode=ModeKeys.EVAL, eval_metric_ops={
        "loss": (value, tf.no_op()), "acc": (value, tf.no_op())})
    spec = ops.estimator_spec()
    assert spec.mode == _tf.CoreModeKeys.EVAL
    assert set(spec.eval_metric_ops) == {"acc"}


def test_estimator_spec_builds_export_outputs_by_problem_type(graph):
    scores = tf.constant([[0.1, 0.9]])
    alternatives = {
        "head_a": (constants.ProblemType.CLASSIFICATION, {"scores": scores}),
        "head_b": (constants.ProblemType.UNSPECIFIED, {"out": scores}),
    }
    ops = _ops(mode=ModeKeys.INFER, predictions={"scores": scores}, loss=None,
               train_op=None, output_alternatives=alternatives)
    spec = ops.estimator_spec(default_serving_output_alternative_key="head_b")
    export = tf.estimator.export
    assert isinstance(spec.export_outputs["head_a"], export.ClassificationOutput)
    assert isinstance(spec.export_outputs["head_b"], export.PredictOutput)
    assert isinstance(spec.export_outputs["serving_default"], export.PredictOutput)


def test_estimator_spec_unknown_problem_type(graph):
    ops = _ops(mode=ModeKeys.INFER, loss=None, train_op=None,
               output_alternatives={"h": (42, {"out": tf.constant([1.0])})})
    with pytest.raises(ValueError) as err:
        ops.estimator_spec()
    assert str(err.value) == MSG_UNKNOWN_PROBLEM % 42
