"""tf.contrib.learn.LogisticRegressor (compat_learn.estimators.logistic_regressor):
r1.15's logistic metrics on a custom model_fn, recomputed with numpy."""

import numpy as np

from compat_learn._tf import tf
from compat_learn.estimators import logistic_regressor

v1 = tf.compat.v1

PROBS = np.array([.9, .2, .6, .4], np.float32)
LABELS = np.array([1., 0., 0., 1.], np.float32)


def _model_fn(features, labels, mode):
    # Fixed probabilities (a trainable zero offset makes the loss differentiable).
    offset = v1.get_variable("offset", [], initializer=v1.zeros_initializer())
    predictions = features["p"] + offset
    loss = v1.losses.log_loss(labels, predictions)
    train_op = v1.train.GradientDescentOptimizer(0.).minimize(
        loss, global_step=v1.train.get_global_step())
    return predictions, loss, train_op


def _input_fn():
    return {"p": tf.constant(PROBS)}, tf.constant(LABELS)


def test_logistic_regressor_metrics_are_r115s(tmp_path):
    estimator = logistic_regressor.LogisticRegressor(
        _model_fn, thresholds=[.5, .7], model_dir=str(tmp_path))
    estimator.fit(input_fn=_input_fn, steps=1)
    results = estimator.evaluate(input_fn=_input_fn, steps=1)
    expected = {"labels/prediction_mean": PROBS.mean(),
                "labels/actual_label_mean": LABELS.mean(),
                "accuracy/baseline_label_mean": LABELS.mean()}
    for t in (.5, .7):
        predicted = PROBS >= t
        tp = np.sum(predicted & (LABELS == 1))
        expected[f"accuracy/threshold_{t:f}_mean"] = np.mean(predicted == LABELS)
        expected[f"precision/positive_threshold_{t:f}_mean"] = tp / predicted.sum()
        expected[f"recall/positive_threshold_{t:f}_mean"] = tp / LABELS.sum()
    assert sorted(results) == sorted(list(expected) + ["auc", "loss", "global_step"])
    for key, value in expected.items():
        np.testing.assert_allclose(results[key], value, rtol=1e-5, err_msg=key)
    # Positive/negative pairs ranked correctly: (.9 > .2), (.9 > .6), (.4 > .2),
    # (.4 < .6) -> 3 of 4.
    np.testing.assert_allclose(results["auc"], .75, atol=1e-2)
