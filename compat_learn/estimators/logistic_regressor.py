"""`tf.contrib.learn.LogisticRegressor`: a custom binary model with logistic metrics.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.logistic_regressor``
(r1.15): wraps a ``model_fn(features, labels, mode) -> (predictions, loss,
train_op)`` whose predictions are probabilities, and adds r1.15's evaluation
metrics (prediction and label means, AUC, accuracy / precision / recall at each
threshold). Native TF2: ``tf.estimator.Estimator`` with ``tf.estimator.BinaryClassHead``.
"""

from compat_learn import _tf
from compat_learn.estimators import constants, estimator
from compat_learn.estimators import model_fn as model_fn_lib
from compat_learn.estimators.metric_key import MetricKey

__all__ = ["LogisticRegressor"]

tf = _tf.tf
_metrics = tf.compat.v1.metrics


def _make_logistic_eval_metric_ops(labels, predictions, thresholds):
    """r1.15's logistic metrics of `predictions` (probabilities) against `labels`."""
    labels_tensor = labels
    if isinstance(labels, dict) and len(labels) == 1:
        labels_tensor = next(iter(labels.values()))
    metrics = {
        MetricKey.PREDICTION_MEAN: _metrics.mean(predictions),
        MetricKey.LABEL_MEAN: _metrics.mean(labels_tensor),
        MetricKey.ACCURACY_BASELINE: _metrics.mean(labels_tensor),
        MetricKey.AUC: _metrics.auc(labels=labels_tensor, predictions=predictions),
    }
    for threshold in thresholds:
        predictions_at_threshold = tf.cast(tf.greater_equal(predictions, threshold),
                                           tf.float32,
                                           name=f"predictions_at_threshold_{threshold:f}")
        metrics[MetricKey.ACCURACY_MEAN % threshold] = _metrics.accuracy(
            labels=labels_tensor, predictions=predictions_at_threshold)
        metrics[MetricKey.PRECISION_MEAN % threshold] = _metrics.precision(
            labels=labels_tensor, predictions=predictions_at_threshold)
        metrics[MetricKey.RECALL_MEAN % threshold] = _metrics.recall(
            labels=labels_tensor, predictions=predictions_at_threshold)
    return metrics


def _get_model_fn_with_logistic_metrics(model_fn):
    """`model_fn` with r1.15's logistic metrics added in EVAL mode."""
    def _model_fn(features, labels, mode, params):
        thresholds = params.get("thresholds") or [.5]
        predictions, loss, train_op = model_fn(features, labels, mode)
        eval_metric_ops = None
        if mode == model_fn_lib.ModeKeys.EVAL:
            eval_metric_ops = _make_logistic_eval_metric_ops(
                labels=labels, predictions=predictions, thresholds=thresholds)
        return model_fn_lib.ModelFnOps(
            mode=mode, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=eval_metric_ops,
            output_alternatives={"head": (constants.ProblemType.LOGISTIC_REGRESSION,
                                          {"predictions": predictions})})
    return _model_fn


def LogisticRegressor(model_fn, thresholds=None, model_dir=None, config=None,
                      feature_engineering_fn=None):
    """Builds a logistic regression `Estimator` for binary classification.

    Replaces ``tf.contrib.learn.LogisticRegressor`` (a function in r1.15 too).

    Args:
      model_fn: ``(features, labels, mode) -> (predictions, loss, train_op)``, the
        predictions being probabilities in [0, 1].
      thresholds: thresholds of the accuracy, precision and recall metrics;
        default ``[.5]``.
      model_dir: directory for checkpoints and summaries.
      config: a `RunConfig`.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)``.

    Returns:
      A contrib `Estimator`.
    """
    return estimator.Estimator(
        model_fn=_get_model_fn_with_logistic_metrics(model_fn), model_dir=model_dir,
        config=config, params={"thresholds": thresholds},
        feature_engineering_fn=feature_engineering_fn)
