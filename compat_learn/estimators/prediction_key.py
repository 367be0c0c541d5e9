"""`tf.contrib.learn.PredictionKey`: the standard keys of a predictions dict.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.prediction_key``. Native
TF2: the string keys of the canned estimators' predictions (``"classes"``,
``"probabilities"``, ``"logits"``, ...).
"""

__all__ = ["PredictionKey"]


class PredictionKey:
    """Standard prediction keys (r1.15 values).

    Replaces ``tf.contrib.learn.PredictionKey``. Native TF2: plain strings; the
    canned estimators use the same ones.
    """

    CLASSES = "classes"
    PROBABILITIES = "probabilities"
    LOGITS = "logits"
    LOGISTIC = "logistic"
    SCORES = "scores"
    TOP_K = "top_k"
    GENERIC = "output"
