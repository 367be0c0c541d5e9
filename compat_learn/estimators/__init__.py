"""`tf.contrib.learn` estimators package: the contrib Estimator protocol.

Replaces ``tensorflow.contrib.learn.python.learn.estimators``: the Estimator
protocol, the heads (`head`) and the canned DNN, linear and wide & deep estimators
(`dnn`, `linear`, `dnn_linear_combined`, `logistic_regressor`), `kmeans` and `svm`. Native TF2:
``tf.estimator``.

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
    # r1.15 estimators/__init__.py: the heads and canned estimators.
    "Head": ("compat_learn.estimators.head", "Head"),
    "binary_svm_head": ("compat_learn.estimators.head", "binary_svm_head"),
    "loss_only_head": ("compat_learn.estimators.head", "loss_only_head"),
    "multi_class_head": ("compat_learn.estimators.head", "multi_class_head"),
    "multi_head": ("compat_learn.estimators.head", "multi_head"),
    "multi_label_head": ("compat_learn.estimators.head", "multi_label_head"),
    "no_op_train_fn": ("compat_learn.estimators.head", "no_op_train_fn"),
    "poisson_regression_head": ("compat_learn.estimators.head", "poisson_regression_head"),
    "regression_head": ("compat_learn.estimators.head", "regression_head"),
    "DNNClassifier": ("compat_learn.estimators.dnn", "DNNClassifier"),
    "DNNEstimator": ("compat_learn.estimators.dnn", "DNNEstimator"),
    "DNNRegressor": ("compat_learn.estimators.dnn", "DNNRegressor"),
    "DNNLinearCombinedClassifier": ("compat_learn.estimators.dnn_linear_combined", "DNNLinearCombinedClassifier"),
    "DNNLinearCombinedEstimator": ("compat_learn.estimators.dnn_linear_combined", "DNNLinearCombinedEstimator"),
    "DNNLinearCombinedRegressor": ("compat_learn.estimators.dnn_linear_combined", "DNNLinearCombinedRegressor"),
    "LinearClassifier": ("compat_learn.estimators.linear", "LinearClassifier"),
    "LinearEstimator": ("compat_learn.estimators.linear", "LinearEstimator"),
    "LinearRegressor": ("compat_learn.estimators.linear", "LinearRegressor"),
    "LogisticRegressor": ("compat_learn.estimators.logistic_regressor", "LogisticRegressor"),
    "KMeansClustering": ("compat_learn.estimators.kmeans", "KMeansClustering"),
    "SVM": ("compat_learn.estimators.svm", "SVM"),
}

__all__ = [
    "SVM",
    "BaseEstimator",
    "DNNClassifier",
    "DNNEstimator",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedEstimator",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "Estimator",
    "GraphRewriteSpec",
    "Head",
    "KMeansClustering",
    "LinearClassifier",
    "LinearEstimator",
    "LinearRegressor",
    "LogisticRegressor",
    "MetricKey",
    "ModeKeys",
    "ModelFnOps",
    "NotFittedError",
    "PredictionKey",
    "ProblemType",
    "SKCompat",
    "binary_svm_head",
    "infer_real_valued_columns_from_input",
    "infer_real_valued_columns_from_input_fn",
    "loss_only_head",
    "multi_class_head",
    "multi_head",
    "multi_label_head",
    "no_op_train_fn",
    "poisson_regression_head",
    "regression_head",
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
