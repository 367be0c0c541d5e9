"""tf.contrib.losses (compat_learn.losses): r1.15's signatures, numbers and collections.

Numbers are recomputed with numpy from r1.15's documented rules (contrib's `weights`:
sum down to the rank of the weights, scale, divide by the number of elements the
non-zero weights cover).
"""

import importlib
import inspect

import numpy as np
import pytest

from compat_learn import _alias, losses
from compat_learn._tf import tf

v1 = tf.compat.v1

# r1.15 contrib/losses/python/losses/loss_ops.py signatures.
R115_SIGNATURES = {
    "absolute_difference": ["predictions", "labels", "weights", "scope"],
    "add_loss": ["loss", "loss_collection"],
    "compute_weighted_loss": ["losses", "weights", "scope"],
    "cosine_distance": ["predictions", "labels", "axis", "weights", "scope", "dim"],
    "get_losses": ["scope", "loss_collection"],
    "get_regularization_losses": ["scope"],
    "get_total_loss": ["add_regularization_losses", "name"],
    "hinge_loss": ["logits", "labels", "scope"],
    "log_loss": ["predictions", "labels", "weights", "epsilon", "scope"],
    "mean_pairwise_squared_error": ["predictions", "labels", "weights", "scope"],
    "mean_squared_error": ["predictions", "labels", "weights", "scope"],
    "sigmoid_cross_entropy": ["logits", "multi_class_labels", "weights", "label_smoothing",
                              "scope"],
    "softmax_cross_entropy": ["logits", "onehot_labels", "weights", "label_smoothing",
                              "scope"],
    "sparse_softmax_cross_entropy": ["logits", "labels", "weights", "scope"],
}

PRED = np.array([[0.2, 0.9], [0.4, 0.1], [0.7, 0.6]], np.float32)
LABEL = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], np.float32)


def _eval(build):
    """Builds `build()` in a fresh graph and returns (its value, the LOSSES collection)."""
    with tf.Graph().as_default():
        out = build()
        collected = v1.get_collection(v1.GraphKeys.LOSSES)
        with v1.Session() as session:
            return session.run(out), session.run(collected)


def _contrib_mean(per_element, weights):
    """r1.15's reduction, by hand."""
    weights = np.asarray(weights, np.float64)
    per_element = np.asarray(per_element, np.float64)
    if weights.ndim == 0:
        present = 0 if weights == 0 else per_element.size
        total = per_element.sum() * weights
    else:
        reduced = per_element.reshape(weights.shape + (-1,)).sum(-1)
        total = (reduced * weights).sum()
        present = (weights != 0).sum() * (per_element.size // weights.size)
    return total / present if present else 0.0


def test_public_names_are_r115s():
    assert sorted(losses.__all__) == sorted(R115_SIGNATURES)


@pytest.mark.parametrize("name", sorted(R115_SIGNATURES))
def test_signature_is_r115s(name):
    assert list(inspect.signature(getattr(losses, name)).parameters) == R115_SIGNATURES[name]


@pytest.mark.parametrize("weights", [1.0, 2.5, 0.0, [1.0, 0.0, 2.0], [[1.0, 0.5], [0.0, 0.0],
                                                                      [2.0, 1.0]]])
def test_mean_squared_error_uses_contrib_weights(weights):
    value, collected = _eval(lambda: losses.mean_squared_error(
        tf.constant(PRED), tf.constant(LABEL), weights=weights))
    assert value == pytest.approx(_contrib_mean((PRED - LABEL) ** 2, weights), rel=1e-5)
    assert collected == [value]


def test_weights_with_a_trailing_one_are_squeezed():
    value, _ = _eval(lambda: losses.absolute_difference(
        tf.constant(PRED), tf.constant(LABEL), tf.constant([[1.0], [0.0], [3.0]])))
    assert value == pytest.approx(_contrib_mean(np.abs(PRED - LABEL), [1.0, 0.0, 3.0]))


def test_positional_order_is_predictions_then_labels():
    value, _ = _eval(lambda: losses.log_loss(tf.constant(PRED), tf.constant(LABEL)))
    per = -LABEL * np.log(PRED + 1e-7) - (1 - LABEL) * np.log(1 - PRED + 1e-7)
    assert value == pytest.approx(per.mean(), rel=1e-5)


def _sigmoid_xent(logits, labels):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def test_sigmoid_cross_entropy_smooths_towards_one_half():
    logits = np.array([[1.5, -0.5], [0.3, 2.0]], np.float32)
    labels = np.array([[1, 0], [0, 1]], np.int64)
    value, _ = _eval(lambda: losses.sigmoid_cross_entropy(
        tf.constant(logits), tf.constant(labels), weights=[2.0, 1.0], label_smoothing=0.2))
    smoothed = labels * 0.8 + 0.5 * 0.2
    assert value == pytest.approx(_contrib_mean(_sigmoid_xent(logits, smoothed), [2.0, 1.0]),
                                  rel=1e-5)


def test_softmax_cross_entropy_smooths_towards_one_over_classes():
    logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]], np.float32)
    onehot = np.array([[1, 0, 0], [0, 0, 1]], np.float32)
    value, _ = _eval(lambda: losses.softmax_cross_entropy(
        tf.constant(logits), tf.constant(onehot), label_smoothing=0.3))
    smoothed = onehot * 0.7 + 0.3 / 3
    log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    assert value == pytest.approx((-(smoothed * log_softmax).sum(1)).mean(), rel=1e-5)


