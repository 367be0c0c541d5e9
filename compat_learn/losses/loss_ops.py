"""`tf.contrib.losses` loss functions (r1.15 contrib/losses/python/losses/loss_ops.py).

Written for compat_learn from r1.15's semantics:

* contrib's argument order: ``predictions`` (or ``logits``) first, then ``labels``;
* contrib's `weights`: a scalar, a ``[batch_size]`` tensor or a tensor of the loss's
  shape; the per-element losses are summed down to the rank of `weights`, multiplied
  by it, summed, and divided by the number of elements that the non-zero weights
  cover (0 when there are none). A trailing dimension of 1 in `weights` is squeezed;
* every loss but `hinge_loss` is added to ``GraphKeys.LOSSES``, and
  `get_total_loss` sums that collection and, by default, the regularization losses.

Native TF2 replacement: ``tf.keras.losses`` (``tf.compat.v1.losses`` takes labels
first and reduces with ``SUM_BY_NONZERO_WEIGHTS``).
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = [
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]

_v1 = tf.compat.v1
_LOSSES = _v1.GraphKeys.LOSSES


def _warn(name, replacement):
    # Points at the user's line: _warn <- the loss function <- the caller.
    warn_deprecated("tf.contrib.losses." + name, replacement, stacklevel=3)


def _scale_losses(losses, weights):
    """Sums `losses` down to the rank of `weights`, scales by them, sums the rest."""
    start = max(0, weights.get_shape().ndims)
    reduced = tf.reduce_sum(losses, axis=list(range(start, losses.get_shape().ndims)))
    return tf.reduce_sum(tf.multiply(reduced, weights))


def _num_present(losses, weights, per_batch=False):
    """How many elements of `losses` the non-zero entries of `weights` cover.

    r1.15: a scalar weight covers every element (none when it is 0); a weight of rank k
    covers, for each non-zero entry, the product of the loss's remaining dimensions.
    """
    if weights.get_shape().ndims == 0:
        batch_size = tf.reshape(tf.slice(tf.shape(losses), [0], [1]), [])
        per_example = tf.cast(tf.size(losses), tf.float32) / tf.cast(batch_size, tf.float32)
        per_example = tf.where(tf.equal(weights, 0), 0.0, per_example)
        per_example = tf.ones(tf.reshape(batch_size, [1])) * per_example
        return per_example if per_batch else tf.reduce_sum(per_example)
    nonzero = tf.reduce_sum(tf.cast(tf.not_equal(weights, 0), tf.float32),
                            axis=list(range(1, weights.get_shape().ndims)))
    broadcast_dims = tf.slice(tf.shape(losses), [weights.get_shape().ndims], [-1])
    per_example = nonzero * tf.cast(tf.reduce_prod(broadcast_dims), tf.float32)
    return per_example if per_batch else tf.reduce_sum(per_example)


def _weighted_mean(losses, weights):
    losses = tf.convert_to_tensor(losses)
    input_dtype = losses.dtype
    losses = tf.cast(losses, tf.float32)
    weights = tf.cast(tf.convert_to_tensor(weights), tf.float32)
    if losses.get_shape().ndims is None:
        raise ValueError("losses.get_shape().ndims cannot be None")
    weights_shape = weights.get_shape()
    if weights_shape.ndims is None:
        raise ValueError("weights.get_shape().ndims cannot be None")
    if weights_shape.ndims > 1 and weights_shape.dims[-1].is_compatible_with(1):
        weights = tf.squeeze(weights, [-1])
    total = _scale_losses(losses, weights)
    mean = tf.math.divide_no_nan(tf.reduce_sum(total), _num_present(losses, weights),
                                 name="value")
    mean = tf.cast(mean, input_dtype)
    add_loss(mean)
    return mean


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """Computes the weighted loss (contrib's `weights` rules, see the module doc).

    Args:
      losses: a tensor of shape ``[batch_size, d1, ... dN]``.
      weights: a scalar or a tensor of shape ``[batch_size, d1, ... dK]``, K <= N.
      scope: the name scope of the operations.

    Returns:
      A scalar tensor of the dtype of `losses`, also added to ``GraphKeys.LOSSES``.

    Raises:
      ValueError: when `weights` is None, or the rank of `losses` or `weights` is
        unknown.
    """
    _warn("compute_weighted_loss", "tf.compat.v1.losses.compute_weighted_loss")
    with _v1.name_scope(scope, "weighted_loss", [losses, weights]):
        return _weighted_mean(losses, weights)


def add_loss(loss, loss_collection=_LOSSES):
    """Adds an externally defined `loss` to `loss_collection` (none when falsy)."""
    if loss_collection:
        _v1.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=_LOSSES):
    """The losses in `loss_collection`, filtered by `scope`."""
    return _v1.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The ``GraphKeys.REGULARIZATION_LOSSES`` collection, filtered by `scope`."""
    return _v1.get_collection(_v1.GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of ``GraphKeys.LOSSES`` (and, by default, the regularization losses).

    Raises:
      ValueError: when there is no loss to sum (r1.15: ``add_n`` of an empty list).
    """
    _warn("get_total_loss", "tf.compat.v1.losses.get_total_loss")
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return tf.add_n(losses, name=name)


def _paired(predictions, labels):
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of ``|predictions - labels|`` (contrib's `weights` rules).

    Raises:
      ValueError: when the shapes of `predictions` and `labels` differ.
    """
    _warn("absolute_difference", "tf.keras.losses.MeanAbsoluteError")
    with _v1.name_scope(scope, "absolute_difference", [predictions, labels, weights]):
        predictions, labels = _paired(predictions, labels)
        return _weighted_mean(tf.abs(predictions - labels), weights)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Weighted sigmoid cross-entropy; `label_smoothing` smooths labels towards 1/2.

    Raises:
      ValueError: when the shapes of `logits` and `multi_class_labels` differ.
    """
    _warn("sigmoid_cross_entropy", "tf.keras.losses.BinaryCrossentropy(from_logits=True)")
    with _v1.name_scope(scope, "sigmoid_cross_entropy_loss",
                        [logits, multi_class_labels, weights]):
        logits.get_shape().assert_is_compatible_with(multi_class_labels.get_shape())
        labels = tf.cast(multi_class_labels, logits.dtype)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                         name="xentropy")
        return _weighted_mean(losses, weights)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Weighted softmax cross-entropy; `label_smoothing` smooths towards 1/num_classes.

    Raises:
      ValueError: when the shapes of `logits` and `onehot_labels` differ.
    """
    _warn("softmax_cross_entropy",
          "tf.keras.losses.CategoricalCrossentropy(from_logits=True)")
    with _v1.name_scope(scope, "softmax_cross_entropy_loss",
                        [logits, onehot_labels, weights]):
        logits.get_shape().assert_is_compatible_with(onehot_labels.get_shape())
        labels = tf.cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = tf.cast(tf.shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                         name="xentropy")
        return _weighted_mean(losses, weights)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """Weighted sparse softmax cross-entropy; `labels` is ``[batch]`` or ``[batch, 1]``."""
    _warn("sparse_softmax_cross_entropy",
          "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    with _v1.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                        [logits, labels, weights]):
        labels = tf.reshape(labels, shape=[tf.shape(labels)[0]])
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                                name="xentropy")
        return _weighted_mean(losses, weights)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """Weighted log loss of probabilities `predictions` against `labels`.

    Raises:
      ValueError: when the shapes of `predictions` and `labels` differ.
    """
    _warn("log_loss", "tf.keras.losses.BinaryCrossentropy")
    with _v1.name_scope(scope, "log_loss", [predictions, labels, weights]):
        predictions, labels = _paired(predictions, labels)
        losses = (-labels * tf.math.log(predictions + epsilon)
                  - (1 - labels) * tf.math.log(1 - predictions + epsilon))
        return _weighted_mean(losses, weights)


def hinge_loss(logits, labels=None, scope=None):
    """Per-element hinge loss of `logits` against {0, 1} `labels` (not reduced).

    As in r1.15 the result keeps the shape of `logits`, has no weights and is not added
    to ``GraphKeys.LOSSES``.

    Raises:
      ValueError: when the shapes of `logits` and `labels` differ.
    """
    _warn("hinge_loss", "tf.keras.losses.Hinge")
    with _v1.name_scope(scope, "hinge_loss", [logits, labels]):
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = tf.cast(labels, tf.float32)
        ones = tf.ones_like(labels)
        return tf.nn.relu(ones - (2 * labels - ones) * logits)


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of ``(predictions - labels) ** 2`` (contrib's `weights` rules).

    Raises:
      ValueError: when the shapes of `predictions` and `labels` differ.
    """
    _warn("mean_squared_error", "tf.keras.losses.MeanSquaredError")
    with _v1.name_scope(scope, "mean_squared_error", [predictions, labels, weights]):
        predictions, labels = _paired(predictions, labels)
        return _weighted_mean(tf.math.squared_difference(predictions, labels), weights)


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Mean of the squared differences of pairwise differences, within each example.

    Raises:
      ValueError: when the shapes of `predictions` and `labels` differ, or a rank is
        unknown.
    """
    _warn("mean_pairwise_squared_error", "tf.compat.v1.losses.mean_pairwise_squared_error")
    with _v1.name_scope(scope, "mean_pairwise_squared_error",
                        [predictions, labels, weights]):
        predictions, labels = _paired(predictions, labels)
        weights = tf.cast(tf.convert_to_tensor(weights), tf.float32)
        diffs = predictions - labels
        if diffs.get_shape().ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.get_shape().ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axis = list(range(1, diffs.get_shape().ndims))
        present = _num_present(diffs, weights, per_batch=True)
        # sum_{i<j} ((d_i - d_j)^2) / n^2 * 2 = 2 * (n * sum d^2 - (sum d)^2) / n^2
        term1 = 2.0 * tf.math.divide_no_nan(tf.reduce_sum(tf.square(diffs), axis=axis),
                                            present)
        term2 = 2.0 * tf.math.divide_no_nan(tf.square(tf.reduce_sum(diffs, axis=axis)),
                                            tf.square(present))
        loss = _scale_losses(term1 - term2, weights)
        mean = tf.where(tf.reduce_sum(present) > 0, loss, tf.zeros_like(loss),
                        name="value")
        add_loss(mean)
        return mean


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None,
                    dim=None):
    """Weighted mean of ``1 - sum(predictions * labels, axis)`` (unit-normalized inputs).

    Args:
      predictions: any tensor.
      labels: a tensor of the shape of `predictions`.
      axis: the dimension along which the cosine distance is computed.
      weights: contrib's `weights` (see the module doc).
      scope: the name scope of the operations.
      dim: the old name of `axis`.

    Raises:
      ValueError: when neither or both of `axis` and `dim` are given, or the shapes
        differ.
    """
    _warn("cosine_distance", "tf.keras.losses.CosineSimilarity")
    if axis is not None and dim is not None:
        # r1.15 deprecated_argument_lookup's message.
        raise ValueError("Cannot specify both 'dim' and 'axis'")
    if dim is not None:
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with _v1.name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]):
        predictions, labels = _paired(predictions, labels)
        losses = 1 - tf.reduce_sum(predictions * labels, axis=[axis])
        return _weighted_mean(losses, weights)
