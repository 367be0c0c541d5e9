"""Canned estimators on model directories trained by TF 1.x (issue 10, item 4).

Each directory is written as TF 1.x left it: plain ``tf.compat.v1`` variables under
r1.x's names, the optimizer slots under each release's spelling, saved with a
``tf.compat.v1.train.Saver`` (which writes the ``checkpoint`` state file with
absolute paths). The oracle is numpy: a forward pass of the saved weights, and one
Adagrad / FTRL step from the saved slots.
"""

import logging
import os

import numpy as np
import pytest
from test_canned_dnn import _r1x_checkpoint

from compat_learn._tf import tf
from compat_learn.estimators import dnn, dnn_linear_combined, linear
from compat_learn.layers import feature_column as fc
from compat_learn.utils import input_fn_utils

v1 = tf.compat.v1

X = np.random.RandomState(0).rand(8, 3).astype(np.float32)
Y_CLASS = (X[:, 0] > .5).astype(np.int64)
Y_REG = (X @ np.array([1., -2., .5], np.float32) + .3).astype(np.float32)
DNN_LR = 0.05  # r1.15's Adagrad default of the DNN estimators
FTRL_LR = 0.2  # min(0.2, 1 / sqrt(one column))
HIDDEN = ["dnn/hiddenlayer_0"]
DNN_VARS = [f"{layer}/{kind}" for layer in HIDDEN + ["dnn/logits"]
            for kind in ("weights", "biases")]
LINEAR_VARS = ["linear/x/weight", "linear/bias_weight"]


def _input_fn(y, x=X):
    def input_fn():
        return {"x": tf.constant(x)}, tf.constant(y)
    return input_fn


def _columns(dimension=3):
    return [fc.real_valued_column("x", dimension=dimension)]


def _slot(variable, optimizer_scope, slot_name):
    """A TF 1.x slot key: slot_creator cut the optimizer-scoped slot name at the
    length of the (single-partition) primary's op name."""
    op_name = variable + "/part_0"
    scoped = f"{optimizer_scope}/{op_name}/{slot_name}"
    return variable + "/" + scoped[len(op_name) + 1:]


def _write_tf1_dir(model_dir, values, global_step=7):
    # Plain variables under those names, a tf.compat.v1 Saver, its state file.
    _r1x_checkpoint(model_dir, values, global_step)


def _dnn_weights(rng, dims=(3, 4, 1)):
    weights = {}
    for layer, (n_in, n_out) in zip(HIDDEN + ["dnn/logits"], zip(dims, dims[1:])):
        weights[f"{layer}/weights"] = rng.randn(n_in, n_out).astype(np.float32)
        weights[f"{layer}/biases"] = rng.randn(n_out).astype(np.float32)
    return weights


def _dnn_forward(w, x=X):
    """(logits, cache) of r1.15's DNN: ReLU hidden layers, linear logits."""
    pre = x @ w["dnn/hiddenlayer_0/weights"] + w["dnn/hiddenlayer_0/biases"]
    hidden = np.maximum(pre, 0.)
    return (hidden @ w["dnn/logits/weights"] + w["dnn/logits/biases"]).ravel(), (pre, hidden)


def _dnn_grads(w, d_logits, cache, x=X):
    pre, hidden = cache
    d_logits = d_logits.reshape(-1, 1)
    d_pre = (d_logits @ w["dnn/logits/weights"].T) * (pre > 0)
    return {"dnn/logits/weights": hidden.T @ d_logits, "dnn/logits/biases": d_logits.sum(0),
            "dnn/hiddenlayer_0/weights": x.T @ d_pre, "dnn/hiddenlayer_0/biases": d_pre.sum(0)}


def _sigmoid(z):
    return 1. / (1. + np.exp(-z))


def _adagrad(w, g, accumulator, lr=DNN_LR):
    return w - lr * g / np.sqrt(accumulator + g * g)


