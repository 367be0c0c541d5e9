"""`tf.contrib.metrics` streaming metrics (r1.15 contrib/metrics/python/ops/metric_ops.py).

Every function returns ``(value, update_op)`` as r1.15's did: the metric's state lives
in local variables (``GraphKeys.LOCAL_VARIABLES`` and ``GraphKeys.METRIC_VARIABLES``)
under the metric's variable scope; `update_op` accumulates one batch and returns the
new value; `metrics_collections` / `updates_collections` receive the value and the
update op. Contrib takes ``predictions`` first where ``tf.compat.v1.metrics`` takes
``labels`` first; the functions that r1.15 forwarded to ``tf.metrics`` forward to
``tf.compat.v1.metrics`` by keyword, the others are written here from r1.15's
semantics. Graph mode only, as in r1.15.

Native TF2 replacement: ``tf.keras.metrics`` (or ``tf.compat.v1.metrics``, labels
first, in a model_fn).
"""

import collections
import inspect

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = [
    "aggregate_metric_map",
    "aggregate_metrics",
    "auc_with_confidence_intervals",
    "cohen_kappa",
    "count",
    "precision_at_recall",
    "precision_recall_at_equal_thresholds",
    "recall_at_precision",
    "sparse_recall_at_top_k",
    "streaming_accuracy",
    "streaming_auc",
    "streaming_concat",
    "streaming_covariance",
    "streaming_curve_points",
    "streaming_dynamic_auc",
    "streaming_false_negative_rate",
    "streaming_false_negative_rate_at_thresholds",
    "streaming_false_negatives",
    "streaming_false_negatives_at_thresholds",
    "streaming_false_positive_rate",
    "streaming_false_positive_rate_at_thresholds",
    "streaming_false_positives",
    "streaming_false_positives_at_thresholds",
    "streaming_mean",
    "streaming_mean_absolute_error",
    "streaming_mean_cosine_distance",
    "streaming_mean_iou",
    "streaming_mean_relative_error",
    "streaming_mean_squared_error",
    "streaming_mean_tensor",
    "streaming_pearson_correlation",
    "streaming_percentage_less",
    "streaming_precision",
    "streaming_precision_at_thresholds",
    "streaming_recall",
    "streaming_recall_at_k",
    "streaming_recall_at_thresholds",
    "streaming_root_mean_squared_error",
    "streaming_sensitivity_at_specificity",
    "streaming_sparse_average_precision_at_k",
    "streaming_sparse_average_precision_at_top_k",
    "streaming_sparse_precision_at_k",
    "streaming_sparse_precision_at_top_k",
    "streaming_sparse_recall_at_k",
    "streaming_specificity_at_sensitivity",
    "streaming_true_negatives",
    "streaming_true_negatives_at_thresholds",
    "streaming_true_positives",
    "streaming_true_positives_at_thresholds",
]

_v1 = tf.compat.v1
_core = _v1.metrics
_EPSILON = 1e-7


def _warn(name, replacement):
    # _warn <- the metric function <- the user's line.
    warn_deprecated("tf.contrib.metrics." + name, replacement, stacklevel=3)


# --------------------------------------------------------------------------------------
# Shared pieces (r1.15 metrics_impl's behaviour, written here).
# --------------------------------------------------------------------------------------
def _metric_variable(shape, dtype, name, validate_shape=True):
    """A zero-initialized local metric variable (r1.15 metrics_impl.metric_variable)."""
    return _v1.Variable(
        lambda: tf.zeros(shape, dtype), trainable=False, name=name,
        collections=[_v1.GraphKeys.LOCAL_VARIABLES, _v1.GraphKeys.METRIC_VARIABLES],
        validate_shape=validate_shape)


def _collect(metrics_collections, value, updates_collections, update_op):
    if metrics_collections:
        _v1.add_to_collections(metrics_collections, value)
    if updates_collections:
        _v1.add_to_collections(updates_collections, update_op)
    return value, update_op


def _squeeze_last(tensor):
    return tf.squeeze(tensor, [-1])


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Drops a trailing size-1 dimension that makes ranks differ by one (static ranks).

    r1.15 metrics_impl._remove_squeezable_dimensions: `predictions` and `labels` are
    brought to the same rank; `weights` one rank above `predictions` is squeezed, one
    below is expanded.
    """
    predictions = tf.convert_to_tensor(predictions)
    if labels is not None:
        labels = tf.convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            if p_rank - l_rank == 1 and predictions.shape[-1] in (1, None):
                predictions = _squeeze_last(predictions)
            elif l_rank - p_rank == 1 and labels.shape[-1] in (1, None):
                labels = _squeeze_last(labels)
    if weights is None:
        return predictions, labels, None
    weights = tf.convert_to_tensor(weights)
    w_rank, p_rank = weights.shape.ndims, predictions.shape.ndims
    if w_rank is not None and p_rank is not None and w_rank != 0:
        if w_rank - p_rank == 1:
            weights = _squeeze_last(weights)
        elif p_rank - w_rank == 1:
            weights = tf.expand_dims(weights, [-1])
    return predictions, labels, weights


def _broadcast_weights(weights, values):
    weights = tf.convert_to_tensor(weights)
    return weights * tf.ones_like(values, dtype=weights.dtype)


_CONFUSION_NAMES = {"tp": "true_positives", "fn": "false_negatives",
                    "tn": "true_negatives", "fp": "false_positives"}


def _confusion_at_thresholds(predictions, labels, thresholds, weights=None, includes=None):
    """Per-threshold counts (``prediction > threshold``), in variables of those names.

    r1.15 _streaming_confusion_matrix_at_thresholds: variables ``true_positives``,
    ``false_negatives``, ``true_negatives``, ``false_positives`` (float32, one entry
    per threshold) in the current variable scope.

    Returns:
      ``(values, update_ops)``: dicts keyed by ``'tp'``, ``'fn'``, ``'tn'``, ``'fp'``.

    Raises:
      ValueError: for an unknown key in `includes`.
    """
    includes = tuple(_CONFUSION_NAMES) if includes is None else includes
    for key in includes:
        if key not in _CONFUSION_NAMES:
            raise ValueError("Invalid key: %s." % key)
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    num_thresholds = len(thresholds)
    flat_predictions = tf.reshape(predictions, [1, -1])
    positive_labels = tf.tile(tf.reshape(tf.cast(labels, tf.bool), [1, -1]),
                              [num_thresholds, 1])
    above = tf.greater(tf.tile(flat_predictions, [num_thresholds, 1]),
                       tf.expand_dims(tf.constant(thresholds, dtype=predictions.dtype), 1))
    if weights is not None:
        tiled_weights = tf.tile(tf.reshape(_broadcast_weights(
            tf.cast(weights, tf.float32), predictions), [1, -1]), [num_thresholds, 1])
    cells = {
        "tp": lambda: tf.logical_and(positive_labels, above),
        "fn": lambda: tf.logical_and(positive_labels, tf.logical_not(above)),
        "tn": lambda: tf.logical_and(tf.logical_not(positive_labels), tf.logical_not(above)),
        "fp": lambda: tf.logical_and(tf.logical_not(positive_labels), above),
    }
    values, update_ops = {}, {}
    for key in ("tp", "fn", "tn", "fp"):
        if key not in includes:
            continue
        variable = _metric_variable([num_thresholds], tf.float32, _CONFUSION_NAMES[key])
        hits = tf.cast(cells[key](), tf.float32)
        if weights is not None:
            hits *= tiled_weights
        update_ops[key] = _v1.assign_add(variable, tf.reduce_sum(hits, 1))
        values[key] = variable
    return values, update_ops


def _curve_thresholds(num_thresholds):
    """r1.15's thresholds: just below 0, (num_thresholds - 2) inner points, just above 1."""
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _EPSILON] + inner + [1.0 + _EPSILON]


