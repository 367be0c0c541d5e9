"""`confusion_matrix` (r1.15 contrib/metrics/python/ops/confusion_matrix_ops.py).

Native TF2 replacement: ``tf.math.confusion_matrix`` (`weights` before `dtype`).
"""

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf

__all__ = ["confusion_matrix"]


def confusion_matrix(labels, predictions, num_classes=None, dtype=tf.int32, name=None,
                     weights=None):
    """``tf.math.confusion_matrix`` with contrib's argument order."""
    warn_deprecated("tf.contrib.metrics.confusion_matrix", "tf.math.confusion_matrix")
    return tf.math.confusion_matrix(labels=labels, predictions=predictions,
                                    num_classes=num_classes, weights=weights, dtype=dtype,
                                    name=name)