def _ftrl(w, g, accumulator, linear_slot, lr=FTRL_LR):
    """TF's FTRL-proximal step with l1 = l2 = 0 and learning_rate_power -0.5."""
    new_accumulator = accumulator + g * g
    linear_slot = linear_slot + g - (np.sqrt(new_accumulator) - np.sqrt(accumulator)) / lr * w
    return np.where(np.abs(linear_slot) > 0, -linear_slot * lr / np.sqrt(new_accumulator), 0.)


def _names(model_dir):
    return {name for name, _ in tf.train.list_variables(model_dir)}


def _assert_close(estimator, expected):
    for name, value in expected.items():
        np.testing.assert_allclose(estimator.get_variable_value(name), value, rtol=1e-4,
                                   atol=1e-6, err_msg=name)


# TF 1.x spellings of the DNN's Adagrad slots (by the scope its optimizer ran in, with
# the spelling of the hidden weights' slot seen in such a directory) and the learning
# rate scalar saved with them.
SPELLINGS = {
    # TF 1.0: optimize_loss(name="dnn") at the top.
    "tf1.0": ("dnn", "dnn/hiddenlayer_0/weights/t_0/Adagrad", "dnn/learning_rate"),
    # TF 1.2 (a DNNRegressor's head scope).
    "tf1.2": ("dnn/regression_head/dnn",
              "dnn/hiddenlayer_0/weights/nlayer_0/weights/part_0/Adagrad",
              "dnn/regression_head/dnn/learning_rate"),
    # r1.15's DNNClassifier slots (its biases: dnn/hiddenlayer_0/biases//hiddenlayer_0/
    # biases/part_0/Adagrad) with TF 1.0's learning rate name.
    "r1.15-slots": ("dnn/binary_logistic_head/dnn",
                    "dnn/hiddenlayer_0/weights/hiddenlayer_0/weights/part_0/Adagrad",
                    "dnn/learning_rate"),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_dnn_classifier_restores_evaluates_predicts_and_continues(tmp_path, spelling):
    optimizer_scope, seen, learning_rate_name = SPELLINGS[spelling]
    assert _slot("dnn/hiddenlayer_0/weights", optimizer_scope, "Adagrad") == seen
    rng = np.random.RandomState(3)
    weights = _dnn_weights(rng)
    accumulators = {name: rng.uniform(.5, 2., w.shape).astype(np.float32)
                    for name, w in weights.items()}
    values = dict(weights)
    values.update({_slot(name, optimizer_scope, "Adagrad"): acc
                   for name, acc in accumulators.items()})
    values[learning_rate_name] = np.float32(DNN_LR)
    model_dir = str(tmp_path)
    _write_tf1_dir(model_dir, values)

    logits, cache = _dnn_forward(weights)
    probabilities = _sigmoid(logits)
    estimator = dnn.DNNClassifier(hidden_units=[4], feature_columns=_columns(),
                                  model_dir=model_dir)
    results = estimator.evaluate(input_fn=_input_fn(Y_CLASS), steps=1)
    assert results["global_step"] == 7
    loss = -np.mean(Y_CLASS * np.log(probabilities) + (1 - Y_CLASS) * np.log(1 - probabilities))
    np.testing.assert_allclose(results["loss"], loss, rtol=1e-5)
    assert results["accuracy"] == pytest.approx(np.mean((probabilities > .5) == Y_CLASS))
    np.testing.assert_allclose(
        estimator.predict_proba(input_fn=_input_fn(Y_CLASS), as_iterable=False)[:, 1],
        probabilities, rtol=1e-5)

    estimator.fit(input_fn=_input_fn(Y_CLASS), steps=1)
    assert estimator.get_variable_value("global_step") == 8
    grads = _dnn_grads(weights, (probabilities - Y_CLASS) / len(X), cache)
    _assert_close(estimator, {name: _adagrad(weights[name], grads[name], accumulators[name])
                              for name in weights})
    # The next save writes the graph's (r1.15's) names only.
    assert _slot("dnn/hiddenlayer_0/weights", "dnn/binary_logistic_head/dnn", "Adagrad") in (
        _names(model_dir))
    assert "dnn/hiddenlayer_0/weights/t_0/Adagrad" not in _names(model_dir)


def test_dnn_regressor_continues_a_tf10_directory(tmp_path):
    rng = np.random.RandomState(4)
    weights = _dnn_weights(rng)
    values = dict(weights)
    values.update({_slot(name, "dnn", "Adagrad"): np.full(w.shape, 3., np.float32)
                   for name, w in weights.items()})
    values["dnn/learning_rate"] = np.float32(DNN_LR)
    _write_tf1_dir(str(tmp_path), values, global_step=40)
    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=_columns(),
                                 model_dir=str(tmp_path))
    scores, cache = _dnn_forward(weights)
    np.testing.assert_allclose(
        estimator.predict_scores(input_fn=_input_fn(Y_REG), as_iterable=False), scores,
        rtol=1e-5)
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    assert estimator.get_variable_value("global_step") == 41
    grads = _dnn_grads(weights, 2 * (scores - Y_REG) / len(X), cache)
    _assert_close(estimator, {name: _adagrad(weights[name], grads[name], 3.)
                              for name in weights})


