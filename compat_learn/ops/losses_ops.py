"""Loss ops of TensorFlow Learn (r1.15 contrib/learn/python/learn/ops/losses_ops.py).

Both return ``(predictions, loss)`` with the loss from ``tf.compat.v1.losses`` (labels
first, added to ``GraphKeys.LOSSES``), as r1.15 did. Native TF2 replacement: compute
the logits explicitly, then ``tf.keras.losses``.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["mean_squared_error_regressor", "softmax_classifier"]

_v1 = tf.compat.v1


def mean_squared_error_regressor(tensor_in, labels, weights, biases, name=None):
    """Predictions ``tensor_in @ weights + biases`` and their mean squared error.

    A ``[batch, 1]`` prediction is squeezed to ``[batch]`` when `labels` has rank 1.

    Returns:
      ``(predictions, loss)``.
    """
    warn_deprecated("tf.contrib.learn.ops.mean_squared_error_regressor",
                    "tf.keras.losses.MeanSquaredError on explicit predictions")
    with _v1.name_scope(name, "mean_squared_error_regressor", [tensor_in, labels]):
        predictions = _v1.nn.xw_plus_b(tensor_in, weights, biases)
        if len(labels.get_shape()) == 1 and len(predictions.get_shape()) == 2:
            predictions = tf.squeeze(predictions, axis=[1])
        return predictions, _v1.losses.mean_squared_error(labels, predictions)


def softmax_classifier(tensor_in, labels, weights, biases, class_weight=None, name=None):
    """Softmax probabilities of ``tensor_in @ weights + biases`` and their cross-entropy.

    Args:
      tensor_in: ``[batch_size, feature_size]`` features.
      labels: ``[batch_size, n_classes]`` one-hot labels.
      weights: ``[feature_size, n_classes]``.
      biases: ``[n_classes]``.
      class_weight: optional ``[n_classes]`` factors the logits are multiplied by.
      name: the name scope.

    Returns:
      ``(probabilities, loss)``.
    """
    warn_deprecated("tf.contrib.learn.ops.softmax_classifier",
                    "tf.keras.losses.CategoricalCrossentropy(from_logits=True)")
    with _v1.name_scope(name, "softmax_classifier", [tensor_in, labels]):
        logits = _v1.nn.xw_plus_b(tensor_in, weights, biases)
        if class_weight is not None:
            logits = tf.multiply(logits, class_weight)
        return tf.nn.softmax(logits), _v1.losses.softmax_cross_entropy(labels, logits)
