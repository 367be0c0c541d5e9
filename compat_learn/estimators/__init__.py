"""`tf.contrib.learn` estimators package: the contrib Estimator protocol.

Replaces ``tensorflow.contrib.learn.python.learn.estimators`` (its Estimator
protocol part; the canned estimators and heads live elsewhere or are not
provided). Native TF2: ``tf.estimator``.

Lazy: importing this package imports no TensorFlow; each name is loaded from its
home module on first use.
"""

import importlib

# Public name -> (home module, attribute).
_LAZY = {
    "BaseEstimator": ("compat_learn.estimators.estimator", "BaseEstimator"),
    "Estimator": ("compat_learn.estimators.estimator", "Estimator"),
    "SKCompat": ("compat_learn.estimators.estimator", "SKCompat"),
    "GraphRewriteSpec": ("compat_learn.estimators.estimator", "GraphRewriteSpec"),
    "infer_real_valued_columns_from_input": (
        "compat_learn.estimators.estimator", "infer_real_valued_columns_from_input"),
    "infer_real_valued_columns_from_input_fn": (
        "compat_learn.estimators.estimator", "infer_real_valued_columns_from_input_fn"),
    "ModeKeys": ("compat_learn.estimators.model_fn", "ModeKeys"),
    "ModelFnOps": ("compat_learn.estimators.model_fn", "ModelFnOps"),
    "ProblemType": ("compat_learn.estimators.constants", "ProblemType"),
    "PredictionKey": ("compat_learn.estimators.prediction_key", "PredictionKey"),
    "MetricKey": ("compat_learn.estimators.metric_key", "MetricKey"),
    "NotFittedError": ("compat_learn.estimators._sklearn", "NotFittedError"),
}

__all__ = [
    "BaseEstimator",
    "Estimator",
    "GraphRewriteSpec",
    "MetricKey",
    "ModeKeys",
    "ModelFnOps",
    "NotFittedError",
    "PredictionKey",
    "ProblemType",
    "SKCompat",
    "infer_real_valued_columns_from_input",
    "infer_real_valued_columns_from_input_fn",
]


def __getattr__(name):
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(
            f"module 'compat_learn.estimators' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