@pytest.mark.parametrize("estimator_class, labels", [
    (linear.LinearRegressor, Y_REG), (linear.LinearClassifier, Y_CLASS)],
    ids=["regressor", "classifier"])
@pytest.mark.parametrize("spelling", ["plain", "tf1.0"])
def test_linear_restores_its_ftrl_slots(tmp_path, estimator_class, labels, spelling):
    rng = np.random.RandomState(5)
    weights = {"linear/x/weight": rng.randn(3, 1).astype(np.float32),
               "linear/bias_weight": rng.randn(1).astype(np.float32)}
    accumulators = {n: rng.uniform(.5, 2., w.shape).astype(np.float32)
                    for n, w in weights.items()}
    linear_slots = {n: rng.randn(*w.shape).astype(np.float32) for n, w in weights.items()}
    values = dict(weights)
    for name in weights:
        # FtrlOptimizer's slots: "Ftrl" (the accumulator), then "Ftrl_1" (linear).
        for slot_name, value in (("Ftrl", accumulators[name]), ("Ftrl_1", linear_slots[name])):
            key = (f"{name}/{slot_name}" if spelling == "plain"
                   else _slot(name, "linear", slot_name))
            values[key] = value
    _write_tf1_dir(str(tmp_path), values)

    logits = (X @ weights["linear/x/weight"] + weights["linear/bias_weight"]).ravel()
    estimator = estimator_class(feature_columns=_columns(), model_dir=str(tmp_path))
    results = estimator.evaluate(input_fn=_input_fn(labels), steps=1)
    if estimator_class is linear.LinearRegressor:
        np.testing.assert_allclose(results["loss"], np.mean((logits - labels) ** 2), rtol=1e-5)
        d_logits = 2 * (logits - labels) / len(X)
    else:
        np.testing.assert_allclose(
            estimator.predict_proba(input_fn=_input_fn(labels), as_iterable=False)[:, 1],
            _sigmoid(logits), rtol=1e-5)
        d_logits = (_sigmoid(logits) - labels) / len(X)
    estimator.fit(input_fn=_input_fn(labels), steps=1)
    assert estimator.get_variable_value("global_step") == 8
    grads = {"linear/x/weight": X.T @ d_logits.reshape(-1, 1),
             "linear/bias_weight": d_logits.sum(0, keepdims=True)}
    _assert_close(estimator, {n: _ftrl(weights[n], grads[n], accumulators[n], linear_slots[n])
                              for n in weights})


