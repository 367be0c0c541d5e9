"""`MetricKey`: the standard metric names of r1.15's contrib heads.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.metric_key`` (reachable
only through its module path in r1.15, not as ``tf.contrib.learn.MetricKey``).
Native TF2: ``tf.estimator`` canned estimators' metric names (``"loss"``,
``"accuracy"``, ``"auc"``, ...).
"""

__all__ = ["MetricKey"]


class MetricKey:
    """Metric key strings (r1.15 values; the ``%`` ones are format patterns).

    Replaces ``...learn.estimators.metric_key.MetricKey``. Native TF2: the string
    keys of ``tf.estimator.Estimator.evaluate`` results.
    """

    LOSS = "loss"
    AUC = "auc"
    AUC_PR = "auc_precision_recall"
    CLASS_AUC = "auc/class%d"
    CLASS_AUC_PR = "auc_precision_recall/class%d"
    PREDICTION_MEAN = "labels/prediction_mean"
    CLASS_PREDICTION_MEAN = "labels/prediction_mean/class%d"
    CLASS_LOGITS_MEAN = "labels/logits_mean/class%d"
    CLASS_PROBABILITY_MEAN = "labels/probability_mean/class%d"
    LABEL_MEAN = "labels/actual_label_mean"
    CLASS_LABEL_MEAN = "labels/actual_label_mean/class%d"
    ACCURACY = "accuracy"
    ACCURACY_BASELINE = "accuracy/baseline_label_mean"
    ACCURACY_MEAN = "accuracy/threshold_%f_mean"
    PRECISION_MEAN = "precision/positive_threshold_%f_mean"
    RECALL_MEAN = "recall/positive_threshold_%f_mean"