def test_sparse_softmax_cross_entropy_takes_column_labels():
    logits = np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]], np.float32)
    value, _ = _eval(lambda: losses.sparse_softmax_cross_entropy(
        tf.constant(logits), tf.constant([[0], [2]]), weights=[1.0, 3.0]))
    log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    per = -log_softmax[[0, 1], [0, 2]]
    assert value == pytest.approx((per[0] + 3 * per[1]) / 2, rel=1e-5)


def test_mean_pairwise_squared_error():
    predictions = np.array([[1.0, 4.0, 2.0], [0.0, 1.0, 5.0]], np.float32)
    labels = np.array([[2.0, 2.0, 2.0], [1.0, 1.0, 0.0]], np.float32)
    value, collected = _eval(lambda: losses.mean_pairwise_squared_error(
        tf.constant(predictions), tf.constant(labels), weights=[1.0, 2.0]))
    want = 0.0
    for row, weight in zip(predictions - labels, [1.0, 2.0]):
        pairs = [(row[i] - row[j]) ** 2 for i in range(3) for j in range(3)]
        want += weight * sum(pairs) / 9  # r1.15: ordered pairs over n^2
    assert value == pytest.approx(want, rel=1e-5)
    assert collected == [value]


def test_cosine_distance_takes_axis_or_its_old_name_dim():
    a = np.array([[1.0, 0.0], [0.6, 0.8]], np.float32)
    b = np.array([[0.6, 0.8], [0.6, 0.8]], np.float32)
    want = (1 - (a * b).sum(1)).mean()
    by_axis, _ = _eval(lambda: losses.cosine_distance(tf.constant(a), tf.constant(b), axis=1))
    by_dim, _ = _eval(lambda: losses.cosine_distance(tf.constant(a), tf.constant(b), dim=1))
    assert by_axis == pytest.approx(want) and by_dim == pytest.approx(want)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"^You must specify 'axis'\.$"):
            losses.cosine_distance(tf.constant(a), tf.constant(b))
        with pytest.raises(ValueError, match="Cannot specify both 'dim' and 'axis'"):
            losses.cosine_distance(tf.constant(a), tf.constant(b), axis=1, dim=1)


def test_hinge_loss_is_per_element_and_not_collected():
    logits = np.array([[0.5, -2.0], [3.0, 0.2]], np.float32)
    labels = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    value, collected = _eval(lambda: losses.hinge_loss(tf.constant(logits),
                                                       tf.constant(labels)))
    np.testing.assert_allclose(value, np.maximum(0, 1 - (2 * labels - 1) * logits), rtol=1e-6)
    assert collected == []


def test_get_total_loss_sums_losses_and_regularization():
    def build():
        mse = losses.mean_squared_error(tf.constant(PRED), tf.constant(LABEL))
        v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES, tf.constant(0.25))
        losses.add_loss(tf.constant(1.0))
        losses.add_loss(tf.constant(100.0), loss_collection=None)  # r1.15: not added
        counts.extend([len(losses.get_regularization_losses()), len(losses.get_losses())])
        return (mse, losses.get_total_loss(),
                losses.get_total_loss(add_regularization_losses=False))

    counts = []
    (mse, total, without), _ = _eval(build)
    n_reg, n_losses = counts
    assert total == pytest.approx(mse + 1.0 + 0.25)
    assert without == pytest.approx(mse + 1.0)
    assert (n_reg, n_losses) == (1, 2)


def test_loss_tensor_names_follow_r115_scopes():
    with tf.Graph().as_default():
        loss = losses.mean_squared_error(tf.constant(PRED), tf.constant(LABEL))
        named = losses.log_loss(tf.constant(PRED), tf.constant(LABEL), scope="mine")
    assert loss.op.name == "mean_squared_error/value"
    assert named.op.name.startswith("mine/")


def test_shape_mismatch_is_a_value_error():
    with tf.Graph().as_default():
        with pytest.raises(ValueError):
            losses.mean_squared_error(tf.constant(PRED), tf.constant([1.0, 2.0]))


def test_served_as_tf_contrib_losses_and_its_deep_path():
    _alias.install()
    try:
        contrib_losses = importlib.import_module("tensorflow.contrib.losses")
        deep = importlib.import_module("tensorflow.contrib.losses.python.losses.loss_ops")
        assert contrib_losses.mean_squared_error is losses.mean_squared_error
        assert deep.softmax_cross_entropy is losses.softmax_cross_entropy
        assert tf.contrib.losses.get_total_loss is losses.get_total_loss
    finally:
        _alias._uninstall_for_tests()