def test_dnn_linear_combined_classifier_continues_both_optimizers(tmp_path):
    rng = np.random.RandomState(6)
    weights = _dnn_weights(rng)
    weights.update({"linear/x/weight": rng.randn(3, 1).astype(np.float32),
                    "linear/bias_weight": rng.randn(1).astype(np.float32)})
    values = dict(weights)
    for name in DNN_VARS:
        values[_slot(name, "dnn", "Adagrad")] = np.full(weights[name].shape, 2., np.float32)
    for name in LINEAR_VARS:
        values[f"{name}/t_0/Ftrl"] = np.full(weights[name].shape, 1.5, np.float32)
        values[f"{name}/t_0/Ftrl_1"] = np.full(weights[name].shape, -.25, np.float32)
    values["dnn/learning_rate"] = np.float32(DNN_LR)
    values["linear/learning_rate"] = np.float32(FTRL_LR)
    _write_tf1_dir(str(tmp_path), values)

    dnn_logits, cache = _dnn_forward(weights)
    logits = dnn_logits + (X @ weights["linear/x/weight"] + weights["linear/bias_weight"]).ravel()
    estimator = dnn_linear_combined.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path), linear_feature_columns=_columns(),
        dnn_feature_columns=_columns(), dnn_hidden_units=[4])
    np.testing.assert_allclose(
        estimator.predict_proba(input_fn=_input_fn(Y_CLASS), as_iterable=False)[:, 1],
        _sigmoid(logits), rtol=1e-5)
    assert estimator.evaluate(input_fn=_input_fn(Y_CLASS), steps=1)["global_step"] == 7

    estimator.fit(input_fn=_input_fn(Y_CLASS), steps=1)
    # r1.15 without fix_global_step_increment_bug: both optimizers count a step.
    assert estimator.get_variable_value("global_step") == 9
    d_logits = (_sigmoid(logits) - Y_CLASS) / len(X)
    grads = _dnn_grads(weights, d_logits, cache)
    grads.update({"linear/x/weight": X.T @ d_logits.reshape(-1, 1),
                  "linear/bias_weight": d_logits.sum(0, keepdims=True)})
    expected = {n: _adagrad(weights[n], grads[n], 2.) for n in DNN_VARS}
    expected.update({n: _ftrl(weights[n], grads[n], 1.5, -.25) for n in LINEAR_VARS})
    _assert_close(estimator, expected)


def test_an_unmatched_slot_is_reinitialised_with_one_warning(tmp_path, caplog):
    rng = np.random.RandomState(7)
    weights = _dnn_weights(rng)
    values = dict(weights)
    for name in DNN_VARS:
        values[_slot(name, "dnn", "Adagrad")] = np.full(weights[name].shape, 3., np.float32)
    # The hidden weights' slot has another shape: it belongs to no variable here.
    values["dnn/hiddenlayer_0/weights/t_0/Adagrad"] = np.ones((5, 5), np.float32)
    _write_tf1_dir(str(tmp_path), values)
    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=_columns(),
                                 model_dir=str(tmp_path))
    with caplog.at_level(logging.INFO, logger="compat_learn"):
        estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    warnings = [r.getMessage() for r in caplog.records
                if r.levelno >= logging.WARNING and "slot" in r.getMessage()]
    assert len(warnings) == 1, warnings
    assert "the Adagrad slot of dnn/hiddenlayer_0/weights" in warnings[0]
    for other in ("dnn/hiddenlayer_0/biases", "dnn/logits/weights", "dnn/logits/biases"):
        assert f"slot of {other}" not in warnings[0]
    scores, cache = _dnn_forward(weights)
    grads = _dnn_grads(weights, 2 * (scores - Y_REG) / len(X), cache)
    # Adagrad's initial accumulator (0.1) for the re-initialised slot, 3 for the others.
    expected = {n: _adagrad(weights[n], grads[n], 3.) for n in DNN_VARS}
    expected["dnn/hiddenlayer_0/weights"] = _adagrad(
        weights["dnn/hiddenlayer_0/weights"], grads["dnn/hiddenlayer_0/weights"], .1)
    _assert_close(estimator, expected)


def _snapshot(model_dir):
    found = {}
    for root, _, files in os.walk(model_dir):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, model_dir)] = f.read()
    return found