# --------------------------------------------------------------------------------------
# Metrics r1.15 forwarded to tf.metrics (contrib's argument order kept).
# --------------------------------------------------------------------------------------
def _core_message(core):
    return f"tf.compat.v1.metrics.{core} (labels first) or tf.keras.metrics"


_STD = "weights metrics_collections updates_collections name"
_REQUIRED = {"predictions", "labels", "values", "thresholds", "sensitivity", "specificity",
             "k", "normalizer", "threshold", "num_classes"}
_DEFAULTS = {"num_thresholds": 200, "curve": "ROC"}


def _forwarded(name, core, params, summary):
    """The contrib metric `name`: ``tf.compat.v1.metrics.<core>`` called by keyword.

    r1.15's versions of these were one-line functions that passed their arguments to
    ``tf.metrics.<core>`` by keyword, in contrib's own order (``predictions`` first).
    """
    signature = inspect.Signature([
        inspect.Parameter(param, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=(inspect.Parameter.empty if param in _REQUIRED
                                   else _DEFAULTS.get(param)))
        for param in params.split()])
    replacement = _core_message(core)

    def metric(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        _warn(name, replacement)
        return getattr(_core, core)(**bound.arguments)

    metric.__signature__ = signature
    metric.__name__ = metric.__qualname__ = name
    metric.__doc__ = (f"{summary}\n\n``tf.compat.v1.metrics.{core}`` with contrib's argument "
                      f"order ({', '.join(params.split())}).\n\nReturns:\n  ``(value, "
                      f"update_op)``.\n")
    return metric


_PL = "predictions labels "
streaming_true_positives = _forwarded(
    "streaming_true_positives", "true_positives", _PL + _STD,
    "The weighted count of true positives.")
streaming_true_negatives = _forwarded(
    "streaming_true_negatives", "true_negatives", _PL + _STD,
    "The weighted count of true negatives.")
streaming_false_positives = _forwarded(
    "streaming_false_positives", "false_positives", _PL + _STD,
    "The weighted count of false positives.")
streaming_false_negatives = _forwarded(
    "streaming_false_negatives", "false_negatives", _PL + _STD,
    "The weighted count of false negatives.")
streaming_mean = _forwarded(
    "streaming_mean", "mean", "values " + _STD, "The weighted mean of `values`.")
streaming_mean_tensor = _forwarded(
    "streaming_mean_tensor", "mean_tensor", "values " + _STD,
    "The element-wise weighted mean of `values`.")
streaming_accuracy = _forwarded(
    "streaming_accuracy", "accuracy", _PL + _STD,
    "How often `predictions` equals `labels`.")
streaming_precision = _forwarded(
    "streaming_precision", "precision", _PL + _STD,
    "The precision of boolean `predictions`.")
streaming_recall = _forwarded(
    "streaming_recall", "recall", _PL + _STD, "The recall of boolean `predictions`.")
streaming_auc = _forwarded(
    "streaming_auc", "auc",
    _PL + "weights num_thresholds metrics_collections updates_collections curve name",
    "The approximate ROC or PR AUC over `num_thresholds` thresholds.")
streaming_specificity_at_sensitivity = _forwarded(
    "streaming_specificity_at_sensitivity", "specificity_at_sensitivity",
    _PL + "sensitivity weights num_thresholds metrics_collections updates_collections name",
    "The specificity where the sensitivity is nearest `sensitivity`.")
streaming_sensitivity_at_specificity = _forwarded(
    "streaming_sensitivity_at_specificity", "sensitivity_at_specificity",
    _PL + "specificity weights num_thresholds metrics_collections updates_collections name",
    "The sensitivity where the specificity is nearest `specificity`.")
streaming_precision_at_thresholds = _forwarded(
    "streaming_precision_at_thresholds", "precision_at_thresholds",
    _PL + "thresholds " + _STD, "The precision at each of `thresholds`.")
streaming_recall_at_thresholds = _forwarded(
    "streaming_recall_at_thresholds", "recall_at_thresholds",
    _PL + "thresholds " + _STD, "The recall at each of `thresholds`.")
streaming_sparse_recall_at_k = _forwarded(
    "streaming_sparse_recall_at_k", "recall_at_k", _PL + "k class_id " + _STD,
    "The recall of the top `k` of `predictions`.")
streaming_sparse_precision_at_k = _forwarded(
    "streaming_sparse_precision_at_k", "precision_at_k", _PL + "k class_id " + _STD,
    "The precision of the top `k` of `predictions`.")
streaming_sparse_average_precision_at_k = _forwarded(
    "streaming_sparse_average_precision_at_k", "average_precision_at_k", _PL + "k " + _STD,
    "The mean average precision at `k`.")
streaming_mean_absolute_error = _forwarded(
    "streaming_mean_absolute_error", "mean_absolute_error", _PL + _STD,
    "The weighted mean of ``|predictions - labels|``.")
streaming_mean_relative_error = _forwarded(
    "streaming_mean_relative_error", "mean_relative_error", _PL + "normalizer " + _STD,
    "The weighted mean of ``|predictions - labels| / normalizer``.")
streaming_mean_squared_error = _forwarded(
    "streaming_mean_squared_error", "mean_squared_error", _PL + _STD,
    "The weighted mean squared error.")
streaming_root_mean_squared_error = _forwarded(
    "streaming_root_mean_squared_error", "root_mean_squared_error", _PL + _STD,
    "The weighted root mean squared error.")
streaming_percentage_less = _forwarded(
    "streaming_percentage_less", "percentage_below", "values threshold " + _STD,
    "The weighted share of `values` below `threshold`.")
streaming_mean_iou = _forwarded(
    "streaming_mean_iou", "mean_iou", _PL + "num_classes " + _STD,
    "The mean intersection-over-union of `num_classes` classes.")


def _at_k_name(name, k=None, class_id=None):
    name = "%s_at_%d" % (name, k) if k is not None else "%s_at_k" % name
    if class_id is not None:
        name = "%s_class%d" % (name, class_id)
    return name


def streaming_sparse_precision_at_top_k(top_k_predictions, labels, class_id=None,
                                        weights=None, metrics_collections=None,
                                        updates_collections=None, name=None):
    """Precision of given top-k class ids (``tf.compat.v1.metrics.precision_at_top_k``)."""
    _warn("streaming_sparse_precision_at_top_k", _core_message("precision_at_top_k"))
    with _v1.name_scope(name, _at_k_name("precision", class_id=class_id),
                        (top_k_predictions, labels, weights)) as scope:
        return _core.precision_at_top_k(
            labels=labels, predictions_idx=top_k_predictions, class_id=class_id,
            weights=weights, metrics_collections=metrics_collections,
            updates_collections=updates_collections, name=scope)


def sparse_recall_at_top_k(labels, top_k_predictions, class_id=None, weights=None,
                           metrics_collections=None, updates_collections=None, name=None):
    """Recall of given top-k class ids (``tf.compat.v1.metrics.recall_at_top_k``).

    Unlike the ``streaming_`` functions, r1.15 took `labels` first here.
    """
    _warn("sparse_recall_at_top_k", _core_message("recall_at_top_k"))
    with _v1.name_scope(name, _at_k_name("recall", class_id=class_id),
                        (top_k_predictions, labels, weights)) as scope:
        return _core.recall_at_top_k(
            labels=labels, predictions_idx=top_k_predictions, class_id=class_id,
            weights=weights, metrics_collections=metrics_collections,
            updates_collections=updates_collections, name=scope)


def streaming_sparse_average_precision_at_top_k(top_k_predictions, labels, weights=None,
                                                metrics_collections=None,
                                                updates_collections=None, name=None):
    """Mean average precision of given top-k class ids (variables ``.../max``, ``total``).

    Raises:
      ValueError: when the last dimension of `top_k_predictions` is not known.
    """
    _warn("streaming_sparse_average_precision_at_top_k",
          _core_message("average_precision_at_k"))
    top_k_predictions = tf.cast(top_k_predictions, tf.int64)
    k = top_k_predictions.get_shape().as_list()[-1]
    if k is None:
        raise ValueError("The last dimension of predictions_idx must be set. "
                         "Currently, it is None.")
    with _v1.name_scope(None, "scores_of_top_k", (top_k_predictions,)):
        # Scores whose top-k are exactly `top_k_predictions`, in their order (k for the
        # first, 1 for the last, 0 elsewhere), so that the public average_precision_at_k
        # computes r1.15's average precision of these ids.
        # average_precision_at_k drops labels >= its number of classes: cover them too.
        label_values = labels.values if isinstance(labels, tf.SparseTensor) else labels
        num_classes = tf.maximum(tf.reduce_max(top_k_predictions),
                                 tf.reduce_max(tf.cast(label_values, tf.int64))) + 1
        ranks = tf.range(k, 0, -1, dtype=tf.float32)
        scores = tf.reduce_sum(tf.one_hot(top_k_predictions, tf.cast(num_classes, tf.int32))
                               * tf.expand_dims(ranks, -1), axis=-2)
    return _core.average_precision_at_k(
        labels=labels, predictions=scores, k=k, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name or "average_precision_at_top_k")


def streaming_recall_at_k(predictions, labels, k, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """How often `labels` is among the top `k` of `predictions` (a streaming mean)."""
    _warn("streaming_recall_at_k", "tf.compat.v1.metrics.recall_at_k (labels [batch, 1])")
    in_top_k = tf.cast(tf.math.in_top_k(targets=labels, predictions=predictions, k=k),
                       tf.float32)
    return _core.mean(in_top_k, weights, metrics_collections, updates_collections,
                      name or _at_k_name("recall", k))


def streaming_mean_cosine_distance(predictions, labels, dim, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """The mean of ``1 - sum(predictions * labels, dim)`` (unit-normalized inputs)."""
    _warn("streaming_mean_cosine_distance", _core_message("mean_cosine_distance"))
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    radial = tf.reduce_sum(predictions * labels, axis=[dim], keepdims=True)
    mean, update_op = _core.mean(radial, weights, None, None, name or "mean_cosine_distance")
    return _collect(metrics_collections, 1.0 - mean, updates_collections, 1.0 - update_op)


# --------------------------------------------------------------------------------------
# Rates and per-threshold counts (r1.15's own code, not in tf.metrics).
# --------------------------------------------------------------------------------------
def _rate(numerator, other, name):
    return tf.where(tf.greater(numerator + other, 0),
                    tf.math.divide(numerator, numerator + other), 0, name)


def streaming_false_positive_rate(predictions, labels, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """``fp / (fp + tn)`` of boolean `predictions` (0 when there is no negative).

    Variables: the ``false_positives`` and ``true_negatives`` metrics under
    ``false_positive_rate/``.
    """
    _warn("streaming_false_positive_rate", "tf.keras.metrics.FalsePositives / negatives")
    with _v1.variable_scope(name, "false_positive_rate", (predictions, labels, weights)):
        predictions, labels, weights = _remove_squeezable_dimensions(
            tf.cast(predictions, tf.bool), tf.cast(labels, tf.bool), weights)
        fp, fp_update = _core.false_positives(labels=labels, predictions=predictions,
                                              weights=weights)
        tn, tn_update = _core.true_negatives(labels=labels, predictions=predictions,
                                             weights=weights)
        return _collect(metrics_collections, _rate(fp, tn, "value"),
                        updates_collections, _rate(fp_update, tn_update, "update_op"))


def streaming_false_negative_rate(predictions, labels, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """``fn / (fn + tp)`` of boolean `predictions` (0 when there is no positive)."""
    _warn("streaming_false_negative_rate", "tf.keras.metrics.FalseNegatives / positives")
    with _v1.variable_scope(name, "false_negative_rate", (predictions, labels, weights)):
        predictions, labels, weights = _remove_squeezable_dimensions(
            tf.cast(predictions, tf.bool), tf.cast(labels, tf.bool), weights)
        fn, fn_update = _core.false_negatives(labels=labels, predictions=predictions,
                                              weights=weights)
        tp, tp_update = _core.true_positives(labels=labels, predictions=predictions,
                                             weights=weights)
        return _collect(metrics_collections, _rate(fn, tp, "value"),
                        updates_collections, _rate(fn_update, tp_update, "update_op"))


def _one_count(key, predictions, labels, thresholds, weights):
    values, update_ops = _confusion_at_thresholds(predictions, labels, thresholds,
                                                  weights=weights, includes=(key,))
    return values[key], update_ops[key]


def streaming_true_positives_at_thresholds(predictions, labels, thresholds, weights=None):
    """Weighted true positives at each threshold (variable ``true_positives``)."""
    _warn("streaming_true_positives_at_thresholds",
          _core_message("true_positives_at_thresholds"))
    return _one_count("tp", predictions, labels, thresholds, weights)


def streaming_false_negatives_at_thresholds(predictions, labels, thresholds, weights=None):
    """Weighted false negatives at each threshold (variable ``false_negatives``)."""
    _warn("streaming_false_negatives_at_thresholds",
          _core_message("false_negatives_at_thresholds"))
    return _one_count("fn", predictions, labels, thresholds, weights)


def streaming_false_positives_at_thresholds(predictions, labels, thresholds, weights=None):
    """Weighted false positives at each threshold (variable ``false_positives``)."""
    _warn("streaming_false_positives_at_thresholds",
          _core_message("false_positives_at_thresholds"))
    return _one_count("fp", predictions, labels, thresholds, weights)


def streaming_true_negatives_at_thresholds(predictions, labels, thresholds, weights=None):
    """Weighted true negatives at each threshold (variable ``true_negatives``)."""
    _warn("streaming_true_negatives_at_thresholds",
          _core_message("true_negatives_at_thresholds"))
    return _one_count("tn", predictions, labels, thresholds, weights)


def _rate_at_thresholds(scope, counted, other, prefix, predictions, labels, thresholds,
                        weights, metrics_collections, updates_collections, name):
    """``counted / (counted + other + 1e-7)`` at each threshold (r1.15's two rates)."""
    with _v1.variable_scope(name, scope, (predictions, labels, weights)):
        values, updates = _confusion_at_thresholds(predictions, labels, thresholds, weights,
                                                   includes=(counted, other))

        def rate(counts, suffix):
            return tf.math.divide(counts[counted], _EPSILON + counts[counted] + counts[other],
                                  name=prefix + suffix)

        return _collect(metrics_collections, rate(values, "value"),
                        updates_collections, rate(updates, "update_op"))


def streaming_false_positive_rate_at_thresholds(predictions, labels, thresholds,
                                                weights=None, metrics_collections=None,
                                                updates_collections=None, name=None):
    """``fp / (fp + tn + 1e-7)`` at each threshold."""
    _warn("streaming_false_positive_rate_at_thresholds",
          "tf.keras.metrics.FalsePositives(thresholds=...) / negatives")
    return _rate_at_thresholds("false_positive_rate_at_thresholds", "fp", "tn", "fpr_",
                               predictions, labels, thresholds, weights, metrics_collections,
                               updates_collections, name)


def streaming_false_negative_rate_at_thresholds(predictions, labels, thresholds,
                                                weights=None, metrics_collections=None,
                                                updates_collections=None, name=None):
    """``fn / (fn + tp + 1e-7)`` at each threshold."""
    _warn("streaming_false_negative_rate_at_thresholds",
          "tf.keras.metrics.FalseNegatives(thresholds=...) / positives")
    return _rate_at_thresholds("false_negative_rate_at_thresholds", "fn", "tp", "fnr_",
                               predictions, labels, thresholds, weights, metrics_collections,
                               updates_collections, name)


def streaming_curve_points(labels=None, predictions=None, weights=None, num_thresholds=200,
                           metrics_collections=None, updates_collections=None, curve="ROC",
                           name=None):
    """The ROC ``(fpr, tpr)`` or PR ``(recall, precision)`` points, one per threshold.

    Returns:
      ``(points, update_op)``: points is ``[num_thresholds, 2]``.

    Raises:
      ValueError: when `curve` is neither ``'ROC'`` nor ``'PR'``.
    """
    _warn("streaming_curve_points", "tf.keras.metrics.AUC(...).thresholds with its counts")
    with _v1.variable_scope(name, "curve_points", (labels, predictions, weights)):
        if curve != "ROC" and curve != "PR":
            raise ValueError("curve must be either ROC or PR, %s unknown" % curve)
        values, updates = _confusion_at_thresholds(
            predictions, labels, _curve_thresholds(num_thresholds), weights)
        epsilon = 1e-6
        tp, fn, tn, fp = (values[k] for k in ("tp", "fn", "tn", "fp"))
        recall = tf.math.divide(tp + epsilon, tp + fn + epsilon)
        if curve == "ROC":
            xs, ys = tf.math.divide(fp, fp + tn + epsilon), recall
        else:
            xs, ys = recall, tf.math.divide(tp + epsilon, tp + fp + epsilon)
        points = tf.stack([xs, ys], axis=1)
        return _collect(metrics_collections, points, updates_collections,
                        tf.group(*updates.values()))


def _recall_at_precision(tp, fp, fn, precision, name, strict_mode):
    precisions = tf.math.divide(tp, tp + fp + _EPSILON)
    if not strict_mode:
        index = tf.argmin(tf.abs(precisions - precision), 0, output_type=tf.int32)
        return tf.math.divide(tp[index], tp[index] + fn[index] + _EPSILON, name)
    # Strict: the threshold whose precision is the smallest one above the target.
    index = tf.argmax(tf.math.divide(1.0, precisions - precision + _EPSILON), 0,
                      output_type=tf.int32)
    return tf.cond(precisions[index] >= precision,
                   lambda: tf.math.divide(tp[index], tp[index] + fn[index] + _EPSILON, name),
                   lambda: 0.0)


def recall_at_precision(labels, predictions, precision, weights=None, num_thresholds=200,
                        metrics_collections=None, updates_collections=None, name=None,
                        strict_mode=False):
    """The recall at the threshold whose precision is nearest `precision`.

    With `strict_mode`, the threshold whose precision is the smallest at or above
    `precision`, and 0 when there is none.

    Raises:
      ValueError: when `precision` is not in [0, 1].
    """
    _warn("recall_at_precision", "tf.keras.metrics.RecallAtPrecision")
    if not 0 <= precision <= 1:
        raise ValueError("`precision` must be in the range [0, 1].")
    with _v1.variable_scope(name, "recall_at_precision", (predictions, labels, weights)):
        values, updates = _confusion_at_thresholds(
            predictions, labels, _curve_thresholds(num_thresholds), weights)
        value = _recall_at_precision(values["tp"], values["fp"], values["fn"], precision,
                                     "value", strict_mode)
        update_op = _recall_at_precision(updates["tp"], updates["fp"], updates["fn"],
                                         precision, "update_op", strict_mode)
        return _collect(metrics_collections, value, updates_collections, update_op)


def precision_at_recall(labels, predictions, target_recall, weights=None,
                        num_thresholds=200, metrics_collections=None,
                        updates_collections=None, name=None):
    """The precision at the highest threshold whose recall is at least `target_recall`.

    Raises:
      RuntimeError: under eager execution.
      ValueError: when `target_recall` is not in [0, 1].
    """
    _warn("precision_at_recall", "tf.keras.metrics.PrecisionAtRecall")
    if tf.executing_eagerly():
        raise RuntimeError("tf.metrics.precision_at_recall is not supported when eager "
                           "execution is enabled.")
    if target_recall < 0 or target_recall > 1:
        raise ValueError("`target_recall` must be in the range [0, 1].")
    with _v1.variable_scope(name, "precision_at_recall", (predictions, labels, weights)):
        values, updates = _confusion_at_thresholds(
            predictions, labels, _curve_thresholds(num_thresholds), weights)

        def precision_at(tp, fp, fn, suffix):
            recalls = tf.math.divide(tp, tp + fn + _EPSILON)
            # Recall falls as the threshold rises: the last admissible threshold.
            index = tf.reduce_sum(tf.cast(tf.greater_equal(recalls, target_recall),
                                          tf.int64)) - 1
            return tf.math.divide(tp[index] + _EPSILON, tp[index] + fp[index] + _EPSILON,
                                  suffix)

        return _collect(metrics_collections,
                        precision_at(values["tp"], values["fp"], values["fn"], "value"),
                        updates_collections,
                        precision_at(updates["tp"], updates["fp"], updates["fn"],
                                     "update_op"))


def precision_recall_at_equal_thresholds(labels, predictions, weights=None,
                                         num_thresholds=None, use_locking=None, name=None):
    """Precision and recall at `num_thresholds` (201) equally spaced thresholds in [0, 1].

    Predictions are bucketed (``floor(p * (num_thresholds - 1))``) into float64
    variables ``variables/tp_buckets`` and ``variables/fp_buckets``.

    Args:
      labels: a bool tensor.
      predictions: floats in [0, 1].
      weights: optional weights.
      num_thresholds: the number of thresholds (201 when None).
      use_locking: whether the scatter updates lock (True when None).
      name: the variable scope.

    Returns:
      ``(result, update_op)``: result is a namedtuple ``PrecisionRecallData`` of
      ``tp, fp, tn, fn, precision, recall, thresholds``, in the predictions' dtype.

    Raises:
      TypeError: when `labels` is not bool.
    """
    _warn("precision_recall_at_equal_thresholds", "tf.keras.metrics.Precision / Recall "
          "(thresholds=...)")
    data = collections.namedtuple(
        "PrecisionRecallData", ["tp", "fp", "tn", "fn", "precision", "recall", "thresholds"])
    num_thresholds = 201 if num_thresholds is None else num_thresholds
    weights = 1.0 if weights is None else weights
    use_locking = True if use_locking is None else use_locking
    _v1.assert_type(labels, tf.bool)
    with _v1.variable_scope(name, "precision_recall_at_equal_thresholds",
                            (labels, predictions, weights)):
        in_range = "predictions must be in [0, 1]"
        with tf.control_dependencies([
                _v1.assert_greater_equal(predictions, tf.cast(0.0, predictions.dtype),
                                         message=in_range),
                _v1.assert_less_equal(predictions, tf.cast(1.0, predictions.dtype),
                                      message=in_range)]):
            predictions, labels, weights = _remove_squeezable_dimensions(
                predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        f_labels = tf.cast(labels, tf.float64)
        weights = tf.cast(weights, tf.float64)
        true_labels = tf.reshape(f_labels * weights, [-1])
        false_labels = tf.reshape((1.0 - f_labels) * weights, [-1])
        predictions = tf.reshape(predictions, [-1])
        buckets = tf.cast(tf.floor(predictions * (num_thresholds - 1)), tf.int32)
        with tf.name_scope("variables"):
            tp_buckets = _metric_variable([num_thresholds], tf.float64, "tp_buckets")
            fp_buckets = _metric_variable([num_thresholds], tf.float64, "fp_buckets")
        with tf.name_scope("update_op"):
            update_tp = _v1.scatter_add(tp_buckets, buckets, true_labels,
                                        use_locking=use_locking)
            update_fp = _v1.scatter_add(fp_buckets, buckets, false_labels,
                                        use_locking=use_locking)
        tp = tf.cumsum(tp_buckets, reverse=True, name="tp")
        fp = tf.cumsum(fp_buckets, reverse=True, name="fp")
        tn, fn = fp[0] - fp, tp[0] - tp
        epsilon = tf.constant(1e-7, dtype=tf.float64)
        out = predictions.dtype

        def cast(tensor):
            return tf.cast(tensor, out)

        result = data(tp=cast(tp), fp=cast(fp), tn=cast(tn), fn=cast(fn),
                      precision=cast(tp / tf.maximum(epsilon, tp + fp)),
                      recall=cast(tp / tf.maximum(epsilon, tp + fn)),
                      thresholds=cast(tf.linspace(0.0, 1.0, num_thresholds)))
        return result, tf.group(update_tp, update_fp)


# --------------------------------------------------------------------------------------
# Covariance and correlation.
# --------------------------------------------------------------------------------------
def _covariance(predictions, labels, weights, name):
    with _v1.variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = _remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        count_ = _metric_variable([], tf.float32, "count")
        mean_prediction = _metric_variable([], tf.float32, "mean_prediction")
        mean_label = _metric_variable([], tf.float32, "mean_label")
        comoment = _metric_variable([], tf.float32, "comoment")
        if weights is None:
            batch_count = tf.cast(tf.size(labels), tf.float32)
            weighted_predictions, weighted_labels = predictions, labels
        else:
            weights = _broadcast_weights(weights, labels)
            batch_count = tf.reduce_sum(weights)
            weighted_predictions, weighted_labels = predictions * weights, labels * weights
        # Chan et al.'s pairwise update of the running means and co-moment (r1.15).
        update_count = _v1.assign_add(count_, batch_count)
        prev_count = update_count - batch_count
        batch_mean_prediction = tf.math.divide_no_nan(
            tf.reduce_sum(weighted_predictions), batch_count)
        delta_prediction = tf.math.divide_no_nan(
            (batch_mean_prediction - mean_prediction) * batch_count, update_count)
        update_mean_prediction = _v1.assign_add(mean_prediction, delta_prediction)
        prev_mean_prediction = update_mean_prediction - delta_prediction
        batch_mean_label = tf.math.divide_no_nan(tf.reduce_sum(weighted_labels), batch_count)
        delta_label = tf.math.divide_no_nan((batch_mean_label - mean_label) * batch_count,
                                            update_count)
        update_mean_label = _v1.assign_add(mean_label, delta_label)
        prev_mean_label = update_mean_label - delta_label
        coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
        if weights is not None:
            coresiduals *= weights
        delta_comoment = tf.reduce_sum(coresiduals) + (
            (prev_mean_prediction - batch_mean_prediction)
            * (prev_mean_label - batch_mean_label) * (prev_count * batch_count / update_count))
        update_comoment = _v1.assign_add(comoment, delta_comoment)
        covariance = tf.where(tf.less_equal(count_, 1.0), float("nan"),
                              tf.truediv(comoment, count_ - 1), name="covariance")
        with tf.control_dependencies([update_comoment]):
            update_op = tf.where(tf.less_equal(count_, 1.0), float("nan"),
                                 tf.truediv(comoment, count_ - 1), name="update_op")
    return covariance, update_op


def streaming_covariance(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """The unbiased (n - 1) weighted covariance of `predictions` and `labels`.

    NaN until more than one (weighted) value was seen. Variables ``count``,
    ``mean_prediction``, ``mean_label``, ``comoment`` under ``covariance/``.
    """
    _warn("streaming_covariance", "tfp.stats.covariance")
    covariance, update_op = _covariance(predictions, labels, weights, name)
    return _collect(metrics_collections, covariance, updates_collections, update_op)


def streaming_pearson_correlation(predictions, labels, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """Pearson's r of `predictions` and `labels` (three streaming covariances)."""
    _warn("streaming_pearson_correlation", "tfp.stats.correlation")
    with _v1.variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = _remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        if weights is not None:
            weights = _broadcast_weights(weights, labels)
        cov, update_cov = _covariance(predictions, labels, weights, "covariance")
        var_p, update_var_p = _covariance(predictions, predictions, weights,
                                          "variance_predictions")
        var_l, update_var_l = _covariance(labels, labels, weights, "variance_labels")
        pearson_r = tf.truediv(cov, tf.sqrt(var_p) * tf.sqrt(var_l), name="pearson_r")
        update_op = tf.truediv(update_cov, tf.sqrt(update_var_p) * tf.sqrt(update_var_l),
                               name="update_op")
    return _collect(metrics_collections, pearson_r, updates_collections, update_op)


# --------------------------------------------------------------------------------------
# Concatenation, and the AUCs computed from every value seen.
# --------------------------------------------------------------------------------------
def _next_array_size(required_size, growth_factor=1.5):
    exponent = tf.math.ceil(tf.math.log(tf.cast(required_size, tf.float32))
                            / tf.math.log(tf.cast(growth_factor, tf.float32)))
    return tf.cast(tf.math.ceil(growth_factor ** exponent), tf.int32)


def _concat(values, axis, max_size, name):
    with _v1.variable_scope(name, "streaming_concat", (values,)):
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError("`values` must have known statically known rank")
        ndim = len(values_shape)
        if axis < 0:
            axis += ndim
        if not 0 <= axis < ndim:
            raise ValueError("axis = %r not in [0, %r)" % (axis, ndim))
        fixed_shape = [dim for n, dim in enumerate(values_shape.as_list()) if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError("all dimensions of `values` other than the dimension to "
                             "concatenate along must have statically known size")
        # The values sit along the first axis of a buffer that grows by 1.5x.
        init_size = 0 if max_size is None else max_size
        array = _metric_variable([init_size] + fixed_shape, values.dtype, "array",
                                 validate_shape=False)
        size = _metric_variable([], tf.int32, "size")
        perm = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid = array[:size]
        valid.set_shape([None] + fixed_shape)
        value = tf.transpose(valid, perm, name="concat")
        values_size = tf.shape(values)[axis]
        batch_size = values_size if max_size is None else tf.minimum(values_size,
                                                                      max_size - size)
        batch_values = tf.transpose(values, [axis] + [n for n in range(ndim)
                                                      if n != axis])[:batch_size]
        new_size = size + batch_size

        def reallocate():
            new_value = tf.zeros(tf.stack([_next_array_size(new_size)] + fixed_shape),
                                 dtype=values.dtype)
            old_value = array.value()
            with tf.control_dependencies([old_value]):
                assign = _v1.assign(array, new_value, validate_shape=False)
            with tf.control_dependencies([assign]):
                copy = array[:size].assign(old_value[:size])
            with tf.control_dependencies([copy]):
                return tf.no_op()

        grow = tf.cond(new_size > tf.shape(array)[0], reallocate, tf.no_op)
        with tf.control_dependencies([grow]):
            append = array[size:new_size].assign(batch_values)
        with tf.control_dependencies([append]):
            update_op = size.assign(new_size)
        return value, update_op


def streaming_concat(values, axis=0, max_size=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """Every value seen so far, concatenated along `axis`.

    Args:
      values: a tensor of statically known rank, and known size in every dimension but
        `axis`.
      axis: the dimension to concatenate along.
      max_size: when given, values past this many are dropped (and the buffer is
        allocated once).
      metrics_collections: collections for the value.
      updates_collections: collections for the update op.
      name: the variable scope (``streaming_concat``).

    Raises:
      ValueError: when the rank, or a dimension other than `axis`, is unknown, or `axis`
        is out of range.
    """
    _warn("streaming_concat", "tf.concat over batches in a tf.keras.metrics.Metric")
    value, update_op = _concat(values, axis, max_size, name)
    return _collect(metrics_collections, value, updates_collections, update_op)


def _check_binary(labels):
    return [
        _v1.assert_greater_equal(labels, tf.zeros_like(labels, tf.int64),
                                 message="labels must be 0 or 1, at least one is <0"),
        _v1.assert_less_equal(labels, tf.ones_like(labels, tf.int64),
                              message="labels must be 0 or 1, at least one is >1"),
    ]


def _dynamic_auc(labels, predictions, curve, weights):
    """The exact trapezoid AUC over distinct prediction values (r1.15)."""
    size = tf.size(predictions)
    if weights is None:
        weights = tf.ones_like(labels, dtype=tf.float64)
    labels, predictions, weights = _remove_squeezable_dimensions(labels, predictions, weights)
    total_weight = tf.reduce_sum(weights)
    zeros = tf.zeros_like(labels, dtype=tf.float64)
    total_positive = tf.reduce_sum(tf.where(tf.greater(labels, 0), weights, zeros))

    def compute():
        ordered_predictions, indices = tf.nn.top_k(predictions, k=size)
        ordered_labels = tf.gather(labels, indices)
        ordered_weights = tf.gather(weights, indices)
        _, _, counts = tf.unique_with_counts(ordered_predictions)
        splits = tf.cast(tf.pad(tf.cumsum(counts), paddings=[[1, 0]]), tf.int32)
        label_zeros = tf.zeros_like(ordered_labels, dtype=tf.float64)

        def cumulative(mask):
            summed = tf.cumsum(tf.where(mask, ordered_weights, label_zeros))
            return tf.gather(tf.pad(summed, paddings=[[1, 0]]), splits)

        true_positives = cumulative(tf.greater(ordered_labels, 0))
        if curve == "ROC":
            false_positives = cumulative(tf.less(ordered_labels, 1))
            xs = tf.truediv(false_positives, total_weight - total_positive)
            ys = tf.truediv(true_positives, total_positive)
        else:
            xs = tf.truediv(true_positives, total_positive)
            positives = tf.gather(tf.pad(tf.cumsum(ordered_weights), paddings=[[1, 0]]),
                                  splits)
            ys = tf.where(tf.greater(splits, 0), tf.truediv(true_positives, positives),
                          tf.ones_like(true_positives, dtype=tf.float64))
        heights = (ys[1:] + ys[:-1]) / 2.0
        widths = tf.abs(xs[1:] - xs[:-1])
        return tf.reduce_sum(heights * widths)

    return tf.cond(tf.logical_or(tf.equal(total_positive, 0),
                                 tf.equal(total_positive, total_weight)),
                   true_fn=lambda: tf.constant(0, tf.float64), false_fn=compute)


def streaming_dynamic_auc(labels, predictions, curve="ROC", metrics_collections=(),
                          updates_collections=(), name=None, weights=None):
    """The exact ROC or PR AUC over every value seen (kept with `streaming_concat`).

    0 while all labels seen are of one class.

    Raises:
      ValueError: when `curve` is neither ``'ROC'`` nor ``'PR'``.
      InvalidArgumentError: at run time, for a label other than 0 or 1.
    """
    _warn("streaming_dynamic_auc", "tf.keras.metrics.AUC")
    if curve not in ["PR", "ROC"]:
        raise ValueError("curve must be either ROC or PR, %s unknown" % curve)
    with _v1.variable_scope(name, default_name="dynamic_auc"):
        labels.get_shape().assert_is_compatible_with(predictions.get_shape())
        predictions = tf.reshape(tf.cast(predictions, tf.float64), [-1])
        labels = tf.reshape(tf.cast(labels, tf.int64), [-1])
        with tf.control_dependencies(_check_binary(labels)):
            preds_accum, update_preds = _concat(predictions, 0, None, "concat_preds")
            labels_accum, update_labels = _concat(labels, 0, None, "concat_labels")
            if weights is not None:
                weights = tf.reshape(tf.cast(weights, tf.float64), [-1])
                weights_accum, update_weights = _concat(weights, 0, None, "concat_weights")
                update_op = tf.group(update_labels, update_preds, update_weights)
            else:
                weights_accum = None
                update_op = tf.group(update_labels, update_preds)
            auc = _dynamic_auc(labels_accum, preds_accum, curve, weights_accum)
            return _collect(metrics_collections, auc, updates_collections, update_op)


def _placement_auc(labels, predictions, weights, alpha, logit_transformation, is_valid):
    """AUC and its confidence interval from placement values (DeLong-style, r1.15)."""
    size = tf.size(predictions, out_type=tf.int32)
    total_0 = tf.reduce_sum(tf.cast(1 - labels, weights.dtype) * weights)
    total_1 = tf.reduce_sum(tf.cast(labels, weights.dtype) * weights)
    # Ascending order of predictions.
    ordered_predictions, indices = tf.nn.top_k(predictions, k=size, sorted=True)
    ordered_predictions = tf.reverse(ordered_predictions, axis=[0])
    indices = tf.reverse(indices, axis=[0])
    ordered_labels = tf.gather(labels, indices)
    ordered_weights = tf.gather(weights, indices)
    _, segments = tf.unique(ordered_predictions)
    is_true = tf.cast(ordered_labels, tf.float32)
    is_false = 1.0 - is_true
    # A positive's placement counts the negatives below it, a negative's the positives.
    totals_for_true = tf.math.segment_sum(ordered_weights * is_false, segments)
    totals_for_false = tf.math.segment_sum(ordered_weights * is_true, segments)
    placements_for_true = ((tf.cumsum(totals_for_true, exclusive=True) + totals_for_true / 2.0)
                           / (tf.reduce_sum(totals_for_true) + _EPSILON))
    placements_for_false = ((tf.cumsum(totals_for_false, exclusive=True)
                             + totals_for_false / 2.0)
                            / (tf.reduce_sum(totals_for_false) + _EPSILON))
    placements = (tf.gather(placements_for_true, segments) * is_true
                  + tf.gather(placements_for_false, segments) * is_false)
    negative = tf.cast(1 - ordered_labels, weights.dtype)
    positive = tf.cast(ordered_labels, weights.dtype)
    placements_0, weights_0 = placements * negative, ordered_weights * negative
    placements_1, weights_1 = placements * positive, ordered_weights * positive
    auc_0 = tf.reduce_sum(weights_0 * (1.0 - placements_0)) / (total_0 + _EPSILON)
    auc_1 = tf.reduce_sum(weights_1 * placements_1) / (total_1 + _EPSILON)
    auc = tf.where(tf.less(total_0, total_1), auc_1, auc_0)
    var_0 = (tf.reduce_sum(weights_0 * tf.square(1.0 - placements_0 - auc_0))
             / (total_0 - 1.0 + _EPSILON))
    var_1 = (tf.reduce_sum(weights_1 * tf.math.squared_difference(placements_1, auc_1))
             / (total_1 - 1.0 + _EPSILON))
    auc_std_err = tf.sqrt(var_0 / (total_0 + _EPSILON) + var_1 / (total_1 + _EPSILON))
    z_value = tf.math.ndtri(tf.constant((1.0 - alpha) / 2.0, tf.float32))
    if logit_transformation:
        estimate = tf.math.log(auc / (1.0 - auc + _EPSILON))
        std_err = auc_std_err / (auc * (1.0 - auc + _EPSILON))

        def inverse_logit(x):
            return 1.0 / (1.0 + tf.exp(-x) + _EPSILON)

        auc_lower = inverse_logit(estimate + z_value * std_err)
        auc_upper = inverse_logit(estimate - z_value * std_err)
    else:
        auc_lower = auc + z_value * auc_std_err
        auc_upper = auc - z_value * auc_std_err
    degenerate = tf.logical_or(tf.equal(auc, 1.0), tf.equal(auc, 0.0))
    lower = tf.where(degenerate, auc, auc_lower)
    upper = tf.where(degenerate, auc, auc_upper)
    trivial = tf.constant(0.0)
    return tf.cond(is_valid, lambda: [auc, lower, upper], lambda: [trivial] * 3)


def auc_with_confidence_intervals(labels, predictions, weights=None, alpha=0.95,
                                  logit_transformation=True, metrics_collections=(),
                                  updates_collections=(), name=None):
    """The exact ROC AUC over every value seen, with its `alpha` confidence interval.

    Returns:
      ``(auc_data, update_op)``: auc_data is a namedtuple ``AucData(auc, lower,
      upper)``, all 0 until both classes and a total weight of at least 1 were seen.

    Raises:
      ValueError: when `alpha` is not strictly between 0 and 1.
    """
    _warn("auc_with_confidence_intervals", "tf.keras.metrics.AUC (without intervals)")
    if not (alpha > 0 and alpha < 1):
        raise ValueError("alpha must be between 0 and 1; currently %.02f" % alpha)
    auc_data = collections.namedtuple("AucData", ["auc", "lower", "upper"])
    if weights is None:
        weights = tf.ones_like(predictions)
    with _v1.variable_scope(name, default_name="auc_with_confidence_intervals",
                            values=[labels, predictions, weights]):
        predictions, labels, weights = _remove_squeezable_dimensions(
            predictions, labels, weights)
        total_weight = tf.reduce_sum(weights)
        weights = tf.reshape(weights, [-1])
        predictions = tf.reshape(tf.cast(predictions, tf.float64), [-1])
        labels = tf.reshape(tf.cast(labels, tf.int64), [-1])
        with tf.control_dependencies(_check_binary(labels)):
            preds_accum, update_preds = _concat(predictions, 0, None, "concat_preds")
            labels_accum, update_labels = _concat(labels, 0, None, "concat_labels")
            weights_accum, update_weights = _concat(weights, 0, None, "concat_weights")
            update_valid = tf.group(update_labels, update_preds, update_weights)
            both_classes = tf.logical_and(tf.equal(tf.reduce_min(labels), 0),
                                          tf.equal(tf.reduce_max(labels), 1))
            enough_weight = tf.greater_equal(total_weight, 1.0)
            is_valid = tf.logical_and(both_classes, enough_weight)
            update_op = tf.cond(enough_weight, lambda: update_valid, tf.no_op)
            auc = auc_data(*_placement_auc(labels_accum, preds_accum, weights_accum, alpha,
                                           logit_transformation, is_valid))
            return _collect(metrics_collections, auc, updates_collections, update_op)


# --------------------------------------------------------------------------------------
# Aggregation, count and Cohen's kappa.
# --------------------------------------------------------------------------------------
def aggregate_metrics(*value_update_tuples):
    """Splits ``(value, update_op)`` pairs into a list of values and a list of updates.

    Raises:
      ValueError: when no pair is given.
    """
    _warn("aggregate_metrics", "a dict of tf.compat.v1.metrics results")
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    values, updates = zip(*value_update_tuples)
    return list(values), list(updates)


def aggregate_metric_map(names_to_tuples):
    """Splits ``{name: (value, update_op)}`` into ``{name: value}``, ``{name: update_op}``."""
    _warn("aggregate_metric_map", "a dict of tf.compat.v1.metrics results")
    names = names_to_tuples.keys()
    values, updates = zip(*names_to_tuples.values())
    return dict(zip(names, values)), dict(zip(names, updates))


def count(values, weights=None, metrics_collections=None, updates_collections=None,
          name=None):
    """The (weighted) number of values seen (variable ``count/count``).

    Raises:
      RuntimeError: under eager execution.
    """
    _warn("count", "tf.keras.metrics.Sum of the weights")
    if tf.executing_eagerly():
        raise RuntimeError("tf.contrib.metrics.count is not supported when eager "
                           "execution is enabled.")
    with _v1.variable_scope(name, "count", (values, weights)):
        count_ = _metric_variable([], tf.float32, "count")
        if weights is None:
            num_values = tf.cast(tf.size(values), tf.float32)
        else:
            values = tf.cast(values, tf.float32)
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(tf.cast(weights, tf.float32), values)
            num_values = tf.reduce_sum(weights)
        with tf.control_dependencies([values]):
            update_op = _v1.assign_add(count_, num_values)
        value = tf.identity(count_)
        return _collect(metrics_collections, value, updates_collections, update_op)


def cohen_kappa(labels, predictions_idx, num_classes, weights=None,
                metrics_collections=None, updates_collections=None, name=None):
    """Cohen's kappa of class ids `predictions_idx` against `labels`.

    Variables ``po``, ``pe_row``, ``pe_col`` (int64, or float32 with float weights)
    under ``cohen_kappa/``.

    Raises:
      RuntimeError: under eager execution.
      ValueError: when `num_classes` is below 2, or `labels` has rank above 2.
    """
    _warn("cohen_kappa", "tfa.metrics.CohenKappa")
    if tf.executing_eagerly():
        raise RuntimeError("tf.contrib.metrics.cohen_kappa is not supported when eager "
                           "execution is enabled.")
    if num_classes < 2:
        raise ValueError("`num_classes` must be >= 2.Found: {}".format(num_classes))
    with _v1.variable_scope(name, "cohen_kappa", (labels, predictions_idx, weights)):
        labels.get_shape().with_rank_at_most(2)
        if labels.get_shape().ndims == 2:
            labels = tf.squeeze(labels, axis=[-1])
        predictions_idx, labels, weights = _remove_squeezable_dimensions(
            predictions_idx, labels, weights)
        predictions_idx.get_shape().assert_is_compatible_with(labels.get_shape())
        stat_dtype = tf.int64 if weights is None or weights.dtype.is_integer else tf.float32
        po = _metric_variable((num_classes,), stat_dtype, "po")
        pe_row = _metric_variable((num_classes,), stat_dtype, "pe_row")
        pe_col = _metric_variable((num_classes,), stat_dtype, "pe_col")
        table = tf.math.confusion_matrix(labels, predictions_idx, num_classes=num_classes,
                                         weights=weights, dtype=stat_dtype,
                                         name="counts_in_table")
        update_po = _v1.assign_add(po, tf.linalg.diag_part(table))
        update_pe_row = _v1.assign_add(pe_row, tf.reduce_sum(table, axis=0))
        update_pe_col = _v1.assign_add(pe_col, tf.reduce_sum(table, axis=1))

        def kappa(po, pe_row, pe_col, suffix):
            total = tf.reduce_sum(pe_row)
            pe_sum = tf.reduce_sum(tf.math.divide_no_nan(
                tf.cast(pe_row * pe_col, tf.float64), tf.cast(total, tf.float64)))
            po_sum = tf.cast(tf.reduce_sum(po), tf.float64)
            total = tf.cast(total, tf.float64)
            return tf.math.divide_no_nan(po_sum - pe_sum, total - pe_sum, name=suffix)

        return _collect(metrics_collections, kappa(po, pe_row, pe_col, "value"),
                        updates_collections,
                        kappa(update_po, update_pe_row, update_pe_col, "update_op"))
