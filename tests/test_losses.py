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


# ---------------------------------------------------------------------------------------
# tf.contrib.losses.metric_learning: numpy recomputes each loss from its definition.
# ---------------------------------------------------------------------------------------
EMB = np.random.RandomState(3).normal(size=(6, 4)).astype(np.float32)
EMB_LABELS = np.array([0, 1, 0, 2, 1, 0], np.int64)


def _distances(x, squared):
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    return d2 if squared else np.sqrt(d2)


def _run(tensor):
    with v1.Session() as session:
        return session.run(tensor)


def test_metric_learning_names_and_signatures():
    from compat_learn.losses import metric_learning

    assert metric_learning.__all__ == ["contrastive_loss", "lifted_struct_loss", "npairs_loss",
                                       "npairs_loss_multilabel", "triplet_semihard_loss"]
    signatures = {
        "contrastive_loss": "labels embeddings_anchor embeddings_positive margin",
        "lifted_struct_loss": "labels embeddings margin",
        "npairs_loss": "labels embeddings_anchor embeddings_positive reg_lambda print_losses",
        "npairs_loss_multilabel":
            "sparse_labels embeddings_anchor embeddings_positive reg_lambda print_losses",
        "triplet_semihard_loss": "labels embeddings margin",
    }
    for name, params in signatures.items():
        assert list(inspect.signature(getattr(metric_learning, name)).parameters) == \
            params.split()


def test_triplet_semihard_loss():
    from compat_learn.losses.metric_learning import triplet_semihard_loss

    d = _distances(EMB, squared=True)
    terms = []
    for a in range(6):
        negatives = d[a][EMB_LABELS != EMB_LABELS[a]]
        for p in range(6):
            if p == a or EMB_LABELS[p] != EMB_LABELS[a]:
                continue
            farther = negatives[negatives > d[a, p]]
            negative = farther.min() if farther.size else negatives.max()
            terms.append(max(0.5 + d[a, p] - negative, 0.0))
    with tf.Graph().as_default():
        got = _run(triplet_semihard_loss(tf.constant(EMB_LABELS), tf.constant(EMB), 0.5))
    assert got == pytest.approx(np.mean(terms), rel=1e-4)


def test_lifted_struct_loss():
    from compat_learn.losses.metric_learning import lifted_struct_loss

    d = _distances(EMB, squared=False)
    total, pairs = 0.0, 0
    for i in range(6):
        for j in range(6):
            if i == j or EMB_LABELS[i] != EMB_LABELS[j]:
                continue
            negatives = np.concatenate([1.0 - d[i][EMB_LABELS != EMB_LABELS[i]],
                                        1.0 - d[j][EMB_LABELS != EMB_LABELS[j]]])
            total += max(np.log(np.exp(negatives).sum()) + d[i, j], 0.0) ** 2
            pairs += 1
    with tf.Graph().as_default():
        got = _run(lifted_struct_loss(tf.constant(EMB_LABELS), tf.constant(EMB)))
    assert got == pytest.approx(0.25 * total / (pairs / 2), rel=1e-4)


def test_contrastive_and_npairs_losses():
    from compat_learn.losses.metric_learning import (
        contrastive_loss,
        npairs_loss,
        npairs_loss_multilabel,
    )

    anchor, positive = EMB[:3], EMB[3:]
    similar = np.array([1, 0, 1], np.float32)
    dist = np.sqrt(((anchor - positive) ** 2).sum(1))
    want_contrastive = (similar * dist ** 2
                        + (1 - similar) * np.maximum(2.0 - dist, 0) ** 2).mean()

    def npairs(targets):
        targets = targets / targets.sum(1, keepdims=True)
        logits = anchor @ positive.T
        log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        l2 = 0.25 * 0.01 * ((anchor ** 2).sum(1).mean() + (positive ** 2).sum(1).mean())
        return l2 - (targets * log_softmax).sum(1).mean()

    pair_labels = np.array([4, 7, 4])
    multi_hot = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], np.float32)
    with tf.Graph().as_default():
        sparse = [tf.sparse.from_dense(tf.constant(row[None, :])) for row in multi_hot]
        got = _run([
            contrastive_loss(tf.constant(similar), tf.constant(anchor), tf.constant(positive),
                             margin=2.0),
            npairs_loss(tf.constant(pair_labels), tf.constant(anchor), tf.constant(positive),
                        reg_lambda=0.01),
            npairs_loss_multilabel(sparse, tf.constant(anchor), tf.constant(positive),
                                   reg_lambda=0.01)])
    assert got[0] == pytest.approx(want_contrastive, rel=1e-5)
    assert got[1] == pytest.approx(npairs((pair_labels[:, None] == pair_labels).astype(float)),
                                   rel=1e-5)
    assert got[2] == pytest.approx(npairs(np.minimum(multi_hot[:, None, :],
                                                     multi_hot[None, :, :]).sum(-1)), rel=1e-5)
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="sparse_labels must be a list of SparseTensors"):
            npairs_loss_multilabel([tf.constant([1])], tf.constant(anchor),
                                   tf.constant(positive))


def test_metric_learning_served_and_cluster_loss_named_unsupported():
    from compat_learn.losses import metric_learning

    _alias.install()
    try:
        served = importlib.import_module("tensorflow.contrib.losses.metric_learning")
        assert served.triplet_semihard_loss is metric_learning.triplet_semihard_loss
        assert tf.contrib.losses.metric_learning.npairs_loss is metric_learning.npairs_loss
        with pytest.raises(AttributeError, match="cluster_loss` is not supported"):
            _ = served.cluster_loss
    finally:
        _alias._uninstall_for_tests()