@pytest.mark.parametrize("hidden_units, dimension, error, expected", [
    ([5], 3, tf.errors.InvalidArgumentError,
     "variable dnn/hiddenlayer_0/weights has shape [3, 4] in the checkpoint and [3, 5] in "
     "this estimator's graph"),
    ([4], 2, tf.errors.InvalidArgumentError,
     "variable dnn/hiddenlayer_0/weights has shape [3, 4] in the checkpoint and [2, 4] in "
     "this estimator's graph"),
    ([4, 4], 3, tf.errors.NotFoundError,
     "variable dnn/hiddenlayer_1/weights (shape [4, 4] in this estimator's graph) is not in "
     "the checkpoint"),
], ids=["hidden_units", "column_dimension", "one_layer_more"])
def test_a_network_that_does_not_match_fails_and_writes_nothing(
        tmp_path, hidden_units, dimension, error, expected):
    rng = np.random.RandomState(8)
    weights = _dnn_weights(rng)
    values = dict(weights)
    values.update({_slot(n, "dnn", "Adagrad"): np.ones(w.shape, np.float32)
                   for n, w in weights.items()})
    model_dir = str(tmp_path / "model")
    os.makedirs(model_dir)
    _write_tf1_dir(model_dir, values)
    before = _snapshot(model_dir)
    estimator = dnn.DNNRegressor(hidden_units=hidden_units, feature_columns=_columns(dimension),
                                 model_dir=model_dir)
    input_fn = _input_fn(Y_REG, X[:, :dimension])
    serving_input_fn = input_fn_utils.build_parsing_serving_input_fn(
        fc.create_feature_spec_for_parsing(_columns(dimension)))
    for call, errors in (
            (lambda: estimator.fit(input_fn=input_fn, steps=1), error),
            (lambda: estimator.evaluate(input_fn=input_fn, steps=1), error),
            (lambda: estimator.predict_scores(input_fn=input_fn, as_iterable=False), error),
            # TF 2.15's export turns a NotFoundError into a ValueError with its message.
            (lambda: estimator.export_savedmodel(str(tmp_path / "export"), serving_input_fn),
             (error, ValueError))):
        with pytest.raises(errors) as raised:
            call()
        assert expected in str(raised.value)
        assert _snapshot(model_dir) == before


def test_a_checkpoint_with_a_layer_the_estimator_lacks_fails(tmp_path):
    rng = np.random.RandomState(9)
    weights = _dnn_weights(rng, dims=(3, 4, 4, 1))
    weights["dnn/hiddenlayer_1/weights"] = weights.pop("dnn/logits/weights")
    weights["dnn/hiddenlayer_1/biases"] = weights.pop("dnn/logits/biases")
    weights["dnn/logits/weights"] = rng.randn(4, 1).astype(np.float32)
    weights["dnn/logits/biases"] = rng.randn(1).astype(np.float32)
    _write_tf1_dir(str(tmp_path), weights)
    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=_columns(),
                                 model_dir=str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"the checkpoint has variable dnn/hiddenlayer_1/biases \(shape "
                             r"\[4\]\), which this estimator's graph does not have"):
        estimator.evaluate(input_fn=_input_fn(Y_REG), steps=1)


def test_a_moved_tf1_directory_continues_with_its_slots(tmp_path):
    # TF 1.x wrote absolute paths into the state file; the directory was then copied
    # to another machine (here: renamed), so those paths no longer exist.
    rng = np.random.RandomState(10)
    weights = _dnn_weights(rng)
    values = dict(weights)
    values.update({_slot(n, "dnn", "Adagrad"): np.full(w.shape, 3., np.float32)
                   for n, w in weights.items()})
    _write_tf1_dir(str(tmp_path / "trained"), values)
    os.rename(tmp_path / "trained", tmp_path / "moved")
    estimator = dnn.DNNRegressor(hidden_units=[4], feature_columns=_columns(),
                                 model_dir=str(tmp_path / "moved"))
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    assert estimator.get_variable_value("global_step") == 8
    scores, cache = _dnn_forward(weights)
    grads = _dnn_grads(weights, 2 * (scores - Y_REG) / len(X), cache)
    _assert_close(estimator, {n: _adagrad(weights[n], grads[n], 3.) for n in weights})
