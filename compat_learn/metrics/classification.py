"""Classification metrics (r1.15 contrib/metrics/python/metrics/classification.py).

`accuracy` is a plain (non-streaming) tensor; `f1_score` is a streaming metric, the
best F1 over `num_thresholds` thresholds. Native TF2 replacement:
``tf.keras.metrics.Accuracy`` / ``tf.keras.metrics.F1Score``.
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf
from compat_learn.metrics import metric_ops

__all__ = ["accuracy", "f1_score"]

_v1 = tf.compat.v1


def accuracy(predictions, labels, weights=None, name=None):
    """The (weighted) share of `predictions` equal to `labels`, for one batch.

    Raises:
      ValueError: when `labels` is not bool, integer or string, or the dtypes of
        `predictions` and `labels` differ.
    """
    warn_deprecated("tf.contrib.metrics.accuracy", "tf.keras.metrics.Accuracy")
    if not (labels.dtype.is_integer or labels.dtype in (tf.bool, tf.string)):
        raise ValueError("Labels should have bool, integer, or string dtype, not %r"
                         % labels.dtype)
    if not labels.dtype.is_compatible_with(predictions.dtype):
        raise ValueError("Dtypes of predictions and labels should match. Given: "
                         "predictions (%r) and labels (%r)" % (predictions.dtype, labels.dtype))
    with _v1.name_scope(name, "accuracy", values=[predictions, labels]):
        is_correct = tf.cast(tf.equal(predictions, labels), tf.float32)
        if weights is None:
            return tf.reduce_mean(is_correct)
        is_correct = is_correct * weights
        num_values = weights * tf.ones_like(is_correct)
        return tf.math.divide(tf.reduce_sum(is_correct), tf.reduce_sum(num_values))


def f1_score(labels, predictions, weights=None, num_thresholds=200,
             metrics_collections=None, updates_collections=None, name=None):
    """The best F1 score over `num_thresholds` thresholds of `predictions` in [0, 1].

    Variables ``true_positives``, ``false_positives``, ``false_negatives`` under ``f1/``.
    """
    warn_deprecated("tf.contrib.metrics.f1_score", "tf.keras.metrics.F1Score")
    with _v1.variable_scope(name, "f1", (labels, predictions, weights)):
        predictions, labels, weights = metric_ops._remove_squeezable_dimensions(
            predictions, labels, weights)
        epsilon = 1e-7
        values, updates = metric_ops._confusion_at_thresholds(
            predictions, labels, metric_ops._curve_thresholds(num_thresholds), weights,
            includes=("tp", "fp", "fn"))

        def best_f1(tp, fp, fn, suffix):
            precision = tf.math.divide(tp, epsilon + tp + fp, name="precision_" + suffix)
            recall = tf.math.divide(tp, epsilon + tp + fn, name="recall_" + suffix)
            return tf.reduce_max(2.0 * precision * recall / (precision + recall + epsilon))

        return metric_ops._collect(
            metrics_collections, best_f1(values["tp"], values["fp"], values["fn"], "value"),
            updates_collections, best_f1(updates["tp"], updates["fp"], updates["fn"], "update"))
