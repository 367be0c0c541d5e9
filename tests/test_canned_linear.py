"""The contrib linear and wide & deep estimators against r1.15's linear.py and
dnn_linear_combined.py: variable names, default optimizers and learning rates (checked
by recomputing one optimizer step with numpy), global step counting and errors.
"""

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import dnn_linear_combined as dlc
from compat_learn.estimators import linear
from compat_learn.layers import feature_column as fc

v1 = tf.compat.v1

X = np.random.RandomState(0).rand(8, 3).astype(np.float32)
Y_REG = (X @ np.array([1., -2., .5], np.float32) + .3).astype(np.float32)
Y_CLASS = (X[:, 0] > .5).astype(np.int64)


def _input_fn(y, **extra):
    def input_fn():
        features = {"x": tf.constant(X)}
        features.update({k: tf.constant(v) for k, v in extra.items()})
        return features, tf.constant(y)
    return input_fn


def _columns():
    return [fc.real_valued_column("x", dimension=3)]


def _first_step_gradients():
    """Gradients of r1.15's regression training loss at zero weights."""
    residual = -Y_REG  # predictions are 0
    return 2 * X.T @ residual / len(X), 2 * residual.mean()


def test_linear_regressor_default_ftrl_at_r115_learning_rate(tmp_path):
    estimator = linear.LinearRegressor(feature_columns=_columns(), model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    names = estimator.get_variable_names()
    assert {"linear/x/weight", "linear/bias_weight", "global_step"} <= set(names)
    assert any("Ftrl" in name for name in names)
    g_w, g_b = _first_step_gradients()
    # One FTRL step from zero (accumulator 0.1, no regularization):
    # w = -lr * g / sqrt(0.1 + g^2), lr = min(0.2, 1/sqrt(#columns)) = 0.2.
    np.testing.assert_allclose(estimator.get_variable_value("linear/x/weight").ravel(),
                               -0.2 * g_w / np.sqrt(0.1 + g_w ** 2), rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(estimator.get_variable_value("linear/bias_weight"),
                               [-0.2 * g_b / np.sqrt(0.1 + g_b ** 2)], rtol=1e-4)


def test_linear_optimizer_name_gets_learning_rate_0_2_and_predictions_match_numpy(tmp_path):
    estimator = linear.LinearRegressor(feature_columns=_columns(), optimizer="SGD",
                                       model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    g_w, g_b = _first_step_gradients()
    w = estimator.get_variable_value("linear/x/weight")
    b = estimator.get_variable_value("linear/bias_weight")
    np.testing.assert_allclose(w.ravel(), -0.2 * g_w, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(b, [-0.2 * g_b], rtol=1e-5)
    scores = (X @ w + b).ravel()
    np.testing.assert_allclose(
        estimator.predict_scores(input_fn=_input_fn(Y_REG), as_iterable=False), scores,
        rtol=1e-5)
    results = estimator.evaluate(input_fn=_input_fn(Y_REG), steps=1)
    assert sorted(results) == ["global_step", "loss"]
    np.testing.assert_allclose(results["loss"], np.mean((scores - Y_REG) ** 2), rtol=1e-5)


def test_linear_classifier_weight_column_and_gradient_clipping(tmp_path):
    weights = np.linspace(0., 1., len(X)).astype(np.float32)
    # [batch, 1] labels: r1.15's metrics cannot broadcast [batch, 1] weights to
    # [batch] labels.
    labels = Y_CLASS.reshape(-1, 1)
    estimator = linear.LinearClassifier(
        feature_columns=_columns(), weight_column_name="w", gradient_clip_norm=1e-3,
        optimizer=v1.train.GradientDescentOptimizer(1.), model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(labels, w=weights), steps=1)
    w = estimator.get_variable_value("linear/x/weight").ravel()
    b = estimator.get_variable_value("linear/bias_weight")
    # The clipped step has global norm 1e-3 (learning rate 1).
    np.testing.assert_allclose(np.sqrt(np.sum(w ** 2) + np.sum(b ** 2)), 1e-3, rtol=1e-4)
    results = estimator.evaluate(input_fn=_input_fn(labels, w=weights), steps=1)
    logits = X @ w + b
    losses = np.maximum(logits, 0) - logits * Y_CLASS + np.log1p(np.exp(-np.abs(logits)))
    # r1.15's reported loss: the weighted average.
    np.testing.assert_allclose(results["loss"], np.sum(weights * losses) / weights.sum(),
                               rtol=1e-5)


def test_linear_estimator_requires_feature_columns(tmp_path):
    with pytest.raises(AssertionError):
        linear.LinearRegressor(feature_columns=[], model_dir=str(tmp_path))


def test_combined_variable_names_and_learning_rates(tmp_path):
    estimator = dlc.DNNLinearCombinedClassifier(
        linear_feature_columns=_columns(), dnn_feature_columns=_columns(),
        dnn_hidden_units=[2], model_dir=str(tmp_path), fix_global_step_increment_bug=True)
    estimator.fit(input_fn=_input_fn(Y_CLASS), steps=1)
    names = set(estimator.get_variable_names())
    assert {"dnn/hiddenlayer_0/weights", "dnn/hiddenlayer_0/biases", "dnn/logits/weights",
            "dnn/logits/biases", "linear/x/weight", "linear/bias_weight"} <= names
    assert estimator.get_variable_value(
        "binary_logistic_head/dnn/learning_rate") == pytest.approx(0.05)
    # min(0.2, 1/sqrt(1 linear column)).
    assert estimator.get_variable_value(
        "binary_logistic_head/linear/learning_rate") == pytest.approx(0.2)
    # With the fix, one global step per training step.
    assert estimator.get_variable_value("global_step") == 1


def test_combined_without_the_fix_counts_two_global_steps_per_step(tmp_path):
    estimator = dlc.DNNLinearCombinedRegressor(
        linear_feature_columns=_columns(), dnn_feature_columns=_columns(),
        dnn_hidden_units=[2], model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    assert estimator.get_variable_value("global_step") == 2


def test_combined_errors_are_r115s(tmp_path):
    with pytest.raises(ValueError, match=r"^Either linear_feature_columns or "
                                         r"dnn_feature_columns must be defined\.$"):
        dlc.DNNLinearCombinedRegressor(model_dir=str(tmp_path))
    estimator = dlc.DNNLinearCombinedRegressor(dnn_feature_columns=_columns(),
                                               model_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"^dnn_hidden_units must be defined when "
                                         r"dnn_feature_columns is specified\.$"):
        estimator.fit(input_fn=_input_fn(Y_REG), steps=1)
    assert not any(name.startswith("model.ckpt") for name in tmp_path.iterdir())
